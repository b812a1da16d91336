//! Durability: a process killed with SIGKILL at random points while saving leaves the store consistent and
//! readable, with every assessment either fully there or not at all; two processes saving at once both
//! succeed, or one is told the store is busy. On SQLite, and PostgreSQL when `VIGIL_TEST_DATABASE_URL` is set.
//!
//! The saving processes are this test binary itself, re-run with `VIGIL_STORE_CHILD` set so that the
//! ignored `child_saves_in_a_loop` test does the work.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Row;
use time::Duration as Days;
use time::macros::date;
use vigil_core::{Band, Finding, FindingKind};
use vigil_store::{SaveOptions, Store};

use common::{assessment, backends};

/// Findings per saved assessment: enough that a save takes a while, so kills land inside it.
const FINDINGS: usize = 3_000;

fn findings(round: usize) -> Vec<Finding> {
    (0..FINDINGS)
        .map(|i| {
            // A tenth of the findings change every round, so each save fixes and opens some.
            let key = if i % 10 == 0 {
                format!("{round}-{i}")
            } else {
                i.to_string()
            };
            let mut f = Finding::new(FindingKind::Threat, format!("fp-{key}"), format!("finding {key}"));
            f.score.band = [Band::Low, Band::Medium, Band::High, Band::Critical][i % 4];
            f.score.rpn = 10 + (i % 900) as u16;
            f
        })
        .collect()
}

/// Saves assessments one after another until killed (or `rounds` are done).
#[test]
#[ignore = "run by the durability tests as a child process"]
fn child_saves_in_a_loop() {
    let Ok(url) = std::env::var("VIGIL_STORE_CHILD") else {
        return;
    };
    let rounds: usize = std::env::var("VIGIL_STORE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(usize::MAX);
    let store = Store::open(&url).unwrap();
    let options = SaveOptions {
        stage: Some("main".into()),
        cadence_days: 91,
    };
    for round in 0..rounds {
        let on = date!(2026 - 01 - 01).saturating_add(Days::days(round as i64));
        match store.save(&assessment("stress", on, true, findings(round)), &options) {
            Ok(_) => {}
            Err(vigil_store::StoreError::Busy(message)) => {
                eprintln!("busy: {message}");
                std::process::exit(3);
            }
            Err(other) => panic!("save failed: {other}"),
        }
    }
}

fn child(url: &str, rounds: Option<usize>) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "child_saves_in_a_loop",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("VIGIL_STORE_CHILD", url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(rounds) = rounds {
        command.env("VIGIL_STORE_ROUNDS", rounds.to_string());
    }
    command.spawn().unwrap()
}

/// Every saved assessment is whole: its per-finding snapshot has exactly its findings, and every lifecycle
/// record points at assessments that exist.
fn assert_consistent(url: &str, backend: &str) -> usize {
    let store = Store::open(url).unwrap();
    let history = store.history(None, 10_000).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await.unwrap();
        for row in &history {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM assessment_findings WHERE assessment_id = $1")
                .bind(row.id)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get("n");
            assert_eq!(n, row.findings_total, "{backend}: assessment {} is partial", row.id);
        }
        let dangling: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM findings WHERE last_seen_assessment NOT IN (SELECT id FROM assessments) \
             OR first_seen_assessment NOT IN (SELECT id FROM assessments)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("n");
        assert_eq!(dangling, 0, "{backend}: lifecycle records point at missing assessments");
        if backend == "sqlite" {
            let check: String = sqlx::query("PRAGMA integrity_check")
                .fetch_one(&pool)
                .await
                .unwrap()
                .get(0);
            assert_eq!(check, "ok", "{backend}");
        }
        pool.close().await;
    });
    // Still readable and writable.
    if let Some(latest) = history.first() {
        store.show(latest.id).unwrap();
    }
    history.len()
}

#[test]
fn sigkill_while_saving_leaves_a_consistent_store() {
    for backend in backends() {
        // How long one save takes here, to spread the kills over several saves.
        let started = Instant::now();
        let status = child(&backend.url, Some(2)).wait().unwrap();
        assert!(status.success(), "{}", backend.name);
        let per_save = started.elapsed() / 2;
        let mut saved = assert_consistent(&backend.url, backend.name);
        assert_eq!(saved, 2);
        // Kill points from a fixed-seed generator, spread over about three saves.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..12 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let fraction = (seed % 1000) as f64 / 1000.0;
            let mut process = child(&backend.url, None);
            std::thread::sleep(per_save.mul_f64(0.3 + 3.0 * fraction));
            process.kill().unwrap();
            process.wait().unwrap();
            let now = assert_consistent(&backend.url, backend.name);
            assert!(now >= saved, "{}: assessments were lost", backend.name);
            saved = now;
        }
        // After all that, a save goes through.
        assert!(child(&backend.url, Some(1)).wait().unwrap().success());
        assert_eq!(assert_consistent(&backend.url, backend.name), saved + 1);
    }
}

#[test]
fn two_processes_saving_at_once_both_succeed_or_one_is_told_busy() {
    for backend in backends() {
        let mut first = child(&backend.url, Some(3));
        let mut second = child(&backend.url, Some(3));
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut succeeded = 0;
        for process in [&mut first, &mut second] {
            let status = loop {
                if let Some(status) = process.try_wait().unwrap() {
                    break status;
                }
                assert!(Instant::now() < deadline, "{}: a save hung", backend.name);
                std::thread::sleep(Duration::from_millis(20));
            };
            match status.code() {
                Some(0) => succeeded += 1,
                Some(3) => {} // told "busy", cleanly
                other => {
                    let mut err = String::new();
                    use std::io::Read;
                    process.stderr.take().unwrap().read_to_string(&mut err).unwrap();
                    panic!("{}: a saver failed with {other:?}: {err}", backend.name);
                }
            }
        }
        assert!(succeeded >= 1, "{}", backend.name);
        let saved = assert_consistent(&backend.url, backend.name);
        assert!(saved >= 3 * succeeded, "{}: {saved} saved", backend.name);
    }
}

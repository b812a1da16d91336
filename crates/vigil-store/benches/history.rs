//! Saving and reading a long history: `ASSESSMENTS` (default 1,000) assessments of one scope with
//! `FINDINGS` (default 1,000) findings each, a tenth of them changing every time, then the history, one
//! document and the metrics read back. SQLite always (the file is kept at `VIGIL_BENCH_SQLITE`, default a
//! temp file, so `vigil metrics` can be timed on it); PostgreSQL too when `VIGIL_BENCH_DATABASE_URL` names a
//! server (a fresh database is created in it).
//!
//! `cargo bench -p vigil-store --bench history` (see `scripts/bench-history.sh`).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::Instant;

use time::Duration;
use time::macros::date;
use vigil_core::{
    AdvisorySnapshot, Assessment, Band, Coverage, Finding, FindingKind, Inventory, Roadmap, Scope, Summary,
    SystemModel, Target, Tool,
};
use vigil_store::{SaveOptions, Store};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn assessment(round: usize, findings: usize) -> Assessment {
    let as_of = date!(2024 - 01 - 01).saturating_add(Duration::days(round as i64));
    let findings = (0..findings)
        .map(|i| {
            let key = if i % 10 == round % 10 {
                format!("{round}-{i}")
            } else {
                i.to_string()
            };
            let mut f = Finding::new(FindingKind::Threat, format!("fp-{key}"), format!("finding {key}"));
            f.rule_id = Some(format!("rule-{}", i % 50));
            f.score.band = [Band::Low, Band::Medium, Band::High, Band::Critical][i % 4];
            f.score.rpn = 10 + (i % 900) as u16;
            f
        })
        .collect();
    Assessment {
        schema_version: vigil_core::SCHEMA_VERSION.into(),
        tool: Tool {
            name: "vigil".into(),
            version: "bench".into(),
        },
        target: Target {
            path: "bench".into(),
            commit: None,
        },
        generated_at: "2024-01-01T00:00:00Z".into(),
        as_of,
        scope: Scope {
            name: Some("bench".into()),
            ..Scope::default()
        },
        advisory_db: Some(AdvisorySnapshot::default()),
        summary: Summary::default(),
        inventory: Inventory::default(),
        model: SystemModel::default(),
        findings,
        advisory_warnings: vec![],
        roadmap: Roadmap::default(),
        coverage: Coverage::default(),
        diagnostics: vec![],
    }
}

fn run(name: &str, url: &str, assessments: usize, findings: usize) {
    let store = Store::open(url).unwrap();
    let options = SaveOptions {
        stage: Some("main".into()),
        cadence_days: 91,
    };
    let documents: Vec<Assessment> = (0..10).map(|r| assessment(r, findings)).collect();
    let started = Instant::now();
    let mut slowest = std::time::Duration::ZERO;
    for round in 0..assessments {
        // Ten distinct documents cycled with new dates keep building the inputs out of the measurement.
        let mut document = documents[round % 10].clone();
        document.as_of = date!(2024 - 01 - 01).saturating_add(Duration::days(round as i64));
        let one = Instant::now();
        store.save(&document, &options).unwrap();
        slowest = slowest.max(one.elapsed());
    }
    let saving = started.elapsed();
    let started = Instant::now();
    let history = store.history(None, 10_000).unwrap();
    let listing = started.elapsed();
    let started = Instant::now();
    store.show(history[history.len() / 2].id).unwrap();
    let showing = started.elapsed();
    let started = Instant::now();
    let metrics = store.metrics(None, date!(2027 - 01 - 01)).unwrap();
    let measuring = started.elapsed();
    assert_eq!(metrics.open_over_time.len(), assessments);
    println!(
        "{name}: saved {assessments} x {findings} in {:.1} s ({:.1} ms each, slowest {:.1} ms); history of {} in {:.1} ms; one document in {:.1} ms; metrics in {:.1} ms",
        saving.as_secs_f64(),
        saving.as_secs_f64() * 1000.0 / assessments as f64,
        slowest.as_secs_f64() * 1000.0,
        history.len(),
        listing.as_secs_f64() * 1000.0,
        showing.as_secs_f64() * 1000.0,
        measuring.as_secs_f64() * 1000.0,
    );
}

fn main() {
    let assessments = env("ASSESSMENTS", 1_000);
    let findings = env("FINDINGS", 1_000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = std::env::var("VIGIL_BENCH_SQLITE")
        .unwrap_or_else(|_| dir.path().join("history.db").display().to_string());
    let _ = std::fs::remove_file(&sqlite);
    run("sqlite", &format!("sqlite://{sqlite}"), assessments, findings);
    if let Ok(admin) = std::env::var("VIGIL_BENCH_DATABASE_URL") {
        let backend = vigil_store::testing::backends_with(&admin);
        run("postgres", &backend.url, assessments, findings);
    }
}

//! `vigil init`, `vigil db`, `vigil rules`, `vigil schema`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{stderr, stdout, vigil, vigil_with_home};

#[test]
fn init_writes_a_starter_that_parses_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let output = vigil(&["init", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.path().join("vigil.toml")).unwrap();
    assert_eq!(written, vigil_core::config::STARTER);
    assert_eq!(vigil(&["init", path]).status.code(), Some(2));
    assert_eq!(vigil(&["init", path, "--force"]).status.code(), Some(0));
    // The starter is a valid configuration for assess.
    assert_eq!(vigil(&["assess", path, "--quiet"]).status.code(), Some(0));
}

#[test]
fn db_import_then_status_then_assess_uses_the_database() {
    let home = tempfile::tempdir().unwrap();
    let status = vigil_with_home(&["db", "status"], home.path());
    assert_eq!(status.status.code(), Some(2));
    assert!(stderr(&status).contains("hint: import one with `vigil db import PATH`"));

    let import = vigil_with_home(&["db", "import", "examples/shop-advisories"], home.path());
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    assert!(
        stdout(&import).contains("crates.io        3 advisories"),
        "{}",
        stdout(&import)
    );

    let status = vigil_with_home(&["db", "status"], home.path());
    assert_eq!(status.status.code(), Some(0));
    let text = stdout(&status);
    assert!(
        text.contains("(0 days ago)") && text.contains("npm              3"),
        "{text}"
    );

    let assess = vigil_with_home(
        &[
            "assess",
            "examples/shop",
            "--format",
            "json",
            "--as-of",
            "2026-11-27",
        ],
        home.path(),
    );
    let document: serde_json::Value = serde_json::from_slice(&assess.stdout).unwrap();
    assert!(
        document["advisory_db"]["source"]
            .as_str()
            .unwrap()
            .ends_with("advisories")
    );
    let vulnerabilities = |document: &serde_json::Value| -> Vec<String> {
        let findings = document["findings"].as_array().unwrap();
        findings
            .iter()
            .filter(|f| f["kind"] == "vulnerability")
            .map(|f| f["fingerprint"].to_string())
            .collect()
    };
    // The database gives exactly what the same advisories give when read directly.
    let direct = common::assessment(&common::SHOP);
    assert_eq!(vulnerabilities(&document), vulnerabilities(&direct));
    assert_eq!(vulnerabilities(&document).len(), 11);
}

#[test]
fn db_import_of_a_bad_file_fails_without_damage() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("all.zip");
    std::fs::write(&bad, b"PK\x03\x04truncated").unwrap();
    let output = vigil_with_home(&["db", "import", bad.to_str().unwrap()], home.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("hint: the existing database was left unchanged"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn intelligence_is_imported_beside_advisories_and_joined_in_assess() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = common::workspace().join("fixtures");
    let (kev, epss) = (
        fixtures.join("intel/kev-subset.json"),
        fixtures.join("intel/epss-subset.csv"),
    );
    let import = vigil_with_home(
        &[
            "db",
            "import",
            kev.to_str().unwrap(),
            epss.to_str().unwrap(),
            "examples/shop-advisories",
        ],
        home.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let text = stdout(&import);
    assert!(
        text.contains("imported kev") && text.contains("9 entries (2025.08.25)"),
        "{text}"
    );
    assert!(
        text.contains("imported epss") && text.contains("crates.io        3 advisories"),
        "{text}"
    );
    let status = stdout(&vigil_with_home(&["db", "status"], home.path()));
    assert!(
        status.contains("kev              9 entries") && status.contains("exploitdb        not imported"),
        "{status}"
    );

    // A broken intelligence file: a one-line error naming it, and the imported copy stays.
    let bad = home.path().join("epss.csv");
    std::fs::write(&bad, "cve,epss,percentile\nCVE-2023-4863,zero,0.5\n").unwrap();
    let failed = vigil_with_home(&["db", "import", bad.to_str().unwrap()], home.path());
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        stderr(&failed).contains("epss.csv: line 2"),
        "{}",
        stderr(&failed)
    );
    let status = stdout(&vigil_with_home(&["db", "status"], home.path()));
    assert!(status.contains("epss             9 entries"), "{status}");

    // The shop's advisories name no CVE of these catalogs: KEV and EPSS are known, and say "not listed".
    let assess = vigil_with_home(&["assess", "examples/shop", "--format", "json"], home.path());
    let document: serde_json::Value = serde_json::from_slice(&assess.stdout).unwrap();
    let findings = document["findings"].as_array().unwrap();
    let vulnerabilities: Vec<&serde_json::Value> =
        findings.iter().filter(|f| f["kind"] == "vulnerability").collect();
    assert!(!vulnerabilities.is_empty());
    assert!(
        vulnerabilities.iter().all(|f| f["vulnerability"]["kev"] == false),
        "{vulnerabilities:?}"
    );
}

#[test]
fn db_update_failures_are_one_line_and_harmless() {
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on port 1: the download fails, nothing is written.
    let output = vigil_with_home(
        &[
            "db",
            "update",
            "--osv-url",
            "http://127.0.0.1:1",
            "--ecosystems",
            "npm",
            "--skip",
            "kev,epss,exploitdb",
        ],
        home.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("update failed: http://127.0.0.1:1/npm/all.zip"),
        "{text}"
    );
    assert!(
        text.contains("hint: the existing database was left unchanged"),
        "{text}"
    );
    assert!(!home.path().join("advisories").exists());

    let output = vigil_with_home(&["db", "update", "--ecosystems", "cargo"], home.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`cargo` is not an OSV ecosystem"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_checked_in_rule_reference_is_current() {
    let generated = stdout(&vigil(&["rules", "docs"]));
    let checked_in = std::fs::read_to_string(common::workspace().join("docs/rules.md")).unwrap();
    assert!(
        generated == checked_in,
        "docs/rules.md is stale: run `cargo run -p vigil -- rules docs > docs/rules.md`"
    );
}

#[test]
fn rules_are_listed_and_explained() {
    let list = stdout(&vigil(&["rules", "list"]));
    assert_eq!(list.lines().count(), vigil_threats::registry::rules().len());
    assert!(list.contains("aws-s3-public-access"));
    let explain = stdout(&vigil(&["rules", "explain", "gha-pull-request-target-checkout"]));
    assert!(explain.starts_with("# gha-pull-request-target-checkout:"));
    assert!(explain.contains("## How to verify"));
}

#[test]
fn schema_prints_the_checked_in_schema() {
    let printed = stdout(&vigil(&["schema"]));
    let checked_in =
        std::fs::read_to_string(common::workspace().join("schema/assessment.schema.json")).unwrap();
    assert_eq!(printed, checked_in);
}

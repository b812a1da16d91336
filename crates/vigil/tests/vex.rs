//! VEX out: OpenVEX and CycloneDX VEX from an assessment. `not_affected` only with evidence (a
//! development-only dependency), `affected` with the roadmap action, `under_investigation` otherwise; the
//! CycloneDX document validates against the 1.6 schema.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{stderr, vigil, workspace};
use serde_json::Value;

fn document(args: &[&str]) -> Value {
    let output = vigil(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn shop(format: &str) -> Value {
    document(&[
        "assess",
        "examples/shop",
        "--advisories",
        "examples/shop-advisories",
        "--as-of",
        "2026-11-27",
        "--format",
        format,
    ])
}

#[test]
fn openvex_statements_follow_the_evidence() {
    let vex = shop("openvex");
    assert_eq!(vex["@context"], "https://openvex.dev/ns/v0.2.0");
    assert!(vex["@id"].as_str().unwrap().starts_with("urn:vigil:vex:"));
    let statements = vex["statements"].as_array().unwrap();
    let assessment = shop("json");
    let vulnerabilities = assessment["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "vulnerability")
        .count();
    assert_eq!(statements.len(), vulnerabilities);
    for statement in statements {
        match statement["status"].as_str().unwrap() {
            "affected" => assert!(statement["action_statement"].is_string(), "{statement}"),
            "not_affected" => assert!(statement["justification"].is_string(), "{statement}"),
            "under_investigation" => assert!(statement["status_notes"].is_string(), "{statement}"),
            other => panic!("unexpected status {other}"),
        }
    }
    // lodash is imported by the API: affected, with the upgrade and its due date.
    let lodash = statements
        .iter()
        .find(|s| s["vulnerability"]["name"] == "CVE-2020-8203")
        .unwrap();
    assert_eq!(lodash["status"], "affected");
    assert_eq!(
        lodash["products"][0]["subcomponents"][0]["@id"],
        "pkg:npm/lodash@4.17.15"
    );
    let action = lodash["action_statement"].as_str().unwrap();
    assert!(
        action.starts_with("Upgrade lodash to 4.17.21") && action.contains("due 2026-12-04"),
        "{action}"
    );
    assert!(
        lodash["status_notes"]
            .as_str()
            .unwrap()
            .contains("services/api/src/server.js:3")
    );
    // Nothing is declared not affected without evidence: the example has no development-only finding.
    assert!(statements.iter().all(|s| s["status"] != "not_affected"));
}

#[test]
fn a_development_dependency_is_not_affected_with_its_justification() {
    let dir = tempfile::tempdir().unwrap();
    let lock = r#"{"name": "tool", "lockfileVersion": 3, "packages": {"": {"name": "tool"}, "node_modules/lodash": {"version": "4.17.15", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "dev": true}}}"#;
    std::fs::write(dir.path().join("package-lock.json"), lock).unwrap();
    let advisories = workspace().join("examples/shop-advisories");
    let path = dir.path().to_str().unwrap();
    let args = [
        "assess",
        path,
        "--advisories",
        advisories.to_str().unwrap(),
        "--format",
    ];
    let vex = document(&[&args[..], &["openvex"]].concat());
    let statements = vex["statements"].as_array().unwrap();
    assert!(!statements.is_empty());
    for statement in statements {
        assert_eq!(statement["status"], "not_affected");
        assert_eq!(statement["justification"], "vulnerable_code_not_in_execute_path");
        assert!(
            statement["impact_statement"]
                .as_str()
                .unwrap()
                .contains("package-lock.json")
        );
    }
    let cdx = document(&[&args[..], &["cyclonedx-vex"]].concat());
    for vulnerability in cdx["vulnerabilities"].as_array().unwrap() {
        assert_eq!(vulnerability["analysis"]["state"], "not_affected");
        assert_eq!(vulnerability["analysis"]["justification"], "code_not_reachable");
    }
}

#[test]
fn cyclonedx_vex_validates_and_matches_openvex() {
    let cdx = shop("cyclonedx-vex");
    let validator = common::cyclonedx_validator();
    let errors: Vec<String> = validator
        .iter_errors(&cdx)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let openvex = shop("openvex");
    let states: Vec<(String, String)> = cdx["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_owned(),
                v["analysis"]["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let statuses: Vec<(String, String)> = openvex["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let status = match s["status"].as_str().unwrap() {
                "affected" => "exploitable",
                "not_affected" => "not_affected",
                _ => "in_triage",
            };
            (
                s["vulnerability"]["name"].as_str().unwrap().to_owned(),
                status.to_owned(),
            )
        })
        .collect();
    assert_eq!(states, statuses);
    // Every affected component is listed once, referenced by its purl.
    let refs: Vec<&str> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    for v in cdx["vulnerabilities"].as_array().unwrap() {
        assert!(refs.contains(&v["affects"][0]["ref"].as_str().unwrap()));
    }
}

//! Bringing other tools' results into an assessment: SARIF findings (deduplicated by fingerprint),
//! CycloneDX and SPDX SBOM components matched like lockfile packages, OpenVEX statements applied as
//! decisions, and a one-line error for a file that is none of these.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{stderr, vigil};
use serde_json::Value;

fn assess(ingest: &[&str]) -> Value {
    let mut args = vec![
        "assess",
        "examples/shop",
        "--advisories",
        "examples/shop-advisories",
        "--as-of",
        "2026-11-27",
        "--format",
        "json",
        "--ingest",
    ];
    args.extend(ingest);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn findings(document: &Value) -> &Vec<Value> {
    document["findings"].as_array().unwrap()
}

#[test]
fn sarif_results_become_scored_findings_once() {
    // The Semgrep file twice: its result is counted once.
    let document = assess(&[
        "fixtures/ingest/semgrep.sarif",
        "fixtures/ingest/codeql.sarif",
        "fixtures/ingest/semgrep.sarif",
    ]);
    let imported: Vec<&Value> = findings(&document)
        .iter()
        .filter(|f| f["kind"] == "imported")
        .collect();
    assert_eq!(imported.len(), 2, "{imported:#?}");
    let codeql = imported
        .iter()
        .find(|f| f["rule_id"] == "CodeQL/py/sql-injection")
        .unwrap();
    assert_eq!(
        codeql["title"],
        "CodeQL: SQL query built from user-controlled sources"
    );
    assert_eq!(codeql["cwe"], serde_json::json!(["CWE-89"]));
    assert_eq!(codeql["evidence"][0]["path"], "services/worker/worker.py");
    assert_eq!(codeql["evidence"][0]["line"], 21);
    let factors = codeql["score"]["factors"].as_array().unwrap();
    assert!(
        factors
            .iter()
            .any(|f| f["evidence"].as_str().unwrap().contains("security-severity 8.8"))
    );
    let semgrep = imported
        .iter()
        .find(|f| f["rule_id"].as_str().unwrap().starts_with("Semgrep OSS/"))
        .unwrap();
    assert_eq!(semgrep["cwe"], serde_json::json!(["CWE-79"]));
    // The fingerprint does not depend on the line: the same result one line lower keeps its identity.
    let moved = std::fs::read_to_string("../../fixtures/ingest/codeql.sarif")
        .unwrap()
        .replace("\"startLine\": 21", "\"startLine\": 30");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moved.sarif");
    std::fs::write(&path, moved).unwrap();
    let again = assess(&[path.to_str().unwrap()]);
    let same = findings(&again).iter().find(|f| f["kind"] == "imported").unwrap();
    assert_eq!(same["fingerprint"], codeql["fingerprint"]);
    assert_eq!(same["evidence"][0]["line"], 30);
}

#[test]
fn sbom_components_are_matched_like_lockfile_packages() {
    let document = assess(&["fixtures/ingest/sbom.cdx.json", "fixtures/ingest/sbom.spdx.json"]);
    let assets = document["inventory"]["assets"].as_array().unwrap();
    let mut from_sbom: Vec<&str> = assets
        .iter()
        .filter(|a| a["attributes"]["from_sbom"].is_string())
        .map(|a| a["attributes"]["purl"].as_str().unwrap())
        .collect();
    from_sbom.sort_unstable();
    // The OS package and the purl-less component are left out; the nested regex is read.
    assert_eq!(
        from_sbom,
        [
            "pkg:cargo/regex@1.5.4",
            "pkg:cargo/time@0.1.44",
            "pkg:npm/lodash@4.17.11",
            "pkg:pypi/pyyaml@5.3"
        ]
    );
    let vulnerable: Vec<(String, String)> = findings(&document)
        .iter()
        .filter(|f| f["vulnerability"]["installed"] == "4.17.11" || f["vulnerability"]["installed"] == "5.3")
        .map(|f| {
            (
                f["vulnerability"]["package"].as_str().unwrap().to_owned(),
                f["vulnerability"]["reachability"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(vulnerable.iter().any(|(p, _)| p == "lodash"), "{vulnerable:?}");
    assert!(vulnerable.iter().any(|(p, _)| p == "pyyaml"), "{vulnerable:?}");
    // An SBOM says nothing of the code that uses a component: reachability is unknown, and said.
    assert!(vulnerable.iter().all(|(_, r)| r == "unknown"), "{vulnerable:?}");
}

#[test]
fn openvex_statements_become_decisions() {
    let document = assess(&["fixtures/ingest/shop.openvex.json"]);
    let by_cve = |cve: &str| {
        findings(&document)
            .iter()
            .find(|f| {
                f["advisory_ids"]
                    .as_array()
                    .is_some_and(|ids| ids.iter().any(|a| a == cve))
                    && f["vulnerability"]["installed"] == "4.17.15"
            })
            .unwrap()
            .clone()
    };
    let closed = by_cve("CVE-2020-28500");
    assert_eq!(closed["status"], "not_affected");
    assert_eq!(
        closed["decision"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
    assert!(
        closed["decision"]["source"]
            .as_str()
            .unwrap()
            .starts_with("openvex:")
    );
    let open = by_cve("CVE-2020-8203");
    assert_eq!(open["status"], "open");
    assert_eq!(open["decision"]["statement"], "Upgrade in the December release");
    // A closed finding leaves the roadmap: lodash's upgrade now resolves two findings, not three.
    let actions = document["roadmap"]["actions"].as_array().unwrap();
    let lodash = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Upgrade lodash"))
        .unwrap();
    assert_eq!(lodash["findings"].as_array().unwrap().len(), 2);
    // A statement about nothing found is a diagnostic.
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("CVE-1999-0001 matched no finding")),
        "{diagnostics:#?}"
    );
    // And the decision flows into VEX out with its own justification.
    let output = vigil(&[
        "assess",
        "examples/shop",
        "--advisories",
        "examples/shop-advisories",
        "--format",
        "openvex",
        "--ingest",
        "fixtures/ingest/shop.openvex.json",
    ]);
    let vex: Value = serde_json::from_slice(&output.stdout).unwrap();
    let statement = vex["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vulnerability"]["name"] == "CVE-2020-28500")
        .unwrap();
    assert_eq!(statement["status"], "not_affected");
    assert_eq!(statement["justification"], "vulnerable_code_not_in_execute_path");
}

#[test]
fn a_brought_in_justification_flows_into_vex_out() {
    // The reviewer's own label, not vigil's default, comes out of both VEX formats.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.openvex.json");
    std::fs::write(
        &path,
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "urn:x", "author": "AppSec", "timestamp": "2026-11-27T00:00:00Z", "version": 1,
           "statements": [{"vulnerability": {"name": "CVE-2020-8203"}, "products": [{"@id": "pkg:npm/lodash@4.17.15"}],
                           "status": "not_affected", "justification": "inline_mitigations_already_exist"}]}"#,
    )
    .unwrap();
    let out = |format: &str| -> Value {
        let output = vigil(&[
            "assess",
            "examples/shop",
            "--advisories",
            "examples/shop-advisories",
            "--format",
            format,
            "--ingest",
            path.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let openvex = out("openvex");
    let statement = openvex["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vulnerability"]["name"] == "CVE-2020-8203")
        .unwrap();
    assert_eq!(statement["status"], "not_affected");
    assert_eq!(statement["justification"], "inline_mitigations_already_exist");
    let cdx = out("cyclonedx-vex");
    let entry = cdx["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "CVE-2020-8203")
        .unwrap();
    assert_eq!(entry["analysis"]["state"], "not_affected");
    assert_eq!(
        entry["analysis"]["justification"],
        "protected_by_mitigating_control"
    );
}

#[test]
fn a_file_of_another_kind_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.json");
    std::fs::write(&path, r#"{"notes": []}"#).unwrap();
    let output = vigil(&["assess", "examples/shop", "--ingest", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("notes.json: not SARIF 2.1.0"), "{text}");
    let broken = dir.path().join("broken.sarif");
    std::fs::write(&broken, "{\"version\": \"2.1.0\", \"runs\": [").unwrap();
    let output = vigil(&["assess", "examples/shop", "--ingest", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("broken.sarif: not JSON"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn cyclonedx_vex_analyses_round_trip() {
    // vigil's own CycloneDX VEX, with one analysis changed by a reviewer, read back as decisions.
    let output = vigil(&[
        "assess",
        "examples/shop",
        "--advisories",
        "examples/shop-advisories",
        "--format",
        "cyclonedx-vex",
    ]);
    let mut vex: Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = vex["vulnerabilities"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["id"] == "CVE-2021-23337")
        .unwrap();
    entry["analysis"] = serde_json::json!({
        "state": "not_affected",
        "justification": "protected_by_mitigating_control",
        "detail": "template() only ever receives constant strings"
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviewed.cdx.json");
    std::fs::write(&path, serde_json::to_vec(&vex).unwrap()).unwrap();
    let document = assess(&[path.to_str().unwrap()]);
    let finding = findings(&document)
        .iter()
        .find(|f| {
            f["advisory_ids"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|a| a == "CVE-2021-23337"))
        })
        .unwrap();
    assert_eq!(finding["status"], "not_affected");
    assert_eq!(
        finding["decision"]["justification"],
        "inline_mitigations_already_exist"
    );
    assert_eq!(finding["decision"]["vex_status"], "not_affected");
    // The other analyses (exploitable, in_triage) keep their findings open.
    let open = findings(&document)
        .iter()
        .filter(|f| f["kind"] == "vulnerability" && f["status"] == "open")
        .count();
    assert!(open > 0);
}

//! The machine-readable reports against their official JSON schemas: SARIF 2.1.0 (OASIS), OpenVEX 0.2.0
//! and CycloneDX 1.6. Each schema is read from a local copy (fixtures/schemas, see its README) and
//! validated offline, formats included; a deliberately broken copy of each report must fail, so a pass
//! means the validator really checked. Beyond the schemas, the links a schema cannot see: rule indexes,
//! fingerprints and counts against the Assessment JSON, and byte-identical reruns.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{SHOP, stderr, stdout, vigil, workspace};
use serde_json::{Value, json};

fn schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas")
}

fn read_json(path: PathBuf) -> Value {
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// SARIF 2.1.0 and OpenVEX 0.2.0 only refer inside themselves, so no resource needs registering.
fn validator(schema_file: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&read_json(schemas().join(schema_file)))
        .unwrap()
}

fn sarif_validator() -> jsonschema::Validator {
    validator("sarif-schema-2.1.0.json")
}

fn openvex_validator() -> jsonschema::Validator {
    validator("openvex_json_schema.json")
}

/// Every violation with where it is, so a failure says what to fix.
fn violations(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let violations = violations(validator, document);
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

fn assert_invalid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    assert!(
        !violations(validator, document).is_empty(),
        "{what} passed validation although it was broken on purpose"
    );
}

/// The text `vigil` writes for the example shop in `format`.
fn shop_text(format: &str) -> String {
    let mut args = SHOP.to_vec();
    args.extend(["--format", format]);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn shop(format: &str) -> Value {
    serde_json::from_str(&shop_text(format)).unwrap()
}

fn findings(assessment: &Value) -> &Vec<Value> {
    assessment["findings"].as_array().unwrap()
}

fn vulnerability_findings(assessment: &Value) -> Vec<&Value> {
    findings(assessment)
        .iter()
        .filter(|f| f["kind"] == "vulnerability")
        .collect()
}

/// A copy without the fields derived from the generation time, which is the only thing allowed to differ
/// between two runs.
fn without_generation_time(mut document: Value, fields: &[&str]) -> Value {
    for pointer in fields {
        if let Some(value) = document.pointer_mut(pointer) {
            *value = Value::Null;
        }
    }
    document
}

// ---- SARIF ----

#[test]
fn shop_sarif_validates_against_sarif_2_1_0() {
    let sarif = shop("sarif");
    assert_valid(&sarif_validator(), &sarif, "SARIF of the example shop");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    // The example is assessed by a relative path: nothing machine-specific is written.
    assert!(sarif["runs"][0].get("originalUriBaseIds").is_none());
}

#[test]
fn shop_sarif_links_rules_results_and_findings() {
    let sarif = shop("sarif");
    let assessment = shop("json");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        findings(&assessment).len(),
        "one result per finding"
    );

    let fingerprints: BTreeSet<&str> = findings(&assessment)
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    let mut seen = BTreeSet::new();
    let mut used_rules = BTreeSet::new();
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        let rule = &rules[index];
        assert_eq!(rule["id"], result["ruleId"], "ruleIndex {index} of {result}");
        used_rules.insert(index);
        let fingerprint = result["partialFingerprints"]["vigil/v1"].as_str().unwrap();
        assert!(
            fingerprints.contains(fingerprint),
            "{fingerprint} is no finding's"
        );
        assert!(seen.insert(fingerprint), "{fingerprint} reported twice");
        let expected = match result["properties"]["band"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(result["level"], expected, "{result}");
        assert!(
            result["locations"].as_array().is_some_and(|l| !l.is_empty()),
            "{result}"
        );
    }
    assert_eq!(used_rules.len(), rules.len(), "every rule is used by a result");

    // The GitHub properties: a severity score for every rule, CWE tags in GitHub's form.
    for rule in rules {
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity), "{rule}");
    }
    let lodash = rules.iter().find(|r| r["id"] == "GHSA-p6mc-m468-83gw").unwrap();
    assert_eq!(
        lodash["properties"]["security-severity"], "7.4",
        "its CVSS base score"
    );
    assert!(
        lodash["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("external/cwe/cwe-1321"))
    );

    // lodash is imported by the API: the flow goes from the import to the lockfile.
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "GHSA-p6mc-m468-83gw")
        .unwrap();
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    let uri = |step: &Value| step["location"]["physicalLocation"]["artifactLocation"]["uri"].clone();
    assert_eq!(uri(&steps[0]), "services/api/src/server.js");
    assert_eq!(uri(steps.last().unwrap()), "services/api/package-lock.json");
    assert!(result["properties"]["actionId"].is_string(), "{result}");

    // What is not open is still reported, suppressed with its reason.
    for (result, finding) in results.iter().zip(findings(&assessment)) {
        assert_eq!(
            result["partialFingerprints"]["vigil/v1"], finding["fingerprint"],
            "results keep the findings' order"
        );
        let suppressed = result.get("suppressions").is_some();
        assert_eq!(suppressed, finding["status"] != "open", "{result}");
    }
    assert!(results.iter().any(|r| r.get("suppressions").is_some()));
}

#[test]
fn shop_sarif_is_byte_identical_across_runs() {
    assert_eq!(shop_text("sarif"), shop_text("sarif"));
}

#[test]
fn an_absolute_target_binds_srcroot_and_still_validates() {
    let target = workspace().join("examples/shop");
    let advisories = workspace().join("examples/shop-advisories");
    let output = vigil(&[
        "assess",
        target.to_str().unwrap(),
        "--advisories",
        advisories.to_str().unwrap(),
        "--as-of",
        "2026-11-27",
        "--format",
        "sarif",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sarif: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_valid(&sarif_validator(), &sarif, "SARIF of an absolute target");
    let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with("/examples/shop/"),
        "{base}"
    );
}

#[test]
fn broken_sarif_fails_validation() {
    let validator = sarif_validator();
    let sarif = shop("sarif");
    let mut wrong_version = sarif.clone();
    wrong_version["version"] = json!("2.0.0");
    assert_invalid(&validator, &wrong_version, "SARIF with version 2.0.0");
    let mut no_message = sarif.clone();
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert_invalid(&validator, &no_message, "a SARIF result without a message");
    let mut bad_level = sarif.clone();
    bad_level["runs"][0]["results"][0]["level"] = json!("critical");
    assert_invalid(&validator, &bad_level, "a SARIF result with level `critical`");
    let mut line_zero = sarif.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = json!(0);
    assert_invalid(&validator, &line_zero, "a SARIF region starting at line 0");
    // Formats are checked too: a help URI must be an absolute URI.
    let mut relative_help = sarif;
    relative_help["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = json!("advisories/GHSA");
    assert_invalid(&validator, &relative_help, "a rule whose helpUri is not absolute");
}

#[test]
fn shop_sarif_snapshot() {
    insta::assert_snapshot!("shop_sarif", shop_text("sarif"));
}

// ---- OpenVEX ----

#[test]
fn shop_openvex_validates_against_openvex_0_2_0() {
    let vex = shop("openvex");
    assert_valid(&openvex_validator(), &vex, "OpenVEX of the example shop");
    let assessment = shop("json");
    let statements = vex["statements"].as_array().unwrap();
    let vulnerabilities = vulnerability_findings(&assessment);
    assert_eq!(
        statements.len(),
        vulnerabilities.len(),
        "one statement per vulnerability"
    );
    let advisories: BTreeSet<&str> = vulnerabilities
        .iter()
        .flat_map(|f| f["advisory_ids"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    for statement in statements {
        let name = statement["vulnerability"]["name"].as_str().unwrap();
        assert!(advisories.contains(name), "{name} is no finding's advisory");
    }
    let again = shop("openvex");
    let generated = ["/timestamp", "/@id"];
    assert_eq!(
        without_generation_time(vex, &generated),
        without_generation_time(again, &generated),
        "two runs differ beyond the generation time"
    );
}

#[test]
fn broken_openvex_fails_validation() {
    let validator = openvex_validator();
    let vex = shop("openvex");
    let affected = vex["statements"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s["status"] == "affected")
        .unwrap();
    let mut no_action = vex.clone();
    no_action["statements"][affected]
        .as_object_mut()
        .unwrap()
        .remove("action_statement");
    assert_invalid(
        &validator,
        &no_action,
        "an affected statement without an action statement",
    );
    let mut bad_status = vex;
    bad_status["statements"][0]["status"] = json!("exploitable");
    assert_invalid(&validator, &bad_status, "an OpenVEX status `exploitable`");
}

// ---- CycloneDX VEX ----

#[test]
fn shop_cyclonedx_vex_validates_against_cyclonedx_1_6() {
    let cdx = shop("cyclonedx-vex");
    assert_eq!(cdx["specVersion"], "1.6");
    assert_valid(
        &common::cyclonedx_validator(),
        &cdx,
        "CycloneDX VEX of the example shop",
    );
    let assessment = shop("json");
    let entries = cdx["vulnerabilities"].as_array().unwrap();
    assert_eq!(entries.len(), vulnerability_findings(&assessment).len());
    let components: BTreeSet<&str> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["bom-ref"].as_str())
        .collect();
    for entry in entries {
        for affected in entry["affects"].as_array().unwrap() {
            let reference = affected["ref"].as_str().unwrap();
            assert!(components.contains(reference), "{reference} names no component");
        }
    }
    let again = shop("cyclonedx-vex");
    let generated = ["/serialNumber", "/metadata/timestamp"];
    assert_eq!(
        without_generation_time(cdx, &generated),
        without_generation_time(again, &generated),
        "two runs differ beyond the generation time"
    );
}

#[test]
fn broken_cyclonedx_vex_fails_validation() {
    let validator = common::cyclonedx_validator();
    let cdx = shop("cyclonedx-vex");
    let mut bad_state = cdx.clone();
    bad_state["vulnerabilities"][0]["analysis"]["state"] = json!("affected");
    assert_invalid(&validator, &bad_state, "a CycloneDX analysis state `affected`");
    let mut bad_spec = cdx;
    bad_spec["specVersion"] = json!(1.6);
    assert_invalid(&validator, &bad_spec, "a numeric CycloneDX specVersion");
}

// ---- not affected ----

/// The example has no `not_affected` statement; a development-only dependency makes one, with both a
/// justification label and an impact statement, which both schemas must accept.
#[test]
fn not_affected_statements_validate_too() {
    let dir = tempfile::tempdir().unwrap();
    let lock = r#"{"name": "tool", "lockfileVersion": 3, "packages": {"": {"name": "tool"}, "node_modules/lodash": {"version": "4.17.15", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "dev": true}}}"#;
    std::fs::write(dir.path().join("package-lock.json"), lock).unwrap();
    let advisories = workspace().join("examples/shop-advisories");
    let run = |format: &str| -> Value {
        let output = vigil(&[
            "assess",
            dir.path().to_str().unwrap(),
            "--advisories",
            advisories.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let vex = run("openvex");
    let statements = vex["statements"].as_array().unwrap();
    assert!(!statements.is_empty());
    assert!(statements.iter().all(|s| s["status"] == "not_affected"));
    assert_valid(&openvex_validator(), &vex, "OpenVEX with not_affected statements");
    let cdx = run("cyclonedx-vex");
    assert_valid(
        &common::cyclonedx_validator(),
        &cdx,
        "CycloneDX VEX with not_affected analyses",
    );
    let sarif = run("sarif");
    assert_valid(&sarif_validator(), &sarif, "SARIF of a temporary directory");
    assert!(sarif["runs"][0].get("originalUriBaseIds").is_some());
}

/// Triage decisions reach the VEX documents: a false positive is `not_affected` (OpenVEX) and
/// `false_positive` (CycloneDX), accepted risk `affected` with who accepted it until when; both still
/// validate, and SARIF keeps them as suppressed results.
#[test]
fn triaged_findings_validate_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let lock = r#"{"name": "tool", "lockfileVersion": 3, "packages": {"": {"name": "tool"}, "node_modules/lodash": {"version": "4.17.15", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz"}}}"#;
    std::fs::write(dir.path().join("package-lock.json"), lock).unwrap();
    let config = r#"
[[triage]]
status = "false-positive"
advisory = "GHSA-p6mc-m468-83gw"
reason = "lodash is vendored as a stub; the real package is not installed"
owner = "@acme/web"

[[triage]]
status = "accepted"
advisory = "GHSA-35jh-r3h4-6jhm"
reason = "templates are ours only"
owner = "@acme/web"
expires = 2099-01-31
"#;
    std::fs::write(dir.path().join("vigil.toml"), config).unwrap();
    let advisories = workspace().join("examples/shop-advisories");
    let run = |format: &str| -> Value {
        let output = vigil(&[
            "assess",
            dir.path().to_str().unwrap(),
            "--advisories",
            advisories.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_str(&stdout(&output)).unwrap()
    };
    let statement = |vex: &Value, id: &str| -> Value {
        vex["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["vulnerability"]["name"] == id
                    || s["vulnerability"]["aliases"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| a == id)
            })
            .cloned()
            .unwrap_or_else(|| panic!("no statement for {id}"))
    };
    let vex = run("openvex");
    assert_valid(&openvex_validator(), &vex, "OpenVEX with triage decisions");
    let false_positive = statement(&vex, "GHSA-p6mc-m468-83gw");
    assert_eq!(false_positive["status"], "not_affected");
    assert_eq!(false_positive["justification"], "vulnerable_code_not_present");
    let accepted = statement(&vex, "GHSA-35jh-r3h4-6jhm");
    assert_eq!(accepted["status"], "affected");
    let action = accepted["action_statement"].as_str().unwrap();
    assert!(
        action.contains("@acme/web") && action.contains("until 2099-01-31"),
        "{action}"
    );

    let cdx = run("cyclonedx-vex");
    assert_valid(
        &common::cyclonedx_validator(),
        &cdx,
        "CycloneDX VEX with triage decisions",
    );
    let states: BTreeSet<&str> = cdx["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["analysis"]["state"].as_str().unwrap())
        .collect();
    assert!(
        states.contains("false_positive") && states.contains("exploitable"),
        "{states:?}"
    );

    let sarif = run("sarif");
    assert_valid(&sarif_validator(), &sarif, "SARIF with triage decisions");
    let suppressed = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count();
    assert_eq!(suppressed, 2);
}

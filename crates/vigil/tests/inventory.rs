//! `vigil inventory` on two realistic applications written for these tests (fixtures/apps): the exact
//! endpoints, data models and their classes, datastores, integrations, AI usage and secrets (redacted), and
//! the CycloneDX 1.6 output validated against the official schema.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::collections::BTreeSet;

use common::{stderr, vigil, workspace};
use serde_json::Value;

fn inventory(app: &str) -> Value {
    let path = format!("fixtures/apps/{app}");
    let output = vigil(&["inventory", &path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn assets<'a>(document: &'a Value, kind: &str) -> Vec<&'a Value> {
    document["inventory"]["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .collect()
}

fn names(document: &Value, kind: &str) -> BTreeSet<String> {
    assets(document, kind)
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn endpoints(document: &Value) -> Vec<String> {
    let mut list: Vec<String> = assets(document, "api-endpoint")
        .iter()
        .map(|e| {
            let auth = match &e["attributes"]["authenticated"] {
                Value::Bool(true) => "auth",
                Value::Bool(false) => "open",
                _ => "unknown",
            };
            format!(
                "{} {} {}",
                e["name"].as_str().unwrap(),
                auth,
                e["evidence"][0]["path"].as_str().unwrap()
            )
        })
        .collect();
    list.sort();
    list
}

fn data_model(document: &Value, name: &str) -> (Vec<String>, Vec<(String, Option<String>)>) {
    let model = assets(document, "data-model")
        .into_iter()
        .find(|m| m["name"] == name)
        .unwrap();
    let classes = model["data_classes"]
        .as_array()
        .map(|c| c.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let fields = model["attributes"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["data_class"].as_str().map(str::to_owned),
            )
        })
        .collect();
    (classes, fields)
}

#[test]
fn node_typescript_clinic() {
    let document = inventory("clinic-api");
    assert_eq!(
        endpoints(&document),
        vec![
            "DELETE /:id auth src/routes/patients.ts",
            "GET / auth src/routes/patients.ts",
            "GET /:id auth src/routes/patients.ts",
            "GET /health open src/server.ts",
            "POST /:id/invoices unknown src/routes/patients.ts",
            "POST /:id/notes/summary auth src/routes/patients.ts",
            "POST /api/login open src/server.ts",
        ]
    );
    let (classes, fields) = data_model(&document, "Patient");
    assert_eq!(classes, vec!["phi"], "identifiers held with health data are PHI");
    let classified: Vec<&str> = fields
        .iter()
        .filter(|(_, c)| c.is_some())
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        classified,
        vec![
            "firstName",
            "lastName",
            "email",
            "dateOfBirth",
            "diagnosis",
            "insuranceMemberId"
        ]
    );
    assert_eq!(data_model(&document, "Clinician").0, vec!["pii"]);
    assert!(data_model(&document, "Appointment").0.is_empty());

    assert_eq!(
        names(&document, "datastore"),
        set(&[
            "PostgreSQL",
            "Redis",
            "postgresql at db.clinic.internal",
            "redis at cache.clinic.internal"
        ])
    );
    assert_eq!(
        names(&document, "integration"),
        set(&["SendGrid", "Sentry", "Stripe"])
    );
    let ai: Vec<&Value> = assets(&document, "ai-usage");
    assert_eq!(ai.len(), 1);
    assert_eq!(ai[0]["attributes"]["sdk"], "openai");
    assert_eq!(ai[0]["evidence"][0]["path"], "src/services/summary.ts");
    assert_eq!(assets(&document, "identity").len(), 1, "jsonwebtoken");
    let service = &assets(&document, "service")[0];
    assert_eq!(
        service["criticality"], "critical",
        "it takes payments through Stripe"
    );

    let secrets: Vec<(String, String)> = assets(&document, "secret")
        .iter()
        .map(|s| {
            (
                s["attributes"]["detector"].as_str().unwrap().to_owned(),
                s["evidence"][0]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        secrets,
        vec![
            ("generic-secret-assignment".to_owned(), "src/auth.ts".to_owned()),
            (
                "connection-string-password".to_owned(),
                "src/services/billing.ts".to_owned()
            ),
        ]
    );
    let text = document.to_string();
    assert!(
        !text.contains("hK3v9QzT7pL2mX8wR4nB6yJ1cF5dG0sA") && !text.contains("Wq8zR2tLp9Xv"),
        "secret values leaked"
    );
}

#[test]
fn python_payouts_service() {
    let document = inventory("payouts-service");
    assert_eq!(
        endpoints(&document),
        vec![
            "GET /healthz open app/main.py",
            "GET /sellers/{seller_id} auth app/main.py",
            "POST /payouts/{payout_id}/review auth app/main.py",
            "POST /webhooks/bank open app/main.py",
            "PUT /sellers/{seller_id}/bank-account auth app/main.py",
        ],
        "the test double in tests/ is not an endpoint of the system"
    );
    let (classes, fields) = data_model(&document, "Seller");
    assert_eq!(classes, vec!["pii"]);
    let classified: Vec<&str> = fields
        .iter()
        .filter(|(_, c)| c.is_some())
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        classified,
        vec!["legal_name", "email", "phone_number", "tax_id", "iban"]
    );
    assert!(data_model(&document, "Payout").0.is_empty());

    assert_eq!(names(&document, "datastore"), set(&["PostgreSQL"]));
    let integrations: BTreeSet<String> = assets(&document, "integration")
        .iter()
        .map(|a| a["attributes"]["sdk"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(integrations, set(&["aws", "sentry", "twilio"]));
    let ai: Vec<&Value> = assets(&document, "ai-usage");
    assert_eq!(ai.len(), 1);
    assert_eq!(ai[0]["attributes"]["sdk"], "anthropic");

    let secrets: Vec<(String, bool, String)> = assets(&document, "secret")
        .iter()
        .map(|s| {
            (
                s["attributes"]["detector"].as_str().unwrap().to_owned(),
                s["attributes"]["in_test_path"].as_bool().unwrap(),
                s["attributes"]["redacted"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        secrets,
        vec![
            (
                "aws-access-key-id".to_owned(),
                false,
                "AKIA…(20 chars)".to_owned()
            ),
            (
                "aws-secret-access-key".to_owned(),
                false,
                "Zm9v…(40 chars)".to_owned()
            ),
            ("stripe-test-key".to_owned(), true, "sk_t…(43 chars)".to_owned()),
        ]
    );
    assert!(!document.to_string().contains("AKIAQ4RB7ZTN2KJDW5XM"));
}

#[test]
fn secrets_become_findings_unless_allowlisted() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&workspace().join("fixtures/apps/payouts-service"), dir.path());
    std::fs::write(
        dir.path().join("vigil.toml"),
        "[[secrets.allow]]\npath = \"tests/**\"\nreason = \"fake keys used by the unit tests\"\n",
    )
    .unwrap();
    let document = common::assessment(&["assess", dir.path().to_str().unwrap(), "--as-of", "2026-11-27"]);
    let secrets: Vec<String> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "secret-in-code")
        .map(|f| f["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        secrets.iter().collect::<BTreeSet<_>>(),
        [
            &"AWS access key id in app/security.py".to_owned(),
            &"AWS secret access key in app/security.py".to_owned()
        ]
        .into_iter()
        .collect()
    );
}

#[test]
fn cyclonedx_output_validates_against_the_1_6_schema() {
    let validator = common::cyclonedx_validator();
    for app in [
        "fixtures/apps/clinic-api",
        "fixtures/apps/payouts-service",
        "examples/shop",
    ] {
        let output = vigil(&["inventory", app, "--format", "cyclonedx"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let bom: Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&bom)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{app}: {errors:#?}");
        let types: BTreeSet<&str> = bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap())
            .collect();
        let expected: &[&str] = match app {
            "fixtures/apps/clinic-api" => &["data"],
            "fixtures/apps/payouts-service" => &["data", "library"],
            _ => &["library"],
        };
        assert_eq!(types, expected.iter().copied().collect(), "{app}");
        assert!(!bom["services"].as_array().unwrap().is_empty());
    }
}

#[test]
fn table_groups_by_kind() {
    let output = vigil(&["inventory", "fixtures/apps/clinic-api"]);
    let text = common::stdout(&output);
    for heading in [
        "SERVICE (1)",
        "API-ENDPOINT (7)",
        "DATA-MODEL (3)",
        "AI-USAGE (1)",
        "SECRET (2)",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
}

//! `vigil model`: the example's system model as Mermaid, Graphviz DOT and OTM (snapshots), and OTM's
//! internal references all resolving.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::collections::HashSet;

use common::{stderr, stdout, vigil};
use serde_json::Value;

fn model(format: &str) -> String {
    let output = vigil(&["model", "examples/shop", "--format", format]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn diagrams_of_the_example() {
    insta::assert_snapshot!("shop_model_mermaid", model("mermaid"));
    insta::assert_snapshot!("shop_model_dot", model("dot"));
}

#[test]
fn otm_references_resolve_and_threats_sit_on_components() {
    let otm: Value = serde_json::from_str(&model("otm")).unwrap();
    assert_eq!(otm["otmVersion"], "0.2.0");
    let ids = |key: &str| -> HashSet<String> {
        otm[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (zones, components, threats) = (ids("trustZones"), ids("components"), ids("threats"));
    for component in otm["components"].as_array().unwrap() {
        assert!(
            zones.contains(component["parent"]["trustZone"].as_str().unwrap()),
            "{component}"
        );
        for threat in component["threats"].as_array().unwrap() {
            assert!(threats.contains(threat["threat"].as_str().unwrap()));
        }
    }
    for flow in otm["dataflows"].as_array().unwrap() {
        assert!(components.contains(flow["source"].as_str().unwrap()), "{flow}");
        assert!(
            components.contains(flow["destination"].as_str().unwrap()),
            "{flow}"
        );
    }
    // The public customer-exports bucket carries its threats, with STRIDE categories and 0-100 ratings.
    let bucket = otm["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "aws_s3_bucket.customer_exports")
        .unwrap();
    assert!(!bucket["threats"].as_array().unwrap().is_empty());
    assert!(
        bucket["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "internet-facing")
    );
    let first = &otm["threats"][0];
    assert!(first["categories"].as_array().is_some_and(|c| !c.is_empty()));
    assert!(first["risk"]["likelihood"].as_u64().unwrap() <= 100);
    insta::assert_snapshot!("shop_model_otm", serde_json::to_string_pretty(&otm).unwrap());
}

#[test]
fn labels_from_the_repository_cannot_break_the_syntax() {
    // A component named with quotes, brackets and a newline: every output stays parseable line by line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_s3_bucket\" \"x\\\"]\" {\n  bucket = \"a\"\n}\n",
    )
    .unwrap();
    let output = vigil(&["model", dir.path().to_str().unwrap(), "--format", "mermaid"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for line in stdout(&output).lines().filter(|l| l.contains("aws_s3_bucket")) {
        assert_eq!(line.matches('"').count() % 2, 0, "{line}");
    }
}

#[test]
fn models_are_read_from_threagile_and_threat_dragon_files() {
    let output = vigil(&[
        "model",
        "--from",
        "fixtures/threat-models/threat-dragon-demo-v2-threat-model.json",
        "--format",
        "threagile",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("demo.yaml");
    std::fs::write(&yaml, stdout(&output)).unwrap();
    let output = vigil(&["model", "--from", yaml.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let model: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(model["components"].as_array().unwrap().len(), 8);
    assert_eq!(model["flows"].as_array().unwrap().len(), 10);

    // A model whose link points nowhere: a one-line error naming the element and the file.
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "threagile_version: 1.0.0\ntechnical_assets:\n  A:\n    id: a\n    communication_links:\n      Calls:\n        target: ghost\n",
    )
    .unwrap();
    let output = vigil(&["model", "--from", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("broken.yaml") && text.contains("`ghost`"), "{text}");
}

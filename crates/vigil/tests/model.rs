//! `vigil model`: the example's system model as Mermaid, Graphviz DOT and OTM (snapshots), OTM's
//! internal references all resolving, and the SVG drawing naming every component.

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
fn svg_of_the_example_names_every_component() {
    let svg = model("svg");
    assert!(svg.starts_with("<svg "), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.trim_end().ends_with("</svg>"));
    let json: Value = serde_json::from_str(&model("json")).unwrap();
    let components = json["components"].as_array().unwrap();
    assert!(!components.is_empty());
    for component in components {
        // Long names are shortened in their box; the whole name is in the tooltip.
        let name = component["name"].as_str().unwrap();
        assert!(svg.contains(&format!("<title>{name} (")), "{name} missing");
    }
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

#[test]
fn the_threat_model_file_is_merged_over_the_generated_model() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::workspace().join("examples/shop"), dir.path());
    std::fs::write(
        dir.path().join("vigil-model.yaml"),
        r#"components:
  - id: svc:services/api
    name: Storefront API
    controls: [waf, rate-limiting]
  - id: ext:card-processor
    name: Card processor
    kind: external-entity
    boundary: third-party
  - id: svc:services/ledger
    remove: true
  - id: ext:no-kind
flows:
  - {source: svc:services/api, target: ext:card-processor, label: charges cards, protocol: https, authenticated: true, data_classes: [pci]}
  - {source: svc:services/api, target: ext:ghost, label: nowhere}
  - {source: svc:services/worker, target: ext:card-processor, data_classes: [gold]}
out_of_scope:
  - {id: res:infra/aws_s3_bucket.product_images, reason: public catalogue images served by the CDN team}
"#,
    )
    .unwrap();
    let output = vigil(&["assess", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let model = &document["model"];
    let component = |id: &str| {
        model["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
    };
    let api = component("svc:services/api").unwrap();
    assert_eq!(api["name"], "Storefront API");
    let declared: Vec<(&str, &str)> = api["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["source"].as_str().unwrap()))
        .collect();
    assert_eq!(declared, [("waf", "declared"), ("rate-limiting", "declared")]);
    let processor = component("ext:card-processor").unwrap();
    assert_eq!(
        (processor["kind"].as_str(), processor["boundary"].as_str()),
        (Some("external-entity"), Some("third-party"))
    );
    assert_eq!(processor["evidence"][0]["path"], "vigil-model.yaml");
    assert!(component("svc:services/ledger").is_none());
    let flows = model["flows"].as_array().unwrap();
    let charges = flows.iter().find(|f| f["label"] == "charges cards").unwrap();
    assert_eq!(charges["data_classes"], serde_json::json!(["pci"]));
    assert!(
        flows
            .iter()
            .all(|f| f["source"] != "svc:services/ledger" && f["target"] != "svc:services/ledger")
    );
    // Each problem is a diagnostic naming the element; the rest of the file applied.
    let messages: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "vigil-model.yaml")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`ext:no-kind` needs a `kind`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`ext:ghost` does not exist")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("unknown data class `gold`")),
        "{messages:?}"
    );
    // The bucket put out of scope: its findings are accepted with the reason, and leave the roadmap.
    let bucket: Vec<&Value> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["components"]
                .as_array()
                .is_some_and(|c| c.len() == 1 && c[0] == "res:infra/aws_s3_bucket.product_images")
        })
        .collect();
    assert!(!bucket.is_empty());
    for finding in bucket {
        assert_eq!(finding["status"], "accepted");
        assert_eq!(
            finding["decision"]["statement"],
            "public catalogue images served by the CDN team"
        );
    }
}

/// pytm's sample gives every data flow the same seven threats; a rule that fires on every element says
/// nothing about any of them. On the example, no rule may fire on all components of the kind it looks at,
/// and the findings per component are pinned in a snapshot.
#[test]
fn no_rule_fires_on_every_element() {
    let output = vigil(&[
        "assess",
        "examples/shop",
        "--advisories",
        "examples/shop-advisories",
        "--as-of",
        "2026-11-27",
        "--format",
        "json",
    ]);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let components = document["model"]["components"].as_array().unwrap();
    let kind_of = |id: &str| {
        components
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["kind"].as_str().unwrap().to_owned())
    };
    let mut per_rule: std::collections::BTreeMap<String, HashSet<String>> = Default::default();
    let mut per_component: std::collections::BTreeMap<String, usize> = Default::default();
    for finding in document["findings"].as_array().unwrap() {
        for component in finding["components"].as_array().into_iter().flatten() {
            let component = component.as_str().unwrap().to_owned();
            *per_component.entry(component.clone()).or_default() += 1;
            if let Some(rule) = finding["rule_id"].as_str() {
                per_rule.entry(rule.to_owned()).or_default().insert(component);
            }
        }
    }
    for (rule, hit) in &per_rule {
        let kinds: HashSet<String> = hit.iter().filter_map(|c| kind_of(c)).collect();
        let same_kind = components
            .iter()
            .filter(|c| kinds.contains(c["kind"].as_str().unwrap()))
            .count();
        assert!(
            hit.len() < same_kind || same_kind == 1,
            "{rule} fires on every {kinds:?} component"
        );
    }
    let table: String = per_component
        .iter()
        .map(|(component, count)| format!("{count:>3}  {component}\n"))
        .collect();
    insta::assert_snapshot!("shop_findings_per_component", table);
}

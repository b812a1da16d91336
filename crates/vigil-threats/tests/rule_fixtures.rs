//! Every rule against its own fixtures: `tests/fixtures/rules/<rule-id>/fires/` is a small repository the
//! rule must report (its findings are a snapshot: title, location, status), `passes/` the fixed version,
//! where the rule must report nothing open (a mitigated finding is allowed and snapshotted: it stays in the
//! output with the control that mitigates it).
//!
//! `VIGIL_RULES=prefix cargo test -p vigil-threats --test rule_fixtures` runs only the rules whose id starts
//! with the prefix.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};

use vigil_core::{Finding, Scope, Status};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// The findings of every rule on the repository at `root`, as `vigil assess` sees it: vigil.toml for the
/// scope, discovery, the model and the repository's vigil-model.yaml over it.
fn assess(root: &Path) -> Vec<Finding> {
    let scope = match std::fs::read_to_string(root.join("vigil.toml")) {
        Ok(text) => vigil_core::config::parse("vigil.toml", &text).unwrap(),
        Err(_) => Scope::default(),
    };
    let mut inventory = vigil_discover::run(root, &scope).unwrap().inventory;
    let mut model = vigil_model::run(&mut inventory, &scope);
    if let Ok(text) = std::fs::read_to_string(root.join(vigil_model::overlay::FILE)) {
        vigil_model::overlay::apply(&mut model, &text, vigil_model::overlay::FILE).unwrap();
    }
    vigil_threats::run(&inventory, &model, &scope)
}

fn describe(findings: &[&Finding]) -> String {
    let mut lines: Vec<String> = findings
        .iter()
        .map(|f| {
            let location = f.evidence.first().map(|e| e.location()).unwrap_or_default();
            let mut line = format!("{} @ {location} [{:?}]", f.title, f.status);
            if let Some(statement) = f.decision.as_ref().and_then(|d| d.statement.as_deref()) {
                line.push_str(&format!(" ({statement})"));
            }
            line
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn every_rule_on_its_fixtures() {
    let only = std::env::var("VIGIL_RULES").unwrap_or_default();
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for rule in vigil_threats::registry::rules() {
        let id = rule.meta().id;
        let dir = fixtures().join(id);
        if !id.starts_with(&only) || !dir.is_dir() {
            continue;
        }
        let fires = assess(&dir.join("fires"));
        let fires: Vec<&Finding> = fires
            .iter()
            .filter(|f| f.rule_id.as_deref() == Some(id))
            .collect();
        if !fires.iter().any(|f| f.status == Status::Open) {
            failures.push(format!("{id}: no open finding on fires/"));
        }
        let passes = assess(&dir.join("passes"));
        let passes: Vec<&Finding> = passes
            .iter()
            .filter(|f| f.rule_id.as_deref() == Some(id))
            .collect();
        for finding in passes.iter().filter(|f| f.status == Status::Open) {
            failures.push(format!("{id}: open finding on passes/: {}", finding.title));
        }
        let mut text = format!("fires:\n{}", describe(&fires));
        if !passes.is_empty() {
            text.push_str(&format!("passes:\n{}", describe(&passes)));
        }
        snapshots.push((id, text));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (id, text) in snapshots {
        insta::assert_snapshot!(format!("rule__{id}"), text);
    }
}

/// No rule ships without its fixtures.
#[test]
fn every_rule_has_fixtures() {
    let missing: Vec<&str> = vigil_threats::registry::rules()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| {
            let dir = fixtures().join(id);
            !dir.join("fires").is_dir() || !dir.join("passes").is_dir()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without fires/ and passes/ fixtures: {missing:?}"
    );
}

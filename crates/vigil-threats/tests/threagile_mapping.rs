//! docs/threagile-mapping.md against the registry: every Threagile built-in risk category is listed once,
//! every rule id the page names exists, and a category without rules says why. A renamed or removed rule,
//! or a category dropped from the table, fails here instead of leaving the page wrong.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::collections::BTreeSet;
use std::path::Path;

/// Threagile's built-in risk categories (its `pkg/security/risks/builtin` rules).
const CATEGORIES: [&str; 42] = [
    "accidental-secret-leak",
    "code-backdooring",
    "container-baseimage-backdooring",
    "container-platform-escape",
    "cross-site-request-forgery",
    "cross-site-scripting",
    "dos-risky-access-across-trust-boundary",
    "incomplete-model",
    "ldap-injection",
    "missing-authentication",
    "missing-authentication-second-factor",
    "missing-build-infrastructure",
    "missing-cloud-hardening",
    "missing-file-validation",
    "missing-hardening",
    "missing-identity-propagation",
    "missing-identity-provider-isolation",
    "missing-identity-store",
    "missing-network-segmentation",
    "missing-vault",
    "missing-vault-isolation",
    "missing-waf",
    "mixed-targets-on-shared-runtime",
    "path-traversal",
    "push-instead-of-pull-deployment",
    "search-query-injection",
    "server-side-request-forgery",
    "service-registry-poisoning",
    "sql-nosql-injection",
    "unchecked-deployment",
    "unencrypted-asset",
    "unencrypted-communication",
    "unguarded-access-from-internet",
    "unguarded-direct-datastore-access",
    "unnecessary-communication-link",
    "unnecessary-data-asset",
    "unnecessary-data-transfer",
    "unnecessary-technical-asset",
    "untrusted-deserialization",
    "wrong-communication-link-content",
    "wrong-trust-boundary-content",
    "xml-external-entity",
];

fn document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/threagile-mapping.md");
    std::fs::read_to_string(&path).unwrap()
}

/// The cells of the body rows of the table whose header starts with `header`.
fn table(text: &str, header: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(&format!("| {header} |")))
        .unwrap_or_else(|| panic!("no table with the header `{header}`"));
    lines[start + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}

/// The `backticked` words of a cell.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

fn registered() -> BTreeSet<&'static str> {
    vigil_threats::registry::rules()
        .iter()
        .map(|r| r.meta().id)
        .collect()
}

#[test]
fn every_threagile_category_is_mapped_once() {
    let rows = table(&document(), "Threagile risk category");
    let listed: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    let expected: Vec<&str> = CATEGORIES.to_vec();
    assert_eq!(listed, expected, "categories missing, duplicated or out of order");
    for row in &rows {
        assert_eq!(row.len(), 3, "{}: expected 3 cells", row[0]);
        let ids = quoted(&row[1]);
        if ids.is_empty() {
            assert_eq!(row[1], "none", "{}: no rule ids, so the cell says `none`", row[0]);
            assert!(
                row[2].len() > 40,
                "{}: a category without rules needs the reason",
                row[0]
            );
        }
    }
}

#[test]
fn every_rule_id_in_the_mapping_exists() {
    let text = document();
    let known = registered();
    let mut named: Vec<(String, String)> = Vec::new();
    for row in table(&text, "Threagile risk category") {
        named.extend(quoted(&row[1]).into_iter().map(|id| (row[0].clone(), id)));
    }
    for row in table(&text, "vigil rule") {
        let ids = quoted(&row[0]);
        assert_eq!(ids.len(), 1, "one rule id per row: {row:?}");
        named.extend(ids.into_iter().map(|id| ("vigil-only threats".to_owned(), id)));
    }
    assert!(
        named.len() > 42,
        "the mapping names too few rules: {}",
        named.len()
    );
    let unknown: Vec<String> = named
        .iter()
        .filter(|(_, id)| !known.contains(id.as_str()))
        .map(|(row, id)| format!("{row}: `{id}`"))
        .collect();
    assert!(unknown.is_empty(), "rule ids not in the registry: {unknown:?}");
}

//! SARIF 2.1.0 results as `imported` findings.
//!
//! The fingerprint is the tool, the rule and the result's own `partialFingerprints` (or `fingerprints`)
//! when it has them, else the file and the message: never the line, so a finding keeps its identity when
//! code moves. Severity comes from the rule's `security-severity` (CVSS-like 0–10, as GitHub code
//! scanning reads it) or the result `level`; CWE ids from the rule's tags or properties.

use std::path::Path;

use serde_json::Value;
use vigil_core::{Evidence, Finding, FindingKind, fingerprint};

use crate::IngestError;

pub fn is_sarif(document: &Value) -> bool {
    document.get("runs").is_some_and(Value::is_array)
        && (document.get("version").and_then(Value::as_str) == Some("2.1.0")
            || document
                .get("$schema")
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains("sarif")))
}

pub fn findings(path: &Path, document: &Value) -> Result<Vec<Finding>, IngestError> {
    let mut out = Vec::new();
    let runs = document
        .get("runs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for run in runs {
        let driver = run.pointer("/tool/driver").unwrap_or(&Value::Null);
        let tool = driver.get("name").and_then(Value::as_str).unwrap_or("sarif");
        let rules: Vec<&Value> = driver
            .get("rules")
            .and_then(Value::as_array)
            .map(|r| r.iter().collect())
            .unwrap_or_default();
        for result in run.get("results").and_then(Value::as_array).into_iter().flatten() {
            let rule_id = result
                .get("ruleId")
                .and_then(Value::as_str)
                .or_else(|| result.pointer("/rule/id").and_then(Value::as_str))
                .ok_or_else(|| IngestError::invalid(path, format!("a {tool} result has no ruleId")))?;
            let rule = result
                .get("ruleIndex")
                .and_then(Value::as_u64)
                .and_then(|i| rules.get(usize::try_from(i).ok()?).copied())
                .or_else(|| {
                    rules
                        .iter()
                        .copied()
                        .find(|r| r.get("id").and_then(Value::as_str) == Some(rule_id))
                })
                .unwrap_or(&Value::Null);
            out.push(finding(tool, rule_id, rule, result));
        }
    }
    Ok(out)
}

fn finding(tool: &str, rule_id: &str, rule: &Value, result: &Value) -> Finding {
    let message = result
        .pointer("/message/text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned();
    let location = result.pointer("/locations/0/physicalLocation");
    let uri = location
        .and_then(|l| l.pointer("/artifactLocation/uri"))
        .and_then(Value::as_str)
        .map(|u| {
            u.strip_prefix("file://")
                .unwrap_or(u)
                .trim_start_matches("./")
                .to_owned()
        });
    let line = location
        .and_then(|l| l.pointer("/region/startLine"))
        .and_then(Value::as_u64)
        .and_then(|l| u32::try_from(l).ok());
    let stable = result
        .get("partialFingerprints")
        .or_else(|| result.get("fingerprints"))
        .and_then(Value::as_object)
        .and_then(|m| m.values().filter_map(Value::as_str).next().map(str::to_owned));
    let identity = stable.unwrap_or_else(|| format!("{}|{message}", uri.as_deref().unwrap_or("")));
    let print = fingerprint(&["sarif", tool, rule_id, &identity]);
    let title = rule
        .pointer("/shortDescription/text")
        .and_then(Value::as_str)
        .map_or_else(|| first_sentence(&message), str::to_owned);
    let mut finding = Finding::new(FindingKind::Imported, print, format!("{tool}: {title}"));
    finding.rule_id = Some(format!("{tool}/{rule_id}"));
    finding.description = message;
    finding.cwe = cwes(rule);
    if rule_id.starts_with("CVE-") || rule_id.starts_with("GHSA-") {
        finding.advisory_ids = vec![rule_id.to_owned()];
    }
    if let Some(uri) = uri {
        finding.evidence = vec![Evidence::at(uri, line)];
    }
    finding.remediation = rule
        .pointer("/help/text")
        .and_then(Value::as_str)
        .map_or_else(|| format!("See {tool} rule {rule_id}."), first_sentence);
    let (likelihood, impact, why) = severity(rule, result);
    finding.hints.likelihood = Some((likelihood, format!("{tool} rates it {why}")));
    finding.hints.impact = Some((impact, format!("{tool} rates it {why}")));
    finding
}

/// (likelihood, impact, how the tool rated it).
fn severity(rule: &Value, result: &Value) -> (u8, u8, String) {
    let security = rule.pointer("/properties/security-severity").and_then(|v| {
        v.as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .or_else(|| v.as_f64())
    });
    if let Some(score) = security {
        let (l, i) = match score {
            s if s >= 9.0 => (7, 8),
            s if s >= 7.0 => (6, 7),
            s if s >= 4.0 => (5, 5),
            _ => (3, 3),
        };
        return (l, i, format!("security-severity {score:.1}"));
    }
    let level = result
        .get("level")
        .and_then(Value::as_str)
        .or_else(|| {
            rule.pointer("/defaultConfiguration/level")
                .and_then(Value::as_str)
        })
        .unwrap_or("warning");
    let (l, i) = match level {
        "error" => (6, 6),
        "warning" => (4, 4),
        _ => (2, 2),
    };
    (l, i, format!("level {level}"))
}

/// `CWE-79` from tags such as `external/cwe/cwe-79` (CodeQL) or `CWE-79: ...` (Semgrep's metadata).
fn cwes(rule: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let tags = rule
        .pointer("/properties/tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let semgrep = rule.pointer("/properties/cwe").into_iter().flat_map(|v| match v {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        other => vec![other],
    });
    for text in tags.chain(semgrep).filter_map(Value::as_str) {
        let lower = text.to_ascii_lowercase();
        let Some(at) = lower.find("cwe-") else {
            continue;
        };
        let digits: String = lower[at + 4..].chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let id = format!("CWE-{}", digits.trim_start_matches('0'));
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(end) => line[..=end].to_owned(),
        None => line.to_owned(),
    }
}

//! VEX statements in (OpenVEX, CycloneDX VEX), applied to vulnerability findings as decisions.
//!
//! A statement applies to a finding when one of its vulnerability names is among the finding's advisory
//! ids and, if it names components (OpenVEX products and subcomponents, CycloneDX `affects`), one of them
//! is the finding's package (by purl, qualifiers ignored). Statements apply in order, so a later one
//! overrides an earlier one. `not_affected`, `fixed`, and CycloneDX `false_positive` and `resolved` close
//! the finding with the source and justification; `affected`, `under_investigation`, `exploitable` and
//! `in_triage` keep it open with the statement recorded.

use std::path::Path;

use serde_json::Value;
use vigil_core::{Decision, Finding, Inventory, Status};

use crate::{IngestError, purl};

/// One VEX statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `openvex:<file>` or `cyclonedx-vex:<file>`.
    pub source: String,
    /// The vulnerability's name and aliases.
    pub names: Vec<String>,
    /// The components it is about, as purls; empty: every component.
    pub purls: Vec<String>,
    pub status: String,
    /// OpenVEX justification label.
    pub justification: Option<String>,
    pub statement: Option<String>,
}

pub fn is_openvex(document: &Value) -> bool {
    document
        .get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
}

/// The statements of an OpenVEX document.
pub fn openvex(path: &Path, document: &Value) -> Result<Vec<Statement>, IngestError> {
    let source = format!("openvex:{}", path.display());
    let statements = document
        .get("statements")
        .and_then(Value::as_array)
        .ok_or_else(|| IngestError::invalid(path, "an OpenVEX document without `statements`"))?;
    statements
        .iter()
        .map(|s| {
            let status = s
                .get("status")
                .and_then(Value::as_str)
                .ok_or_else(|| IngestError::invalid(path, "an OpenVEX statement without `status`"))?;
            // 0.2.0 writes `vulnerability: {name, aliases}`; 0.0.x wrote `vulnerability: "CVE-..."`.
            let vulnerability = s.get("vulnerability").unwrap_or(&Value::Null);
            let mut names: Vec<String> = match vulnerability {
                Value::String(name) => vec![name.clone()],
                other => other
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .into_iter()
                    .collect(),
            };
            names.extend(strings(vulnerability.get("aliases")));
            if names.is_empty() {
                return Err(IngestError::invalid(
                    path,
                    "an OpenVEX statement without a vulnerability name",
                ));
            }
            let mut purls = Vec::new();
            for product in s.get("products").and_then(Value::as_array).into_iter().flatten() {
                let subcomponents: Vec<String> = product
                    .get("subcomponents")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(component_purl)
                    .collect();
                // With subcomponents the product is the application and the subcomponents are the packages.
                if subcomponents.is_empty() {
                    purls.extend(component_purl(product));
                } else {
                    purls.extend(subcomponents);
                }
            }
            Ok(Statement {
                source: source.clone(),
                names,
                purls,
                status: status.to_owned(),
                justification: s.get("justification").and_then(Value::as_str).map(str::to_owned),
                statement: s
                    .get("impact_statement")
                    .or_else(|| s.get("action_statement"))
                    .or_else(|| s.get("status_notes"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// The VEX statements of a CycloneDX BOM: vulnerabilities with an `analysis`.
pub fn cyclonedx(label: &str, bom: &Value) -> Vec<Statement> {
    let refs: Vec<(String, String)> = bom
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let reference = c.get("bom-ref").and_then(Value::as_str)?;
            let purl = c.get("purl").and_then(Value::as_str)?;
            Some((reference.to_owned(), purl.to_owned()))
        })
        .collect();
    bom.get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let analysis = v.get("analysis")?;
            let state = analysis.get("state").and_then(Value::as_str)?;
            let mut names: Vec<String> = v
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .into_iter()
                .collect();
            names.extend(
                v.get("references")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned)),
            );
            let purls = v
                .get("affects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| a.get("ref").and_then(Value::as_str))
                .map(|r| {
                    refs.iter()
                        .find(|(reference, _)| reference == r)
                        .map_or_else(|| r.to_owned(), |(_, purl)| purl.clone())
                })
                .collect();
            let justification = analysis
                .get("justification")
                .and_then(Value::as_str)
                .map(openvex_label);
            Some(Statement {
                source: format!("cyclonedx-vex:{label}"),
                names,
                purls,
                status: state.to_owned(),
                justification,
                statement: analysis.get("detail").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect()
}

/// CycloneDX justifications in OpenVEX's vocabulary.
fn openvex_label(cyclonedx: &str) -> String {
    match cyclonedx {
        "code_not_present" => "vulnerable_code_not_present",
        "code_not_reachable" => "vulnerable_code_not_in_execute_path",
        "requires_configuration" | "requires_dependency" | "requires_environment" => {
            "vulnerable_code_cannot_be_controlled_by_adversary"
        }
        "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => "inline_mitigations_already_exist",
        other => other,
    }
    .to_owned()
}

fn component_purl(component: &Value) -> Option<String> {
    component
        .pointer("/identifiers/purl")
        .or_else(|| component.get("@id"))
        .and_then(Value::as_str)
        .filter(|id| id.starts_with("pkg:"))
        .map(str::to_owned)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Applies `statements` to the vulnerability findings; returns the statements that matched nothing (worth
/// a diagnostic: a typo, or a finding already gone).
pub fn apply<'s>(
    findings: &mut [Finding],
    inventory: &Inventory,
    statements: &'s [Statement],
) -> Vec<&'s Statement> {
    let mut unmatched = Vec::new();
    for statement in statements {
        let mut matched = false;
        for finding in findings.iter_mut().filter(|f| f.vulnerability.is_some()) {
            if !finding.advisory_ids.iter().any(|id| statement.names.contains(id)) {
                continue;
            }
            let package = finding
                .assets
                .first()
                .and_then(|id| inventory.assets.iter().find(|a| &a.id == id))
                .and_then(|a| a.attr_str("purl"));
            let applies = statement.purls.is_empty()
                || package.is_some_and(|p| statement.purls.iter().any(|s| purl::base(s) == purl::base(p)));
            if !applies {
                continue;
            }
            matched = true;
            finding.status = match statement.status.as_str() {
                "not_affected" | "fixed" | "false_positive" | "resolved" | "resolved_with_pedigree" => {
                    Status::NotAffected
                }
                _ => Status::Open,
            };
            finding.decision = Some(Decision {
                source: statement.source.clone(),
                vex_status: statement.status.clone(),
                justification: statement.justification.clone(),
                statement: statement.statement.clone(),
                ..Default::default()
            });
        }
        if !matched {
            unmatched.push(statement);
        }
    }
    unmatched
}

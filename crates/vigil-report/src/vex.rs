//! VEX out: OpenVEX 0.2.0 and CycloneDX 1.6 VEX, one statement per vulnerability finding, from the same
//! decision so the two always agree:
//! - `not_affected` only with evidence: a development-only dependency (its lockfile scope) is not in the
//!   production execute path (`vulnerable_code_not_in_execute_path` / `code_not_reachable`);
//! - `affected` when the package is imported or a vulnerable function is called, with the roadmap action
//!   (upgrade target, due date) as the action statement;
//! - `under_investigation` otherwise (present but not imported, unknown): a lexical miss is not evidence
//!   enough to tell a consumer to ignore a vulnerability;
//! - triage entries in vigil.toml: a false positive is `not_affected` (`vulnerable_code_not_present`) in
//!   OpenVEX and `false_positive` in CycloneDX; accepted risk is `affected` / `exploitable` with
//!   `will_not_fix`, naming who accepted it, why and until when.

use serde_json::{Value, json};
use vigil_core::{Action, Assessment, Asset, Finding, Reachability, VulnerabilityDetails, fingerprint};

/// The VEX view of one finding.
struct Decision<'a> {
    finding: &'a Finding,
    details: &'a VulnerabilityDetails,
    purl: String,
    status: Status,
    /// Why, in words, with the evidence.
    detail: String,
    action: Option<&'a Action>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    NotAffected,
    Affected,
    UnderInvestigation,
    /// A triage entry says the match is wrong.
    FalsePositive,
    /// A triage entry accepts the risk: affected, and knowingly not fixed until the entry expires.
    AcceptedRisk,
}

fn decisions(assessment: &Assessment) -> Vec<Decision<'_>> {
    assessment
        .findings
        .iter()
        .filter_map(|finding| {
            let details = finding.vulnerability.as_ref()?;
            let asset = finding
                .assets
                .first()
                .and_then(|id| assessment.inventory.assets.iter().find(|a| &a.id == id));
            let purl = asset.and_then(|a: &Asset| a.attr_str("purl")).map_or_else(
                || format!("pkg:generic/{}@{}", details.package, details.installed),
                str::to_owned,
            );
            let place = finding.evidence.first().map(|e| e.location()).unwrap_or_default();
            let action = assessment
                .roadmap
                .actions
                .iter()
                .find(|a| a.findings.contains(&finding.id));
            let decided = finding
                .decision
                .as_ref()
                .filter(|_| finding.status == vigil_core::Status::NotAffected);
            let triage = |d: &vigil_core::Decision| {
                format!(
                    "{} by {} ({}){}{}",
                    finding.status.as_str().replace('_', " "),
                    d.owner.as_deref().unwrap_or("the team"),
                    d.source,
                    d.expires
                        .map(|e| format!(" until {}", vigil_core::date::format(e)))
                        .unwrap_or_default(),
                    d.statement.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
                )
            };
            let (status, detail) = match details.reachability {
                _ if finding.status == vigil_core::Status::FalsePositive => (
                    Status::FalsePositive,
                    finding.decision.as_ref().map(triage).unwrap_or_default(),
                ),
                _ if finding.status == vigil_core::Status::Accepted => (
                    Status::AcceptedRisk,
                    finding.decision.as_ref().map(triage).unwrap_or_default(),
                ),
                // A decision brought in (an earlier VEX statement) stands, with its source.
                _ if decided.is_some() => (
                    Status::NotAffected,
                    decided.map_or_else(String::new, |d| {
                        format!(
                            "{} ({}){}",
                            d.vex_status,
                            d.source,
                            d.statement.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
                        )
                    }),
                ),
                Reachability::DevOnly => (
                    Status::NotAffected,
                    format!("development-only dependency ({place}): not part of the production artifact"),
                ),
                Reachability::FunctionCalled | Reachability::Imported => (
                    Status::Affected,
                    match details.reachability_evidence.first() {
                        Some(e) => format!(
                            "{} by production code ({})",
                            details.reachability.as_str(),
                            e.location()
                        ),
                        None => format!("{} by production code", details.reachability.as_str()),
                    },
                ),
                Reachability::Present | Reachability::Unknown => (
                    Status::UnderInvestigation,
                    format!(
                        "reachability {}: {}",
                        details.reachability.as_str(),
                        details
                            .reachability_note
                            .clone()
                            .unwrap_or_else(|| "no production import of the package was found".into())
                    ),
                ),
            };
            Some(Decision {
                finding,
                details,
                purl,
                status,
                detail,
                action,
            })
        })
        .collect()
}

/// OpenVEX's justification label: the one a brought-in decision gave, else the one vigil's evidence
/// supports (a development-only dependency is not in the execute path).
fn justification(decision: &Decision<'_>) -> String {
    decision
        .finding
        .decision
        .as_ref()
        .and_then(|d| d.justification.clone())
        .unwrap_or_else(|| "vulnerable_code_not_in_execute_path".to_owned())
}

fn cyclonedx_justification(openvex: &str) -> &'static str {
    match openvex {
        "component_not_present" | "vulnerable_code_not_present" => "code_not_present",
        "vulnerable_code_cannot_be_controlled_by_adversary" => "requires_environment",
        "inline_mitigations_already_exist" => "protected_by_mitigating_control",
        _ => "code_not_reachable",
    }
}

fn action_statement(decision: &Decision<'_>) -> String {
    let fix = match &decision.details.upgrade_to {
        Some(target) => format!("Upgrade {} to {target} or later.", decision.details.package),
        None => decision.finding.remediation.clone(),
    };
    match decision.action {
        Some(action) => format!(
            "{fix} Roadmap action {} ({}), due {}.",
            action.id,
            action.band.as_str(),
            action.due
        ),
        None => fix,
    }
}

/// The vulnerability's main name (a CVE when there is one) and its other ids.
fn names(finding: &Finding) -> (String, Vec<String>) {
    let main = finding
        .advisory_ids
        .iter()
        .find(|id| id.starts_with("CVE-"))
        .or(finding.advisory_ids.first())
        .cloned()
        .unwrap_or_default();
    let aliases = finding
        .advisory_ids
        .iter()
        .filter(|id| **id != main)
        .cloned()
        .collect();
    (main, aliases)
}

fn product_id(assessment: &Assessment) -> String {
    let name = assessment.scope.name.as_deref().unwrap_or("repository");
    format!("pkg:generic/{}", name.replace(' ', "%20"))
}

/// OpenVEX 0.2.0.
pub fn openvex(assessment: &Assessment) -> String {
    let product = product_id(assessment);
    let statements: Vec<Value> = decisions(assessment)
        .iter()
        .map(|d| {
            let (name, aliases) = names(d.finding);
            let mut fields = serde_json::Map::new();
            fields.insert(
                "vulnerability".into(),
                json!({"name": name, "aliases": aliases, "description": d.finding.description}),
            );
            fields.insert(
                "products".into(),
                json!([{"@id": product, "subcomponents": [{"@id": d.purl}]}]),
            );
            match d.status {
                Status::NotAffected => {
                    fields.insert("status".into(), json!("not_affected"));
                    fields.insert("justification".into(), json!(justification(d)));
                    fields.insert("impact_statement".into(), json!(d.detail));
                }
                Status::Affected => {
                    fields.insert("status".into(), json!("affected"));
                    fields.insert("action_statement".into(), json!(action_statement(d)));
                    fields.insert("status_notes".into(), json!(d.detail));
                }
                Status::UnderInvestigation => {
                    fields.insert("status".into(), json!("under_investigation"));
                    fields.insert("status_notes".into(), json!(d.detail));
                }
                // OpenVEX has no false-positive status: the vulnerable code is not there.
                Status::FalsePositive => {
                    fields.insert("status".into(), json!("not_affected"));
                    fields.insert("justification".into(), json!("vulnerable_code_not_present"));
                    fields.insert("impact_statement".into(), json!(d.detail));
                }
                Status::AcceptedRisk => {
                    fields.insert("status".into(), json!("affected"));
                    fields.insert("action_statement".into(), json!(d.detail));
                }
            }
            Value::Object(fields)
        })
        .collect();
    let document = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("urn:vigil:vex:{}", &fingerprint(&[&product, &assessment.generated_at])[..32]),
        "author": "vigil",
        "role": "Document Creator",
        "timestamp": assessment.generated_at,
        "version": 1,
        "tooling": format!("vigil {}", assessment.tool.version),
        "statements": statements,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// CycloneDX 1.6 VEX: the affected components and one vulnerability entry each, with its analysis.
pub fn cyclonedx_vex(assessment: &Assessment) -> String {
    let decisions = decisions(assessment);
    let mut components: Vec<Value> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for d in &decisions {
        if !seen.contains(&d.purl.as_str()) {
            seen.push(&d.purl);
            components.push(json!({
                "type": "library",
                "bom-ref": d.purl,
                "name": d.details.package,
                "version": d.details.installed,
                "purl": d.purl,
            }));
        }
    }
    let vulnerabilities: Vec<Value> = decisions
        .iter()
        .map(|d| {
            let (name, aliases) = names(d.finding);
            let analysis = match d.status {
                Status::NotAffected => json!({
                    "state": "not_affected",
                    "justification": cyclonedx_justification(&justification(d)),
                    "detail": d.detail,
                }),
                Status::Affected => json!({
                    "state": "exploitable",
                    "response": [if d.details.upgrade_to.is_some() { "update" } else { "workaround_available" }],
                    "detail": format!("{} {}", d.detail, action_statement(d)),
                }),
                Status::UnderInvestigation => json!({"state": "in_triage", "detail": d.detail}),
                Status::FalsePositive => json!({"state": "false_positive", "detail": d.detail}),
                Status::AcceptedRisk => json!({
                    "state": "exploitable",
                    "response": ["will_not_fix"],
                    "detail": d.detail,
                }),
            };
            json!({
                "bom-ref": format!("{}:{}", name, d.purl),
                "id": name,
                "references": aliases.iter().map(|a| json!({"id": a, "source": {"name": source_of(a)}})).collect::<Vec<_>>(),
                "description": d.finding.description,
                "analysis": analysis,
                "affects": [{"ref": d.purl}],
            })
        })
        .collect();
    let document = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid_like(&fingerprint(&[&product_id(assessment), &assessment.generated_at, "cdx-vex"]))),
        "version": 1,
        "metadata": {
            "timestamp": assessment.generated_at,
            "tools": {"components": [{"type": "application", "name": "vigil", "version": assessment.tool.version}]},
            "component": {"type": "application", "bom-ref": product_id(assessment), "name": assessment.scope.name.as_deref().unwrap_or("repository")},
        },
        "components": components,
        "vulnerabilities": vulnerabilities,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn source_of(id: &str) -> &'static str {
    match id.split('-').next().unwrap_or("") {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "PYSEC" => "PyPA",
        "RUSTSEC" => "RustSec",
        "GO" => "Go",
        _ => "OSV",
    }
}

/// A fingerprint's first 32 hex digits in the 8-4-4-4-12 form CycloneDX's serial number pattern wants.
fn uuid_like(hex: &str) -> String {
    let h: String = hex.chars().chain(std::iter::repeat('0')).take(32).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

//! Advisories normalised per affected package: what the database stores and the matcher reads. One OSV
//! record that affects three packages becomes three `PackageAdvisory` values, each keyed by
//! (ecosystem, normalised package name).

use serde::{Deserialize, Serialize};
use vigil_core::{Ecosystem, SeverityVector};

use crate::osv::{OsvAffected, OsvRecord};

/// One event of an OSV range, serialised exactly as OSV writes it (`{"introduced": "1.0.0"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RangeKind {
    Semver,
    Ecosystem,
    Git,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageAdvisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub package: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityVector>,
    /// RustSec's `informational` kind (`unmaintained`, `unsound`, `notice`): not a vulnerability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informational: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Vulnerable functions or symbols when the advisory names them (for reachability).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// Splits a record into per-package advisories for the ecosystems vigil knows. Withdrawn records yield
/// nothing. Returns the ecosystem with each advisory.
pub fn normalize(record: &OsvRecord) -> Vec<(Ecosystem, PackageAdvisory)> {
    if record.withdrawn.is_some() {
        return Vec::new();
    }
    let summary = summary_of(record);
    let record_cwes = cwes(record.database_specific.as_ref());
    let mut out = Vec::new();
    for affected in &record.affected {
        let Some(package) = &affected.package else {
            continue;
        };
        let Some(ecosystem) = Ecosystem::from_osv(&package.ecosystem) else {
            continue;
        };
        let mut severity: Vec<SeverityVector> = record
            .severity
            .iter()
            .chain(&affected.severity)
            .map(|s| SeverityVector {
                kind: s.kind.clone(),
                score: s.score.clone(),
            })
            .collect();
        // GHSA carries a qualitative severity in database_specific; keep it for records without a vector.
        if let Some(level) = record
            .database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(serde_json::Value::as_str)
        {
            severity.push(SeverityVector {
                kind: "GHSA".into(),
                score: level.to_owned(),
            });
        }
        severity.sort();
        severity.dedup();
        out.push((
            ecosystem,
            PackageAdvisory {
                id: record.id.clone(),
                aliases: record.aliases.clone(),
                package: ecosystem.normalize_name(&package.name),
                summary: summary.clone(),
                severity,
                informational: informational(affected),
                ranges: ranges(affected),
                versions: affected.versions.clone(),
                functions: functions(affected),
                cwe: record_cwes.clone(),
                published: record.published.clone(),
                modified: record.modified.clone(),
                references: record
                    .references
                    .iter()
                    .filter(|r| matches!(r.kind.as_str(), "ADVISORY" | "WEB" | "REPORT" | "FIX"))
                    .take(5)
                    .map(|r| r.url.clone())
                    .collect(),
            },
        ));
    }
    out
}

fn summary_of(record: &OsvRecord) -> String {
    let text = record
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            record
                .details
                .as_deref()
                .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
        })
        .unwrap_or(&record.id);
    let text = text.trim();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(199).collect::<String>())
    } else {
        text.to_owned()
    }
}

fn ranges(affected: &OsvAffected) -> Vec<Range> {
    affected
        .ranges
        .iter()
        .filter_map(|range| {
            let kind = match range.kind.as_str() {
                "SEMVER" => RangeKind::Semver,
                "ECOSYSTEM" => RangeKind::Ecosystem,
                "GIT" => RangeKind::Git,
                _ => return None,
            };
            let events = range
                .events
                .iter()
                .filter_map(|event| {
                    let (key, value) = event.iter().next()?;
                    let value = value.as_str()?.to_owned();
                    Some(match key.as_str() {
                        "introduced" => Event::Introduced(value),
                        "fixed" => Event::Fixed(value),
                        "last_affected" => Event::LastAffected(value),
                        "limit" => Event::Limit(value),
                        _ => return None,
                    })
                })
                .collect();
            Some(Range { kind, events })
        })
        .collect()
}

fn informational(affected: &OsvAffected) -> Option<String> {
    affected
        .database_specific
        .as_ref()?
        .get("informational")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// RustSec: `ecosystem_specific.affects.functions`; Go: `ecosystem_specific.imports[].symbols`.
fn functions(affected: &OsvAffected) -> Vec<String> {
    let Some(specific) = affected.ecosystem_specific.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    if let Some(list) = specific
        .pointer("/affects/functions")
        .and_then(serde_json::Value::as_array)
    {
        out.extend(list.iter().filter_map(|f| f.as_str().map(str::to_owned)));
    }
    if let Some(imports) = specific.get("imports").and_then(serde_json::Value::as_array) {
        for import in imports {
            let path = import
                .get("path")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            if let Some(symbols) = import.get("symbols").and_then(serde_json::Value::as_array) {
                out.extend(
                    symbols
                        .iter()
                        .filter_map(|s| s.as_str().map(|s| format!("{path}.{s}"))),
                );
            }
        }
    }
    out
}

fn cwes(database_specific: Option<&serde_json::Value>) -> Vec<String> {
    database_specific
        .and_then(|d| d.get("cwe_ids"))
        .and_then(serde_json::Value::as_array)
        .map(|ids| ids.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

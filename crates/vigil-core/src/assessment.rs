//! The Assessment: the one versioned document every stage contributes to and every consumer reads
//! (DESIGN.md §7). Field order here is the order of the JSON output.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::asset::Inventory;
use crate::config::Scope;
use crate::diagnostic::Diagnostic;
use crate::finding::{AdvisoryWarning, Finding};
use crate::model::SystemModel;
use crate::roadmap::Roadmap;
use crate::score::Band;

/// Version of the Assessment JSON contract. Minor versions only add fields.
pub const SCHEMA_VERSION: &str = "1.0";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    pub path: String,
    pub commit: Option<String>,
}

/// The advisory data a run matched against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdvisorySnapshot {
    /// Where the data came from: a database directory or an `--advisories` path.
    pub source: String,
    /// When the data was imported, if known (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<String>,
    /// Advisory records per OSV ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

/// Something that was not assessed, and why. Never report "clean" for what was not checked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct NotChecked {
    pub what: String,
    pub why: String,
}

/// What the walk saw and skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    pub files_seen: usize,
    /// Files an extractor read, per extractor name.
    pub extracted: BTreeMap<String, usize>,
    pub skipped_too_large: usize,
    pub skipped_binary: usize,
    pub skipped_symlink: usize,
    pub not_checked: Vec<NotChecked>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Open findings per band.
    pub findings_by_band: BTreeMap<Band, usize>,
    pub actions_by_band: BTreeMap<Band, usize>,
    pub assets: usize,
    pub findings: usize,
    pub advisory_warnings: usize,
    pub diagnostics: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    pub schema_version: String,
    pub tool: Tool,
    pub target: Target,
    /// When the assessment ran (RFC 3339). The only field that differs between two runs on the same input.
    pub generated_at: String,
    /// The date due dates count from.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub as_of: Date,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_db: Option<AdvisorySnapshot>,
    pub summary: Summary,
    pub inventory: Inventory,
    pub model: SystemModel,
    pub findings: Vec<Finding>,
    /// Informational advisories (unmaintained, unsound...), kept apart from findings.
    #[serde(default)]
    pub advisory_warnings: Vec<AdvisoryWarning>,
    pub roadmap: Roadmap,
    pub coverage: Coverage,
    pub diagnostics: Vec<Diagnostic>,
}

impl Assessment {
    /// The highest band among open findings, if any.
    pub fn worst_band(&self) -> Option<Band> {
        self.findings
            .iter()
            .filter(|f| f.status == crate::finding::Status::Open)
            .map(|f| f.score.band)
            .max()
    }
}

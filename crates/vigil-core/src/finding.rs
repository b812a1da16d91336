//! Findings: one thing that can go wrong, with the assets it touches, its evidence and its score.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::asset::AssetId;
use crate::dependency::{DependencyScope, Ecosystem};
use crate::evidence::Evidence;
use crate::score::Score;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Threat,
    Vulnerability,
    Misconfiguration,
    Secret,
    Imported,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Threat => "threat",
            Self::Vulnerability => "vulnerability",
            Self::Misconfiguration => "misconfiguration",
            Self::Secret => "secret",
            Self::Imported => "imported",
        }
    }
}

/// STRIDE threat categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spoofing => "spoofing",
            Self::Tampering => "tampering",
            Self::Repudiation => "repudiation",
            Self::InformationDisclosure => "information-disclosure",
            Self::DenialOfService => "denial-of-service",
            Self::ElevationOfPrivilege => "elevation-of-privilege",
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Open,
    Mitigated,
    Accepted,
    NotAffected,
    FalsePositive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Mitigated => "mitigated",
            Self::Accepted => "accepted",
            Self::NotAffected => "not_affected",
            Self::FalsePositive => "false_positive",
        }
    }
}

/// A decision about a finding made outside vigil's analysis, kept with its source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// Where it comes from: `openvex:<file>`, `cyclonedx-vex:<file>`.
    pub source: String,
    /// The VEX status as the source wrote it (`not_affected`, `fixed`, `affected`, `in_triage`...).
    pub vex_status: String,
    /// The machine-readable justification, in OpenVEX's labels (`vulnerable_code_not_in_execute_path`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The free-text statement or detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// Who answers for the decision (a triage entry's owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the decision must be reviewed; after it, the finding is open again.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::date::option"
    )]
    #[schemars(with = "Option<String>")]
    pub expires: Option<time::Date>,
}

/// How far the vulnerable code is from running in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reachability {
    FunctionCalled,
    Imported,
    Present,
    DevOnly,
    Unknown,
}

impl Reachability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FunctionCalled => "function-called",
            Self::Imported => "imported",
            Self::Present => "present",
            Self::DevOnly => "dev-only",
            Self::Unknown => "unknown",
        }
    }
}

/// A severity score published with an advisory (OSV `severity[]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct SeverityVector {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4` or a database-specific type.
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// The dependency side of a vulnerability finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VulnerabilityDetails {
    pub ecosystem: Ecosystem,
    pub package: String,
    pub installed: String,
    /// The smallest version that fixes this advisory for the installed version; `None`: no fix published.
    pub fixed: Option<String>,
    /// The smallest version that fixes every advisory matched on this package in this manifest (what the
    /// roadmap's upgrade action recommends); `None` when no single version does.
    pub upgrade_to: Option<String>,
    pub direct: Option<bool>,
    pub scope: DependencyScope,
    pub reachability: Reachability,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reachability_evidence: Vec<Evidence>,
    /// How the grade was reached when it needs saying: no vulnerable function called, the budget ran out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachability_note: Option<String>,
    /// The vulnerable functions or symbols the advisory names (RustSec `affects.functions`, Go
    /// `imports[].symbols` as `package/path.Symbol`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerable_functions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityVector>,
    /// Listed in CISA KEV (through any CVE alias); `None` when KEV data was not available.
    pub kev: Option<bool>,
    /// The KEV listing when listed: dates and ransomware use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_listing: Option<KevListing>,
    /// FIRST EPSS probability of exploitation in the next 30 days (the highest over the CVE aliases);
    /// `None` when EPSS data was not available or scores none of the aliases.
    pub epss: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epss_percentile: Option<f64>,
    /// Public exploits (`EDB-<id>` for ExploitDB); `None` when exploit data was not available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploits: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// A CISA KEV listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KevListing {
    pub cve: String,
    pub date_added: String,
    /// CISA's remediation due date for federal agencies.
    pub due_date: String,
    /// Known to be used in ransomware campaigns.
    pub ransomware: bool,
}

/// What a rule or matcher knows about a finding's risk before the model is consulted. The risk stage starts
/// from these and explains every adjustment it makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskHints {
    /// Base likelihood 1..10 and the reason for it.
    pub likelihood: Option<(u8, String)>,
    /// Base impact 1..10 and the reason for it.
    pub impact: Option<(u8, String)>,
    /// The finding is itself an exposure to the Internet (a public bucket, an open port).
    pub exposes_to_internet: bool,
}

/// How to fix a finding, from the rule or advisory that raised it; the plan stage turns it into runbooks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guidance {
    pub steps: Vec<String>,
    pub verify: Vec<String>,
    pub references: Vec<String>,
    /// Requirements of compliance objectives the finding bears on.
    pub compliance: Vec<(crate::config::Objective, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Short display id, derived from the fingerprint (`VF-` + 10 hex digits).
    pub id: String,
    /// Stable across runs, line shifts and unrelated edits.
    pub fingerprint: String,
    pub kind: FindingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// Every id the advisory is known by (its own id first, then aliases).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisory_ids: Vec<String>,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stride: Vec<Stride>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<String>,
    pub assets: Vec<AssetId>,
    /// Model components the finding touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub remediation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<VulnerabilityDetails>,
    pub score: Score,
    #[serde(default)]
    pub status: Status,
    /// Who set a status other than open, and why (an imported VEX statement, a triage entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(skip)]
    pub hints: RiskHints,
    #[serde(skip)]
    pub guidance: Guidance,
}

impl Finding {
    /// A finding with its identity fixed and an empty score; the risk stage scores it.
    pub fn new(kind: FindingKind, fingerprint: String, title: impl Into<String>) -> Self {
        Self {
            id: display_id(&fingerprint),
            fingerprint,
            kind,
            rule_id: None,
            advisory_ids: Vec::new(),
            title: title.into(),
            description: String::new(),
            stride: Vec::new(),
            cwe: Vec::new(),
            assets: Vec::new(),
            components: Vec::new(),
            evidence: Vec::new(),
            remediation: String::new(),
            vulnerability: None,
            score: Score::default(),
            status: Status::Open,
            decision: None,
            hints: RiskHints::default(),
            guidance: Guidance::default(),
        }
    }
}

fn display_id(fingerprint: &str) -> String {
    format!("VF-{}", &fingerprint[..fingerprint.len().min(10)])
}

/// An advisory that is not a vulnerability (RustSec `informational`: unmaintained, unsound, notice).
/// Kept apart from findings: it is worth knowing, but it is not a path to a breach by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdvisoryWarning {
    pub advisory_id: String,
    pub kind: String,
    pub ecosystem: Ecosystem,
    pub package: String,
    pub version: String,
    pub title: String,
    pub asset: AssetId,
    pub evidence: Evidence,
}

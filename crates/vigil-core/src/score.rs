//! Scores: Likelihood x Impact x Detectability, each built from listed factors so that anyone can see why.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Likelihood,
    Impact,
    /// Inverse: 10 means an attack would go unnoticed.
    Detectability,
}

/// A priority band. Ordered from least to most urgent.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl Band {
    pub const ALL: [Band; 4] = [Self::Critical, Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One contribution to a dimension. The dimension's value is the weighted sum of its factors, rounded and
/// clamped to 1..10; the first factor of each dimension is its base.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Factor {
    pub dimension: Dimension,
    /// Stable factor name, e.g. `base`, `internet-exposure`, `data-sensitivity`.
    pub name: String,
    pub value: i8,
    pub weight: f32,
    /// Why: what was seen, and where.
    pub evidence: String,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

/// A CVSS base score derived from a published vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cvss {
    pub version: String,
    pub vector: String,
    pub base_score: f64,
}

/// Every factor name the scorer uses; `[risk.weights]` in vigil.toml may weigh any of them.
pub const FACTOR_NAMES: &[&str] = &[
    "base",
    "internet-exposure",
    "unauthenticated",
    "reachability",
    "kev",
    "kev-ransomware",
    "public-exploit",
    "epss",
    "data-sensitivity",
    "availability-only",
    "regulation",
    "criticality",
    "blast-radius",
    "telemetry",
    "access-logging",
    "detective-control",
];

/// One input of a decision table, with where its value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DecisionInput {
    /// The decision point (`exploitation`, `automatable`, `technical-impact`...).
    pub name: String,
    pub value: String,
    pub evidence: String,
    /// The value was not known and a stated default was used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
}

/// The outcome of a published decision table for one finding (CISA SSVC, BOD 26-04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyDecision {
    /// The table and its version: `cisa-ssvc-2.0.3`, `cisa-bod-26-04`.
    pub policy: String,
    /// The table's outcome as it writes it: `act`, `attend`, `track*`, `track`; `3 days`, `fix on system
    /// upgrade`...
    pub outcome: String,
    /// Days to remediate, when the table sets a deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u16>,
    /// The band this outcome stands for.
    pub band: Band,
    pub inputs: Vec<DecisionInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Score {
    pub likelihood: u8,
    pub impact: u8,
    pub detectability: u8,
    /// likelihood x impact x detectability, 1..1000.
    pub rpn: u16,
    pub band: Band,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    pub factors: Vec<Factor>,
    /// Inputs that were missing and were assumed instead; said out loud rather than scored as zero.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    /// Decision tables evaluated for the finding (vulnerabilities only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<PolicyDecision>,
    /// Set when a decision table, not the RPN, chose the band (`[risk] preset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_from: Option<String>,
}

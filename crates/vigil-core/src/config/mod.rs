//! Scope configuration (`vigil.toml`): what is assessed, against which objectives, with which policies.
//!
//! Every field is optional; [`Scope::default`] is what `vigil assess .` uses without a file. The file is
//! parsed with spans and validated by [`parse`], which reports *every* problem with its line.

mod parse;
mod starter;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::asset::{Criticality, DataClass};
use crate::score::Band;

pub use parse::{ConfigError, parse};
pub use starter::STARTER;

/// Compliance objectives a scope can be assessed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Objective {
    #[serde(rename = "pci-dss-4.0")]
    PciDss4,
    #[serde(rename = "hipaa")]
    Hipaa,
    #[serde(rename = "soc2")]
    Soc2,
    #[serde(rename = "gdpr")]
    Gdpr,
    #[serde(rename = "owasp-asvs")]
    OwaspAsvs,
}

impl Objective {
    pub const ALL: [Objective; 5] = [
        Self::PciDss4,
        Self::Hipaa,
        Self::Soc2,
        Self::Gdpr,
        Self::OwaspAsvs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PciDss4 => "pci-dss-4.0",
            Self::Hipaa => "hipaa",
            Self::Soc2 => "soc2",
            Self::Gdpr => "gdpr",
            Self::OwaspAsvs => "owasp-asvs",
        }
    }

    /// The data class whose exposure this regulation penalises, if it is specific to one.
    pub fn regulated_data(self) -> Option<DataClass> {
        match self {
            Self::PciDss4 => Some(DataClass::Pci),
            Self::Hipaa => Some(DataClass::Phi),
            Self::Gdpr => Some(DataClass::Pii),
            Self::Soc2 | Self::OwaspAsvs => None,
        }
    }
}

/// Industry of the scope; sets the reassessment cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Industry {
    Finance,
    Healthcare,
    Retail,
    SmallBusiness,
    Custom,
}

impl Industry {
    pub const ALL: [Industry; 5] = [
        Self::Finance,
        Self::Healthcare,
        Self::Retail,
        Self::SmallBusiness,
        Self::Custom,
    ];

    /// Days between assessments the industry's usual cadence asks for: finance and healthcare quarterly,
    /// retail twice a year, small businesses yearly. `custom` has none: `cadence_days` must say.
    pub fn cadence_days(self) -> Option<u16> {
        match self {
            Self::Finance | Self::Healthcare => Some(91),
            Self::Retail => Some(182),
            Self::SmallBusiness => Some(365),
            Self::Custom => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Finance => "finance",
            Self::Healthcare => "healthcare",
            Self::Retail => "retail",
            Self::SmallBusiness => "small-business",
            Self::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscoverSettings {
    /// Files larger than this many bytes are skipped (and counted). Default 8 MiB.
    pub max_file_size: u64,
    /// Honour .gitignore, .ignore and git's exclude files. Default true.
    pub respect_gitignore: bool,
}

impl Default for DiscoverSettings {
    fn default() -> Self {
        Self {
            max_file_size: 8 * 1024 * 1024,
            respect_gitignore: true,
        }
    }
}

/// Minimum RPN (1..1000) for each band; below `medium` is `low`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BandThresholds {
    pub critical: u16,
    pub high: u16,
    pub medium: u16,
}

impl Default for BandThresholds {
    fn default() -> Self {
        Self {
            critical: 400,
            high: 200,
            medium: 80,
        }
    }
}

impl BandThresholds {
    pub fn band(&self, rpn: u16) -> Band {
        if rpn >= self.critical {
            Band::Critical
        } else if rpn >= self.high {
            Band::High
        } else if rpn >= self.medium {
            Band::Medium
        } else {
            Band::Low
        }
    }
}

/// What sets a vulnerability finding's band. Every preset still computes the RPN and both decision
/// tables; the preset says which one decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum RiskPreset {
    /// The RPN against the band thresholds.
    #[default]
    #[serde(rename = "rpn")]
    Rpn,
    /// CISA's SSVC tree: act is critical, attend high, track* medium, track low.
    #[serde(rename = "ssvc")]
    Ssvc,
    /// CISA BOD 26-04 Table 1: 3 days is critical, 14 high, 60 medium, "fix on system upgrade" low.
    #[serde(rename = "bod-26-04")]
    Bod2604,
}

impl RiskPreset {
    pub const ALL: [RiskPreset; 3] = [Self::Rpn, Self::Ssvc, Self::Bod2604];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rpn => "rpn",
            Self::Ssvc => "ssvc",
            Self::Bod2604 => "bod-26-04",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RiskSettings {
    pub bands: BandThresholds,
    #[serde(default)]
    pub preset: RiskPreset,
    /// Weight per factor name (see `score::FACTOR_NAMES`); a factor not listed weighs 1.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f32>,
}

impl RiskSettings {
    pub fn weight(&self, factor: &str) -> f32 {
        self.weights.get(factor).copied().unwrap_or(1.0)
    }
}

/// Days allowed to fix a finding of each band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SlaPolicy {
    /// The preset the days came from, before any per-band override.
    pub preset: String,
    pub critical: u16,
    pub high: u16,
    pub medium: u16,
    pub low: u16,
}

/// SLA presets: name, then days for critical, high, medium, low.
///
/// - `fedramp`: the FedRAMP Rev. 5 continuous-monitoring deadlines (critical and high 30 days, moderate 90,
///   low 180).
/// - `bod-26-04`: the BOD 26-04 remediation timelines by band (3, 14 and 60 days); its last tier, "fix on
///   system upgrade", has no fixed date and is given 180 days. Vulnerability findings whose BOD 26-04 inputs
///   are known take their own row of the table instead.
pub const SLA_PRESETS: [(&str, [u16; 4]); 4] = [
    ("default", [7, 30, 90, 180]),
    ("defectdojo", [7, 30, 90, 120]),
    ("fedramp", [30, 30, 90, 180]),
    ("bod-26-04", [3, 14, 60, 180]),
];

impl SlaPolicy {
    pub fn preset(name: &str) -> Option<Self> {
        SLA_PRESETS
            .iter()
            .find(|(preset, _)| *preset == name)
            .map(|(preset, [c, h, m, l])| Self {
                preset: (*preset).to_owned(),
                critical: *c,
                high: *h,
                medium: *m,
                low: *l,
            })
    }

    pub fn days(&self, band: Band) -> u16 {
        match band {
            Band::Critical => self.critical,
            Band::High => self.high,
            Band::Medium => self.medium,
            Band::Low => self.low,
        }
    }
}

impl Default for SlaPolicy {
    fn default() -> Self {
        Self {
            preset: "default".into(),
            critical: 7,
            high: 30,
            medium: 90,
            low: 180,
        }
    }
}

/// Facts about assets that the code cannot show, matched by a glob on the declaring file's path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssetOverride {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticality: Option<Criticality>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<DataClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_facing: Option<bool>,
    /// Line of the `[[override]]` table in vigil.toml.
    #[serde(skip)]
    pub line: u32,
}

/// A secret finding that is known and accepted: test fixtures, revoked keys, documentation examples. Every
/// criterion given must match; at least one is required, and so is the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SecretAllow {
    /// Glob on the file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Prefix (8+ hex digits) of the secret's `value_fingerprint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Detector id (`jwt`, `stripe-test-key`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detector: Option<String>,
    pub reason: String,
    /// Line of the entry in vigil.toml.
    #[serde(skip)]
    pub line: u32,
}

/// What a triage entry decides about the findings it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TriageStatus {
    /// The risk is known and accepted until the entry expires.
    Accepted,
    /// The finding is wrong.
    FalsePositive,
    /// The vulnerability cannot be exploited here (a VEX `not_affected`).
    NotAffected,
}

impl TriageStatus {
    pub const ALL: [TriageStatus; 3] = [Self::Accepted, Self::FalsePositive, Self::NotAffected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::FalsePositive => "false-positive",
            Self::NotAffected => "not-affected",
        }
    }
}

/// A triage decision kept in the repository (`[[triage]]` in vigil.toml). Every criterion given must match;
/// at least one is required, and so are the reason and the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TriageEntry {
    pub status: TriageStatus,
    /// A finding's fingerprint, or its display id (`VF-...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Any of the advisory's ids or aliases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<String>,
    /// Glob on the path of the finding's first evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub reason: String,
    pub owner: String,
    /// After this day the entry stops applying and says so.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::date::option"
    )]
    #[schemars(with = "Option<String>")]
    pub expires: Option<time::Date>,
    /// OpenVEX justification label, for `not-affected` (`vulnerable_code_not_in_execute_path`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The configuration file and the entry's line in it, for diagnostics.
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub line: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SecretSettings {
    #[serde(default)]
    pub allow: Vec<SecretAllow>,
}

/// A tracker's name, its settings (each a string or a list) and the ones it requires.
pub type Tracker = (
    &'static str,
    &'static [(&'static str, SettingKind)],
    &'static [&'static str],
);

/// The trackers `vigil tickets sync --to` knows, and the settings each takes (string or list). Credentials
/// are never settings: only the name of the environment variable (`token_env`) or file (`token_file`)
/// that holds them.
pub const TRACKERS: &[Tracker] = &[
    (
        "github",
        &[
            ("base_url", SettingKind::Text),
            ("repository", SettingKind::Text),
            ("milestone", SettingKind::Text),
            ("labels", SettingKind::List),
            ("token_env", SettingKind::Text),
            ("token_file", SettingKind::Text),
        ],
        &["repository"],
    ),
    (
        "jira",
        &[
            ("base_url", SettingKind::Text),
            ("project", SettingKind::Text),
            ("issue_type", SettingKind::Text),
            ("email", SettingKind::Text),
            ("priority_critical", SettingKind::Text),
            ("priority_high", SettingKind::Text),
            ("priority_medium", SettingKind::Text),
            ("priority_low", SettingKind::Text),
            ("components", SettingKind::List),
            ("parent", SettingKind::Text),
            ("done_transition", SettingKind::Text),
            ("reopen_transition", SettingKind::Text),
            ("deployment", SettingKind::Text),
            ("token_env", SettingKind::Text),
            ("token_file", SettingKind::Text),
        ],
        &["base_url", "project"],
    ),
    (
        "azure-devops",
        &[
            ("organization_url", SettingKind::Text),
            ("project", SettingKind::Text),
            ("work_item_type", SettingKind::Text),
            ("area_path", SettingKind::Text),
            ("iteration_path", SettingKind::Text),
            ("parent", SettingKind::Text),
            ("done_state", SettingKind::Text),
            ("reopen_state", SettingKind::Text),
            ("closed_states", SettingKind::List),
            ("token_env", SettingKind::Text),
            ("token_file", SettingKind::Text),
        ],
        &["organization_url", "project"],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    Text,
    List,
}

/// One tracker's settings, as written in `[tickets.<tracker>]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TrackerSettings {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub lists: BTreeMap<String, Vec<String>>,
}

impl TrackerSettings {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.text.get(key).map(String::as_str)
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        self.lists.get(key).cloned().unwrap_or_default()
    }
}

/// `[tickets]`: which actions become tickets and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TicketSettings {
    /// Actions of these bands get a ticket. Default: critical and high.
    pub bands: Vec<Band>,
    /// A web link to a file line: `{commit}`, `{path}` and `{line}` are filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Settings per tracker name (`github`, `jira`, `azure-devops`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub trackers: BTreeMap<String, TrackerSettings>,
}

impl Default for TicketSettings {
    fn default() -> Self {
        Self {
            bands: vec![Band::Critical, Band::High],
            source_url: None,
            trackers: BTreeMap::new(),
        }
    }
}

/// The validated configuration of one assessment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Scope {
    /// Defaults to the assessed directory's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Globs of paths to assess; empty means everything.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of paths to leave out, on top of .gitignore.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Industry>,
    /// Days between assessments, overriding the industry's cadence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u16>,
    /// Fallback owner of actions no CODEOWNERS rule covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub discover: DiscoverSettings,
    #[serde(default)]
    pub risk: RiskSettings,
    #[serde(default)]
    pub sla: SlaPolicy,
    #[serde(default)]
    pub overrides: Vec<AssetOverride>,
    #[serde(default)]
    pub secrets: SecretSettings,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triage: Vec<TriageEntry>,
    #[serde(default)]
    pub tickets: TicketSettings,
}

/// Without an industry or `cadence_days`, a scope is due for reassessment every quarter.
pub const DEFAULT_CADENCE_DAYS: u16 = 91;

impl Scope {
    /// Days between assessments: `cadence_days`, else the industry's cadence, else quarterly.
    pub fn cadence_days(&self) -> u16 {
        self.cadence_days
            .or_else(|| self.industry.and_then(Industry::cadence_days))
            .unwrap_or(DEFAULT_CADENCE_DAYS)
    }
}

//! Scope configuration (`vigil.toml`): what is assessed, against which objectives, with which policies.
//!
//! Every field is optional; [`Scope::default`] is what `vigil assess .` uses without a file. The file is
//! parsed with spans and validated by [`parse`], which reports *every* problem with its line.

mod parse;
mod starter;

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RiskSettings {
    pub bands: BandThresholds,
}

/// Days allowed to fix a finding of each band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SlaPolicy {
    /// The preset the days came from (`default` or `defectdojo`), before any per-band override.
    pub preset: String,
    pub critical: u16,
    pub high: u16,
    pub medium: u16,
    pub low: u16,
}

/// SLA presets: name, then days for critical, high, medium, low.
pub const SLA_PRESETS: [(&str, [u16; 4]); 2] =
    [("default", [7, 30, 90, 180]), ("defectdojo", [7, 30, 90, 120])];

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SecretSettings {
    #[serde(default)]
    pub allow: Vec<SecretAllow>,
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
}

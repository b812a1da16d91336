//! Published decision tables, evaluated for each vulnerability finding with the inputs vigil can see:
//!
//! - CISA's SSVC tree (version 2.0.3, as published by CERT/CC in `data/csv/cisa/cisa_coordinator_2_0_3.csv`):
//!   exploitation × automatable × technical impact × mission and well-being → track, track*, attend, act.
//! - CISA BOD 26-04 Table 1 (`data/csv/cisa/cisa_bod_26_04_1_0_0.csv` in the same repository): in KEV ×
//!   asset exposure × automatable × technical impact → 3 days (with forensic investigation when in KEV and
//!   total), 14 days, 60 days or "fix on system upgrade".
//!
//! Every input says where its value came from; a value vigil cannot know is a stated assumption, never a
//! silent default. Both tables are tested row by row against copies of the published CSV files.

use vigil_core::{Band, DataClass, DecisionInput, PolicyDecision, Reachability, VulnerabilityDetails};

use crate::cvss_vector::Parsed;

pub const SSVC: &str = "cisa-ssvc-2.0.3";
pub const BOD_26_04: &str = "cisa-bod-26-04";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exploitation {
    None,
    PublicPoc,
    Active,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mission {
    Low,
    Medium,
    High,
}

/// SSVC outcomes, least to most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ssvc {
    Track,
    TrackStar,
    Attend,
    Act,
}

impl Ssvc {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::TrackStar => "track*",
            Self::Attend => "attend",
            Self::Act => "act",
        }
    }

    fn band(self) -> Band {
        match self {
            Self::Track => Band::Low,
            Self::TrackStar => Band::Medium,
            Self::Attend => Band::High,
            Self::Act => Band::Critical,
        }
    }
}

/// The SSVC tree. Rows in the published order: exploitation (none, public poc, active), then automatable
/// (no, yes), then technical impact (partial, total), then mission and well-being (low, medium, high).
const SSVC_TREE: [Ssvc; 36] = {
    use Ssvc::{Act as A, Attend as N, Track as T, TrackStar as S};
    [
        T, T, T, T, T, S, T, T, N, T, T, N, // none
        T, T, S, T, S, N, T, T, N, T, S, N, // public poc
        T, T, N, T, N, A, N, N, A, N, A, A, // active
    ]
};

pub fn ssvc(exploitation: Exploitation, automatable: bool, total: bool, mission: Mission) -> Ssvc {
    let row = match exploitation {
        Exploitation::None => 0,
        Exploitation::PublicPoc => 12,
        Exploitation::Active => 24,
    } + usize::from(automatable) * 6
        + usize::from(total) * 3
        + mission as usize;
    SSVC_TREE[row]
}

/// A BOD 26-04 remediation timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeline {
    ThreeDaysForensic,
    ThreeDays,
    FourteenDays,
    SixtyDays,
    OnSystemUpgrade,
}

impl Timeline {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ThreeDaysForensic => "3 days & forensic investigation",
            Self::ThreeDays => "3 days",
            Self::FourteenDays => "14 days",
            Self::SixtyDays => "60 days",
            Self::OnSystemUpgrade => "fix on system upgrade",
        }
    }

    pub fn days(self) -> Option<u16> {
        match self {
            Self::ThreeDaysForensic | Self::ThreeDays => Some(3),
            Self::FourteenDays => Some(14),
            Self::SixtyDays => Some(60),
            Self::OnSystemUpgrade => None,
        }
    }

    fn band(self) -> Band {
        match self {
            Self::ThreeDaysForensic | Self::ThreeDays => Band::Critical,
            Self::FourteenDays => Band::High,
            Self::SixtyDays => Band::Medium,
            Self::OnSystemUpgrade => Band::Low,
        }
    }
}

/// BOD 26-04 Table 1, indexed by in KEV, asset exposure, automatable and total technical impact, each
/// no (0) or yes (1), in that bit order.
const BOD_TABLE: [Timeline; 16] = {
    use Timeline::{
        FourteenDays as F, OnSystemUpgrade as U, SixtyDays as S, ThreeDays as T, ThreeDaysForensic as X,
    };
    [
        U, U, S, S, S, F, F, T, // not in KEV
        F, F, F, X, F, X, T, X, // in KEV
    ]
};

pub fn bod_26_04(kev: bool, exposed: bool, automatable: bool, total: bool) -> Timeline {
    let index = usize::from(kev) << 3
        | usize::from(exposed) << 2
        | usize::from(automatable) << 1
        | usize::from(total);
    BOD_TABLE[index]
}

/// What the scorer knows about where the vulnerable package runs.
#[derive(Debug)]
pub(crate) struct Situation<'a> {
    pub internet_facing: Option<&'a str>,
    /// The most sensitive data class touched, and what holds it.
    pub data: Option<(DataClass, &'a str)>,
    /// The business-critical asset touched, if any.
    pub critical: Option<&'a str>,
}

/// Both tables for one vulnerability.
pub(crate) fn evaluate(
    vulnerability: &VulnerabilityDetails,
    cvss: Option<&Parsed>,
    situation: &Situation<'_>,
) -> Vec<PolicyDecision> {
    let (exploitation, exploitation_input) = exploitation(vulnerability);
    let (automatable, automatable_input) = automatable(cvss);
    let (total, impact_input) = technical_impact(cvss);
    let (mission, mission_input) = mission(vulnerability, situation);
    let ssvc = ssvc(exploitation, automatable, total, mission);

    let kev = vulnerability.kev == Some(true);
    let kev_input = DecisionInput {
        name: "in-kev".into(),
        value: yes_no(kev).into(),
        evidence: match (&vulnerability.kev, &vulnerability.kev_listing) {
            (Some(true), Some(listing)) => {
                format!("{} listed in CISA KEV since {}", listing.cve, listing.date_added)
            }
            (Some(true), None) => "listed in CISA KEV".into(),
            (Some(false), _) => "not in the CISA KEV catalog".into(),
            (None, _) => "assumed not in KEV: the KEV catalog was not loaded (--intel)".into(),
        },
        assumed: vulnerability.kev.is_none(),
    };
    let exposed = situation.internet_facing.is_some();
    let exposure_input = DecisionInput {
        name: "asset-exposure".into(),
        value: yes_no(exposed).into(),
        evidence: match situation.internet_facing {
            Some(name) => format!("{name} is reachable from the Internet"),
            None => "no Internet-facing component uses the package in the model".into(),
        },
        assumed: false,
    };
    let timeline = bod_26_04(kev, exposed, automatable, total);
    vec![
        PolicyDecision {
            policy: SSVC.into(),
            outcome: ssvc.as_str().into(),
            days: None,
            band: ssvc.band(),
            inputs: vec![
                exploitation_input,
                automatable_input.clone(),
                impact_input.clone(),
                mission_input,
            ],
        },
        PolicyDecision {
            policy: BOD_26_04.into(),
            outcome: timeline.as_str().into(),
            days: timeline.days(),
            band: timeline.band(),
            inputs: vec![kev_input, exposure_input, automatable_input, impact_input],
        },
    ]
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn exploitation(v: &VulnerabilityDetails) -> (Exploitation, DecisionInput) {
    let exploits = v.exploits.as_deref().unwrap_or_default();
    let (value, evidence, assumed) = if v.kev == Some(true) {
        (
            Exploitation::Active,
            "listed in CISA KEV: exploited in the wild".to_owned(),
            false,
        )
    } else if !exploits.is_empty() {
        (
            Exploitation::PublicPoc,
            format!("public exploit: {}", exploits.join(", ")),
            false,
        )
    } else if v.kev.is_some() && v.exploits.is_some() {
        (
            Exploitation::None,
            "not in KEV and no public exploit known".to_owned(),
            false,
        )
    } else {
        (
            Exploitation::None,
            "assumed none: KEV or ExploitDB was not loaded (--intel)".to_owned(),
            true,
        )
    };
    let name = match value {
        Exploitation::None => "none",
        Exploitation::PublicPoc => "public poc",
        Exploitation::Active => "active",
    };
    (
        value,
        DecisionInput {
            name: "exploitation".into(),
            value: name.into(),
            evidence,
            assumed,
        },
    )
}

fn automatable(cvss: Option<&Parsed>) -> (bool, DecisionInput) {
    let (value, evidence, assumed) = match cvss {
        Some(c) if c.summary.version != "qualitative" => (
            c.automatable,
            if c.automatable {
                format!(
                    "network attack, low complexity, no privileges or user interaction ({})",
                    c.summary.vector
                )
            } else {
                format!(
                    "the vector needs access, privileges, user interaction or luck ({})",
                    c.summary.vector
                )
            },
            false,
        ),
        _ => (
            false,
            "assumed no: the advisory publishes no CVSS vector".into(),
            true,
        ),
    };
    (
        value,
        DecisionInput {
            name: "automatable".into(),
            value: yes_no(value).into(),
            evidence,
            assumed,
        },
    )
}

fn technical_impact(cvss: Option<&Parsed>) -> (bool, DecisionInput) {
    let (total, evidence, assumed) = match cvss {
        Some(c) if c.summary.version != "qualitative" => (
            c.total_control,
            if c.total_control {
                "high confidentiality and integrity impact: total control".to_owned()
            } else {
                "confidentiality or integrity impact below high: partial".to_owned()
            },
            false,
        ),
        Some(c) => {
            let critical = c.summary.vector.eq_ignore_ascii_case("critical");
            (
                critical,
                format!(
                    "assumed from the advisory's {} severity (no CVSS vector)",
                    c.summary.vector
                ),
                true,
            )
        }
        None => (
            true,
            "assumed total: the advisory publishes no severity".into(),
            true,
        ),
    };
    (
        total,
        DecisionInput {
            name: "technical-impact".into(),
            value: if total { "total" } else { "partial" }.into(),
            evidence,
            assumed,
        },
    )
}

fn mission(v: &VulnerabilityDetails, situation: &Situation<'_>) -> (Mission, DecisionInput) {
    let (value, evidence) = if v.reachability == Reachability::DevOnly {
        (
            Mission::Low,
            "development dependency: not part of what runs in production".to_owned(),
        )
    } else if let Some((class @ (DataClass::Pci | DataClass::Phi | DataClass::Secrets), holder)) =
        situation.data
    {
        (Mission::High, format!("{holder} holds {} data", class.as_str()))
    } else if let Some(name) = situation.critical {
        (Mission::High, format!("{name} is business-critical"))
    } else if let Some((DataClass::Pii, holder)) = situation.data {
        (Mission::Medium, format!("{holder} holds pii data"))
    } else if let Some(name) = situation.internet_facing {
        (Mission::Medium, format!("{name} serves Internet users"))
    } else {
        (
            Mission::Low,
            "internal component without sensitive data".to_owned(),
        )
    };
    let name = match value {
        Mission::Low => "low",
        Mission::Medium => "medium",
        Mission::High => "high",
    };
    (
        value,
        DecisionInput {
            name: "mission-and-well-being".into(),
            value: name.into(),
            evidence,
            assumed: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published CSV files, copied into the crate's fixtures with their source and licence.
    fn rows(csv: &str) -> Vec<Vec<String>> {
        csv.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').skip(1).map(|c| c.trim().to_owned()).collect())
            .collect()
    }

    #[test]
    fn the_ssvc_tree_matches_the_published_table() {
        let table = rows(include_str!("../tests/fixtures/ssvc/cisa_coordinator_2_0_3.csv"));
        assert_eq!(table.len(), 36);
        for row in table {
            let exploitation = match row[0].as_str() {
                "none" => Exploitation::None,
                "public poc" => Exploitation::PublicPoc,
                "active" => Exploitation::Active,
                other => panic!("unexpected exploitation {other}"),
            };
            let mission = match row[3].as_str() {
                "low" => Mission::Low,
                "medium" => Mission::Medium,
                "high" => Mission::High,
                other => panic!("unexpected mission {other}"),
            };
            let outcome = ssvc(exploitation, row[1] == "yes", row[2] == "total", mission);
            assert_eq!(outcome.as_str(), row[4], "{row:?}");
        }
    }

    #[test]
    fn the_bod_26_04_table_matches_the_published_table() {
        let table = rows(include_str!("../tests/fixtures/ssvc/cisa_bod_26_04_1_0_0.csv"));
        assert_eq!(table.len(), 16);
        for row in table {
            let outcome = bod_26_04(
                row[0] == "yes",
                row[1] == "yes",
                row[2] == "yes",
                row[3] == "total",
            );
            assert_eq!(outcome.as_str(), row[4], "{row:?}");
        }
    }
}

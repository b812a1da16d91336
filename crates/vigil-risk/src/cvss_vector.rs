//! What an advisory's published severity says about likelihood and impact: CVSS v3.x vectors first, then
//! v4.0, then GitHub's qualitative level. A vector that does not parse is reported, and the next source is
//! used, so one malformed advisory never stops or silently zeroes a run.

use std::str::FromStr;

use vigil_core::{Cvss, VulnerabilityDetails};

/// The parts of a CVSS vector the scorer uses.
#[derive(Debug)]
pub struct Parsed {
    pub summary: Cvss,
    pub confidentiality: bool,
    pub integrity: bool,
    /// High confidentiality and integrity impact: SSVC's "total" technical impact.
    pub total_control: bool,
    /// Network attack vector, low complexity, no privileges, no user interaction: the attack can be run
    /// at scale without a human in the loop (SSVC's "automatable").
    pub automatable: bool,
    pub likelihood: i8,
    pub likelihood_why: String,
    pub impact: i8,
    pub impact_why: String,
}

/// The parsed severity, and a problem for every published vector that did not parse.
pub fn parse(vulnerability: &VulnerabilityDetails) -> (Option<Parsed>, Vec<String>) {
    let mut problems = Vec::new();
    let vectors = |kind: &'static str| {
        vulnerability
            .severity
            .iter()
            .filter(move |s| s.kind == kind)
            .map(|s| s.score.as_str())
    };
    for text in vectors("CVSS_V3") {
        match cvss::v3::Vector::from_str(text) {
            Ok(v) => return (Some(from_v3(text, &v)), problems),
            Err(error) => problems.push(format!("malformed CVSS_V3 vector `{text}`: {error}")),
        }
    }
    for text in vectors("CVSS_V4") {
        match cvss::v4::Vector::from_str(text) {
            Ok(v) => return (Some(from_v4(text, &v)), problems),
            Err(error) => problems.push(format!("malformed CVSS_V4 vector `{text}`: {error}")),
        }
    }
    let qualitative = vectors("GHSA").find_map(from_level);
    (qualitative, problems)
}

fn from_v3(text: &str, v: &cvss::v3::Vector) -> Parsed {
    let exploitability = v.exploitability().value();
    let impact = impact_subscore(v);
    let base = v.base_score().value();
    let has = |metric: &str| text.split('/').any(|m| m == metric);
    Parsed {
        summary: Cvss {
            version: "3.x".into(),
            vector: text.to_owned(),
            base_score: base,
        },
        confidentiality: !has("C:N"),
        integrity: !has("I:N"),
        total_control: has("C:H") && has("I:H"),
        automatable: has("AV:N") && has("AC:L") && has("PR:N") && has("UI:N"),
        likelihood: 1 + (exploitability / 3.887 * 8.0).round() as i8,
        likelihood_why: format!("CVSS exploitability {exploitability:.1} of 3.9 ({text})"),
        // The base tops out at 8 so that data sensitivity and regulation can still raise it.
        impact: 1 + (impact / 6.05 * 7.0).round().clamp(0.0, 7.0) as i8,
        impact_why: format!("CVSS impact {impact:.1} of 6.1, base score {base:.1}"),
    }
}

fn from_v4(text: &str, v: &cvss::v4::Vector) -> Parsed {
    let base = v.score().value();
    let value = 1 + (base / 10.0 * 8.0).round() as i8;
    let has = |metric: &str| text.split('/').any(|m| m == metric);
    Parsed {
        summary: Cvss {
            version: "4.0".into(),
            vector: text.to_owned(),
            base_score: base,
        },
        confidentiality: !has("VC:N"),
        integrity: !has("VI:N"),
        total_control: has("VC:H") && has("VI:H"),
        automatable: has("AV:N") && has("AC:L") && has("AT:N") && has("PR:N") && has("UI:N"),
        likelihood: value,
        likelihood_why: format!("CVSS v4 base score {base:.1} ({text})"),
        impact: value,
        impact_why: format!("CVSS v4 base score {base:.1}"),
    }
}

fn from_level(level: &str) -> Option<Parsed> {
    let value = match level.to_ascii_uppercase().as_str() {
        "CRITICAL" => 8,
        "HIGH" => 7,
        "MODERATE" | "MEDIUM" => 5,
        "LOW" => 3,
        _ => return None,
    };
    Some(Parsed {
        summary: Cvss {
            version: "qualitative".into(),
            vector: level.to_owned(),
            base_score: 0.0,
        },
        confidentiality: true,
        integrity: true,
        total_control: false,
        automatable: false,
        likelihood: value,
        likelihood_why: format!("GitHub advisory severity {level} (no CVSS vector)"),
        impact: value,
        impact_why: format!("GitHub advisory severity {level} (no CVSS vector)"),
    })
}

/// The CVSS v3 impact subscore (0..6.05) from the crate's ISS, per the v3.1 specification §7.1.
fn impact_subscore(vector: &cvss::v3::Vector) -> f64 {
    let iss = vector.impact().value();
    let changed = vector.s.is_some_and(|s| s.is_changed());
    if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    }
    .max(0.0)
}

#[cfg(test)]
mod tests {
    use vigil_core::{DependencyScope, Ecosystem, Reachability, SeverityVector};

    use super::*;

    fn subscore(vector: &str) -> f64 {
        (impact_subscore(&cvss::v3::Vector::from_str(vector).unwrap()) * 10.0).round() / 10.0
    }

    #[test]
    fn impact_subscores_follow_the_specification() {
        assert_eq!(subscore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 5.9);
        assert_eq!(subscore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"), 1.4);
        assert_eq!(subscore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 6.0);
        assert_eq!(subscore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
    }

    fn details(severity: &[(&str, &str)]) -> VulnerabilityDetails {
        VulnerabilityDetails {
            severity: severity
                .iter()
                .map(|(kind, score)| SeverityVector {
                    kind: (*kind).to_owned(),
                    score: (*score).to_owned(),
                })
                .collect(),
            ecosystem: Ecosystem::Npm,
            package: "pkg".into(),
            installed: "1.0.0".into(),
            fixed: None,
            upgrade_to: None,
            direct: None,
            scope: DependencyScope::Prod,
            reachability: Reachability::Unknown,
            reachability_evidence: vec![],
            reachability_note: None,
            vulnerable_functions: vec![],
            kev: None,
            kev_listing: None,
            epss: None,
            epss_percentile: None,
            exploits: None,
            references: vec![],
        }
    }

    #[test]
    fn a_malformed_vector_is_reported_and_the_next_source_is_used() {
        let (parsed, problems) = parse(&details(&[("CVSS_V3", "CVSS:3.1/AV:X/AC:L"), ("GHSA", "HIGH")]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("malformed CVSS_V3 vector `CVSS:3.1/AV:X/AC:L`"));
        assert_eq!(parsed.map(|p| p.likelihood), Some(7));
        let (parsed, problems) = parse(&details(&[("CVSS_V4", "CVSS:4.0/garbage")]));
        assert!(parsed.is_none());
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn automatable_and_total_control_come_from_the_vector() {
        let (parsed, _) = parse(&details(&[(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        )]));
        let parsed = parsed.unwrap();
        assert!(parsed.automatable && parsed.total_control);
        let (parsed, _) = parse(&details(&[(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N",
        )]));
        let parsed = parsed.unwrap();
        assert!(!parsed.automatable && !parsed.total_control && !parsed.integrity);
    }
}

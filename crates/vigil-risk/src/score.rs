//! Scoring: Likelihood, Impact and Detectability (1..10 each) built from listed factors, RPN = L x I x D,
//! and a band from the scope's thresholds (DESIGN.md §3).
//!
//! Each dimension starts from a base factor (the rule's base, or the advisory's CVSS) and is adjusted by
//! factors seen in the model: exposure, reachability, data sensitivity, regulation, criticality, telemetry.
//! A dimension is the weighted sum of its factors, rounded and clamped to 1..10. Inputs that are missing
//! are recorded as assumptions (and lower the confidence) instead of silently counting as zero.

use std::str::FromStr;

use vigil_core::{
    Asset, AssetKind, Component, Confidence, Criticality, Cvss, DataClass, Dimension, Factor, Finding,
    FindingKind, Inventory, Reachability, Scope, Score, Stride, SystemModel, VulnerabilityDetails,
};

use crate::telemetry::Telemetry;

/// What a successful attack affects: data sensitivity only matters when data can be read or changed,
/// regulation when it can be read, and an outage is noticed at once.
#[derive(Debug, Clone, Copy)]
struct Effects {
    confidentiality: bool,
    integrity: bool,
}

impl Effects {
    fn of(finding: &Finding, cvss: Option<&Parsed>) -> Self {
        if let Some(parsed) = cvss {
            return Self {
                confidentiality: parsed.confidentiality,
                integrity: parsed.integrity,
            };
        }
        if finding.vulnerability.is_some() {
            // No vector: assume the worst rather than discount the data.
            return Self {
                confidentiality: true,
                integrity: true,
            };
        }
        let has = |s: Stride| finding.stride.contains(&s);
        let takeover = has(Stride::ElevationOfPrivilege) || has(Stride::Spoofing);
        Self {
            confidentiality: takeover || has(Stride::InformationDisclosure),
            integrity: takeover || has(Stride::Tampering),
        }
    }

    fn availability_only(self) -> bool {
        !self.confidentiality && !self.integrity
    }
}

/// Scores every finding in place.
pub fn score(findings: &mut [Finding], inventory: &Inventory, model: &SystemModel, scope: &Scope) {
    let telemetry = Telemetry::find(inventory);
    for finding in findings {
        finding.score = score_one(finding, inventory, model, scope, &telemetry);
    }
}

struct Builder {
    factors: Vec<Factor>,
    assumptions: Vec<String>,
}

impl Builder {
    fn add(&mut self, dimension: Dimension, name: &str, value: i8, evidence: impl Into<String>) {
        self.factors.push(Factor {
            dimension,
            name: name.to_owned(),
            value,
            weight: 1.0,
            evidence: evidence.into(),
        });
    }

    fn total(&self, dimension: Dimension) -> u8 {
        let sum: f32 = self
            .factors
            .iter()
            .filter(|f| f.dimension == dimension)
            .map(|f| f32::from(f.value) * f.weight)
            .sum();
        sum.round().clamp(1.0, 10.0) as u8
    }
}

fn score_one(
    finding: &Finding,
    inventory: &Inventory,
    model: &SystemModel,
    scope: &Scope,
    telemetry: &Telemetry,
) -> Score {
    let assets: Vec<&Asset> = finding.assets.iter().filter_map(|id| inventory.get(id)).collect();
    let components: Vec<&Component> = model
        .components
        .iter()
        .filter(|c| finding.components.contains(&c.id) || c.assets.iter().any(|a| finding.assets.contains(a)))
        .collect();
    let mut b = Builder {
        factors: Vec::new(),
        assumptions: Vec::new(),
    };
    let cvss = finding.vulnerability.as_ref().and_then(parse_cvss);
    let effects = Effects::of(finding, cvss.as_ref());

    likelihood(finding, &assets, &components, cvss.as_ref(), &mut b);
    impact(
        finding,
        &assets,
        &components,
        cvss.as_ref(),
        effects,
        scope,
        &mut b,
    );
    detectability(finding, &assets, effects, telemetry, &mut b);

    let (l, i, d) = (
        b.total(Dimension::Likelihood),
        b.total(Dimension::Impact),
        b.total(Dimension::Detectability),
    );
    let rpn = u16::from(l) * u16::from(i) * u16::from(d);
    let confidence = match b.assumptions.len() {
        0 => Confidence::High,
        1 => Confidence::Medium,
        _ => Confidence::Low,
    };
    Score {
        likelihood: l,
        impact: i,
        detectability: d,
        rpn,
        band: scope.risk.bands.band(rpn),
        confidence,
        cvss: cvss.map(|c| c.summary),
        factors: b.factors,
        assumptions: b.assumptions,
    }
}

fn likelihood(
    finding: &Finding,
    assets: &[&Asset],
    components: &[&Component],
    cvss: Option<&Parsed>,
    b: &mut Builder,
) {
    use Dimension::Likelihood as L;
    match (&finding.hints.likelihood, cvss) {
        (Some((value, why)), _) => b.add(L, "base", *value as i8, why.clone()),
        (None, Some(c)) => b.add(L, "base", c.likelihood, c.likelihood_why.clone()),
        (None, None) => {
            b.add(L, "base", 5, "no CVSS vector or rule base: assumed medium");
            b.assumptions
                .push("likelihood base assumed medium: the advisory publishes no CVSS vector".into());
        }
    }
    if !finding.hints.exposes_to_internet {
        let exposed = components
            .iter()
            .find(|c| c.internet_facing)
            .map(|c| c.name.clone())
            .or_else(|| {
                assets
                    .iter()
                    .find(|a| a.attr_bool("internet_facing") == Some(true))
                    .map(|a| a.name.clone())
            });
        if let Some(name) = exposed {
            b.add(
                L,
                "internet-exposure",
                2,
                format!("{name} is reachable from the Internet"),
            );
        }
    }
    if let Some(vulnerability) = &finding.vulnerability {
        reachability(vulnerability, b);
        exploitation(vulnerability, b);
    }
}

/// CISA KEV, public exploits and EPSS: what is known of exploitation in the wild, each source said when
/// it is missing rather than read as "not exploited".
fn exploitation(vulnerability: &VulnerabilityDetails, b: &mut Builder) {
    use Dimension::Likelihood as L;
    let mut missing = Vec::new();
    match (&vulnerability.kev, &vulnerability.kev_listing) {
        (Some(true), Some(listing)) => {
            b.add(
                L,
                "kev",
                3,
                format!(
                    "{} is listed in CISA Known Exploited Vulnerabilities since {} (federal due date {})",
                    listing.cve, listing.date_added, listing.due_date
                ),
            );
            if listing.ransomware {
                b.add(L, "kev-ransomware", 1, "known to be used in ransomware campaigns");
            }
        }
        (Some(true), None) => b.add(L, "kev", 3, "listed in CISA Known Exploited Vulnerabilities"),
        (Some(false), _) => {}
        (None, _) => missing.push("CISA KEV"),
    }
    let listed = vulnerability.kev == Some(true);
    match &vulnerability.exploits {
        Some(exploits) if !exploits.is_empty() && !listed => b.add(
            L,
            "public-exploit",
            2,
            format!("public exploit: {}", exploits.join(", ")),
        ),
        Some(_) => {}
        None => missing.push("ExploitDB"),
    }
    match vulnerability.epss {
        Some(epss) => {
            let percentile = vulnerability
                .epss_percentile
                .map(|p| format!(", percentile {:.1}", p * 100.0))
                .unwrap_or_default();
            let (value, meaning) = if epss >= 0.5 {
                (2, "exploitation activity likely in the next 30 days")
            } else if epss >= 0.1 {
                (1, "exploitation activity plausible in the next 30 days")
            } else if epss < 0.01 && !listed {
                (-1, "exploitation activity unlikely in the next 30 days")
            } else {
                (0, "")
            };
            if value != 0 {
                b.add(L, "epss", value, format!("EPSS {epss:.3}{percentile}: {meaning}"));
            }
        }
        None => missing.push("EPSS"),
    }
    if !missing.is_empty() {
        b.assumptions.push(format!(
            "exploitation signals not available ({}): not weighed",
            missing.join(", ")
        ));
    }
}

fn reachability(vulnerability: &VulnerabilityDetails, b: &mut Builder) {
    use Dimension::Likelihood as L;
    match vulnerability.reachability {
        Reachability::FunctionCalled => b.add(
            L,
            "reachability",
            2,
            match vulnerability.reachability_evidence.first() {
                Some(call) => format!("a vulnerable function is called ({})", call.location()),
                None => "a vulnerable function is called".to_owned(),
            },
        ),
        Reachability::Imported => b.add(
            L,
            "reachability",
            1,
            match vulnerability.reachability_evidence.first() {
                Some(place) => format!(
                    "the package is imported by production code ({})",
                    place.location()
                ),
                None => "the package is imported by production code".to_owned(),
            },
        ),
        // A transitive package is reached through the packages that depend on it, so not importing it
        // directly says less than a direct dependency nobody imports.
        Reachability::Present if vulnerability.direct == Some(false) => b.add(
            L,
            "reachability",
            -1,
            "transitive dependency not imported by the production code beside its lockfile; it runs only \
             through the packages that depend on it",
        ),
        Reachability::Present => b.add(
            L,
            "reachability",
            -2,
            "declared but not imported by the production code beside its lockfile",
        ),
        Reachability::DevOnly => b.add(
            L,
            "reachability",
            -3,
            "development/test dependency: not shipped to production",
        ),
        Reachability::Unknown => b.assumptions.push(
            "reachability unknown: no code of the package's language was read beside its manifest, or its \
             module names cannot be told from the package name"
                .into(),
        ),
    }
}

fn impact(
    finding: &Finding,
    assets: &[&Asset],
    components: &[&Component],
    cvss: Option<&Parsed>,
    effects: Effects,
    scope: &Scope,
    b: &mut Builder,
) {
    use Dimension::Impact as I;
    match (&finding.hints.impact, cvss) {
        (Some((value, why)), _) => b.add(I, "base", *value as i8, why.clone()),
        (None, Some(c)) => b.add(I, "base", c.impact, c.impact_why.clone()),
        (None, None) => {
            b.add(I, "base", 5, "no CVSS vector or rule base: assumed medium");
            b.assumptions
                .push("impact base assumed medium: the advisory publishes no CVSS vector".into());
        }
    }
    // The most sensitive data the finding touches, through its assets or their components.
    let mut classes: Vec<(DataClass, String)> = Vec::new();
    for asset in assets {
        classes.extend(asset.data_classes.iter().map(|c| (*c, asset.name.clone())));
    }
    for component in components {
        classes.extend(
            component
                .data_classes
                .iter()
                .map(|c| (*c, component.name.clone())),
        );
    }
    classes.sort();
    if effects.availability_only() {
        if let Some((class, holder)) = classes.first() {
            b.add(
                I,
                "data-sensitivity",
                0,
                format!(
                    "{holder} holds {} data, but the flaw only affects availability",
                    class.as_str()
                ),
            );
        }
    } else if let Some((class, holder)) = classes.first() {
        let value = match class {
            DataClass::Secrets | DataClass::Pci | DataClass::Phi => 2,
            DataClass::Pii => 1,
            DataClass::Internal | DataClass::Public => 0,
        };
        if value > 0 {
            b.add(
                I,
                "data-sensitivity",
                value,
                format!("{holder} holds {} data", class.as_str()),
            );
        }
        // Regulations penalise disclosure of the data they protect.
        let regulated: Vec<&str> = scope
            .objectives
            .iter()
            .filter(|o| {
                effects.confidentiality
                    && o.regulated_data()
                        .is_some_and(|r| classes.iter().any(|(c, _)| *c == r))
            })
            .map(|o| o.as_str())
            .collect();
        if !regulated.is_empty() {
            b.add(
                I,
                "regulation",
                1,
                format!(
                    "{} in scope and the data it regulates is touched",
                    regulated.join(", ")
                ),
            );
        }
    }
    let critical = assets.iter().map(|a| (a.criticality, a.name.as_str())).max();
    match critical {
        Some((Criticality::Critical, name)) => {
            b.add(I, "criticality", 1, format!("{name} is business-critical"))
        }
        Some((Criticality::Low, name)) => {
            b.add(I, "criticality", -1, format!("{name} is of low criticality"))
        }
        _ => {}
    }
}

fn detectability(
    finding: &Finding,
    assets: &[&Asset],
    effects: Effects,
    telemetry: &Telemetry,
    b: &mut Builder,
) {
    use Dimension::Detectability as D;
    let pipeline = assets.iter().any(|a| a.kind == AssetKind::Pipeline);
    let cloud = assets
        .iter()
        .any(|a| matches!(a.kind, AssetKind::CloudResource | AssetKind::Identity));
    let identity =
        finding.kind == FindingKind::Secret || assets.iter().any(|a| a.kind == AssetKind::Identity);
    let (base, why) = match finding.kind {
        _ if effects.availability_only() => (3, "a denial of service is noticed when it happens"),
        FindingKind::Vulnerability => (8, "exploitation of a library flaw rarely leaves a distinct trace"),
        FindingKind::Secret => (8, "use of a leaked credential looks like legitimate use"),
        _ if pipeline => (
            6,
            "workflow runs are logged by GitHub, but nobody is alerted on them",
        ),
        _ => (7, "misuse of a misconfigured resource looks like normal traffic"),
    };
    b.add(D, "base", base, why);
    let mut found = false;
    if cloud || identity {
        for signal in telemetry.signals(identity) {
            b.add(D, "telemetry", -1, signal);
            found = true;
        }
        for asset in assets {
            if let Some(signal) = telemetry.access_logging(asset) {
                b.add(D, "access-logging", -1, signal);
                found = true;
            }
        }
    }
    if !found {
        b.assumptions.push("no telemetry (audit logging, CloudTrail, GuardDuty, monitoring SDKs) found in code: detectability assumed poor".into());
    }
}

/// What the advisory's CVSS says about likelihood and impact.
struct Parsed {
    summary: Cvss,
    confidentiality: bool,
    integrity: bool,
    likelihood: i8,
    likelihood_why: String,
    impact: i8,
    impact_why: String,
}

fn parse_cvss(vulnerability: &VulnerabilityDetails) -> Option<Parsed> {
    let vector = |kind: &str| {
        vulnerability
            .severity
            .iter()
            .find(|s| s.kind == kind)
            .map(|s| s.score.as_str())
    };
    if let Some(text) = vector("CVSS_V3")
        && let Ok(v) = cvss::v3::Vector::from_str(text)
    {
        let exploitability = v.exploitability().value();
        let impact = impact_subscore(&v);
        let base = v.base_score().value();
        return Some(Parsed {
            summary: Cvss {
                version: "3.x".into(),
                vector: text.to_owned(),
                base_score: base,
            },
            confidentiality: !text.contains("/C:N"),
            integrity: !text.contains("/I:N"),
            likelihood: 1 + (exploitability / 3.887 * 8.0).round() as i8,
            likelihood_why: format!("CVSS exploitability {exploitability:.1} of 3.9 ({text})"),
            // The base tops out at 8 so that data sensitivity and regulation can still raise it.
            impact: 1 + (impact / 6.05 * 7.0).round().clamp(0.0, 7.0) as i8,
            impact_why: format!("CVSS impact {impact:.1} of 6.1, base score {base:.1}"),
        });
    }
    if let Some(text) = vector("CVSS_V4")
        && let Ok(v) = cvss::v4::Vector::from_str(text)
    {
        let base = v.score().value();
        let value = 1 + (base / 10.0 * 8.0).round() as i8;
        return Some(Parsed {
            summary: Cvss {
                version: "4.0".into(),
                vector: text.to_owned(),
                base_score: base,
            },
            confidentiality: !text.contains("/VC:N"),
            integrity: !text.contains("/VI:N"),
            likelihood: value,
            likelihood_why: format!("CVSS v4 base score {base:.1} ({text})"),
            impact: value,
            impact_why: format!("CVSS v4 base score {base:.1}"),
        });
    }
    let level = vector("GHSA")?;
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
}

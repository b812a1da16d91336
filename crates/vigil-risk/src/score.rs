//! Scoring: Likelihood, Impact and Detectability (1..10 each) built from listed factors, RPN = L x I x D,
//! and a band from the scope's thresholds (DESIGN.md §3).
//!
//! Each dimension starts from a base factor (the rule's base, or the advisory's CVSS) and is adjusted by
//! factors seen in the model: exposure, reachability, data sensitivity, regulation, criticality, telemetry.
//! A dimension is the weighted sum of its factors (weights from `[risk.weights]`), rounded and clamped to
//! 1..10. Inputs that are missing are recorded as assumptions (and lower the confidence) instead of
//! silently counting as zero.
//!
//! Vulnerability findings also get the CISA SSVC and BOD 26-04 decisions ([`crate::decisions`]); the
//! scope's `[risk] preset` says whether the RPN or one of those tables sets their band.

use std::collections::HashMap;

use vigil_core::{
    Asset, AssetKind, Component, ComponentKind, Confidence, Criticality, DataClass, Diagnostic, Dimension,
    Factor, Finding, FindingKind, Inventory, Reachability, Scope, Score, Stride, SystemModel,
    VulnerabilityDetails, config::RiskPreset,
};

use crate::cvss_vector::{self, Parsed};
use crate::decisions::{self, Situation};
use crate::telemetry::Telemetry;

/// Controls that make an attack on a component more likely to be noticed.
const DETECTIVE_CONTROLS: [&str; 4] = ["audit-logging", "monitoring", "logging", "waf"];

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

    fn why_availability_only(self, cvss: Option<&Parsed>) -> String {
        match cvss {
            Some(c) => format!(
                "the flaw only affects availability: no confidentiality or integrity impact ({})",
                c.summary.vector
            ),
            None => "the threat only affects availability (denial of service)".to_owned(),
        }
    }
}

/// Scores every finding in place; returns what could not be read (malformed CVSS vectors).
pub fn score(
    findings: &mut [Finding],
    inventory: &Inventory,
    model: &SystemModel,
    scope: &Scope,
) -> Vec<Diagnostic> {
    let context = Context::new(inventory, model, scope);
    let mut diagnostics = Vec::new();
    for finding in findings {
        let (score, problems) = context.score_one(finding);
        let place = finding.evidence.first();
        for problem in problems {
            diagnostics.push(Diagnostic::warning(
                place.map_or(".", |e| e.path.as_str()),
                place.and_then(|e| e.line),
                format!(
                    "{}: {problem}; scored from the advisory's other severity data",
                    finding.advisory_ids.first().map_or("advisory", String::as_str)
                ),
            ));
        }
        finding.score = score;
    }
    diagnostics
}

/// What every finding's score reads, indexed once.
struct Context<'a> {
    inventory: &'a Inventory,
    model: &'a SystemModel,
    scope: &'a Scope,
    telemetry: Telemetry,
    components_of_asset: HashMap<&'a str, Vec<usize>>,
    component_index: HashMap<&'a str, usize>,
    /// For each component, the components with a flow into it.
    callers: Vec<Vec<usize>>,
    /// Components an external entity reaches through a flow marked unauthenticated.
    open_to_anyone: Vec<bool>,
}

impl<'a> Context<'a> {
    fn new(inventory: &'a Inventory, model: &'a SystemModel, scope: &'a Scope) -> Self {
        let mut components_of_asset: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut component_index = HashMap::new();
        for (i, component) in model.components.iter().enumerate() {
            component_index.insert(component.id.as_str(), i);
            for asset in &component.assets {
                components_of_asset.entry(asset.0.as_str()).or_default().push(i);
            }
        }
        let mut callers = vec![Vec::new(); model.components.len()];
        let mut open_to_anyone = vec![false; model.components.len()];
        for flow in &model.flows {
            let (Some(&from), Some(&to)) = (
                component_index.get(flow.source.as_str()),
                component_index.get(flow.target.as_str()),
            ) else {
                continue;
            };
            if from != to && !callers[to].contains(&from) {
                callers[to].push(from);
            }
            if flow.authenticated == Some(false)
                && model.components[from].kind == ComponentKind::ExternalEntity
            {
                open_to_anyone[to] = true;
            }
        }
        Self {
            inventory,
            model,
            scope,
            telemetry: Telemetry::find(inventory),
            components_of_asset,
            component_index,
            callers,
            open_to_anyone,
        }
    }

    /// The components a finding touches: named ones, then those standing for its assets.
    fn components(&self, finding: &Finding) -> Vec<&'a Component> {
        let mut found: Vec<usize> = finding
            .components
            .iter()
            .filter_map(|id| self.component_index.get(id.as_str()).copied())
            .collect();
        for asset in &finding.assets {
            found.extend(
                self.components_of_asset
                    .get(asset.0.as_str())
                    .into_iter()
                    .flatten(),
            );
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| &self.model.components[i]).collect()
    }

    /// Components of the system (not external entities) that depend on any of these, directly or through
    /// others: what breaks or is exposed next when they are compromised.
    fn dependents(&self, components: &[&Component]) -> Vec<&'a Component> {
        let start: Vec<usize> = components
            .iter()
            .filter_map(|c| self.component_index.get(c.id.as_str()).copied())
            .collect();
        let mut seen = vec![false; self.model.components.len()];
        for &i in &start {
            seen[i] = true;
        }
        let mut queue = start;
        let mut found = Vec::new();
        while let Some(i) = queue.pop() {
            for &caller in &self.callers[i] {
                if !seen[caller] {
                    seen[caller] = true;
                    queue.push(caller);
                    let component = &self.model.components[caller];
                    if component.kind != ComponentKind::ExternalEntity {
                        found.push(component);
                    }
                }
            }
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    fn score_one(&self, finding: &Finding) -> (Score, Vec<String>) {
        let assets: Vec<&Asset> = finding
            .assets
            .iter()
            .filter_map(|id| self.inventory.get(id))
            .collect();
        let components = self.components(finding);
        let mut b = Builder {
            factors: Vec::new(),
            assumptions: Vec::new(),
            scope: self.scope,
        };
        let (cvss, problems) = match finding.vulnerability.as_ref() {
            Some(v) => cvss_vector::parse(v),
            None => (None, Vec::new()),
        };
        for problem in &problems {
            b.assumptions.push(format!("{problem}: ignored"));
        }
        let effects = Effects::of(finding, cvss.as_ref());
        let exposed = exposed_component(&assets, &components);
        let data = sensitive_data(&assets, &components);
        let critical = assets.iter().map(|a| (a.criticality, a.name.as_str())).max();

        let unauthenticated = components
            .iter()
            .find(|c| {
                c.internet_facing
                    && self
                        .component_index
                        .get(c.id.as_str())
                        .is_some_and(|&i| self.open_to_anyone[i])
            })
            .map(|c| c.name.as_str());
        likelihood(
            finding,
            exposed.as_deref(),
            unauthenticated,
            cvss.as_ref(),
            &mut b,
        );
        impact(
            finding,
            &data,
            critical,
            &self.dependents(&components),
            cvss.as_ref(),
            effects,
            self.scope,
            &mut b,
        );
        detectability(finding, &assets, &components, effects, &self.telemetry, &mut b);

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
        let decisions = finding
            .vulnerability
            .as_ref()
            .map(|v| {
                let situation = Situation {
                    internet_facing: exposed.as_deref(),
                    data: data.first().map(|(c, holder)| (*c, holder.as_str())),
                    critical: critical
                        .filter(|(c, _)| *c == Criticality::Critical)
                        .map(|(_, name)| name),
                };
                decisions::evaluate(v, cvss.as_ref(), &situation)
            })
            .unwrap_or_default();
        let mut band = self.scope.risk.bands.band(rpn);
        let deciding = match self.scope.risk.preset {
            RiskPreset::Rpn => None,
            RiskPreset::Ssvc => decisions.iter().find(|d| d.policy == decisions::SSVC),
            RiskPreset::Bod2604 => decisions.iter().find(|d| d.policy == decisions::BOD_26_04),
        };
        let band_from = deciding.map(|d| {
            band = d.band;
            format!("{}: {}", d.policy, d.outcome)
        });
        let score = Score {
            likelihood: l,
            impact: i,
            detectability: d,
            rpn,
            band,
            confidence,
            cvss: cvss.map(|c| c.summary),
            factors: b.factors,
            assumptions: b.assumptions,
            decisions,
            band_from,
        };
        (score, problems)
    }
}

struct Builder<'s> {
    factors: Vec<Factor>,
    assumptions: Vec<String>,
    scope: &'s Scope,
}

impl Builder<'_> {
    fn add(&mut self, dimension: Dimension, name: &str, value: i8, evidence: impl Into<String>) {
        self.factors.push(Factor {
            dimension,
            name: name.to_owned(),
            value,
            weight: self.scope.risk.weight(name),
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

/// The first Internet-facing component or asset the finding touches.
fn exposed_component(assets: &[&Asset], components: &[&Component]) -> Option<String> {
    components
        .iter()
        .find(|c| c.internet_facing)
        .map(|c| c.name.clone())
        .or_else(|| {
            assets
                .iter()
                .find(|a| a.attr_bool("internet_facing") == Some(true))
                .map(|a| a.name.clone())
        })
}

/// Data classes the finding touches through its assets or their components, most sensitive first.
fn sensitive_data(assets: &[&Asset], components: &[&Component]) -> Vec<(DataClass, String)> {
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
    classes
}

fn likelihood(
    finding: &Finding,
    exposed: Option<&str>,
    unauthenticated: Option<&str>,
    cvss: Option<&Parsed>,
    b: &mut Builder,
) {
    use Dimension::Likelihood as L;
    match (&finding.hints.likelihood, cvss) {
        (Some((value, why)), _) => b.add(L, "base", *value as i8, why.clone()),
        (None, Some(c)) => b.add(L, "base", c.likelihood, c.likelihood_why.clone()),
        (None, None) => {
            b.add(L, "base", 5, "assumed medium: no CVSS vector and no rule base");
            b.assumptions
                .push("likelihood base assumed medium: the advisory publishes no CVSS vector".into());
        }
    }
    if !finding.hints.exposes_to_internet {
        if let Some(name) = exposed {
            b.add(
                L,
                "internet-exposure",
                2,
                format!("{name} is reachable from the Internet"),
            );
        }
        // A route that takes requests without authentication lets anyone try: only for flaws in what
        // such a component runs, not for its infrastructure's own settings.
        if finding.kind == FindingKind::Vulnerability
            && let Some(name) = unauthenticated
        {
            b.add(
                L,
                "unauthenticated",
                1,
                format!("{name} takes Internet requests without authentication"),
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

#[allow(clippy::too_many_arguments)] // each input is one factor of the dimension
fn impact(
    finding: &Finding,
    data: &[(DataClass, String)],
    critical: Option<(Criticality, &str)>,
    dependents: &[&Component],
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
            b.add(I, "base", 5, "assumed medium: no CVSS vector and no rule base");
            b.assumptions
                .push("impact base assumed medium: the advisory publishes no CVSS vector".into());
        }
    }
    if effects.availability_only() {
        let held = data
            .first()
            .map(|(class, holder)| {
                format!(
                    "; {holder} holds {} data, but it cannot be read or changed this way",
                    class.as_str()
                )
            })
            .unwrap_or_default();
        b.add(
            I,
            "availability-only",
            0,
            format!("{}{held}", effects.why_availability_only(cvss)),
        );
    } else if let Some((class, holder)) = data.first() {
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
                        .is_some_and(|r| data.iter().any(|(c, _)| *c == r))
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
    match critical {
        Some((Criticality::Critical, name)) => {
            b.add(I, "criticality", 1, format!("{name} is business-critical"))
        }
        Some((Criticality::Low, name)) => {
            b.add(I, "criticality", -1, format!("{name} is of low criticality"))
        }
        _ => {}
    }
    if dependents.len() >= 2 {
        let names: Vec<&str> = dependents.iter().take(3).map(|c| c.name.as_str()).collect();
        let more = dependents
            .len()
            .checked_sub(3)
            .filter(|n| *n > 0)
            .map(|n| format!(" and {n} more"))
            .unwrap_or_default();
        b.add(
            I,
            "blast-radius",
            if dependents.len() >= 5 { 2 } else { 1 },
            format!(
                "{} components depend on it through the data-flow model: {}{more}",
                dependents.len(),
                names.join(", ")
            ),
        );
    }
}

fn detectability(
    finding: &Finding,
    assets: &[&Asset],
    components: &[&Component],
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
            "workflow runs are logged by the CI provider, but nobody is alerted on them",
        ),
        _ => (
            7,
            "misuse looks like normal traffic unless something watches for it",
        ),
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
    // Detective controls in the code or IaC of the components involved; at most two count, since several
    // loggers do not make an attack twice as visible. For cloud resources, audit logging is the account's
    // trail, which the telemetry factors above already weigh (as control-plane only).
    let mut controls: Vec<(String, String)> = Vec::new();
    for component in components {
        for name in DETECTIVE_CONTROLS {
            if (cloud || identity) && name == "audit-logging" {
                continue;
            }
            if let Some(control) = component.control(&[name])
                && !controls.iter().any(|(n, _)| n == name)
            {
                let place = control
                    .evidence
                    .first()
                    .map(|e| format!(" ({})", e.location()))
                    .unwrap_or_default();
                controls.push((name.to_owned(), format!("{} has {name}{place}", component.name)));
            }
        }
    }
    for (_, evidence) in controls.into_iter().take(2) {
        b.add(D, "detective-control", -1, evidence);
        found = true;
    }
    if !found {
        b.assumptions.push("no telemetry (audit logging, CloudTrail, GuardDuty, monitoring SDKs, WAF) found for what this finding touches: detectability assumed poor".into());
    }
}

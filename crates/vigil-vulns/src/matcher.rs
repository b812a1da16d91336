//! Matching the inventory's dependencies against advisories.
//!
//! Every dependency either gets checked or is counted under a reason it was not (no comparator for its
//! ecosystem, no advisories for its ecosystem, not a registry package, unreadable version), and those
//! counts become `not_checked` entries: a package that was not matched is never reported clean.

use std::collections::BTreeMap;

use vigil_core::{
    AdvisoryWarning, Asset, Dependency, Diagnostic, Ecosystem, Finding, FindingKind, Inventory, NotChecked,
    VulnerabilityDetails, fingerprint,
};

use crate::db::AdvisorySource;
use crate::range::{self, Unreadable};
use crate::reachability;
use crate::record::PackageAdvisory;
use crate::version;

#[derive(Debug, Default)]
pub struct VulnOutput {
    pub findings: Vec<Finding>,
    pub warnings: Vec<AdvisoryWarning>,
    pub diagnostics: Vec<Diagnostic>,
    pub not_checked: Vec<NotChecked>,
    /// Dependencies actually compared with advisories.
    pub checked: usize,
}

/// Why a dependency was not compared with advisories.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Skip {
    NoFeed(Ecosystem),
    NoComparator(Ecosystem),
    NoAdvisories(Ecosystem),
    NotFromRegistry,
    UnreadableVersion,
}

/// (manifest, ecosystem, package): the unit an upgrade action changes.
type PackageKey = (String, Ecosystem, String);

/// One affected dependency version, before findings are built.
struct Hit<'a> {
    asset: &'a Asset,
    dependency: Dependency,
    advisory: PackageAdvisory,
    fixed: Option<String>,
}

pub fn run(inventory: &Inventory, source: Option<&dyn AdvisorySource>) -> VulnOutput {
    let mut out = VulnOutput::default();
    let dependencies: Vec<(&Asset, Dependency)> = inventory
        .assets
        .iter()
        .filter_map(|asset| Dependency::from_asset(asset).map(|d| (asset, d)))
        .collect();
    let Some(source) = source else {
        if !dependencies.is_empty() {
            out.not_checked.push(NotChecked {
                what: format!("{} dependencies", dependencies.len()),
                why: "no advisory database: run `vigil db import PATH` or pass `--advisories PATH`".into(),
            });
        }
        return out;
    };

    let mut skipped: BTreeMap<Skip, usize> = BTreeMap::new();
    let mut unreadable: Vec<Unreadable> = Vec::new();
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let mut by_package: BTreeMap<PackageKey, Vec<(version::Version, Vec<PackageAdvisory>)>> = BTreeMap::new();

    for (asset, dependency) in dependencies {
        let ecosystem = dependency.ecosystem;
        if asset.attr_str("source").is_some_and(|s| s != "registry") {
            *skipped.entry(Skip::NotFromRegistry).or_default() += 1;
            continue;
        }
        if !ecosystem.has_osv_feed() {
            *skipped.entry(Skip::NoFeed(ecosystem)).or_default() += 1;
            continue;
        }
        if !version::supported(ecosystem) {
            *skipped.entry(Skip::NoComparator(ecosystem)).or_default() += 1;
            continue;
        }
        if !source.covers(ecosystem) {
            *skipped.entry(Skip::NoAdvisories(ecosystem)).or_default() += 1;
            continue;
        }
        let Some(installed) = version::parse(ecosystem, &dependency.version) else {
            *skipped.entry(Skip::UnreadableVersion).or_default() += 1;
            let evidence = asset.evidence.first().cloned().unwrap_or_default();
            out.diagnostics.push(Diagnostic::warning(
                evidence.path,
                evidence.line,
                format!(
                    "{} version `{}` of {} is not a valid {ecosystem} version; it was not matched",
                    ecosystem, dependency.version, dependency.name
                ),
            ));
            continue;
        };
        let advisories = match source.lookup(ecosystem, &ecosystem.normalize_name(&dependency.name)) {
            Ok(advisories) => advisories,
            Err(error) => {
                out.diagnostics.push(Diagnostic::error(
                    asset.path(),
                    None,
                    format!("advisory lookup failed: {error}"),
                ));
                *skipped.entry(Skip::UnreadableVersion).or_default() += 1;
                continue;
            }
        };
        out.checked += 1;
        let mut affecting = Vec::new();
        for advisory in advisories {
            let Some(hit) = range::affects(ecosystem, &advisory, &installed, &mut unreadable) else {
                continue;
            };
            if let Some(kind) = &advisory.informational {
                out.warnings.push(AdvisoryWarning {
                    advisory_id: advisory.id.clone(),
                    kind: kind.clone(),
                    ecosystem,
                    package: dependency.name.clone(),
                    version: dependency.version.clone(),
                    title: advisory.summary.clone(),
                    asset: asset.id.clone(),
                    evidence: asset.evidence.first().cloned().unwrap_or_default(),
                });
                continue;
            }
            affecting.push(advisory.clone());
            hits.push(Hit {
                asset,
                dependency: dependency.clone(),
                advisory,
                fixed: hit.fixed,
            });
        }
        if !affecting.is_empty() {
            by_package
                .entry((asset.path().to_owned(), ecosystem, dependency.name.clone()))
                .or_default()
                .push((installed, affecting));
        }
    }

    let targets: BTreeMap<PackageKey, Option<String>> = by_package
        .iter()
        .map(|(key, versions)| (key.clone(), package_target(key.1, versions)))
        .collect();
    for hit in hits {
        let key = (
            hit.asset.path().to_owned(),
            hit.dependency.ecosystem,
            hit.dependency.name.clone(),
        );
        let target = targets.get(&key).cloned().flatten();
        out.findings.push(finding(hit, target, &inventory.imports));
    }

    report_skips(&skipped, &mut out.not_checked);
    unreadable.sort_by(|a, b| (&a.advisory, &a.version).cmp(&(&b.advisory, &b.version)));
    unreadable.dedup();
    for u in unreadable {
        out.diagnostics.push(Diagnostic::info(
            "advisory-db",
            None,
            format!(
                "{}: version `{}` cannot be ordered; the range holding it was not evaluated",
                u.advisory, u.version
            ),
        ));
    }
    out.findings.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    out.warnings
        .sort_by(|a, b| (&a.asset, &a.advisory_id).cmp(&(&b.asset, &b.advisory_id)));
    out
}

/// The smallest version that fixes every advisory of every installed version of a package in one
/// manifest: the largest of the per-version targets, or `None` if any version has no fix.
fn package_target(
    ecosystem: Ecosystem,
    versions: &[(version::Version, Vec<PackageAdvisory>)],
) -> Option<String> {
    let mut best: Option<(version::Version, String)> = None;
    for (installed, advisories) in versions {
        let refs: Vec<&PackageAdvisory> = advisories.iter().collect();
        let target = range::upgrade_target(ecosystem, &refs, installed)?;
        let parsed = version::parse(ecosystem, &target)?;
        if best.as_ref().is_none_or(|(v, _)| parsed > *v) {
            best = Some((parsed, target));
        }
    }
    best.map(|(_, text)| text)
}

fn finding(hit: Hit<'_>, upgrade_to: Option<String>, imports: &[vigil_core::ModuleImport]) -> Finding {
    let Hit {
        asset,
        dependency,
        advisory,
        fixed,
    } = hit;
    let ecosystem = dependency.ecosystem;
    let manifest = asset.path().to_owned();
    let fingerprint = fingerprint(&[
        "vulnerability",
        &advisory.id,
        ecosystem.osv_name(),
        &ecosystem.normalize_name(&dependency.name),
        &dependency.version,
        &manifest,
    ]);
    let mut finding = Finding::new(
        FindingKind::Vulnerability,
        fingerprint,
        format!("{} {}: {}", dependency.name, dependency.version, advisory.summary),
    );
    let mut ids = vec![advisory.id.clone()];
    let mut aliases = advisory.aliases.clone();
    aliases.sort();
    ids.extend(aliases.into_iter().filter(|a| *a != advisory.id));
    ids.dedup();
    finding.advisory_ids = ids;
    finding.description = advisory.summary.clone();
    finding.cwe = advisory.cwe.clone();
    finding.assets = vec![asset.id.clone()];
    if let Some(service) = asset.attr_str("service") {
        finding.assets.push(vigil_core::AssetId(service.to_owned()));
    }
    finding.evidence = asset.evidence.clone();
    finding.remediation = match (&fixed, &upgrade_to) {
        (_, Some(target)) => format!("Upgrade {} to {target} or later.", dependency.name),
        (Some(fix), None) => format!(
            "{fix} fixes this advisory, but no single version fixes every advisory of {}; replace it or mitigate.",
            dependency.name
        ),
        (None, None) => format!(
            "No fixed version of {} is published; replace it or mitigate.",
            dependency.name
        ),
    };
    let (reachability, reachability_evidence) = reachability::grade(
        ecosystem,
        &dependency.name,
        dependency.scope,
        asset.path(),
        imports,
    );
    finding.vulnerability = Some(VulnerabilityDetails {
        ecosystem,
        package: dependency.name.clone(),
        installed: dependency.version.clone(),
        fixed,
        upgrade_to,
        direct: dependency.direct,
        scope: dependency.scope,
        reachability,
        reachability_evidence,
        reachability_note: None,
        vulnerable_functions: advisory.functions.clone(),
        severity: advisory.severity.clone(),
        kev: None,
        kev_listing: None,
        epss: None,
        epss_percentile: None,
        exploits: None,
        references: advisory.references.clone(),
    });
    finding
}

fn report_skips(skipped: &BTreeMap<Skip, usize>, not_checked: &mut Vec<NotChecked>) {
    for (skip, count) in skipped {
        let (what, why) = match skip {
            Skip::NoFeed(eco) => (
                format!("{count} {eco} dependencies"),
                format!("no public advisory database covers {eco} packages; they were not matched"),
            ),
            Skip::NoComparator(eco) => (
                format!("{count} {eco} dependencies"),
                format!("version ordering for {eco} is not implemented yet; they were not matched"),
            ),
            Skip::NoAdvisories(eco) => (
                format!("{count} {eco} dependencies"),
                format!("the advisory data has no {eco} advisories; import the OSV {eco} all.zip"),
            ),
            Skip::NotFromRegistry => (
                format!("{count} dependencies from git, local paths or private registries"),
                "advisories describe published packages; these were not matched".into(),
            ),
            Skip::UnreadableVersion => (
                format!("{count} dependencies"),
                "their version could not be read or looked up (see diagnostics)".into(),
            ),
        };
        not_checked.push(NotChecked { what, why });
    }
}

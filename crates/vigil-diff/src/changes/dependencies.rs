//! Vulnerable dependencies the newer revision added: a package at a version with at least one open
//! vulnerability finding, which the older revision did not have in that service at that version (a new
//! package, or an upgrade or downgrade onto a vulnerable version). Keyed by service, ecosystem, package
//! and version, so moving a lockfile inside its service changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use vigil_core::{Asset, AssetKind, Band, FindingKind, Status};

use super::{View, change, first, list};
use crate::{ChangeKind, MaterialChange};

/// An added dependency and the advisories open on it.
struct Vulnerable<'a> {
    asset: &'a Asset,
    advisories: Vec<String>,
    worst: Band,
}

pub(super) fn vulnerable_added(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    let before: BTreeSet<String> = old
        .assessment
        .inventory
        .of_kind(AssetKind::Dependency)
        .map(|a| old.ids.of_asset(a))
        .collect();
    let inventory = &new.assessment.inventory;
    let mut added: BTreeMap<String, Vulnerable<'_>> = BTreeMap::new();
    for finding in new
        .assessment
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Vulnerability && f.status == Status::Open)
    {
        for asset in finding
            .assets
            .iter()
            .filter_map(|id| inventory.get(id))
            .filter(|a| a.kind == AssetKind::Dependency)
        {
            let key = new.ids.of_asset(asset);
            if before.contains(&key) {
                continue;
            }
            let entry = added.entry(key).or_insert_with(|| Vulnerable {
                asset,
                advisories: Vec::new(),
                worst: finding.score.band,
            });
            entry.worst = entry.worst.max(finding.score.band);
            if let Some(advisory) = finding.advisory_ids.first()
                && !entry.advisories.contains(advisory)
            {
                entry.advisories.push(advisory.clone());
            }
        }
    }
    added
        .into_iter()
        .map(|(key, mut vulnerable)| {
            vulnerable.advisories.sort();
            let asset = vulnerable.asset;
            let version = asset.attr_str("version").unwrap_or_default();
            let scope = asset.attr_str("scope").unwrap_or("prod");
            change(
                ChangeKind::VulnerableDependencyAdded,
                key,
                format!(
                    "Vulnerable {} {version} added to {}",
                    asset.name,
                    new.ids.service_of(asset)
                ),
                first(&asset.evidence, 1),
                format!(
                    "{} open advisor{} ({}), worst band {}; {scope} dependency",
                    vulnerable.advisories.len(),
                    if vulnerable.advisories.len() == 1 {
                        "y"
                    } else {
                        "ies"
                    },
                    list(&vulnerable.advisories, 5),
                    vulnerable.worst
                ),
            )
        })
        .collect()
}

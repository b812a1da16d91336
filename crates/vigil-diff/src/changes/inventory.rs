//! What the inventory gained: datastores (from code or infrastructure), third parties and AI
//! integrations. Third parties and AI come from the SDK catalog, so they are keyed by the catalog's id and
//! stay one integration however many files import them.

use std::collections::BTreeSet;

use vigil_core::{Asset, AssetKind, DataClass};
use vigil_model::datastore_types::is_datastore;
use vigil_model::terraform::mode;

use super::{View, change, first, list};
use crate::{ChangeKind, MaterialChange};

/// SDK categories of libraries that run in-process rather than a party data goes to: the model draws no
/// flow to them either.
const NOT_A_PARTY: &[&str] = &["auth-library", "logging", "cloud"];

/// Assets of `new` that `wanted` selects and whose key `old` lacks, one per key.
fn added<'a>(old: &View<'_>, new: &View<'a>, wanted: impl Fn(&Asset) -> bool) -> Vec<(String, &'a Asset)> {
    let before: BTreeSet<String> = old
        .assessment
        .inventory
        .assets
        .iter()
        .filter(|a| wanted(a))
        .map(|a| old.ids.of_asset(a))
        .collect();
    let mut seen = BTreeSet::new();
    new.assessment
        .inventory
        .assets
        .iter()
        .filter(|a| wanted(a))
        .filter_map(|asset| {
            let key = new.ids.of_asset(asset);
            (!before.contains(&key) && seen.insert(key.clone())).then_some((key, asset))
        })
        .collect()
}

fn is_store(asset: &Asset) -> bool {
    match asset.kind {
        AssetKind::Datastore => true,
        AssetKind::CloudResource => {
            mode(asset) == "managed" && asset.attr_str("resource_type").is_some_and(is_datastore)
        }
        _ => false,
    }
}

fn is_third_party(asset: &Asset) -> bool {
    let category = asset.attr_str("category").unwrap_or_default();
    match asset.kind {
        AssetKind::Integration => !NOT_A_PARTY.contains(&category),
        AssetKind::Identity => category == "identity-provider",
        _ => false,
    }
}

fn strings(asset: &Asset, key: &str) -> Vec<String> {
    asset
        .attributes
        .get(key)
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn classes(classes: &[DataClass]) -> String {
    let names: Vec<String> = classes.iter().map(|c| c.as_str().to_owned()).collect();
    list(&names, 6)
}

/// Services by name, from the `services` attribute of a catalog SDK.
fn users(view: &View<'_>, asset: &Asset) -> String {
    let names: Vec<String> = strings(asset, "services")
        .iter()
        .map(|id| {
            view.assessment
                .inventory
                .get(&vigil_core::AssetId(id.clone()))
                .map_or_else(|| id.clone(), |service| service.name.clone())
        })
        .collect();
    list(&names, 5)
}

fn usage(asset: &Asset) -> &'static str {
    match asset.attr_bool("imported") {
        Some(true) => "imported by the code",
        Some(false) => "declared as a dependency, not imported yet",
        None => "",
    }
}

pub(super) fn datastores(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    added(old, new, is_store)
        .into_iter()
        .map(|(key, asset)| {
            let what = match (asset.attr_str("resource_type"), asset.attr_str("engine")) {
                (Some(resource_type), _) => resource_type.to_owned(),
                (None, Some(engine)) => format!(
                    "{engine}, found by {}",
                    asset.attr_str("detected_by").unwrap_or("the code")
                ),
                (None, None) => "datastore".to_owned(),
            };
            change(
                ChangeKind::DatastoreAdded,
                key,
                format!("Datastore {} added", asset.name),
                first(&asset.evidence, 2),
                format!("{what}; holds {}", classes(&asset.data_classes)),
            )
        })
        .collect()
}

pub(super) fn third_parties(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    added(old, new, is_third_party)
        .into_iter()
        .map(|(key, asset)| {
            let category = asset.attr_str("category").unwrap_or("integration");
            change(
                ChangeKind::ThirdPartyAdded,
                key,
                format!("Third party {} added ({category})", asset.name),
                first(&asset.evidence, 2),
                format!(
                    "{}; used by {}; receives {}",
                    usage(asset),
                    users(new, asset),
                    classes(&asset.data_classes)
                ),
            )
        })
        .collect()
}

pub(super) fn ai_integrations(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    added(old, new, |a| a.kind == AssetKind::AiUsage)
        .into_iter()
        .map(|(key, asset)| {
            let (title, detail) = match asset.attr_str("artifact") {
                Some(artifact) => (
                    format!("AI {artifact} {} added", asset.name),
                    asset.attr_str("format").unwrap_or(artifact).to_owned(),
                ),
                None => (
                    format!(
                        "AI integration {} added ({})",
                        asset.name,
                        asset.attr_str("category").unwrap_or("ai")
                    ),
                    format!("{}; used by {}", usage(asset), users(new, asset)),
                ),
            };
            change(
                ChangeKind::AiIntegrationAdded,
                key,
                title,
                first(&asset.evidence, 2),
                detail,
            )
        })
        .collect()
}

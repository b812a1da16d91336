//! Classification: which data each asset holds, whether it faces the Internet, and how critical it is.
//!
//! Sources, strongest first: the scope's `[[override]]` entries; resource tags (`DataClassification =
//! "pii"`); the resource's name (`customer-records` suggests PII), marked as inferred. Criticality follows
//! from them: secrets, card or health data make an asset critical, personal data or Internet exposure
//! make it high. A service's role raises it too: taking payments (a payments SDK) makes it critical, as
//! it is in PCI DSS scope even when card numbers never reach it; authenticating users or fetching
//! secrets (an identity or secrets-management SDK) makes it high. Every conclusion is written into the
//! asset's `classification` attribute with its reason.

use std::collections::BTreeMap;

use globset::Glob;
use serde_json::Value;
use vigil_core::{Asset, AssetId, AssetKind, Criticality, DataClass, Evidence, Inventory, Scope};

use crate::datastore_types;
use crate::terraform::config;

/// Tag keys that name a data classification (compared case-insensitively, ignoring `-` and `_`).
const CLASSIFICATION_TAGS: [&str; 5] = [
    "dataclassification",
    "classification",
    "sensitivity",
    "dataclass",
    "datasensitivity",
];

/// Words in a value or name, and the data class they indicate.
const WORDS: [(&str, DataClass); 22] = [
    ("secret", DataClass::Secrets),
    ("secrets", DataClass::Secrets),
    ("credential", DataClass::Secrets),
    ("credentials", DataClass::Secrets),
    ("pci", DataClass::Pci),
    ("card", DataClass::Pci),
    ("cards", DataClass::Pci),
    ("cardholder", DataClass::Pci),
    ("payment", DataClass::Pci),
    ("payments", DataClass::Pci),
    ("phi", DataClass::Phi),
    ("patient", DataClass::Phi),
    ("patients", DataClass::Phi),
    ("health", DataClass::Phi),
    ("medical", DataClass::Phi),
    ("pii", DataClass::Pii),
    ("personal", DataClass::Pii),
    ("customer", DataClass::Pii),
    ("customers", DataClass::Pii),
    ("user", DataClass::Pii),
    ("users", DataClass::Pii),
    ("confidential", DataClass::Internal),
];

/// What classification concluded for one asset.
#[derive(Debug, Default, Clone)]
pub struct Classification {
    pub data_classes: BTreeMap<DataClass, String>,
    pub internet_facing: Option<String>,
    pub criticality_override: Option<(Criticality, String)>,
    /// Criticality floors from what a service does, with the reason.
    pub roles: Vec<(Criticality, String)>,
}

/// SDK categories that give the services using them a role, the criticality it implies and the reason.
const ROLES: [(&str, Criticality, &str); 4] = [
    (
        "payments",
        Criticality::Critical,
        "takes payments (PCI DSS scope) through",
    ),
    (
        "identity-provider",
        Criticality::High,
        "authenticates users through",
    ),
    ("auth-library", Criticality::High, "authenticates users with"),
    ("secrets-management", Criticality::High, "fetches secrets from"),
];

fn place(asset: &Asset) -> String {
    asset
        .evidence
        .first()
        .map(|e| format!(" ({})", e.location()))
        .unwrap_or_default()
}

/// The roles of each service, from the SDK assets that list it under `services`.
pub fn roles(inventory: &Inventory) -> BTreeMap<AssetId, Vec<(Criticality, String)>> {
    let mut roles: BTreeMap<AssetId, Vec<(Criticality, String)>> = BTreeMap::new();
    for sdk in inventory.assets.iter().filter(|a| a.attr_str("sdk").is_some()) {
        let Some((_, criticality, verb)) = sdk
            .attr_str("category")
            .and_then(|category| ROLES.iter().find(|(c, _, _)| *c == category))
        else {
            continue;
        };
        let services = sdk.attributes.get("services").and_then(Value::as_array);
        for service in services.into_iter().flatten().filter_map(Value::as_str) {
            roles
                .entry(AssetId(service.to_owned()))
                .or_default()
                .push((*criticality, format!("{verb} {}{}", sdk.name, place(sdk))));
        }
    }
    roles
}

/// Applies classifications (computed beforehand from an immutable view) to the inventory.
pub fn apply(inventory: &mut Inventory, mut found: BTreeMap<AssetId, Classification>) {
    // Services first, so dependencies can inherit their service's criticality.
    let mut service_criticality: BTreeMap<AssetId, Criticality> = BTreeMap::new();
    for asset in inventory
        .assets
        .iter_mut()
        .filter(|a| a.kind != AssetKind::Dependency)
    {
        let classification = found.remove(&asset.id).unwrap_or_default();
        let (criticality, reasons) = criticality_of(asset, &classification);
        write(asset, &classification, criticality, reasons);
        if asset.kind == AssetKind::Service {
            service_criticality.insert(asset.id.clone(), criticality);
        }
    }
    for asset in inventory
        .assets
        .iter_mut()
        .filter(|a| a.kind == AssetKind::Dependency)
    {
        let classification = found.remove(&asset.id).unwrap_or_default();
        let inherited = asset
            .attr_str("service")
            .and_then(|s| service_criticality.get(&AssetId(s.to_owned())))
            .copied()
            .unwrap_or_default();
        let (own, mut reasons) = criticality_of(asset, &classification);
        let criticality = own.max(inherited);
        if inherited > own {
            reasons.push(format!("inherits {} from its service", inherited.as_str()));
        }
        write(asset, &classification, criticality, reasons);
    }
}

fn write(asset: &mut Asset, classification: &Classification, criticality: Criticality, reasons: Vec<String>) {
    asset.criticality = criticality;
    asset.data_classes = classification.data_classes.keys().copied().collect();
    let mut why: Vec<String> = classification
        .data_classes
        .iter()
        .map(|(class, why)| format!("{}: {why}", class.as_str()))
        .collect();
    if let Some(reason) = &classification.internet_facing {
        asset
            .attributes
            .insert("internet_facing".into(), Value::Bool(true));
        why.push(format!("internet-facing: {reason}"));
    }
    why.extend(reasons);
    if !why.is_empty() {
        asset.attributes.insert("classification".into(), Value::from(why));
    }
}

fn criticality_of(asset: &Asset, classification: &Classification) -> (Criticality, Vec<String>) {
    if let Some((criticality, why)) = &classification.criticality_override {
        return (
            *criticality,
            vec![format!("criticality {} {why}", criticality.as_str())],
        );
    }
    let mut criticality = Criticality::Medium;
    let mut reasons = Vec::new();
    let sensitive = classification.data_classes.keys().copied().min();
    match sensitive {
        Some(DataClass::Secrets | DataClass::Pci | DataClass::Phi) => {
            criticality = Criticality::Critical;
            reasons.push("critical: holds secrets, card or health data".to_owned());
        }
        Some(DataClass::Pii) => {
            criticality = Criticality::High;
            reasons.push("high: holds personal data".to_owned());
        }
        _ => {}
    }
    for (floor, why) in &classification.roles {
        criticality = criticality.max(*floor);
        reasons.push(format!("{}: {why}", floor.as_str()));
    }
    if classification.internet_facing.is_some() && criticality < Criticality::High {
        criticality = Criticality::High;
        reasons.push("high: reachable from the Internet".to_owned());
    }
    if asset.kind == AssetKind::Team {
        criticality = Criticality::Low;
    }
    (criticality, reasons)
}

/// Scope overrides matching the asset's declaring file (a later override wins per field).
pub fn overrides(scope: &Scope, asset: &Asset, into: &mut Classification) {
    for entry in &scope.overrides {
        let Ok(glob) = Glob::new(&entry.path) else {
            continue;
        };
        let matcher = glob.compile_matcher();
        if !asset.evidence.iter().any(|e| matcher.is_match(&e.path)) {
            continue;
        }
        let why = format!("vigil.toml:{} matches `{}`", entry.line, entry.path);
        for class in &entry.data_classes {
            into.data_classes.insert(*class, format!("declared in {why}"));
        }
        if let Some(criticality) = entry.criticality {
            into.criticality_override = Some((criticality, format!("declared in {why}")));
        }
        match entry.internet_facing {
            Some(true) => into.internet_facing = Some(format!("declared in {why}")),
            Some(false) => into.internet_facing = None,
            None => {}
        }
    }
}

/// Data classes the extractors already established: a data model's fields classified by the lexicon, the
/// data an SDK typically receives.
pub fn data_from_extraction(asset: &Asset, into: &mut Classification) {
    for class in &asset.data_classes {
        let why = match asset.kind {
            AssetKind::DataModel => {
                let fields: Vec<String> = asset
                    .attributes
                    .get("fields")
                    .and_then(Value::as_array)
                    .map(|fields| {
                        fields
                            .iter()
                            .filter(|f| f.get("data_class").and_then(Value::as_str) == Some(class.as_str()))
                            .filter_map(|f| f.get("name").and_then(Value::as_str).map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                format!("fields {}", fields.join(", "))
            }
            _ if asset.attr_str("sdk").is_some() => {
                format!("{} typically receives {} data", asset.name, class.as_str())
            }
            _ => "found by the extractor".to_owned(),
        };
        into.data_classes.entry(*class).or_insert(why);
    }
}

/// Data classes from a resource's tags and, for datastores, from its name.
pub fn data_from_code(asset: &Asset, into: &mut Classification) {
    let Some(cfg) = config(asset) else { return };
    if let Some(tags) = cfg.get("tags").and_then(Value::as_object) {
        for (key, value) in tags {
            let normalized: String = key
                .chars()
                .filter(|c| *c != '-' && *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
            let Some(text) = value.as_str() else { continue };
            if !CLASSIFICATION_TAGS.contains(&normalized.as_str()) {
                continue;
            }
            for class in classes_in(text) {
                into.data_classes
                    .entry(class)
                    .or_insert_with(|| format!("tag {key} = \"{text}\" on {}", asset.name));
            }
        }
    }
    let is_datastore = asset
        .attr_str("resource_type")
        .is_some_and(datastore_types::is_datastore);
    if is_datastore && into.data_classes.is_empty() {
        let names = [
            asset.attr_str("resource_name"),
            cfg.get("bucket").and_then(Value::as_str),
            cfg.get("identifier").and_then(Value::as_str),
            cfg.get("name").and_then(Value::as_str),
        ];
        for name in names.into_iter().flatten().filter(|n| !n.contains("${")) {
            for class in classes_in(name) {
                into.data_classes
                    .entry(class)
                    .or_insert_with(|| format!("inferred from the name `{name}`"));
            }
        }
    }
}

fn classes_in(text: &str) -> Vec<DataClass> {
    let lower = text.to_ascii_lowercase();
    let mut out: Vec<DataClass> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|word| {
            DataClass::parse(word).or_else(|| WORDS.iter().find(|(w, _)| *w == word).map(|(_, class)| *class))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The reason an asset faces the Internet, with its evidence.
pub fn exposure_reason(reason: &str, evidence: &Evidence) -> String {
    format!("{reason} ({})", evidence.location())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_classes() {
        assert_eq!(classes_in("customer-records"), vec![DataClass::Pii]);
        assert_eq!(classes_in("PCI cardholder data"), vec![DataClass::Pci]);
        assert_eq!(classes_in("patient_scans"), vec![DataClass::Phi]);
        assert_eq!(classes_in("static-assets"), Vec::<DataClass>::new());
        assert_eq!(classes_in("pii"), vec![DataClass::Pii]);
    }
}

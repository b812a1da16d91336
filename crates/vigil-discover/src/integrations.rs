//! Third-party integrations, AI usage, client-library datastores, identity providers and telemetry found
//! through the SDK catalog: a declared dependency or an imported module that the catalog knows becomes one
//! asset per SDK, with the evidence of both. An SDK that is imported is in use; one only declared may be a
//! leftover, and the `imported` attribute says which. `services` lists every service that declares or
//! imports the SDK (from all declarations and import sites, not only the evidence kept), so classification
//! can tell which services take payments or authenticate users.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;
use vigil_core::{Asset, AssetId, AssetKind, Dependency, Evidence, Inventory};

use crate::catalog::{Catalog, Sdk};
use crate::extract::parent_dir;
use crate::services;

/// Evidence kept per SDK and source (declarations, imports).
const MAX_EVIDENCE: usize = 5;

#[derive(Default)]
struct Found {
    declared: Vec<Evidence>,
    packages: Vec<String>,
    imported: Vec<Evidence>,
    import_files: usize,
    services: BTreeSet<String>,
}

/// `raw_imports` are every (language, module, place) the extractors saw, sorted.
pub fn detect(inventory: &mut Inventory, raw_imports: &[(&'static str, String, Evidence)]) {
    let catalog = Catalog::get();
    let service_dirs = services::by_directory(inventory);
    let mut found: BTreeMap<&str, (&Sdk, Found)> = BTreeMap::new();
    for asset in &inventory.assets {
        let Some(dependency) = Dependency::from_asset(asset) else {
            continue;
        };
        let Some(sdk) = catalog.by_package(dependency.ecosystem, &dependency.name) else {
            continue;
        };
        let (_, entry) = found
            .entry(sdk.id.as_str())
            .or_insert_with(|| (sdk, Found::default()));
        if let Some(service) = asset.attr_str("service") {
            entry.services.insert(service.to_owned());
        }
        let package = format!("{}:{}", dependency.ecosystem, dependency.name);
        if !entry.packages.contains(&package) {
            entry.packages.push(package);
        }
        if entry.declared.len() < MAX_EVIDENCE {
            let evidence = asset.evidence.first().cloned().unwrap_or_default();
            entry
                .declared
                .push(evidence.with_note(format!("depends on {}@{}", dependency.name, dependency.version)));
        }
    }
    // Catalog lookups once per distinct module, then every import site is a map lookup.
    let mut sdk_of_module: HashMap<&str, &Sdk> = HashMap::new();
    for import in &inventory.imports {
        let Some(sdk) = catalog.by_import(&import.module) else {
            continue;
        };
        sdk_of_module.insert(import.module.as_str(), sdk);
        let (_, entry) = found
            .entry(sdk.id.as_str())
            .or_insert_with(|| (sdk, Found::default()));
        entry.import_files += import.files;
        for evidence in &import.evidence {
            if entry.imported.len() < MAX_EVIDENCE {
                entry
                    .imported
                    .push(evidence.clone().with_note(format!("imports {}", import.module)));
            }
        }
    }
    for (_, module, evidence) in raw_imports {
        let Some(sdk) = sdk_of_module.get(module.as_str()) else {
            continue;
        };
        if let Some(service) = services::nearest(&service_dirs, parent_dir(&evidence.path))
            && let Some((_, entry)) = found.get_mut(sdk.id.as_str())
        {
            entry.services.insert(service.0.clone());
        }
    }
    for (_, (sdk, found)) in found {
        let kind = sdk.asset_kind();
        let mut evidence = found.imported.clone();
        evidence.extend(found.declared.iter().cloned());
        let Some(first) = evidence.first().cloned() else {
            continue;
        };
        let id = AssetId::from_parts(kind, &["sdk", &sdk.id]);
        let mut asset = Asset::new(kind, id, sdk.name.clone(), first)
            .with("sdk", sdk.id.clone())
            .with("category", sdk.category.clone())
            .with("catalog_kind", sdk.kind.clone())
            .with("imported", !found.imported.is_empty())
            .with("import_files", found.import_files)
            .with("packages", found.packages.clone())
            .with("services", found.services.iter().cloned().collect::<Vec<_>>());
        if kind == AssetKind::Datastore {
            asset
                .attributes
                .insert("engine".into(), Value::from(sdk.id.clone()));
            asset
                .attributes
                .insert("detected_by".into(), Value::from("client library"));
        }
        asset.evidence = evidence;
        asset.data_classes = sdk.data_classes();
        inventory.assets.push(asset);
    }
}

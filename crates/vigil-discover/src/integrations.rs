//! Third-party integrations, AI usage, client-library datastores, identity providers and telemetry found
//! through the SDK catalog: a declared dependency or an imported module that the catalog knows becomes one
//! asset per SDK, with the evidence of both. An SDK that is imported is in use; one only declared may be a
//! leftover, and the `imported` attribute says which.

use std::collections::BTreeMap;

use serde_json::Value;
use vigil_core::{Asset, AssetId, AssetKind, Dependency, Evidence, Inventory};

use crate::catalog::{Catalog, Sdk};

/// Evidence kept per SDK and source (declarations, imports).
const MAX_EVIDENCE: usize = 5;

#[derive(Default)]
struct Found {
    declared: Vec<Evidence>,
    packages: Vec<String>,
    imported: Vec<Evidence>,
    import_files: usize,
}

pub fn detect(inventory: &mut Inventory) {
    let catalog = Catalog::get();
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
    for import in &inventory.imports {
        let Some(sdk) = catalog.by_import(&import.module) else {
            continue;
        };
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
            .with("packages", found.packages.clone());
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

//! Attributing assets to services. A service is a directory with its own manifest (package.json,
//! pyproject.toml, Cargo.toml...); each dependency, endpoint and data model belongs to the nearest service
//! at or above its file. A lockfile with no manifest beside or above it still makes its directory a service, named after
//! the directory, so that no dependency is left unattributed.

use std::collections::BTreeMap;

use vigil_core::{Asset, AssetId, AssetKind, Evidence, Inventory};

use crate::extract::parent_dir;

/// The id of the service rooted at `directory` (root-relative, `""` for the root).
pub fn service_id(directory: &str) -> AssetId {
    AssetId::from_parts(
        AssetKind::Service,
        &[if directory.is_empty() { "." } else { directory }],
    )
}

pub fn attribute(inventory: &mut Inventory) {
    let mut services = by_directory(inventory);
    let mut created = Vec::new();
    for asset in inventory
        .assets
        .iter_mut()
        .filter(|a| a.kind == AssetKind::Dependency)
    {
        let dir = parent_dir(asset.path()).to_owned();
        let service = match nearest(&services, &dir) {
            Some(id) => id.clone(),
            None => {
                let id = service_id(&dir);
                let name = dir.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("root");
                created.push(
                    Asset::new(
                        AssetKind::Service,
                        id.clone(),
                        name,
                        Evidence::at(asset.path(), None),
                    )
                    .with("directory", dir.clone()),
                );
                services.insert(dir, id.clone());
                id
            }
        };
        asset.attributes.insert("service".into(), service.0.into());
    }
    inventory.assets.extend(created);
    // Endpoints and data models belong to the service whose directory holds their file.
    for asset in inventory
        .assets
        .iter_mut()
        .filter(|a| matches!(a.kind, AssetKind::ApiEndpoint | AssetKind::DataModel))
    {
        if let Some(service) = nearest(&services, parent_dir(asset.path())) {
            asset
                .attributes
                .insert("service".into(), service.0.clone().into());
        }
    }
}

/// Services by their root-relative directory.
pub(crate) fn by_directory(inventory: &Inventory) -> BTreeMap<String, AssetId> {
    inventory
        .of_kind(AssetKind::Service)
        .filter_map(|s| Some((s.attr_str("directory")?.to_owned(), s.id.clone())))
        .collect()
}

/// The service at or above `dir`, given services by directory.
pub(crate) fn nearest<'a>(services: &'a BTreeMap<String, AssetId>, dir: &str) -> Option<&'a AssetId> {
    let mut current = dir;
    loop {
        if let Some(id) = services.get(current) {
            return Some(id);
        }
        if current.is_empty() {
            return None;
        }
        current = parent_dir(current);
    }
}

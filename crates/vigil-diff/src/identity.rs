//! Identities that survive a refactor.
//!
//! Asset ids embed the declaring file (`api-endpoint:services/api/src/server.js:GET /x`), so moving a file
//! gives its assets new ids. Two assessments are therefore compared on keys built from what a thing *is*:
//! an endpoint by its service's name, method and path; a Terraform resource by its address; a dependency
//! by its service, package and version; an SDK by the catalog's id. A key never holds a path, only at most
//! a file's bare name where nothing else names the thing (a Dockerfile, a model file).

use std::collections::{BTreeMap, HashMap};

use vigil_core::{Asset, AssetId, AssetKind, Component, Dependency, Inventory};

/// The service every asset outside a service's directory belongs to.
const NO_SERVICE: &str = "-";

/// Path-free keys for the assets and components of one assessment.
#[derive(Debug)]
pub(crate) struct Identities<'a> {
    inventory: &'a Inventory,
    /// Service asset id -> service name.
    service_names: HashMap<&'a str, &'a str>,
    /// Service directory (`""` for the root) -> service name.
    service_dirs: BTreeMap<&'a str, &'a str>,
}

impl<'a> Identities<'a> {
    pub(crate) fn new(inventory: &'a Inventory) -> Self {
        let mut service_names = HashMap::new();
        let mut service_dirs = BTreeMap::new();
        for service in inventory.of_kind(AssetKind::Service) {
            service_names.insert(service.id.as_str(), service.name.as_str());
            if let Some(dir) = service.attr_str("directory") {
                service_dirs.insert(dir, service.name.as_str());
            }
        }
        Self {
            inventory,
            service_names,
            service_dirs,
        }
    }

    /// The name of the service an asset belongs to: its `service` attribute, else the service whose
    /// directory holds its file.
    pub(crate) fn service_of(&self, asset: &Asset) -> &'a str {
        if let Some(name) = asset
            .attr_str("service")
            .and_then(|id| self.service_names.get(id))
        {
            return name;
        }
        let mut dir = parent_dir(asset.path());
        loop {
            if let Some(name) = self.service_dirs.get(dir) {
                return name;
            }
            if dir.is_empty() {
                return NO_SERVICE;
            }
            dir = parent_dir(dir);
        }
    }

    /// The key of an asset id, or the id itself when the inventory does not hold it (a component added by
    /// a threat model file, an ingested result).
    pub(crate) fn of_id(&self, id: &AssetId) -> String {
        self.inventory
            .get(id)
            .map_or_else(|| id.0.clone(), |asset| self.of_asset(asset))
    }

    /// The file that declares an asset, when the inventory holds it.
    pub(crate) fn path_of(&self, id: &AssetId) -> Option<&'a str> {
        self.inventory.get(id).map(Asset::path)
    }

    pub(crate) fn of_asset(&self, asset: &Asset) -> String {
        let kind = asset.kind.as_str();
        match asset.kind {
            AssetKind::Service => format!("{kind}:{}", asset.name),
            AssetKind::ApiEndpoint => format!("{kind}:{}:{}", self.service_of(asset), route(asset)),
            AssetKind::DataModel => format!("{kind}:{}:{}", self.service_of(asset), asset.name),
            AssetKind::Dependency => match Dependency::from_asset(asset) {
                Some(dependency) => format!(
                    "{kind}:{}:{}:{}@{}",
                    self.service_of(asset),
                    dependency.ecosystem.osv_name(),
                    dependency.ecosystem.normalize_name(&dependency.name),
                    dependency.version
                ),
                None => format!("{kind}:{}:{}", self.service_of(asset), asset.name),
            },
            // The id ends with a hash of the value: the same secret wherever it moves.
            AssetKind::Secret => match asset.id.0.rsplit_once(':') {
                Some((_, hash)) => format!("{kind}:{hash}"),
                None => format!("{kind}:{}", asset.name),
            },
            AssetKind::Pipeline => format!(
                "{kind}:{}:{}",
                asset.attr_str("platform").unwrap_or("ci"),
                asset.name
            ),
            // Catalog SDKs (`integration:sdk:stripe`), connection strings (`datastore:postgresql:db`) and
            // teams have ids that hold no path.
            AssetKind::Team => asset.id.0.clone(),
            _ if asset.attr_str("sdk").is_some() => asset.id.0.clone(),
            AssetKind::Datastore => asset.id.0.clone(),
            _ if asset.attr_str("artifact").is_some() => format!(
                "{kind}:{}:{}",
                asset.attr_str("artifact").unwrap_or_default(),
                file_name(asset.path())
            ),
            _ => match asset.attr_str("address") {
                // A Dockerfile's address is its path: the service and the file's name stand for it.
                Some(address) if address == asset.path() || address.is_empty() => format!(
                    "{kind}:{}:{}:{}",
                    asset.attr_str("resource_type").unwrap_or_default(),
                    self.service_of(asset),
                    file_name(asset.path())
                ),
                Some(address) => format!(
                    "{kind}:{}:{}:{address}",
                    asset.attr_str("provider").unwrap_or_default(),
                    asset.attr_str("resource_type").unwrap_or_default(),
                ),
                None => format!("{kind}:{}:{}", self.service_of(asset), asset.name),
            },
        }
    }

    /// A component stands for its first asset; components without one (the Internet, an external
    /// entity the model assumed) have ids that hold no path.
    pub(crate) fn of_component(&self, component: &Component) -> String {
        match component.assets.first() {
            Some(id) => self.of_id(id),
            None => format!("component:{}", component.id),
        }
    }
}

/// `METHOD /path` of an endpoint, from its attributes or its name.
pub(crate) fn route(asset: &Asset) -> String {
    match (asset.attr_str("method"), asset.attr_str("path")) {
        (Some(method), Some(path)) => format!("{} {path}", method.to_ascii_uppercase()),
        _ => asset.name.clone(),
    }
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use vigil_core::Evidence;

    use super::*;

    fn endpoint(path: &str) -> Asset {
        Asset::new(
            AssetKind::ApiEndpoint,
            AssetId::from_parts(AssetKind::ApiEndpoint, &[path, "GET /orders"]),
            "GET /orders",
            Evidence::at(path, Some(3)),
        )
        .with("method", "get")
        .with("path", "/orders")
    }

    fn inventory(assets: Vec<Asset>) -> Inventory {
        let mut inventory = Inventory {
            assets,
            ..Inventory::default()
        };
        inventory.normalize();
        inventory
    }

    #[test]
    fn an_endpoint_keeps_its_key_when_its_file_moves_within_the_service() {
        let service = Asset::new(
            AssetKind::Service,
            AssetId::from_parts(AssetKind::Service, &["services/api"]),
            "shop-api",
            Evidence::at("services/api/package.json", None),
        )
        .with("directory", "services/api");
        let before = inventory(vec![service.clone(), endpoint("services/api/src/server.js")]);
        let after = inventory(vec![service, endpoint("services/api/lib/http/server.js")]);
        let key = |inventory: &Inventory| {
            let ids = Identities::new(inventory);
            let found = inventory
                .of_kind(AssetKind::ApiEndpoint)
                .next()
                .map(|a| ids.of_asset(a));
            found.unwrap_or_default()
        };
        assert_eq!(key(&before), "api-endpoint:shop-api:GET /orders");
        assert_eq!(key(&before), key(&after));
    }

    #[test]
    fn assets_outside_every_service_belong_to_none() {
        let inventory = inventory(vec![endpoint("tools/server.js")]);
        let ids = Identities::new(&inventory);
        let found: Vec<String> = inventory.assets.iter().map(|a| ids.of_asset(a)).collect();
        assert_eq!(found, ["api-endpoint:-:GET /orders"]);
    }
}

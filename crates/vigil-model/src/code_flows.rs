//! Flows the source code shows: a service to the datastores it connects to (connection strings, client
//! libraries), to the third-party services whose SDKs it imports, and to LLM providers. Third parties and
//! LLM providers are external entities in the third-party trust boundary; what a service sends them is
//! taken to be what it handles, and says so.

use std::collections::{BTreeMap, BTreeSet};

use vigil_core::{
    Asset, AssetKind, Boundary, BoundaryKind, Component, ComponentKind, DataClass, Flow, Inventory,
    SystemModel,
};

use crate::code_facts::Services;

pub const THIRD_PARTY: &str = "third-party";

/// SDK categories that are libraries running in-process, not a party data flows to.
const IN_PROCESS: &[&str] = &[
    "auth-library",
    "ai-framework",
    "ml-framework",
    "logging",
    "cloud",
    "feature-flags",
];

pub fn add(
    inventory: &Inventory,
    services: &Services,
    model: &mut SystemModel,
    boundaries: &mut BTreeMap<String, Boundary>,
) {
    datastore_flows(inventory, services, model);
    third_party_flows(inventory, services, model, boundaries);
}

/// The services an asset is used by: its `services` attribute, or the service holding its declaration.
fn users(asset: &Asset, services: &Services) -> Vec<String> {
    let listed: Vec<String> = asset
        .attributes
        .get("services")
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str())
                .map(|s| format!("svc:{}", s.trim_start_matches("service:")))
                .collect()
        })
        .unwrap_or_default();
    if !listed.is_empty() {
        return listed;
    }
    services
        .for_path(asset.path())
        .map(str::to_owned)
        .into_iter()
        .collect()
}

fn datastore_flows(inventory: &Inventory, services: &Services, model: &mut SystemModel) {
    let stores: Vec<&Asset> = inventory.of_kind(AssetKind::Datastore).collect();
    // A client library and a connection string of the same engine in one service are one datastore: keep
    // the connection string, which names the host.
    let located: BTreeSet<(String, String)> = stores
        .iter()
        .filter(|s| s.attr_str("host").is_some())
        .flat_map(|s| {
            let engine = s.attr_str("engine").unwrap_or_default().to_owned();
            users(s, services).into_iter().map(move |u| (u, engine.clone()))
        })
        .collect();
    for store in stores {
        let engine = store.attr_str("engine").unwrap_or_default();
        let users: Vec<String> = users(store, services)
            .into_iter()
            .filter(|u| {
                store.attr_str("host").is_some() || !located.contains(&(u.clone(), engine.to_owned()))
            })
            .filter(|u| model.component(u).is_some())
            .collect();
        if users.is_empty() {
            continue;
        }
        let id = format!("ds:{}", store.id.0.trim_start_matches("datastore:"));
        if model.component(&id).is_none() {
            model.components.push(Component {
                id: id.clone(),
                name: store.name.clone(),
                kind: ComponentKind::Datastore,
                assets: vec![store.id.clone()],
                data_classes: store.data_classes.clone(),
                evidence: store.evidence.iter().take(1).cloned().collect(),
                ..Component::default()
            });
        }
        for user in users {
            let data_classes = handled(model, &user, &store.data_classes);
            // What a service writes to its datastore is kept there.
            if let Some(component) = model.components.iter_mut().find(|c| c.id == id) {
                component.data_classes.extend(data_classes.iter().copied());
                component.data_classes.sort();
                component.data_classes.dedup();
            }
            model.flows.push(Flow {
                id: format!("flow:{user}->{id}"),
                source: user,
                target: id.clone(),
                label: format!("queries {}", store.name),
                protocol: (!engine.is_empty()).then(|| engine.to_owned()),
                authenticated: None,
                encrypted: None,
                data_classes,
                evidence: store.evidence.iter().take(2).cloned().collect(),
                assumed: false,
            });
        }
    }
}

fn third_party_flows(
    inventory: &Inventory,
    services: &Services,
    model: &mut SystemModel,
    boundaries: &mut BTreeMap<String, Boundary>,
) {
    for asset in inventory.assets.iter().filter(|a| {
        matches!(
            a.kind,
            AssetKind::Integration | AssetKind::AiUsage | AssetKind::Identity
        )
    }) {
        let Some(category) = asset.attr_str("category") else {
            continue;
        };
        if IN_PROCESS.contains(&category)
            || (asset.kind == AssetKind::Identity && category != "identity-provider")
        {
            continue;
        }
        let users: Vec<String> = users(asset, services)
            .into_iter()
            .filter(|u| model.component(u).is_some())
            .collect();
        if users.is_empty() {
            continue;
        }
        let llm = category == "llm";
        let id = format!("ext:{}", asset.attr_str("sdk").unwrap_or(&asset.name));
        if model.component(&id).is_none() {
            model.components.push(Component {
                id: id.clone(),
                name: if llm {
                    format!("{} (LLM provider)", asset.name)
                } else {
                    asset.name.clone()
                },
                kind: ComponentKind::ExternalEntity,
                assets: vec![asset.id.clone()],
                boundary: Some(THIRD_PARTY.into()),
                evidence: asset.evidence.iter().take(1).cloned().collect(),
                ..Component::default()
            });
            let boundary = boundaries.entry(THIRD_PARTY.into()).or_insert_with(|| Boundary {
                id: THIRD_PARTY.into(),
                name: "Third parties".into(),
                kind: BoundaryKind::ThirdParty,
                components: Vec::new(),
                evidence: Vec::new(),
                assumed: true,
            });
            boundary.components.push(id.clone());
        }
        for user in users {
            // A prompt carries whatever the service handles, whatever the catalog says the SDK receives.
            let received: &[DataClass] = if llm { &[] } else { &asset.data_classes };
            let data_classes = handled(model, &user, received);
            model.flows.push(Flow {
                id: format!("flow:{user}->{id}"),
                source: user,
                target: id.clone(),
                label: if llm {
                    format!("sends prompts to {}", asset.name)
                } else {
                    format!("calls {} ({category})", asset.name)
                },
                protocol: Some("https".into()),
                authenticated: None,
                encrypted: Some(true),
                data_classes,
                evidence: asset.evidence.iter().take(2).cloned().collect(),
                assumed: false,
            });
        }
    }
}

/// The data classes a flow from `user` may carry: those the receiver is known to take that the service
/// handles, or, when the catalog does not say, what the service handles.
fn handled(model: &SystemModel, user: &str, received: &[DataClass]) -> Vec<DataClass> {
    let handles = model
        .component(user)
        .map(|c| c.data_classes.clone())
        .unwrap_or_default();
    let mut classes: Vec<DataClass> = if received.is_empty() {
        handles
    } else {
        received.iter().filter(|c| handles.contains(c)).copied().collect()
    };
    classes.sort();
    classes.dedup();
    classes
}

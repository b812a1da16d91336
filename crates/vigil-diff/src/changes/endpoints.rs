//! API endpoints: added, removed, and those that lost their authentication. An endpoint is its service's
//! name, method and path, wherever its handler is declared; one declared twice (in code and in an OpenAPI
//! document) is one endpoint.

use std::collections::BTreeMap;

use vigil_core::{Asset, AssetKind};

use super::{View, change, first};
use crate::identity::route;
use crate::{ChangeKind, MaterialChange};

/// An endpoint and what its declarations say about its authentication.
struct Endpoint<'a> {
    asset: &'a Asset,
    service: &'a str,
    route: String,
    authenticated: Option<bool>,
    guard: Option<&'a str>,
}

fn endpoints<'a>(view: &View<'a>) -> BTreeMap<String, Endpoint<'a>> {
    let mut found: BTreeMap<String, Endpoint<'a>> = BTreeMap::new();
    for asset in view.assessment.inventory.of_kind(AssetKind::ApiEndpoint) {
        let authenticated = asset.attr_bool("authenticated");
        let guard = asset.attr_str("guard");
        match found.entry(view.ids.of_asset(asset)) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(Endpoint {
                    asset,
                    service: view.ids.service_of(asset),
                    route: route(asset),
                    authenticated,
                    guard,
                });
            }
            // The least protected declaration wins: a loss of authentication shows even when another
            // declaration (a stale API document) still claims a guard.
            std::collections::btree_map::Entry::Occupied(mut slot) => {
                let endpoint = slot.get_mut();
                endpoint.authenticated = match (endpoint.authenticated, authenticated) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    _ => None,
                };
                if endpoint.guard.is_none() {
                    endpoint.guard = guard;
                }
            }
        }
    }
    found
}

fn authentication(endpoint: &Endpoint<'_>) -> String {
    match (endpoint.authenticated, endpoint.guard) {
        (Some(true), Some(guard)) => format!("authenticated by `{guard}`"),
        (Some(true), None) => "authenticated".into(),
        (Some(false), _) => "no authentication guard".into(),
        (None, _) => "authentication unknown".into(),
    }
}

fn framework(endpoint: &Endpoint<'_>) -> String {
    endpoint
        .asset
        .attr_str("framework")
        .map(|f| format!(" ({f})"))
        .unwrap_or_default()
}

pub(super) fn detect(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    let before = endpoints(old);
    let after = endpoints(new);
    let mut changes = Vec::new();
    for (key, endpoint) in &after {
        match before.get(key) {
            None => changes.push(change(
                ChangeKind::EndpointAdded,
                key.clone(),
                format!("{} added to {}", endpoint.route, endpoint.service),
                first(&endpoint.asset.evidence, 2),
                format!("{}{}", authentication(endpoint), framework(endpoint)),
            )),
            Some(earlier) if earlier.authenticated == Some(true) && endpoint.authenticated != Some(true) => {
                changes.push(change(
                    ChangeKind::EndpointLostAuthentication,
                    key.clone(),
                    format!(
                        "{} on {} lost its authentication",
                        endpoint.route, endpoint.service
                    ),
                    first(&endpoint.asset.evidence, 2),
                    format!(
                        "was {}; now {}",
                        authentication(earlier),
                        authentication(endpoint)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    for (key, endpoint) in &before {
        if !after.contains_key(key) {
            changes.push(change(
                ChangeKind::EndpointRemoved,
                key.clone(),
                format!("{} removed from {}", endpoint.route, endpoint.service),
                first(&endpoint.asset.evidence, 1),
                format!(
                    "was {}{}; the threat model still describes it",
                    authentication(endpoint),
                    framework(endpoint)
                ),
            ));
        }
    }
    changes
}

//! vigil-model: the model stage. Classifies every asset (data classes, Internet exposure, criticality) and
//! builds the system model: components for services, cloud datastores and compute, CI pipelines and the
//! external entities they meet; data flows between them; and trust boundaries (Internet, cloud account,
//! CI). The AWS facts in [`aws`] are shared with the threat rules, so both see exposure the same way.

pub mod aws;
mod build;
pub mod capabilities;
pub mod classify;
mod code_facts;
mod code_flows;
pub mod controls;
pub mod datastore_types;
pub mod design;
pub mod github;
mod kubernetes;
pub mod overlay;
pub mod terraform;
pub mod threagile;
pub mod threat_dragon;

use std::collections::BTreeMap;

use vigil_core::{AssetId, Inventory, Scope, SystemModel};

use classify::Classification;
use terraform::Terraform;

/// Classifies the inventory in place and returns the system model built from it.
pub fn run(inventory: &mut Inventory, scope: &Scope) -> SystemModel {
    let found = classify_all(inventory, scope);
    classify::apply(inventory, found);
    build::build(inventory)
}

fn classify_all(inventory: &Inventory, scope: &Scope) -> BTreeMap<AssetId, Classification> {
    let tf = Terraform::new(inventory);
    let mut roles = classify::roles(inventory);
    let mut found: BTreeMap<AssetId, Classification> = BTreeMap::new();
    for asset in &inventory.assets {
        let mut classification = Classification {
            roles: roles.remove(&asset.id).unwrap_or_default(),
            ..Classification::default()
        };
        classify::data_from_extraction(asset, &mut classification);
        classify::data_from_code(asset, &mut classification);
        if let Some((reason, evidence)) = build::exposure(&tf, asset) {
            classification.internet_facing = Some(classify::exposure_reason(&reason, &evidence));
        }
        classify::overrides(scope, asset, &mut classification);
        found.insert(asset.id.clone(), classification);
    }
    found
}

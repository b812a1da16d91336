//! Resources that became reachable from the Internet: a bucket made public, a database given a public
//! address, a workload behind a new load balancer. Read from the model's components, which carry what
//! the model stage concluded about exposure (from Terraform, Kubernetes or `vigil.toml` overrides).

use std::collections::BTreeMap;

use vigil_core::{Component, ComponentKind, Evidence};

use super::{View, change, first};
use crate::{ChangeKind, MaterialChange};

/// Internet-facing components by key, with whether each is.
fn exposure<'a>(view: &View<'a>) -> BTreeMap<String, (&'a Component, bool)> {
    let mut found: BTreeMap<String, (&'a Component, bool)> = BTreeMap::new();
    for component in view
        .assessment
        .model
        .components
        .iter()
        .filter(|c| c.kind != ComponentKind::ExternalEntity)
    {
        let entry = found
            .entry(view.ids.of_component(component))
            .or_insert((component, false));
        entry.1 |= component.internet_facing;
    }
    found
}

/// Why the model says the component is exposed: the flow from the Internet, or the classification.
fn why(view: &View<'_>, component: &Component) -> (String, Vec<Evidence>) {
    let flow = view
        .assessment
        .model
        .flows
        .iter()
        .find(|f| f.target == component.id && f.source == "internet");
    let reason = component
        .assets
        .first()
        .and_then(|id| view.assessment.inventory.get(id))
        .and_then(|asset| asset.attributes.get("classification"))
        .and_then(|v| v.as_array())
        .and_then(|reasons| {
            reasons
                .iter()
                .filter_map(|r| r.as_str())
                .find_map(|r| r.strip_prefix("internet-facing: "))
                .map(str::to_owned)
        });
    let evidence = match flow {
        Some(flow) if !flow.evidence.is_empty() => first(&flow.evidence, 2),
        _ => first(&component.evidence, 1),
    };
    let reason = reason
        .or_else(|| flow.map(|f| f.label.clone()))
        .unwrap_or_else(|| "the model marks it internet-facing".into());
    (reason, evidence)
}

pub(super) fn became_public(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    let before = exposure(old);
    exposure(new)
        .into_iter()
        .filter(|(_, (_, public))| *public)
        .filter_map(|(key, (component, _))| {
            let title = match before.get(&key) {
                Some((_, true)) => return None,
                Some((_, false)) => format!("{} became reachable from the Internet", component.name),
                None => format!("{} added, reachable from the Internet", component.name),
            };
            let (reason, evidence) = why(new, component);
            Some(change(
                ChangeKind::ResourceBecamePublic,
                key,
                title,
                evidence,
                reason,
            ))
        })
        .collect()
}

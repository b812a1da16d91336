//! Questions threat rules ask of the system model: is a component reachable from the Internet, and through
//! what; what data does it handle; which flows cross a trust boundary. Rules decide relevance over these,
//! never over raw text.

use std::collections::{BTreeSet, VecDeque};

use vigil_core::{
    AssetKind, CapabilityKind, Component, ComponentKind, DataClass, Evidence, Flow, Inventory, SystemModel,
};

use crate::rule::{Hit, component_asset};

/// The id of the Internet entity the model builder adds.
pub const INTERNET: &str = "internet";

/// How attacker-controlled input reaches a component.
#[derive(Debug, Clone)]
pub struct Exposure {
    /// `directly` or `through <component name>`.
    pub path: String,
    pub evidence: Vec<Evidence>,
}

/// Whether input from the Internet reaches `component`: it faces the Internet itself, or a process that
/// does sends data to it (at most three hops, through processes only: a datastore does not forward
/// requests).
pub fn exposure(model: &SystemModel, component: &Component) -> Option<Exposure> {
    if let Some(evidence) = faces_internet(model, component) {
        return Some(Exposure {
            path: "directly".into(),
            evidence,
        });
    }
    let mut seen: BTreeSet<&str> = BTreeSet::from([component.id.as_str()]);
    let mut queue: VecDeque<(&str, usize)> = VecDeque::from([(component.id.as_str(), 0)]);
    while let Some((id, depth)) = queue.pop_front() {
        if depth == 3 {
            continue;
        }
        for flow in model.flows.iter().filter(|f| f.target == id) {
            let Some(source) = model.component(&flow.source) else {
                continue;
            };
            if source.kind != ComponentKind::Process || !seen.insert(source.id.as_str()) {
                continue;
            }
            if let Some(mut evidence) = faces_internet(model, source) {
                evidence.extend(flow.evidence.iter().take(1).cloned());
                return Some(Exposure {
                    path: format!("through {}", source.name),
                    evidence,
                });
            }
            queue.push_back((source.id.as_str(), depth + 1));
        }
    }
    None
}

/// Evidence that `component` itself faces the Internet.
fn faces_internet(model: &SystemModel, component: &Component) -> Option<Vec<Evidence>> {
    let inbound = model
        .flows
        .iter()
        .find(|f| f.source == INTERNET && f.target == component.id);
    if !component.internet_facing && inbound.is_none() {
        return None;
    }
    let evidence: Vec<Evidence> = inbound
        .map(|f| f.evidence.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| component.evidence.iter().take(1).cloned().collect());
    Some(evidence)
}

/// Components of a kind with a capability, with its evidence.
pub fn with_capability(
    model: &SystemModel,
    kind: CapabilityKind,
) -> impl Iterator<Item = (&Component, &[Evidence])> {
    model
        .components
        .iter()
        .filter(|c| c.out_of_scope.is_none())
        .filter_map(move |c| c.capability(kind).map(|cap| (c, cap.evidence.as_slice())))
}

/// Regulated or secret data classes a component handles (PII, PCI, PHI, credentials), most sensitive first.
pub fn sensitive_data(component: &Component) -> Vec<DataClass> {
    let mut classes: Vec<DataClass> = component
        .data_classes
        .iter()
        .copied()
        .filter(|c| is_sensitive(*c))
        .collect();
    classes.sort();
    classes.dedup();
    classes
}

pub fn is_sensitive(class: DataClass) -> bool {
    matches!(
        class,
        DataClass::Pii | DataClass::Pci | DataClass::Phi | DataClass::Secrets
    )
}

/// Flows whose two ends sit in different trust boundaries (a component without one counts as its own).
pub fn crosses_boundary(model: &SystemModel, flow: &Flow) -> bool {
    let boundary = |id: &str| model.component(id).and_then(|c| c.boundary.clone());
    boundary(&flow.source) != boundary(&flow.target)
}

/// A hit about one component: subject `<rule-specific>@<component id>`, the component's asset (or its
/// `component:` reference), and the evidence given (deduplicated, in order).
pub fn component_hit(
    component: &Component,
    subject: &str,
    title: String,
    detail: String,
    evidence: Vec<Evidence>,
) -> Hit {
    let mut unique: Vec<Evidence> = Vec::new();
    for item in evidence {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    if unique.is_empty() {
        unique.extend(component.evidence.iter().take(1).cloned());
    }
    Hit::new(
        format!("{subject}@{}", component.id),
        title,
        detail,
        vec![component_asset(component)],
        unique,
    )
}

/// Names of data classes for titles: `PII, PCI`.
pub fn class_names(classes: &[DataClass]) -> String {
    classes
        .iter()
        .map(|c| c.as_str().to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `; no `a` or `b` control is recorded on X`, or nothing when the component has one of them (the engine
/// then reports the finding mitigated, with the control).
pub fn missing_controls(component: &Component, controls: &[&str]) -> String {
    if component.control(controls).is_some() {
        return String::new();
    }
    let names: Vec<String> = controls.iter().map(|c| format!("`{c}`")).collect();
    format!(
        "; no {} control is recorded on {}",
        names.join(" or "),
        component.name
    )
}

/// The impact when the threat puts at stake data the finding's components are not marked with (a flow's
/// or a neighbouring datastore's): the scorer already weighs the components' own data, so only the rest
/// raises the base here.
pub fn unseen_data_impact(
    base: u8,
    data: &[vigil_core::DataClass],
    on: &[&Component],
    what: &str,
) -> Option<(u8, String)> {
    use vigil_core::DataClass;
    let unseen: Vec<DataClass> = data
        .iter()
        .copied()
        .filter(|c| !on.iter().any(|component| component.data_classes.contains(c)))
        .collect();
    let raise = if unseen
        .iter()
        .any(|c| matches!(c, DataClass::Pci | DataClass::Phi | DataClass::Secrets))
    {
        2
    } else if unseen.contains(&DataClass::Pii) {
        1
    } else {
        return None;
    };
    Some((
        (base + raise).min(10),
        format!("{what} {} data", class_names(&unseen)),
    ))
}

/// Whether a datastore component is one identifiable store: a cloud resource, a database the code names by
/// host, or one people declared. A client library alone (`ds:sdk:postgresql`) tells which engine services
/// use, not which database: two services using it need not share anything.
pub fn identified_store(inventory: &Inventory, component: &Component) -> bool {
    component
        .assets
        .iter()
        .filter_map(|id| inventory.get(id))
        .all(|a| a.kind != AssetKind::Datastore || a.attr_str("host").is_some())
}

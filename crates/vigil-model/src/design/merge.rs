//! Merging the planned model over a repository's current model. A planned process whose name matches an
//! existing service ("Checkout service" and `svc:services/checkout`, "Shop API" and `shop-api`) extends
//! that service: its planned capabilities, data, exposure and controls are added to it and its planned flows
//! start from it. A planned datastore with the name of an existing one (the PostgreSQL the code connects
//! to) is that one. External entities and the Internet are shared by id. Everything else is added.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use vigil_core::{Component, ComponentKind, Flow, SystemModel};

#[derive(Debug, Clone)]
pub struct Merged {
    pub model: SystemModel,
    /// Components the plan adds or changes (ids in the merged model).
    pub touched: BTreeSet<String>,
    /// Flows the plan adds or changes.
    pub flows: BTreeSet<String>,
    pub extended: Vec<Extended>,
}

/// A planned component that turned out to exist already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extended {
    pub planned: String,
    pub existing: String,
    pub name: String,
}

/// Words that say what kind of process something is, not which one.
const GENERIC: &[&str] = &[
    "service",
    "svc",
    "api",
    "server",
    "app",
    "microservice",
    "backend",
    "the",
];

pub fn merge(mut model: SystemModel, planned: &SystemModel) -> Merged {
    let mut rename: BTreeMap<String, String> = BTreeMap::new();
    let mut extended = Vec::new();
    for component in &planned.components {
        let existing = match component.kind {
            ComponentKind::Process => matching_service(&model, &component.name),
            // The repository's PostgreSQL is the one the design writes to, not a second one.
            ComponentKind::Datastore => model
                .components
                .iter()
                .filter(|c| c.kind == ComponentKind::Datastore)
                .find(|c| c.name.eq_ignore_ascii_case(&component.name)),
            ComponentKind::ExternalEntity => None,
        };
        if let Some(existing) = existing {
            rename.insert(component.id.clone(), existing.id.clone());
            extended.push(Extended {
                planned: component.id.clone(),
                existing: existing.id.clone(),
                name: existing.name.clone(),
            });
        }
    }
    let id_of = |id: &str| rename.get(id).cloned().unwrap_or_else(|| id.to_owned());

    let mut touched = BTreeSet::new();
    for component in &planned.components {
        let id = id_of(&component.id);
        match model.components.iter_mut().find(|c| c.id == id) {
            Some(existing) => {
                extend(existing, component);
                // The Internet and shared third parties are not the plan's; a service or store it extends is.
                if existing.kind != ComponentKind::ExternalEntity {
                    touched.insert(id);
                }
            }
            None => {
                let mut added = component.clone();
                added.id = id.clone();
                model.components.push(added);
                touched.insert(id);
            }
        }
    }

    let mut flows = BTreeSet::new();
    for flow in &planned.flows {
        let (source, target) = (id_of(&flow.source), id_of(&flow.target));
        let id = format!("flow:{source}->{target}");
        match model.flows.iter_mut().find(|f| f.id == id) {
            Some(existing) => {
                for class in &flow.data_classes {
                    if !existing.data_classes.contains(class) {
                        existing.data_classes.push(*class);
                    }
                }
                existing.data_classes.sort();
                existing.evidence.extend(flow.evidence.iter().cloned());
            }
            None => model.flows.push(Flow {
                id: id.clone(),
                source,
                target,
                ..flow.clone()
            }),
        }
        flows.insert(id);
    }

    for boundary in &planned.boundaries {
        let members: Vec<String> = boundary.components.iter().map(|m| id_of(m)).collect();
        match model.boundaries.iter_mut().find(|b| b.id == boundary.id) {
            Some(existing) => {
                for member in members {
                    if !existing.components.contains(&member) {
                        existing.components.push(member);
                    }
                }
                existing.components.sort();
            }
            None => model.boundaries.push(boundary.clone()),
        }
    }
    model.components.sort_by(|a, b| a.id.cmp(&b.id));
    model.flows.sort_by(|a, b| a.id.cmp(&b.id));
    model.boundaries.sort_by(|a, b| a.id.cmp(&b.id));
    Merged {
        model,
        touched,
        flows,
        extended,
    }
}

fn extend(existing: &mut Component, planned: &Component) {
    existing.internet_facing |= planned.internet_facing;
    for class in &planned.data_classes {
        if !existing.data_classes.contains(class) {
            existing.data_classes.push(*class);
        }
    }
    existing.data_classes.sort();
    for capability in &planned.capabilities {
        for evidence in &capability.evidence {
            existing.add_capability(capability.kind, evidence.clone());
        }
    }
    existing.capabilities.sort_by_key(|c| c.kind);
    for control in &planned.controls {
        for evidence in &control.evidence {
            existing.add_control(&control.name, control.source, evidence.clone());
        }
    }
    existing.controls.sort_by(|a, b| a.name.cmp(&b.name));
    for evidence in planned.evidence.iter().take(1) {
        if !existing.evidence.contains(evidence) {
            existing.evidence.push(evidence.clone());
        }
    }
}

/// The repository service a planned name refers to: same naming words, compared with the service's name
/// and with the last segment of its directory.
fn matching_service<'a>(model: &'a SystemModel, name: &str) -> Option<&'a Component> {
    let wanted = naming_words(name);
    if wanted.is_empty() {
        return None;
    }
    model
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Process && c.id.starts_with("svc:"))
        .find(|c| {
            let directory = c.id.rsplit('/').next().unwrap_or_default();
            naming_words(&c.name) == wanted || naming_words(directory) == wanted
        })
}

fn naming_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() > 2 && !w.ends_with("ss") => stem.to_owned(),
            _ => w,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::{CapabilityKind, Evidence};

    fn process(id: &str, name: &str) -> Component {
        Component {
            id: id.into(),
            name: name.into(),
            kind: ComponentKind::Process,
            ..Component::default()
        }
    }

    #[test]
    fn a_planned_service_with_an_existing_name_extends_it() {
        let existing = SystemModel {
            components: vec![
                process("svc:services/checkout", "shop-checkout"),
                process("svc:services/api", "shop-api"),
            ],
            ..SystemModel::default()
        };
        let mut planned_checkout = process("design:checkout-service", "Checkout service");
        planned_checkout.add_capability(CapabilityKind::ProcessesPayments, Evidence::at("d.md", Some(3)));
        let planned = SystemModel {
            components: vec![planned_checkout, process("design:refunds-api", "Refunds API")],
            flows: vec![Flow {
                id: "flow:design:checkout-service->design:refunds-api".into(),
                source: "design:checkout-service".into(),
                target: "design:refunds-api".into(),
                label: "calls".into(),
                protocol: None,
                authenticated: None,
                encrypted: None,
                data_classes: Vec::new(),
                evidence: Vec::new(),
                assumed: false,
            }],
            boundaries: Vec::new(),
        };
        let merged = merge(existing, &planned);
        assert_eq!(merged.model.components.len(), 3);
        let checkout = merged.model.component("svc:services/checkout").unwrap();
        assert!(checkout.capability(CapabilityKind::ProcessesPayments).is_some());
        assert!(merged.touched.contains("svc:services/checkout"));
        assert!(merged.touched.contains("design:refunds-api"));
        assert!(!merged.touched.contains("svc:services/api"));
        assert_eq!(merged.model.flows[0].source, "svc:services/checkout");
        assert_eq!(merged.extended[0].existing, "svc:services/checkout");
    }
}

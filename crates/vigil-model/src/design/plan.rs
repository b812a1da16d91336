//! The planned model: the applied facts of an extraction as components, flows and trust boundaries, built
//! the way the model builder builds them from code, so the same threat rules read both. A planned process
//! is a `design:<slug>` component; datastores are `design:<store>`; catalog integrations are external
//! entities `ext:<catalog id>` in the third-party boundary (LLM providers named "<name> (LLM provider)"
//! with a "sends prompts to" flow); exposure is a flow from the `internet` entity. Every element carries the
//! document line and phrase as evidence; what the LLM pass suggested is marked assumed.

use std::collections::BTreeMap;

use vigil_core::{
    Boundary, BoundaryKind, CapabilityKind, Component, ComponentKind, ControlSource, DataClass, Evidence,
    Flow, SystemModel,
};

use super::document::Document;
use super::extract::{Extraction, Fact, FactSource, What};
use super::lexicon::Lexicon;
use crate::build::INTERNET;
use crate::code_flows::THIRD_PARTY;

/// An LLM the design calls without naming its provider.
pub const UNNAMED_LLM: &str = "ext:llm-provider";

/// Evidence for a fact's place in the document.
pub fn evidence(doc: &Document, fact: &Fact) -> Vec<Evidence> {
    std::iter::once(&fact.at)
        .chain(fact.also.iter())
        .take(3)
        .map(|at| {
            let note = match fact.source {
                FactSource::Lexicon => format!("design: \"{}\"", at.phrase),
                FactSource::Llm => format!("suggested by LLM: \"{}\"", at.phrase),
            };
            Evidence::at(&doc.path, at.line).with_note(note)
        })
        .collect()
}

pub fn model(doc: &Document, lexicon: &Lexicon, extraction: &Extraction) -> SystemModel {
    let mut components: BTreeMap<String, Component> = BTreeMap::new();
    let mut flows: BTreeMap<String, Flow> = BTreeMap::new();
    let mut exposure: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    // (process, target) -> (label, protocol, data classes the target receives, or all it handles)
    let mut edges: BTreeMap<(String, String), Edge> = BTreeMap::new();

    for planned in &extraction.components {
        let fact = extraction
            .facts
            .iter()
            .find(|f| f.what == What::Component && f.component.as_deref() == Some(planned.id.as_str()));
        components.insert(
            planned.id.clone(),
            Component {
                id: planned.id.clone(),
                name: planned.name.clone(),
                kind: ComponentKind::Process,
                evidence: fact.map(|f| evidence(doc, f)).unwrap_or_default(),
                assumed: planned.suggested,
                ..Component::default()
            },
        );
    }

    for fact in extraction.applied() {
        let Some(target) = fact.component.clone() else {
            continue;
        };
        let proof = evidence(doc, fact);
        let assumed = fact.source == FactSource::Llm;
        match fact.what {
            What::Component => {}
            What::Flow(index) => {
                let Some(callee) = extraction.components.get(index) else {
                    continue;
                };
                let edge = edges.entry((target, callee.id.clone())).or_insert_with(|| Edge {
                    label: format!("calls {}", callee.name),
                    protocol: None,
                    encrypted: None,
                    receives: Vec::new(),
                    evidence: Vec::new(),
                    assumed,
                });
                edge.add(proof, assumed);
            }
            What::Capability(kind) => {
                for item in proof {
                    entry(&mut components, &target, lexicon).add_capability(kind, item);
                }
            }
            What::Data(class) => {
                let component = entry(&mut components, &target, lexicon);
                if !component.data_classes.contains(&class) {
                    component.data_classes.push(class);
                }
            }
            What::Exposure => {
                entry(&mut components, &target, lexicon).internet_facing = true;
                exposure.entry(target).or_default().extend(proof);
            }
            What::Control(name) => {
                for item in proof {
                    entry(&mut components, &target, lexicon).add_control(name, ControlSource::Declared, item);
                }
            }
            What::Store(index) => {
                let store = &lexicon.stores[index];
                let id = format!("design:{}", store.id);
                let component = components.entry(id.clone()).or_insert_with(|| Component {
                    id: id.clone(),
                    name: store.name.clone(),
                    kind: ComponentKind::Datastore,
                    evidence: proof.iter().take(1).cloned().collect(),
                    assumed,
                    ..Component::default()
                });
                component.assumed &= assumed;
                let edge = edges.entry((target, id)).or_insert_with(|| Edge {
                    label: format!("{} {}", store.class.verb(), store.name),
                    protocol: Some(store.id.clone()),
                    encrypted: None,
                    receives: Vec::new(),
                    evidence: Vec::new(),
                    assumed,
                });
                edge.add(proof, assumed);
            }
            What::Integration(index) => {
                let Some(entry) = lexicon.integrations.get(index) else {
                    continue;
                };
                if IN_PROCESS.contains(&entry.category.as_str()) {
                    continue;
                }
                let llm = entry.category == "llm";
                let id = format!("ext:{}", entry.id);
                let base = entry.name.split(" (").next().unwrap_or(&entry.name).to_owned();
                let component = components.entry(id.clone()).or_insert_with(|| Component {
                    id: id.clone(),
                    name: if llm {
                        format!("{base} (LLM provider)")
                    } else {
                        base.clone()
                    },
                    kind: ComponentKind::ExternalEntity,
                    boundary: Some(THIRD_PARTY.into()),
                    evidence: proof.iter().take(1).cloned().collect(),
                    assumed,
                    ..Component::default()
                });
                component.assumed &= assumed;
                let edge = edges.entry((target, id)).or_insert_with(|| Edge {
                    label: if llm {
                        format!("sends prompts to {base}")
                    } else {
                        format!("calls {base} ({})", entry.category)
                    },
                    protocol: Some("https".into()),
                    encrypted: Some(true),
                    // A prompt carries whatever the service handles, whatever the catalog says.
                    receives: if llm { Vec::new() } else { entry.receives.clone() },
                    evidence: Vec::new(),
                    assumed,
                });
                edge.add(proof, assumed);
            }
        }
    }

    unnamed_llm(&mut components, &mut edges);

    for ((source, target), edge) in edges {
        let handles = components
            .get(&source)
            .map(|c| c.data_classes.clone())
            .unwrap_or_default();
        let mut data_classes: Vec<DataClass> = if edge.receives.is_empty() {
            handles
        } else {
            edge.receives
                .iter()
                .filter(|c| handles.contains(c))
                .copied()
                .collect()
        };
        data_classes.sort();
        data_classes.dedup();
        let id = format!("flow:{source}->{target}");
        flows.insert(
            id.clone(),
            Flow {
                id,
                source,
                target,
                label: edge.label,
                protocol: edge.protocol,
                authenticated: None,
                encrypted: edge.encrypted,
                data_classes,
                evidence: edge.evidence,
                assumed: edge.assumed,
            },
        );
    }

    let mut boundaries: Vec<Boundary> = Vec::new();
    if !exposure.is_empty() {
        components.insert(
            INTERNET.into(),
            Component {
                id: INTERNET.into(),
                name: "The Internet".into(),
                kind: ComponentKind::ExternalEntity,
                boundary: Some("internet".into()),
                assumed: true,
                ..Component::default()
            },
        );
        boundaries.push(Boundary {
            id: "internet".into(),
            name: "Internet".into(),
            kind: BoundaryKind::Internet,
            components: vec![INTERNET.into()],
            evidence: Vec::new(),
            assumed: true,
        });
        for (target, evidence) in exposure {
            let data_classes = components
                .get(&target)
                .map(|c| c.data_classes.clone())
                .unwrap_or_default();
            let id = format!("flow:{INTERNET}->{target}");
            flows.insert(
                id.clone(),
                Flow {
                    id,
                    source: INTERNET.into(),
                    target,
                    label: "reachable from the Internet".into(),
                    protocol: Some("https".into()),
                    authenticated: None,
                    encrypted: None,
                    data_classes,
                    evidence: evidence.into_iter().take(3).collect(),
                    assumed: false,
                },
            );
        }
    }
    let third_parties: Vec<String> = components
        .values()
        .filter(|c| c.boundary.as_deref() == Some(THIRD_PARTY))
        .map(|c| c.id.clone())
        .collect();
    if !third_parties.is_empty() {
        boundaries.push(Boundary {
            id: THIRD_PARTY.into(),
            name: "Third parties".into(),
            kind: BoundaryKind::ThirdParty,
            components: third_parties,
            evidence: Vec::new(),
            assumed: true,
        });
    }

    let mut components: Vec<Component> = components.into_values().collect();
    for component in &mut components {
        component.data_classes.sort();
        component.capabilities.sort_by_key(|c| c.kind);
        component.controls.sort_by(|a, b| a.name.cmp(&b.name));
    }
    boundaries.sort_by(|a, b| a.id.cmp(&b.id));
    SystemModel {
        components,
        flows: flows.into_values().collect(),
        boundaries,
    }
}

/// Catalog categories that are libraries running in the process, not a party data flows to (as in the
/// model builder).
const IN_PROCESS: &[&str] = &[
    "auth-library",
    "ai-framework",
    "ml-framework",
    "logging",
    "cloud",
    "feature-flags",
];

struct Edge {
    label: String,
    protocol: Option<String>,
    encrypted: Option<bool>,
    receives: Vec<DataClass>,
    evidence: Vec<Evidence>,
    assumed: bool,
}

impl Edge {
    fn add(&mut self, proof: Vec<Evidence>, assumed: bool) {
        self.assumed &= assumed;
        for item in proof {
            if self.evidence.len() < 3 && !self.evidence.contains(&item) {
                self.evidence.push(item);
            }
        }
    }
}

/// The component a fact lands on; a datastore named only by a fact's target id is created on the way.
fn entry<'a>(
    components: &'a mut BTreeMap<String, Component>,
    id: &str,
    lexicon: &Lexicon,
) -> &'a mut Component {
    components.entry(id.to_owned()).or_insert_with(|| {
        let store = id
            .strip_prefix("design:")
            .and_then(|s| lexicon.stores.iter().find(|d| d.id == s));
        Component {
            id: id.to_owned(),
            name: store.map_or_else(|| id.to_owned(), |s| s.name.clone()),
            kind: if store.is_some() {
                ComponentKind::Datastore
            } else {
                ComponentKind::Process
            },
            ..Component::default()
        }
    })
}

/// A process that calls an LLM without the design naming the provider still sends prompts somewhere: an
/// assumed provider stands in, with the evidence of the call.
fn unnamed_llm(components: &mut BTreeMap<String, Component>, edges: &mut BTreeMap<(String, String), Edge>) {
    let callers: Vec<(String, Vec<Evidence>)> = components
        .values()
        .filter(|c| c.kind == ComponentKind::Process)
        .filter_map(|c| {
            c.capability(CapabilityKind::CallsLlm)
                .map(|cap| (c.id.clone(), cap.evidence.clone()))
        })
        .filter(|(id, _)| {
            !edges
                .iter()
                .any(|((source, _), edge)| source == id && edge.label.starts_with("sends prompts to"))
        })
        .collect();
    for (caller, evidence) in callers {
        components.entry(UNNAMED_LLM.into()).or_insert_with(|| Component {
            id: UNNAMED_LLM.into(),
            name: "Unnamed LLM provider (LLM provider)".into(),
            kind: ComponentKind::ExternalEntity,
            boundary: Some(THIRD_PARTY.into()),
            evidence: evidence.iter().take(1).cloned().collect(),
            assumed: true,
            ..Component::default()
        });
        edges.insert(
            (caller, UNNAMED_LLM.into()),
            Edge {
                label: "sends prompts to an LLM provider the design does not name".into(),
                protocol: Some("https".into()),
                encrypted: Some(true),
                receives: Vec::new(),
                evidence,
                assumed: true,
            },
        );
    }
}

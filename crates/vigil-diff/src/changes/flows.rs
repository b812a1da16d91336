//! Data flows: a flow that now carries sensitive data it did not, and a new flow across trust boundaries.
//! A flow is its source and target components, each by its stable key, so a flow survives its code moving.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vigil_core::{Component, DataClass, Flow};

use super::{View, change, first, list};
use crate::{ChangeKind, MaterialChange};

/// The boundary of a component outside every named one: the application's own code and data.
const UNBOUNDED: &str = "";

/// One flow, with its two ends resolved.
struct Resolved<'a> {
    flow: &'a Flow,
    source: &'a Component,
    target: &'a Component,
    source_key: String,
    target_key: String,
}

/// Flows by (source key, target key). Two flows between the same components (one found in code, one in
/// infrastructure) are one: their data classes are united.
fn flows<'a>(view: &View<'a>) -> BTreeMap<(String, String), (Resolved<'a>, BTreeSet<DataClass>)> {
    let components: HashMap<&str, &'a Component> = view
        .assessment
        .model
        .components
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut found: BTreeMap<(String, String), (Resolved<'a>, BTreeSet<DataClass>)> = BTreeMap::new();
    for flow in &view.assessment.model.flows {
        let (Some(source), Some(target)) = (
            components.get(flow.source.as_str()),
            components.get(flow.target.as_str()),
        ) else {
            continue;
        };
        let source_key = view.ids.of_component(source);
        let target_key = view.ids.of_component(target);
        let entry = found
            .entry((source_key.clone(), target_key.clone()))
            .or_insert_with(|| {
                (
                    Resolved {
                        flow,
                        source,
                        target,
                        source_key,
                        target_key,
                    },
                    BTreeSet::new(),
                )
            });
        entry.1.extend(flow.data_classes.iter().copied());
    }
    found
}

fn names(classes: &BTreeSet<DataClass>) -> Vec<String> {
    classes.iter().map(|c| c.as_str().to_owned()).collect()
}

pub(super) fn sensitive_data(old: &View<'_>, new: &View<'_>) -> Vec<MaterialChange> {
    let before = flows(old);
    let mut changes = Vec::new();
    for (key, (resolved, classes)) in flows(new) {
        let Some((_, earlier)) = before.get(&key) else {
            continue;
        };
        let gained: BTreeSet<DataClass> = classes
            .iter()
            .filter(|c| c.is_sensitive() && !earlier.contains(c))
            .copied()
            .collect();
        if gained.is_empty() {
            continue;
        }
        let gained = names(&gained);
        changes.push(change(
            ChangeKind::SensitiveDataAddedToFlow,
            format!("{}->{}", resolved.source_key, resolved.target_key),
            format!(
                "{} → {} now carries {}",
                resolved.source.name,
                resolved.target.name,
                gained.join(", ")
            ),
            first(&resolved.flow.evidence, 2),
            format!(
                "{}; carried before: {}",
                resolved.flow.label,
                list(&names(earlier), 6)
            ),
        ));
    }
    changes
}

/// A boundary's name as the model gives it, or what an unbounded component is.
fn boundary_name(view: &View<'_>, id: &str) -> String {
    if id == UNBOUNDED {
        return "the application".into();
    }
    view.assessment
        .model
        .boundaries
        .iter()
        .find(|b| b.id == id)
        .map_or_else(|| id.to_owned(), |b| b.name.clone())
}

/// New flows between components in different trust boundaries. A flow to or from a component whose own
/// addition is reported (`covered`: a new third party, datastore, AI provider or public resource) is part
/// of that change.
pub(super) fn boundary_crossings(
    old: &View<'_>,
    new: &View<'_>,
    covered: &BTreeSet<String>,
) -> Vec<MaterialChange> {
    let before = flows(old);
    let mut changes = Vec::new();
    for (key, (resolved, classes)) in flows(new) {
        if before.contains_key(&key)
            || covered.contains(&resolved.source_key)
            || covered.contains(&resolved.target_key)
        {
            continue;
        }
        let from = resolved.source.boundary.as_deref().unwrap_or(UNBOUNDED);
        let to = resolved.target.boundary.as_deref().unwrap_or(UNBOUNDED);
        if from == to {
            continue;
        }
        let mut detail = vec![resolved.flow.label.clone()];
        if !classes.is_empty() {
            detail.push(format!("carries {}", names(&classes).join(", ")));
        }
        if let Some(authenticated) = resolved.flow.authenticated {
            detail.push(
                if authenticated {
                    "authenticated"
                } else {
                    "unauthenticated"
                }
                .into(),
            );
        }
        changes.push(change(
            ChangeKind::TrustBoundaryCrossingAdded,
            format!("{}->{}", resolved.source_key, resolved.target_key),
            format!(
                "New flow {} → {} crosses from {} into {}",
                resolved.source.name,
                resolved.target.name,
                boundary_name(new, from),
                boundary_name(new, to)
            ),
            first(&resolved.flow.evidence, 2),
            detail.join("; "),
        ));
    }
    changes
}

//! Threat model as code: `vigil-model.yaml` at the repository's root, merged over the generated model.
//!
//! ```yaml
//! components:
//!   - id: svc:services/api          # an element vigil generated: rename or annotate it
//!     name: Storefront API
//!     internet_facing: true
//!     data_classes: [pii]
//!     controls: [waf, rate-limiting]
//!     capabilities: [parses-xml]     # what it does that the code does not show (`vigil rules` explains each)
//!   - id: ext:card-processor        # a new element: `kind` is required
//!     name: Card processor
//!     kind: external-entity          # process | datastore | external-entity
//!     boundary: third-party
//!   - id: svc:services/legacy
//!     remove: true                   # with its flows
//! flows:
//!   - {source: svc:services/api, target: ext:card-processor, label: charges cards,
//!      protocol: https, authenticated: true, data_classes: [pci]}
//! boundaries:
//!   - {id: vpc:prod, name: Production VPC, kind: network, components: [svc:services/api]}
//! out_of_scope:
//!   - {id: res:infra/aws_s3_bucket.audit_logs, reason: governed by the platform account baseline}
//! ```
//!
//! What the file adds or changes carries the file as evidence. A reference to an element that does not
//! exist, a duplicate id or a value out of its vocabulary is a warning naming the element and the rest of
//! the file still applies; a file that is not YAML is an error.

use serde_json::Value;
use vigil_core::{
    Boundary, BoundaryKind, CapabilityKind, Component, ComponentKind, ControlSource, DataClass, Diagnostic,
    Evidence, Flow, SystemModel,
};

use crate::threagile::InterchangeError;

/// The file's name at the repository's root.
pub const FILE: &str = "vigil-model.yaml";

/// Applies the threat model file `text` (read from `path`) to `model`; returns warnings.
pub fn apply(model: &mut SystemModel, text: &str, path: &str) -> Result<Vec<Diagnostic>, InterchangeError> {
    let document: Value = serde_saphyr::from_str(text)
        .map_err(|e| InterchangeError::Invalid(format!("{path}: invalid YAML: {e}")))?;
    let mut warnings = Vec::new();
    let mut warn = |message: String| warnings.push(Diagnostic::warning(path, None, message));
    let evidence = || vec![Evidence::at(path, None).with_note("threat model file")];

    for entry in list(&document, "components") {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            warn("a component without `id` is ignored".into());
            continue;
        };
        if entry.get("remove").and_then(Value::as_bool) == Some(true) {
            if model.component(id).is_none() {
                warn(format!("component `{id}` to remove does not exist"));
            }
            model.components.retain(|c| c.id != id);
            model.flows.retain(|f| f.source != id && f.target != id);
            for boundary in &mut model.boundaries {
                boundary.components.retain(|c| c != id);
            }
            continue;
        }
        if model.component(id).is_none() {
            let Some(kind) = entry.get("kind").and_then(Value::as_str).and_then(component_kind) else {
                warn(format!(
                    "new component `{id}` needs a `kind` (process, datastore or external-entity)"
                ));
                continue;
            };
            model.components.push(Component {
                id: id.to_owned(),
                name: id.to_owned(),
                kind,
                assets: Vec::new(),
                boundary: None,
                internet_facing: false,
                data_classes: Vec::new(),
                evidence: evidence(),
                assumed: false,
                capabilities: Vec::new(),
                controls: Vec::new(),
                out_of_scope: None,
            });
        }
        let boundaries: Vec<String> = model.boundaries.iter().map(|b| b.id.clone()).collect();
        let Some(component) = model.components.iter_mut().find(|c| c.id == id) else {
            continue;
        };
        if let Some(name) = entry.get("name").and_then(Value::as_str) {
            component.name = name.to_owned();
        }
        if let Some(facing) = entry.get("internet_facing").and_then(Value::as_bool) {
            component.internet_facing = facing;
        }
        if let Some(classes) = entry.get("data_classes") {
            component.data_classes = data_classes(classes, id, &mut warn);
        }
        for control in strings(entry.get("controls")) {
            let declared = Evidence::at(path, None).with_note("threat model file");
            component.add_control(&control, ControlSource::Declared, declared);
        }
        for name in strings(entry.get("capabilities")) {
            match CapabilityKind::ALL.into_iter().find(|k| k.as_str() == name) {
                Some(kind) => {
                    component.add_capability(kind, Evidence::at(path, None).with_note("threat model file"))
                }
                None => warn(format!(
                    "component `{id}`: unknown capability `{name}` ({})",
                    CapabilityKind::ALL.map(CapabilityKind::as_str).join(", ")
                )),
            }
        }
        if let Some(boundary) = entry.get("boundary").and_then(Value::as_str) {
            if boundaries.iter().any(|b| b == boundary) {
                component.boundary = Some(boundary.to_owned());
            } else {
                warn(format!("component `{id}`: boundary `{boundary}` does not exist"));
            }
        }
        component.evidence.extend(evidence());
    }

    let mut placed_by_file: Vec<(String, String)> = Vec::new();
    for entry in list(&document, "boundaries") {
        let Some(id) = entry.get("id").and_then(Value::as_str) else {
            warn("a boundary without `id` is ignored".into());
            continue;
        };
        if !model.boundaries.iter().any(|b| b.id == id) {
            let kind = entry
                .get("kind")
                .and_then(Value::as_str)
                .map_or(Some(BoundaryKind::Network), boundary_kind);
            let Some(kind) = kind else {
                warn(format!("boundary `{id}`: unknown kind"));
                continue;
            };
            model.boundaries.push(Boundary {
                id: id.to_owned(),
                name: id.to_owned(),
                kind,
                components: Vec::new(),
                evidence: evidence(),
                assumed: false,
            });
        }
        let members = strings(entry.get("components"));
        for member in &members {
            if let Some((_, earlier)) = placed_by_file.iter().find(|(m, b)| m == member && b != id) {
                warn(format!(
                    "component `{member}` is listed in boundaries `{earlier}` and `{id}`; it is placed in `{id}`"
                ));
            }
            placed_by_file.push((member.clone(), id.to_owned()));
            match model.components.iter_mut().find(|c| &c.id == member) {
                Some(component) => component.boundary = Some(id.to_owned()),
                None => warn(format!("boundary `{id}`: component `{member}` does not exist")),
            }
        }
        let existing: Vec<String> = model.components.iter().map(|c| c.id.clone()).collect();
        if let Some(boundary) = model.boundaries.iter_mut().find(|b| b.id == id) {
            if let Some(name) = entry.get("name").and_then(Value::as_str) {
                boundary.name = name.to_owned();
            }
            for member in members.into_iter().filter(|m| existing.contains(m)) {
                if !boundary.components.contains(&member) {
                    boundary.components.push(member);
                }
            }
        }
    }
    // A component moved into a boundary leaves the boundaries it was listed in before.
    let placement: Vec<(String, Option<String>)> = model
        .components
        .iter()
        .map(|c| (c.id.clone(), c.boundary.clone()))
        .collect();
    for boundary in &mut model.boundaries {
        boundary.components.retain(|member| {
            placement
                .iter()
                .any(|(id, placed)| id == member && placed.as_deref() == Some(boundary.id.as_str()))
        });
    }

    for (index, entry) in list(&document, "flows").enumerate() {
        let end = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(source), Some(target)) = (end("source"), end("target")) else {
            warn(format!("flow #{} needs a `source` and a `target`", index + 1));
            continue;
        };
        if source == target {
            warn(format!(
                "flow {source} -> {target}: a component cannot send data to itself"
            ));
            continue;
        }
        let missing: Vec<&String> = [&source, &target]
            .into_iter()
            .filter(|e| model.component(e).is_none())
            .collect();
        if let Some(missing) = missing.first() {
            warn(format!(
                "flow {source} -> {target}: component `{missing}` does not exist"
            ));
            continue;
        }
        let label = end("label").unwrap_or_else(|| format!("{source} to {target}"));
        model.flows.push(Flow {
            id: format!("model-file:{index}"),
            source,
            target,
            label: label.clone(),
            protocol: end("protocol"),
            authenticated: entry.get("authenticated").and_then(Value::as_bool),
            encrypted: entry.get("encrypted").and_then(Value::as_bool),
            data_classes: entry
                .get("data_classes")
                .map(|v| data_classes(v, &label, &mut warn))
                .unwrap_or_default(),
            evidence: evidence(),
            assumed: false,
        });
    }

    for entry in list(&document, "out_of_scope") {
        let (Some(id), Some(reason)) = (
            entry.get("id").and_then(Value::as_str),
            entry.get("reason").and_then(Value::as_str),
        ) else {
            warn("an out-of-scope entry needs an `id` and a `reason`".into());
            continue;
        };
        match model.components.iter_mut().find(|c| c.id == id) {
            Some(component) => component.out_of_scope = Some(reason.to_owned()),
            None => warn(format!("out-of-scope component `{id}` does not exist")),
        }
    }

    let mut seen = std::collections::HashSet::new();
    for component in &model.components {
        if !seen.insert(component.id.as_str()) {
            warnings.push(Diagnostic::warning(
                path,
                None,
                format!("component id `{}` is used twice", component.id),
            ));
        }
    }
    Ok(warnings)
}

fn list<'a>(document: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    document.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn data_classes(value: &Value, element: &str, warn: &mut impl FnMut(String)) -> Vec<DataClass> {
    let mut classes = Vec::new();
    for name in strings(Some(value)) {
        match DataClass::ALL.into_iter().find(|c| c.as_str() == name) {
            Some(class) => classes.push(class),
            None => warn(format!(
                "`{element}`: unknown data class `{name}` (secrets, pci, phi, pii, internal, public)"
            )),
        }
    }
    classes.sort();
    classes.dedup();
    classes
}

fn component_kind(name: &str) -> Option<ComponentKind> {
    match name {
        "process" => Some(ComponentKind::Process),
        "datastore" => Some(ComponentKind::Datastore),
        "external-entity" => Some(ComponentKind::ExternalEntity),
        _ => None,
    }
}

fn boundary_kind(name: &str) -> Option<BoundaryKind> {
    match name {
        "internet" => Some(BoundaryKind::Internet),
        "cloud-account" => Some(BoundaryKind::CloudAccount),
        "network" => Some(BoundaryKind::Network),
        "cluster" => Some(BoundaryKind::Cluster),
        "third-party" => Some(BoundaryKind::ThirdParty),
        "ci" => Some(BoundaryKind::Ci),
        _ => None,
    }
}

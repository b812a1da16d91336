//! Threat Dragon v2 JSON models in: actors, processes and stores become components, flows data flows,
//! trust-boundary boxes boundaries holding the components drawn inside them. Threat Dragon's boundary
//! curves only separate areas of a drawing, so they are kept as boundaries without members. A flow drawn
//! from or to nowhere on a public network is attached to an assumed "Internet" entity; other dangling
//! flows are left out with a warning.

use serde_json::Value;
use vigil_core::{Boundary, BoundaryKind, Component, ComponentKind, Flow, SystemModel};

use crate::threagile::InterchangeError;

/// The model of every diagram of a Threat Dragon v2 file, and warnings about what could not be read.
pub fn import(text: &str) -> Result<(SystemModel, Vec<String>), InterchangeError> {
    let document: Value =
        serde_json::from_str(text).map_err(|e| InterchangeError::Invalid(format!("invalid JSON: {e}")))?;
    let diagrams = document
        .pointer("/detail/diagrams")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            InterchangeError::Invalid("not a Threat Dragon v2 model: no `detail.diagrams`".into())
        })?;
    let mut model = SystemModel::default();
    let mut warnings = Vec::new();
    let mut boxes: Vec<(String, [f64; 4])> = Vec::new();
    for diagram in diagrams {
        let cells = diagram
            .get("cells")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for cell in cells.clone() {
            let id = cell
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let data = cell.get("data").unwrap_or(&Value::Null);
            let name = clean(data.get("name").and_then(Value::as_str).unwrap_or(""));
            let kind = match cell.get("shape").and_then(Value::as_str) {
                Some("actor") => Some(ComponentKind::ExternalEntity),
                Some("process") => Some(ComponentKind::Process),
                Some("store") => Some(ComponentKind::Datastore),
                Some(shape @ ("trust-boundary-box" | "trust-boundary-curve" | "trust-broundary-curve")) => {
                    let index = model.boundaries.len() + 1;
                    model.boundaries.push(Boundary {
                        id: id.clone(),
                        name: if name.is_empty() {
                            format!("Trust boundary {index}")
                        } else {
                            name.clone()
                        },
                        kind: BoundaryKind::Network,
                        components: Vec::new(),
                        evidence: Vec::new(),
                        assumed: false,
                    });
                    if shape == "trust-boundary-box"
                        && let Some(rect) = rectangle(cell)
                    {
                        boxes.push((id.clone(), rect));
                    }
                    None
                }
                _ => None,
            };
            if let Some(kind) = kind {
                model.components.push(Component {
                    id,
                    name,
                    kind,
                    assets: Vec::new(),
                    boundary: None,
                    internet_facing: false,
                    data_classes: Vec::new(),
                    evidence: Vec::new(),
                    assumed: false,
                    capabilities: Vec::new(),
                    controls: Vec::new(),
                    out_of_scope: None,
                });
            }
        }
        for cell in cells.filter(|c| c.get("shape").and_then(Value::as_str) == Some("flow")) {
            let data = cell.get("data").unwrap_or(&Value::Null);
            let label = clean(data.get("name").and_then(Value::as_str).unwrap_or("flow"));
            let public = data
                .get("isPublicNetwork")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let end = |key: &str| {
                cell.pointer(&format!("/{key}/cell"))
                    .and_then(Value::as_str)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
            };
            let (source, target) = match (end("source"), end("target"), public) {
                (Some(s), Some(t), _) => (s, t),
                (None, Some(t), true) => (internet(&mut model), t),
                (Some(s), None, true) => (s, internet(&mut model)),
                _ => {
                    warnings.push(format!("flow `{label}` is not connected at both ends; left out"));
                    continue;
                }
            };
            for end in [&source, &target] {
                if public
                    && let Some(component) = model
                        .components
                        .iter_mut()
                        .find(|c| &c.id == end && c.id != "internet")
                {
                    component.internet_facing = true;
                }
            }
            let protocol = data
                .get("protocol")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
                .map(str::to_owned);
            model.flows.push(Flow {
                id: cell
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                source,
                target,
                label,
                protocol,
                authenticated: None,
                encrypted: data.get("isEncrypted").and_then(Value::as_bool),
                data_classes: Vec::new(),
                evidence: Vec::new(),
                assumed: false,
            });
        }
    }
    // Membership by geometry: a component whose centre lies in a boundary box is inside it.
    for component in &mut model.components {
        let Some(centre) = diagrams
            .iter()
            .flat_map(|d| d.get("cells").and_then(Value::as_array).into_iter().flatten())
            .find(|c| c.get("id").and_then(Value::as_str) == Some(component.id.as_str()))
            .and_then(rectangle)
            .map(|[x, y, w, h]| (x + w / 2.0, y + h / 2.0))
        else {
            continue;
        };
        let inside = boxes
            .iter()
            .filter(|(_, [x, y, w, h])| {
                centre.0 >= *x && centre.0 <= x + w && centre.1 >= *y && centre.1 <= y + h
            })
            .min_by(|a, b| (a.1[2] * a.1[3]).total_cmp(&(b.1[2] * b.1[3])));
        if let Some((boundary, _)) = inside {
            component.boundary = Some(boundary.clone());
            if let Some(b) = model.boundaries.iter_mut().find(|b| &b.id == boundary) {
                b.components.push(component.id.clone());
            }
        }
    }
    Ok((model, warnings))
}

/// The assumed Internet entity, added once.
fn internet(model: &mut SystemModel) -> String {
    if model.component("internet").is_none() {
        model.components.push(Component {
            id: "internet".into(),
            name: "The Internet".into(),
            kind: ComponentKind::ExternalEntity,
            assets: Vec::new(),
            boundary: None,
            internet_facing: false,
            data_classes: Vec::new(),
            evidence: Vec::new(),
            assumed: true,
            capabilities: Vec::new(),
            controls: Vec::new(),
            out_of_scope: None,
        });
    }
    "internet".into()
}

fn rectangle(cell: &Value) -> Option<[f64; 4]> {
    let number = |pointer: &str| cell.pointer(pointer).and_then(Value::as_f64);
    Some([
        number("/position/x")?,
        number("/position/y")?,
        number("/size/width")?,
        number("/size/height")?,
    ])
}

/// Diagram labels break lines for layout: one line, single spaces.
fn clean(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

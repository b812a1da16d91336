//! Threagile YAML (the `threagile_version: 1.0.0` model format) in and out.
//!
//! Export: components become technical assets (process, datastore, external-entity), flows their
//! communication links, boundaries trust boundaries, and data classes data assets with the matching
//! confidentiality. What Threagile has no field for travels in tags (`vigil-kind-<boundary kind>`) and in
//! the description (the evidence, as JSON), so that importing the export gives back the same model.
//! Import: a hand-written or exported Threagile model becomes a system model; `internet: true` assets hang
//! off an "Internet" entity, unknown enum values are kept as written.

use std::collections::BTreeMap;

use serde_json::Value;
use vigil_core::{Boundary, BoundaryKind, Component, ComponentKind, DataClass, Evidence, Flow, SystemModel};

#[derive(Debug, thiserror::Error)]
pub enum InterchangeError {
    #[error("{0}")]
    Invalid(String),
}

/// The model as a Threagile YAML document titled `title`.
pub fn export(model: &SystemModel, title: &str) -> String {
    let mut out = String::new();
    out.push_str("threagile_version: 1.0.0\n");
    out.push_str(&format!("title: {}\n", quote(title)));
    out.push_str("date: 2026-01-01\nauthor:\n  name: vigil\nbusiness_criticality: important\n");
    let classes: Vec<DataClass> = {
        let mut all: Vec<DataClass> = model
            .components
            .iter()
            .flat_map(|c| c.data_classes.iter().copied())
            .chain(model.flows.iter().flat_map(|f| f.data_classes.iter().copied()))
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let kinds: Vec<&str> = model
        .boundaries
        .iter()
        .map(|b| boundary_kind_tag(b.kind))
        .collect();
    out.push_str("tags_available:\n");
    for tag in ["vigil-assumed", "vigil-internet-facing"]
        .iter()
        .chain(kinds.iter())
    {
        out.push_str(&format!("  - {tag}\n"));
    }
    out.push_str("data_assets:\n");
    for class in &classes {
        out.push_str(&format!(
            "  {}:\n    id: {}\n    usage: business\n    quantity: many\n    confidentiality: {}\n    integrity: important\n    availability: important\n",
            quote(class.as_str()),
            class.as_str(),
            confidentiality(*class)
        ));
    }
    out.push_str("technical_assets:\n");
    let mut titles: BTreeMap<String, usize> = BTreeMap::new();
    for component in &model.components {
        let count = titles.entry(component.name.clone()).or_default();
        *count += 1;
        let title = if *count == 1 {
            component.name.clone()
        } else {
            format!("{} ({})", component.name, component.id)
        };
        out.push_str(&format!("  {}:\n", quote(&title)));
        out.push_str(&format!("    id: {}\n", quote(&component.id)));
        out.push_str(&format!(
            "    description: {}\n",
            quote(&evidence_text(&component.evidence))
        ));
        out.push_str(&format!("    type: {}\n", component_type(component.kind)));
        out.push_str("    usage: business\n    size: service\n    technology: unknown-technology\n    machine: virtual\n    encryption: none\n");
        out.push_str(&format!("    internet: {}\n", component.internet_facing));
        let mut tags = Vec::new();
        if component.assumed {
            tags.push("vigil-assumed");
        }
        out.push_str(&format!("    tags: [{}]\n", tags.join(", ")));
        out.push_str(
            "    confidentiality: confidential\n    integrity: important\n    availability: important\n",
        );
        let processed: Vec<&str> = component.data_classes.iter().map(|c| c.as_str()).collect();
        out.push_str(&format!(
            "    data_assets_processed: [{}]\n",
            processed.join(", ")
        ));
        out.push_str("    communication_links:\n");
        for (index, flow) in model
            .flows
            .iter()
            .filter(|f| f.source == component.id)
            .enumerate()
        {
            out.push_str(&format!(
                "      {}:\n",
                quote(&format!("{} #{}", flow.label, index + 1))
            ));
            out.push_str(&format!("        target: {}\n", quote(&flow.target)));
            out.push_str(&format!(
                "        description: {}\n",
                quote(&evidence_text(&flow.evidence))
            ));
            out.push_str(&format!(
                "        protocol: {}\n",
                quote(flow.protocol.as_deref().unwrap_or("unknown-protocol"))
            ));
            let authentication = match flow.authenticated {
                Some(true) => "credentials",
                Some(false) => "none",
                None => "unknown",
            };
            out.push_str(&format!(
                "        authentication: {authentication}\n        authorization: none\n"
            ));
            out.push_str("        vpn: false\n        ip_filtered: false\n        readonly: false\n        usage: business\n");
            let sent: Vec<&str> = flow.data_classes.iter().map(|c| c.as_str()).collect();
            out.push_str(&format!("        data_assets_sent: [{}]\n", sent.join(", ")));
            let mut tags = Vec::new();
            if flow.assumed {
                tags.push("vigil-assumed");
            }
            out.push_str(&format!("        tags: [{}]\n", tags.join(", ")));
        }
    }
    out.push_str("trust_boundaries:\n");
    for boundary in &model.boundaries {
        out.push_str(&format!("  {}:\n", quote(&boundary.name)));
        out.push_str(&format!("    id: {}\n", quote(&boundary.id)));
        out.push_str(&format!(
            "    description: {}\n",
            quote(&evidence_text(&boundary.evidence))
        ));
        out.push_str(&format!("    type: {}\n", boundary_type(boundary.kind)));
        let mut tags = vec![boundary_kind_tag(boundary.kind)];
        if boundary.assumed {
            tags.push("vigil-assumed");
        }
        out.push_str(&format!("    tags: [{}]\n", tags.join(", ")));
        let inside: Vec<String> = boundary.components.iter().map(|c| quote(c)).collect();
        out.push_str(&format!("    technical_assets_inside: [{}]\n", inside.join(", ")));
    }
    out
}

/// A Threagile model as a system model.
pub fn import(text: &str) -> Result<SystemModel, InterchangeError> {
    let document: Value =
        serde_saphyr::from_str(text).map_err(|e| InterchangeError::Invalid(format!("invalid YAML: {e}")))?;
    if document.get("threagile_version").is_none() {
        return Err(InterchangeError::Invalid(
            "not a Threagile model: no `threagile_version`".into(),
        ));
    }
    let data_classes: BTreeMap<String, DataClass> = map_entries(&document, "data_assets")
        .map(|(title, asset)| {
            let id = asset
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or(title)
                .to_owned();
            let class = DataClass::ALL
                .into_iter()
                .find(|c| c.as_str() == id)
                .unwrap_or_else(|| {
                    class_of_confidentiality(asset.get("confidentiality").and_then(Value::as_str))
                });
            (id, class)
        })
        .collect();
    let classes_of = |value: Option<&Value>| -> Vec<DataClass> {
        let mut out: Vec<DataClass> = value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|id| data_classes.get(id).copied())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let mut model = SystemModel::default();
    let mut ids: Vec<String> = Vec::new();
    for (title, asset) in map_entries(&document, "technical_assets") {
        let id = asset
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| InterchangeError::Invalid(format!("technical asset `{title}` has no id")))?
            .to_owned();
        if ids.contains(&id) {
            return Err(InterchangeError::Invalid(format!(
                "technical asset id `{id}` is used twice"
            )));
        }
        ids.push(id.clone());
        let tags = strings(asset.get("tags"));
        let name = title
            .strip_suffix(&format!(" ({id})"))
            .unwrap_or(title)
            .to_owned();
        model.components.push(Component {
            id: id.clone(),
            name,
            kind: match asset.get("type").and_then(Value::as_str) {
                Some("datastore") => ComponentKind::Datastore,
                Some("external-entity") => ComponentKind::ExternalEntity,
                _ => ComponentKind::Process,
            },
            assets: Vec::new(),
            boundary: None,
            internet_facing: asset.get("internet").and_then(Value::as_bool).unwrap_or(false),
            data_classes: classes_of(asset.get("data_assets_processed")),
            evidence: parse_evidence(asset.get("description")),
            assumed: tags.iter().any(|t| t == "vigil-assumed"),
            capabilities: Vec::new(),
            controls: Vec::new(),
            out_of_scope: None,
        });
        for (label, link) in asset
            .get("communication_links")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let target = link.get("target").and_then(Value::as_str).ok_or_else(|| {
                InterchangeError::Invalid(format!("communication link `{label}` of `{id}` has no target"))
            })?;
            let label = label.rsplit_once(" #").map_or(label.as_str(), |(l, n)| {
                if n.bytes().all(|b| b.is_ascii_digit()) {
                    l
                } else {
                    label.as_str()
                }
            });
            let index = model.flows.len();
            model.flows.push(Flow {
                id: format!("flow:{index}"),
                source: id.clone(),
                target: target.to_owned(),
                label: label.to_owned(),
                protocol: link
                    .get("protocol")
                    .and_then(Value::as_str)
                    .filter(|p| *p != "unknown-protocol")
                    .map(str::to_owned),
                authenticated: match link.get("authentication").and_then(Value::as_str) {
                    Some("none") => Some(false),
                    Some("unknown") | None => None,
                    Some(_) => Some(true),
                },
                encrypted: None,
                data_classes: classes_of(link.get("data_assets_sent")),
                evidence: parse_evidence(link.get("description")),
                assumed: strings(link.get("tags")).iter().any(|t| t == "vigil-assumed"),
            });
        }
    }
    for flow in &model.flows {
        if !ids.contains(&flow.target) {
            return Err(InterchangeError::Invalid(format!(
                "communication link `{}` from `{}` targets `{}`, which is not a technical asset",
                flow.label, flow.source, flow.target
            )));
        }
    }
    let mut boundaries = Vec::new();
    for (title, boundary) in map_entries(&document, "trust_boundaries") {
        let id = boundary
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or(title)
            .to_owned();
        let tags = strings(boundary.get("tags"));
        let kind = tags
            .iter()
            .find_map(|t| kind_of_tag(t))
            .unwrap_or_else(|| kind_of_type(boundary.get("type").and_then(Value::as_str)));
        let inside = strings(boundary.get("technical_assets_inside"));
        if let Some(unknown) = inside.iter().find(|c| !ids.contains(c)) {
            return Err(InterchangeError::Invalid(format!(
                "trust boundary `{id}` contains `{unknown}`, which is not a technical asset"
            )));
        }
        let nested = strings(boundary.get("trust_boundaries_nested"));
        boundaries.push((
            Boundary {
                id,
                name: title.to_owned(),
                kind,
                components: inside,
                evidence: parse_evidence(boundary.get("description")),
                assumed: tags.iter().any(|t| t == "vigil-assumed"),
            },
            nested,
        ));
    }
    let ancestors = nesting(&boundaries)?;
    for component in &mut model.components {
        component.boundary = innermost(&component.id, &boundaries, &ancestors)?;
    }
    model.boundaries = boundaries.into_iter().map(|(b, _)| b).collect();
    Ok(model)
}

/// Every boundary's ancestors through `trust_boundaries_nested`; a nesting cycle or a nested boundary that
/// does not exist is an error naming the boundary.
fn nesting(
    boundaries: &[(Boundary, Vec<String>)],
) -> Result<BTreeMap<String, Vec<String>>, InterchangeError> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    for (boundary, nested) in boundaries {
        for child in nested {
            if !boundaries.iter().any(|(b, _)| &b.id == child) {
                return Err(InterchangeError::Invalid(format!(
                    "trust boundary `{}` nests `{child}`, which is not a trust boundary",
                    boundary.id
                )));
            }
            if let Some(other) = parent.insert(child.as_str(), boundary.id.as_str()) {
                return Err(InterchangeError::Invalid(format!(
                    "trust boundary `{child}` is nested in both `{other}` and `{}`",
                    boundary.id
                )));
            }
        }
    }
    let mut ancestors = BTreeMap::new();
    for (boundary, _) in boundaries {
        let mut chain: Vec<String> = Vec::new();
        let mut current = boundary.id.as_str();
        while let Some(up) = parent.get(current) {
            if *up == boundary.id || chain.iter().any(|c| c == up) {
                return Err(InterchangeError::Invalid(format!(
                    "trust boundary `{}` is nested in itself (through {})",
                    boundary.id,
                    chain.join(" -> ")
                )));
            }
            chain.push((*up).to_owned());
            current = up;
        }
        ancestors.insert(boundary.id.clone(), chain);
    }
    Ok(ancestors)
}

/// The innermost boundary listing `component`; listing it in two boundaries neither of which nests the
/// other is an error naming the component.
fn innermost(
    component: &str,
    boundaries: &[(Boundary, Vec<String>)],
    ancestors: &BTreeMap<String, Vec<String>>,
) -> Result<Option<String>, InterchangeError> {
    let listing: Vec<&str> = boundaries
        .iter()
        .filter(|(b, _)| b.components.iter().any(|c| c == component))
        .map(|(b, _)| b.id.as_str())
        .collect();
    if listing.is_empty() {
        return Ok(None);
    }
    let Some(inner) = listing
        .iter()
        .find(|candidate| {
            listing.iter().all(|other| {
                other == *candidate
                    || ancestors
                        .get(**candidate)
                        .is_some_and(|up| up.iter().any(|a| a == other))
            })
        })
        .copied()
    else {
        return Err(InterchangeError::Invalid(format!(
            "technical asset `{component}` is inside trust boundaries `{}`, and none of them nests the others",
            listing.join("`, `")
        )));
    };
    Ok(Some(inner.to_owned()))
}

fn map_entries<'a>(document: &'a Value, key: &str) -> impl Iterator<Item = (&'a str, &'a Value)> {
    document
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// A double-quoted YAML scalar (JSON string syntax is valid YAML).
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Evidence in a description: `evidence: ` and the evidence list as JSON, read back by [`parse_evidence`].
fn evidence_text(evidence: &[Evidence]) -> String {
    format!(
        "evidence: {}",
        serde_json::to_string(evidence).unwrap_or_else(|_| "[]".into())
    )
}

fn parse_evidence(value: Option<&Value>) -> Vec<Evidence> {
    value
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix("evidence: "))
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

fn component_type(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Process => "process",
        ComponentKind::Datastore => "datastore",
        ComponentKind::ExternalEntity => "external-entity",
    }
}

fn confidentiality(class: DataClass) -> &'static str {
    match class {
        DataClass::Secrets | DataClass::Pci | DataClass::Phi => "strictly-confidential",
        DataClass::Pii => "confidential",
        DataClass::Internal => "internal",
        DataClass::Public => "public",
    }
}

fn class_of_confidentiality(confidentiality: Option<&str>) -> DataClass {
    match confidentiality {
        Some("strictly-confidential" | "confidential") => DataClass::Pii,
        Some("public") => DataClass::Public,
        _ => DataClass::Internal,
    }
}

fn boundary_type(kind: BoundaryKind) -> &'static str {
    match kind {
        BoundaryKind::CloudAccount => "network-cloud-provider",
        BoundaryKind::Network => "network-virtual-lan",
        BoundaryKind::Cluster => "network-policy-namespace-isolation",
        BoundaryKind::Internet | BoundaryKind::ThirdParty => "network-dedicated-hoster",
        BoundaryKind::Ci => "execution-environment",
    }
}

fn kind_of_type(threagile: Option<&str>) -> BoundaryKind {
    match threagile {
        Some("network-cloud-provider" | "network-cloud-security-group") => BoundaryKind::CloudAccount,
        Some("network-policy-namespace-isolation") => BoundaryKind::Cluster,
        Some("execution-environment") => BoundaryKind::Ci,
        Some("network-dedicated-hoster") => BoundaryKind::ThirdParty,
        _ => BoundaryKind::Network,
    }
}

const KIND_TAGS: [(BoundaryKind, &str); 6] = [
    (BoundaryKind::Internet, "vigil-kind-internet"),
    (BoundaryKind::CloudAccount, "vigil-kind-cloud-account"),
    (BoundaryKind::Network, "vigil-kind-network"),
    (BoundaryKind::Cluster, "vigil-kind-cluster"),
    (BoundaryKind::ThirdParty, "vigil-kind-third-party"),
    (BoundaryKind::Ci, "vigil-kind-ci"),
];

fn boundary_kind_tag(kind: BoundaryKind) -> &'static str {
    KIND_TAGS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("vigil-kind-network", |(_, t)| t)
}

fn kind_of_tag(tag: &str) -> Option<BoundaryKind> {
    KIND_TAGS.iter().find(|(_, t)| *t == tag).map(|(k, _)| *k)
}

//! The inventory as a CycloneDX 1.6 BOM: an "XBOM" with libraries (dependencies with purl, scope and the
//! manifest line as evidence), services (the repository's own, with their endpoints, authentication and
//! the data classes they handle, and the third parties they call), data components (data models and the
//! classes of their fields) and machine-learning models. Written by hand with serde_json: the
//! cyclonedx-bom crate stops at spec 1.5. The output validates against the official 1.6 schema (tested).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use vigil_core::{
    Asset, AssetKind, DataClass, Dependency, DependencyScope, Inventory, SystemModel, fingerprint,
};

/// What the BOM describes and who wrote it.
#[derive(Debug, Clone)]
pub struct BomInfo<'a> {
    pub name: &'a str,
    pub tool_version: &'a str,
    /// RFC 3339.
    pub timestamp: &'a str,
}

pub fn render(inventory: &Inventory, model: &SystemModel, info: &BomInfo<'_>) -> String {
    let mut text = serde_json::to_string_pretty(&bom(inventory, model, info)).unwrap_or_default();
    text.push('\n');
    text
}

pub fn bom(inventory: &Inventory, model: &SystemModel, info: &BomInfo<'_>) -> Value {
    let mut components = Vec::new();
    let mut by_service: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for asset in &inventory.assets {
        match asset.kind {
            AssetKind::Dependency => {
                if let Some(component) = library(asset) {
                    if let Some(service) = asset.attr_str("service") {
                        by_service
                            .entry(service.to_owned())
                            .or_default()
                            .push(asset.id.0.clone());
                    }
                    components.push(component);
                }
            }
            AssetKind::DataModel => components.push(data_component(asset)),
            AssetKind::AiUsage if asset.attr_str("artifact") == Some("model-file") => {
                components.push(json!({
                    "type": "machine-learning-model",
                    "bom-ref": asset.id.0,
                    "name": asset.name,
                    "properties": [property("vigil:format", asset.attr_str("format").unwrap_or_default())],
                    "evidence": occurrences(asset),
                }));
            }
            _ => {}
        }
    }

    let mut services = Vec::new();
    for asset in inventory.of_kind(AssetKind::Service) {
        services.push(own_service(asset, inventory, model));
    }
    for asset in inventory.assets.iter().filter(|a| third_party(a)) {
        services.push(json!({
            "bom-ref": asset.id.0,
            "name": asset.name,
            "provider": {"name": asset.name},
            "x-trust-boundary": true,
            "data": data_flows(&asset.data_classes, "outbound"),
            "properties": [
                property("vigil:kind", asset.kind.as_str()),
                property("vigil:category", asset.attr_str("category").unwrap_or_default()),
                property("vigil:imported", &asset.attr_bool("imported").unwrap_or(false).to_string()),
            ],
        }));
    }

    let dependencies: Vec<Value> = by_service
        .into_iter()
        .map(|(service, libraries)| json!({"ref": service, "dependsOn": libraries}))
        .collect();

    let mut bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(inventory, info.name),
        "version": 1,
        "metadata": {
            "timestamp": info.timestamp,
            "tools": {"components": [{"type": "application", "name": "vigil", "version": info.tool_version}]},
            "component": {"type": "application", "bom-ref": "vigil:root", "name": info.name},
        },
        "components": components,
        "services": services,
    });
    if !dependencies.is_empty() {
        bom["dependencies"] = Value::Array(dependencies);
    }
    bom
}

fn third_party(asset: &Asset) -> bool {
    asset.attr_str("sdk").is_some()
        && matches!(
            asset.kind,
            AssetKind::Integration | AssetKind::AiUsage | AssetKind::Identity | AssetKind::Datastore
        )
}

fn library(asset: &Asset) -> Option<Value> {
    let dependency = Dependency::from_asset(asset)?;
    let scope = match dependency.scope {
        DependencyScope::Dev => "excluded",
        DependencyScope::Optional => "optional",
        DependencyScope::Prod | DependencyScope::Unknown => "required",
    };
    let mut properties = vec![
        property("vigil:ecosystem", dependency.ecosystem.osv_name()),
        property("vigil:scope", dependency.scope.as_str()),
    ];
    if let Some(direct) = dependency.direct {
        properties.push(property("vigil:direct", &direct.to_string()));
    }
    if let Some(source) = asset.attr_str("source") {
        properties.push(property("vigil:source", source));
    }
    Some(json!({
        "type": "library",
        "bom-ref": asset.id.0,
        "name": dependency.name,
        "version": dependency.version,
        "purl": dependency.purl(),
        "scope": scope,
        "properties": properties,
        "evidence": occurrences(asset),
    }))
}

fn data_component(asset: &Asset) -> Value {
    let classification = classification(&asset.data_classes);
    let fields: Vec<String> = asset
        .attributes
        .get("fields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| {
                    let name = f.get("name")?.as_str()?;
                    Some(match f.get("data_class").and_then(Value::as_str) {
                        Some(class) => format!("{name} ({class})"),
                        None => name.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "type": "data",
        "bom-ref": asset.id.0,
        "name": asset.name,
        "data": [{
            "type": "dataset",
            "name": asset.name,
            "classification": classification,
            "description": format!("fields: {}", fields.join(", ")),
        }],
        "properties": [property("vigil:framework", asset.attr_str("framework").unwrap_or_default())],
        "evidence": occurrences(asset),
    })
}

fn own_service(service: &Asset, inventory: &Inventory, model: &SystemModel) -> Value {
    let endpoints: Vec<&Asset> = inventory
        .of_kind(AssetKind::ApiEndpoint)
        .filter(|e| e.attr_str("service") == Some(service.id.as_str()))
        .collect();
    let paths: BTreeSet<String> = endpoints
        .iter()
        .filter_map(|e| e.attr_str("path"))
        .map(endpoint_reference)
        .collect();
    let authentication: Vec<Option<bool>> = endpoints.iter().map(|e| e.attr_bool("authenticated")).collect();
    let internet_facing = model
        .components
        .iter()
        .any(|c| c.internet_facing && c.assets.contains(&service.id));
    let mut value = json!({
        "bom-ref": service.id.0,
        "name": service.name,
        "x-trust-boundary": internet_facing,
        "data": data_flows(&service.data_classes, "bi-directional"),
        "properties": endpoints.iter().map(|e| property("vigil:endpoint", &format!("{} (authenticated: {})", e.name, match e.attr_bool("authenticated") {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        }))).collect::<Vec<_>>(),
    });
    if !paths.is_empty() {
        value["endpoints"] = json!(paths);
    }
    // Authenticated only when every endpoint is known to be; unauthenticated when any is known not to be.
    if !authentication.is_empty() {
        if authentication.iter().all(|a| *a == Some(true)) {
            value["authenticated"] = Value::Bool(true);
        } else if authentication.contains(&Some(false)) {
            value["authenticated"] = Value::Bool(false);
        }
    }
    value
}

/// An endpoint path as an IRI reference: route parameters and spaces are not IRI characters.
fn endpoint_reference(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "/-._~:@!$&'()*+,;=%".contains(c) {
                c.to_string()
            } else {
                format!("%{:02X}", u32::from(c) & 0xff)
            }
        })
        .collect()
}

fn data_flows(classes: &[DataClass], flow: &str) -> Value {
    Value::Array(
        classes
            .iter()
            .map(|c| json!({"flow": flow, "classification": c.as_str()}))
            .collect(),
    )
}

fn classification(classes: &[DataClass]) -> String {
    if classes.is_empty() {
        "unclassified".to_owned()
    } else {
        classes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn occurrences(asset: &Asset) -> Value {
    let occurrences: Vec<Value> = asset
        .evidence
        .iter()
        .map(|e| match e.line {
            Some(line) => json!({"location": e.path, "line": line}),
            None => json!({"location": e.path}),
        })
        .collect();
    json!({"occurrences": occurrences})
}

fn property(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

/// A serial number derived from what the BOM lists, so the same inventory gives the same BOM.
fn serial_number(inventory: &Inventory, name: &str) -> String {
    let ids: Vec<&str> = inventory.assets.iter().map(|a| a.id.as_str()).collect();
    let mut parts = vec![name];
    parts.extend(ids);
    let hex = fingerprint(&parts);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

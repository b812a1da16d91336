//! A view over the Terraform resources of the inventory: lookups by module and address, and how resources
//! refer to each other (`bucket = aws_s3_bucket.data.id`), which is how AWS companion resources (ACLs,
//! policies, public-access blocks, encryption) attach to the resource they configure.
//!
//! Resource configs are the JSON the terraform extractor produced: literals as JSON, anything computed as
//! a `${...}` string, nested blocks as arrays of objects.

use std::collections::HashMap;

use serde_json::{Map, Value};
use vigil_core::{Asset, AssetKind, Inventory};

#[derive(Debug)]
pub struct Terraform<'a> {
    resources: Vec<&'a Asset>,
    by_type: HashMap<&'a str, Vec<&'a Asset>>,
}

impl<'a> Terraform<'a> {
    pub fn new(inventory: &'a Inventory) -> Self {
        let resources: Vec<&Asset> = inventory
            .assets
            .iter()
            .filter(|a| matches!(a.kind, AssetKind::CloudResource | AssetKind::Identity))
            .filter(|a| a.attr_str("resource_type").is_some())
            .collect();
        let mut by_type: HashMap<&str, Vec<&Asset>> = HashMap::new();
        for resource in &resources {
            if let Some(kind) = resource.attr_str("resource_type") {
                by_type.entry(kind).or_default().push(resource);
            }
        }
        Self { resources, by_type }
    }

    pub fn resources(&self) -> &[&'a Asset] {
        &self.resources
    }

    /// Managed resources (not data sources or providers) of one type.
    pub fn of_type(&self, resource_type: &str) -> impl Iterator<Item = &'a Asset> + '_ {
        self.by_type
            .get(resource_type)
            .into_iter()
            .flatten()
            .copied()
            .filter(|a| mode(a) == "managed")
    }

    /// Resources of `companion_type` in the same module whose `attribute` refers to `target` (by address or
    /// by the same literal value of `attribute`, e.g. the same bucket name).
    pub fn companions(&self, target: &Asset, companion_type: &str, attribute: &str) -> Vec<&'a Asset> {
        let module = target.attr_str("module_dir");
        let address = target.attr_str("address").unwrap_or_default();
        let literal = config(target)
            .and_then(|c| c.get(attribute))
            .and_then(Value::as_str)
            .filter(|s| !s.contains("${"));
        self.of_type(companion_type)
            .filter(|c| c.attr_str("module_dir") == module)
            .filter(|c| {
                let Some(value) = config(c).and_then(|c| c.get(attribute)) else {
                    return false;
                };
                refers_to(value, address) || (literal.is_some() && value.as_str() == literal)
            })
            .collect()
    }

    /// Resources of `resource_type` in `target`'s module that `target` refers to anywhere in its config
    /// (e.g. the security groups an instance lists in `vpc_security_group_ids`).
    pub fn referenced_by(&self, target: &Asset, resource_type: &str) -> Vec<&'a Asset> {
        let module = target.attr_str("module_dir");
        let Some(target_config) = target.attributes.get("config") else {
            return Vec::new();
        };
        self.of_type(resource_type)
            .filter(|r| r.attr_str("module_dir") == module)
            .filter(|r| refers_to(target_config, r.attr_str("address").unwrap_or_default()))
            .collect()
    }
}

impl Terraform<'_> {
    /// Data sources of `data_type` in `holder`'s module that `holder` refers to
    /// (`data.aws_iam_policy_document.x.json`).
    pub fn referenced_data(&self, holder: &Asset, data_type: &str) -> Vec<&Asset> {
        let module = holder.attr_str("module_dir");
        let Some(holder_config) = holder.attributes.get("config") else {
            return Vec::new();
        };
        self.by_type
            .get(data_type)
            .into_iter()
            .flatten()
            .copied()
            .filter(|d| mode(d) == "data" && d.attr_str("module_dir") == module)
            .filter(|d| refers_to(holder_config, d.attr_str("address").unwrap_or_default()))
            .collect()
    }
}

/// `managed`, `data` or `provider`.
pub fn mode(asset: &Asset) -> &str {
    asset.attr_str("mode").unwrap_or("managed")
}

pub fn config(asset: &Asset) -> Option<&Map<String, Value>> {
    asset.attributes.get("config").and_then(Value::as_object)
}

/// Whether any string inside `value` refers to the resource at `address` (`${aws_s3_bucket.x.id}`,
/// `${aws_s3_bucket.x}`, or inside a larger expression).
pub fn refers_to(value: &Value, address: &str) -> bool {
    if address.is_empty() {
        return false;
    }
    match value {
        Value::String(s) => s.contains("${") && contains_reference(s, address),
        Value::Array(items) => items.iter().any(|v| refers_to(v, address)),
        Value::Object(map) => map.values().any(|v| refers_to(v, address)),
        _ => false,
    }
}

fn contains_reference(text: &str, address: &str) -> bool {
    text.match_indices(address).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + address.len()..].chars().next();
        let boundary_before = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        let boundary_after = !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        boundary_before && boundary_after
    })
}

/// A literal string attribute (not computed).
pub fn literal_str<'v>(config: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    config
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.contains("${"))
}

/// A literal boolean attribute; Terraform also accepts the strings "true"/"false".
pub fn literal_bool(config: &Map<String, Value>, key: &str) -> Option<bool> {
    match config.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A literal number attribute (numbers may be written as strings).
pub fn literal_i64(config: &Map<String, Value>, key: &str) -> Option<i64> {
    match config.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Nested blocks of a config (`ingress`, `statement`...): always arrays of objects.
pub fn blocks<'v>(config: &'v Map<String, Value>, key: &str) -> Vec<&'v Map<String, Value>> {
    config
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

/// Strings of a list attribute (`cidr_blocks`, `actions`); a single string counts as a list of one.
pub fn strings<'v>(config: &'v Map<String, Value>, key: &str) -> Vec<&'v str> {
    match config.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_respect_identifier_boundaries() {
        assert!(refers_to(
            &json!("${aws_s3_bucket.data.id}"),
            "aws_s3_bucket.data"
        ));
        assert!(refers_to(
            &json!(["${aws_security_group.web.id}"]),
            "aws_security_group.web"
        ));
        assert!(refers_to(
            &json!({"a": "${aws_s3_bucket.data}"}),
            "aws_s3_bucket.data"
        ));
        assert!(!refers_to(
            &json!("${aws_s3_bucket.data_logs.id}"),
            "aws_s3_bucket.data"
        ));
        assert!(!refers_to(
            &json!("${module.x.aws_s3_bucket.data2.id}"),
            "aws_s3_bucket.data"
        ));
        assert!(
            !refers_to(&json!("aws_s3_bucket.data"), "aws_s3_bucket.data"),
            "a plain string is not a reference"
        );
    }
}

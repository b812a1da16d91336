//! AWS CloudFormation and SAM templates (`*.yaml`, `*.yml`, `*.json`, `*.template`): one asset per resource,
//! and one `api-endpoint` per SAM function event of type `Api` or `HttpApi`.
//!
//! Most YAML and JSON files are not templates, so a file is only read when its text mentions `AWS::` or
//! `AWSTemplateFormatVersion`, and only counted as a template when it has a top-level
//! `AWSTemplateFormatVersion` or a `Resources` mapping with at least one `Type: AWS::...`; anything else
//! yields nothing and no diagnostic. A file that cannot be parsed is an error only when it must be a
//! template: named `template.*`, `*.template`, `*cloudformation*` or `*cfn*`, next to a `samconfig.*`, or
//! with a top-level `AWSTemplateFormatVersion` line. JSON templates go through the YAML reader (JSON is
//! YAML 1.2), which gives them line numbers too.
//!
//! The short-form intrinsic tags of YAML (`!Ref X`, `!Sub "..."`, `!GetAtt A.B`, `!If [...]`) become the
//! JSON form of the template (`{"Ref": "X"}`, `{"Fn::Sub": "..."}`, `{"Fn::GetAtt": ["A", "B"]}`), so rules
//! read one form whatever the file used. Nothing is resolved or evaluated: parameters, mappings and
//! conditions stay references. SAM `Globals` are merged into the resources they apply to as SAM does
//! (mappings merged, lists appended, the resource's own scalars win), with the lines of the `Globals`
//! entries they came from.
//!
//! Layout of a resource asset (kind `identity` for `AWS::IAM::*`, else `cloud-resource`; id
//! `<kind>:<file>:<logical id>`, since a stack is a file, not a directory; evidence at the logical id):
//! `provider` (`aws`), `resource_type` (`AWS::S3::Bucket`), `resource_name` and `address` (the logical id),
//! `module_dir` (the file's directory, `.` at the root), `mode` (`managed`), `format` (`cloudformation`),
//! `config` (the resource's `Properties`, `{}` when absent) and `resource_attributes` (its other keys:
//! `DependsOn`, `Condition`, `DeletionPolicy`, `Metadata`, ...). `attribute_lines` holds every path inside
//! `config`, as `BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault` (an
//! intrinsic adds its key: `BucketName.Fn::Sub`).
//!
//! Layout of an endpoint asset (id `api-endpoint:<file>:<api>:<METHOD path>`, where `<api>` is the
//! `RestApiId`/`ApiId` logical id or SAM's implicit `ServerlessRestApi`/`ServerlessHttpApi`; evidence at the
//! event): `method` (upper case; `ANY` for SAM's `any`), `path`, `framework` (`aws-sam`), `handler` (the
//! function's `Handler`, or null for image functions), `function` and `event` (logical id and event name),
//! `event_type` (`Api` or `HttpApi`), `api`, `authenticated` (true when the event's `Auth.Authorizer` is
//! set and not `NONE`, when it requires an API key, or when the API has a `DefaultAuthorizer` or requires
//! API keys; false for `Authorizer: NONE`; otherwise null) and `guard` (the authorizer's name, `api-key`,
//! or null). `attribute_lines`: `method`, `path`, `authenticated`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile, join_relative};
use crate::yaml::{self, Entries, Node, Spanned, field, get, join_path as join, key_text, line_of};

#[derive(Debug)]
pub struct CloudFormation;

const EXTENSIONS: [&str; 4] = [".yaml", ".yml", ".json", ".template"];

/// Files whose presence in the same directory marks the templates there as SAM's.
const SAM_CONFIGS: [&str; 3] = ["samconfig.toml", "samconfig.yaml", "samconfig.yml"];

impl Extractor for CloudFormation {
    fn name(&self) -> &'static str {
        "aws/cloudformation"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        EXTENSIONS.iter().any(|e| file_name.ends_with(e))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let named = named_as_template(file.path) && file.text.contains("AWS::");
        if !named && !may_be_template(file.text) {
            return Ok(());
        }
        let root = match yaml::parse(file) {
            Ok(root) => root,
            Err(error) if must_be_template(file) => return Err(error),
            Err(_) => return Ok(()),
        };
        let top = match root.value.untagged() {
            Node::Map(entries) => entries.as_slice(),
            Node::Null => return Ok(()),
            other if must_be_template(file) => {
                return Err(file.error(
                    Some(line_of(&root)),
                    format!(
                        "not a CloudFormation template: the document is {}, not a mapping",
                        other.describe()
                    ),
                ));
            }
            _ => return Ok(()),
        };
        if !is_template(top) {
            return Ok(());
        }
        if let Some((key, resources)) = get(top, "Resources") {
            if resources.value.as_map().is_some() {
                let globals = get(top, "Globals").map(|(_, v)| v);
                read_resources(file, resources, globals, out);
            } else if !resources.value.is_null() {
                out.diagnostics.push(file.warning(
                    Some(line_of(key)),
                    "`Resources` is not a mapping; no resources read",
                ));
            }
        }
        Ok(())
    }
}

/// A cheap test before parsing: the text declares a template version or a `Type: AWS::...` resource type
/// (other JSON and YAML, such as AWS SDK service models, mention `AWS::` in prose).
fn may_be_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.match_indices("AWS::").any(|(at, _)| {
            let line = text[..at].rsplit('\n').next().unwrap_or("");
            let key = line.trim_end().trim_end_matches(['"', '\'']).trim_end();
            key.strip_suffix(':')
                .map(|k| k.trim_end().trim_end_matches(['"', '\'']))
                .is_some_and(|k| k.ends_with("Type"))
        })
}

/// A template declares its version, or at least one AWS resource.
fn is_template(top: &Entries) -> bool {
    if get(top, "AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(resources) = get(top, "Resources").and_then(|(_, v)| v.value.as_map()) else {
        return false;
    };
    resources.iter().any(|(_, resource)| {
        field(resource, "Type")
            .and_then(|t| t.value.as_str())
            .is_some_and(|t| t.starts_with("AWS::"))
    })
}

/// Whether an unreadable file is a broken template rather than some other YAML or JSON.
fn must_be_template(file: &SourceFile<'_>) -> bool {
    let named = named_as_template(file.path);
    let declared = file.text.lines().any(|line| {
        line.starts_with("AWSTemplateFormatVersion")
            || line.trim_start().starts_with("\"AWSTemplateFormatVersion\"")
    });
    named
        || declared
        || SAM_CONFIGS.iter().any(|config| {
            join_relative(file.dir(), config)
                .is_some_and(|path| matches!(file.read_related(&path), Ok(Some(_))))
        })
}

/// `template.yaml`, `stack.template`, `cloudformation/...`, `cfn-...`.
fn named_as_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("template.")
        || name.ends_with(".template")
        || name.contains("cloudformation")
        || name.contains("cfn")
}

/// Reads a `Resources` mapping (of a template, or embedded in a `serverless.yml`) into assets.
pub(crate) fn read_resources(
    file: &SourceFile<'_>,
    resources: &Spanned<Node>,
    globals: Option<&Spanned<Node>>,
    out: &mut Output,
) {
    let Some(entries) = resources.value.as_map() else {
        return;
    };
    let module_dir = match file.dir() {
        "" => ".",
        dir => dir,
    };
    let mut apis: BTreeMap<String, Value> = BTreeMap::new();
    let mut functions: Vec<Function> = Vec::new();
    for (key, resource) in entries {
        let logical = key_text(key).into_owned();
        let line = line_of(key);
        let Some(fields) = resource.value.as_map() else {
            out.diagnostics.push(file.warning(
                Some(line),
                format!("resource `{logical}` is not a mapping; skipped"),
            ));
            continue;
        };
        let Some(resource_type) = get(fields, "Type").and_then(|(_, v)| v.value.as_str()) else {
            out.diagnostics
                .push(file.warning(Some(line), format!("resource `{logical}` has no `Type`; skipped")));
            continue;
        };
        let properties = get(fields, "Properties").map(|(_, v)| v);
        let global = resource_type
            .strip_prefix("AWS::Serverless::")
            .and_then(|kind| globals.and_then(|g| field(g, kind)));
        let mut lines = BTreeMap::new();
        let config = match merged(global, properties, "", &mut lines) {
            Value::Null => Value::Object(Map::new()),
            config => config,
        };
        let resource_attributes: Map<String, Value> = fields
            .iter()
            .filter(|(k, _)| !matches!(key_text(k).as_ref(), "Type" | "Properties"))
            .map(|(k, v)| (key_text(k).into_owned(), convert(v, "", &mut BTreeMap::new())))
            .collect();

        match resource_type {
            "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                apis.insert(logical.clone(), config.clone());
            }
            "AWS::Serverless::Function" => functions.push(Function {
                logical: logical.clone(),
                line,
                config: config.clone(),
                lines: lines.clone(),
            }),
            _ => {}
        }

        let kind = if resource_type.starts_with("AWS::IAM::") {
            AssetKind::Identity
        } else {
            AssetKind::CloudResource
        };
        let id = AssetId::from_parts(kind, &[file.path, &logical]);
        let mut asset = Asset::new(kind, id, logical.clone(), file.evidence(Some(line)))
            .with("provider", "aws")
            .with("resource_type", resource_type)
            .with("resource_name", logical.clone())
            .with("address", logical)
            .with("module_dir", module_dir)
            .with("mode", "managed")
            .with("format", "cloudformation")
            .with("config", config)
            .with("resource_attributes", Value::Object(resource_attributes));
        asset.attribute_lines = lines;
        out.assets.push(asset);
    }

    let implicit = |name: &str| {
        globals
            .and_then(|g| field(g, name))
            .map(|api| convert(api, "", &mut BTreeMap::new()))
    };
    let implicit_apis = [("Api", implicit("Api")), ("HttpApi", implicit("HttpApi"))];
    for function in &functions {
        endpoints(file, function, &apis, &implicit_apis, out);
    }
}

/// A SAM function, kept until every API of the template is known.
struct Function {
    logical: String,
    line: u32,
    config: Value,
    lines: BTreeMap<String, u32>,
}

/// The `Api`/`HttpApi` events of a SAM function as endpoints.
fn endpoints(
    file: &SourceFile<'_>,
    function: &Function,
    apis: &BTreeMap<String, Value>,
    implicit_apis: &[(&str, Option<Value>); 2],
    out: &mut Output,
) {
    let Some(events) = function.config.get("Events").and_then(Value::as_object) else {
        return;
    };
    for (event, definition) in events {
        let event_type = definition.get("Type").and_then(Value::as_str).unwrap_or_default();
        if !matches!(event_type, "Api" | "HttpApi") {
            continue;
        }
        let http_api = event_type == "HttpApi";
        let base = format!("Events.{event}");
        let line = function.lines.get(&base).copied().unwrap_or(function.line);
        let empty = Map::new();
        let properties = definition
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        // An HttpApi event without path and method is the API's catch-all route.
        let path = match properties.get("Path") {
            Some(Value::String(path)) => path.clone(),
            Some(other) => other.to_string(),
            None if http_api => "$default".to_owned(),
            None => {
                out.diagnostics.push(file.warning(
                    Some(line),
                    format!(
                        "event `{event}` of function `{}` has no `Path`; skipped",
                        function.logical
                    ),
                ));
                continue;
            }
        };
        let method = match properties.get("Method") {
            Some(Value::String(method)) => method.to_ascii_uppercase(),
            Some(other) => other.to_string(),
            None if http_api => "ANY".to_owned(),
            None => {
                out.diagnostics.push(file.warning(
                    Some(line),
                    format!(
                        "event `{event}` of function `{}` has no `Method`; skipped",
                        function.logical
                    ),
                ));
                continue;
            }
        };
        let api_ref = properties.get(if http_api { "ApiId" } else { "RestApiId" });
        let api = match api_ref {
            None => Some(
                if http_api {
                    "ServerlessHttpApi"
                } else {
                    "ServerlessRestApi"
                }
                .to_owned(),
            ),
            Some(Value::String(name)) => Some(name.clone()),
            Some(reference) => reference.get("Ref").and_then(Value::as_str).map(str::to_owned),
        };
        let api_config = match (api_ref, &api) {
            (None, _) => implicit_apis
                .iter()
                .find(|(kind, _)| *kind == event_type)
                .and_then(|(_, config)| config.as_ref()),
            (Some(_), Some(name)) => apis.get(name),
            (Some(_), None) => None,
        };
        let (authenticated, guard) = authentication(properties.get("Auth"), api_config);
        let api_name = api
            .clone()
            .unwrap_or_else(|| api_ref.map(Value::to_string).unwrap_or_default());
        let route = format!("{method} {path}");
        let id = AssetId::from_parts(AssetKind::ApiEndpoint, &[file.path, &api_name, &route]);
        let handler = function.config.get("Handler").cloned().unwrap_or(Value::Null);
        let mut asset = Asset::new(AssetKind::ApiEndpoint, id, route, file.evidence(Some(line)))
            .with("method", method)
            .with("path", path)
            .with("framework", "aws-sam")
            .with("handler", handler)
            .with("function", function.logical.clone())
            .with("event", event.clone())
            .with("event_type", event_type)
            .with("api", api.map_or(Value::Null, Value::String))
            .with("authenticated", authenticated.map_or(Value::Null, Value::Bool))
            .with("guard", guard.map_or(Value::Null, Value::String));
        for (attribute, path) in [
            ("path", format!("{base}.Properties.Path")),
            ("method", format!("{base}.Properties.Method")),
            ("authenticated", format!("{base}.Properties.Auth.Authorizer")),
            ("authenticated", format!("{base}.Properties.Auth.ApiKeyRequired")),
        ] {
            if let Some(line) = function.lines.get(&path) {
                asset.attribute_lines.entry(attribute.to_owned()).or_insert(*line);
            }
        }
        out.assets.push(asset);
    }
}

/// Whether an event requires authentication, and by what: the event's own `Auth` first, then the API's.
fn authentication(event_auth: Option<&Value>, api: Option<&Value>) -> (Option<bool>, Option<String>) {
    match event_auth.and_then(|a| a.get("Authorizer")) {
        Some(Value::String(name)) if name == "NONE" => return (Some(false), None),
        Some(Value::String(name)) => return (Some(true), Some(name.clone())),
        Some(other) if !other.is_null() => return (Some(true), Some(other.to_string())),
        _ => {}
    }
    if event_auth.and_then(|a| a.get("ApiKeyRequired")) == Some(&Value::Bool(true)) {
        return (Some(true), Some("api-key".to_owned()));
    }
    let api_auth = api.and_then(|a| a.get("Auth"));
    match api_auth.and_then(|a| a.get("DefaultAuthorizer")) {
        Some(Value::String(name)) if name != "NONE" => return (Some(true), Some(name.clone())),
        _ => {}
    }
    if api_auth.and_then(|a| a.get("ApiKeyRequired")) == Some(&Value::Bool(true)) {
        return (Some(true), Some("api-key".to_owned()));
    }
    (None, None)
}

/// `global` (a SAM `Globals` section) merged under `local` as SAM does: mappings merged key by key, lists
/// appended (global items first), anything else taken from `local`. Lines come from where each value is
/// written.
pub(crate) fn merged(
    global: Option<&Spanned<Node>>,
    local: Option<&Spanned<Node>>,
    path: &str,
    lines: &mut BTreeMap<String, u32>,
) -> Value {
    let (global, local) = match (global, local) {
        (None, None) => return Value::Null,
        (Some(only), None) | (None, Some(only)) => return convert(only, path, lines),
        (Some(global), Some(local)) => (global, local),
    };
    match (&global.value, &local.value) {
        (Node::Map(global_entries), Node::Map(local_entries)) => {
            let mut map = Map::new();
            for (key, value) in global_entries {
                let name = key_text(key);
                if get(local_entries, &name).is_none() {
                    let child = join(path, &name);
                    lines.insert(child.clone(), line_of(key));
                    map.insert(name.into_owned(), convert(value, &child, lines));
                }
            }
            for (key, value) in local_entries {
                let name = key_text(key);
                let child = join(path, &name);
                lines.insert(child.clone(), line_of(key));
                let global_value = get(global_entries, &name).map(|(_, v)| v);
                map.insert(
                    name.into_owned(),
                    merged(global_value, Some(value), &child, lines),
                );
            }
            Value::Object(map)
        }
        (Node::Seq(global_items), Node::Seq(local_items)) => Value::Array(
            global_items
                .iter()
                .chain(local_items)
                .enumerate()
                .map(|(index, item)| {
                    let child = join(path, &index.to_string());
                    lines.insert(child.clone(), line_of(item));
                    convert(item, &child, lines)
                })
                .collect(),
        ),
        _ => convert(local, path, lines),
    }
}

/// A template value as the JSON form of the template (short-form intrinsics expanded), recording the line
/// of every key and list item under its path below `path`.
pub(crate) fn convert(node: &Spanned<Node>, path: &str, lines: &mut BTreeMap<String, u32>) -> Value {
    convert_node(&node.value, line_of(node), path, lines)
}

fn convert_node(node: &Node, line: u32, path: &str, lines: &mut BTreeMap<String, u32>) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Number(n) => Value::Number(n.clone()),
        Node::String(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let child = join(path, &index.to_string());
                    lines.insert(child.clone(), line_of(item));
                    convert(item, &child, lines)
                })
                .collect(),
        ),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let name = key_text(key).into_owned();
                    let child = join(path, &name);
                    lines.insert(child.clone(), line_of(key));
                    (name, convert(value, &child, lines))
                })
                .collect(),
        ),
        Node::Tagged(tag, inner) => {
            let name = intrinsic_name(tag);
            let child = join(path, &name);
            lines.insert(child.clone(), line);
            let value = convert_node(inner, line, &child, lines);
            intrinsic(name, value)
        }
    }
}

/// `!Ref` -> `Ref`, `!Condition` -> `Condition`, `!Sub` -> `Fn::Sub`.
fn intrinsic_name(tag: &str) -> String {
    match tag.trim_start_matches('!') {
        name @ ("Ref" | "Condition") => name.to_owned(),
        name => format!("Fn::{name}"),
    }
}

fn intrinsic(name: String, value: Value) -> Value {
    let value = match value {
        // A tag on an empty scalar tags the empty string (`!GetAZs ''` is often written `!GetAZs`).
        Value::Null => Value::String(String::new()),
        // `!GetAtt Resource.Attribute.Path` splits at the first dot only.
        Value::String(text) if name == "Fn::GetAtt" => match text.split_once('.') {
            Some((resource, attribute)) => json!([resource, attribute]),
            None => Value::String(text),
        },
        other => other,
    };
    let mut map = Map::new();
    map.insert(name, value);
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::may_be_template;

    #[test]
    fn only_resource_types_or_a_version_make_a_template_worth_parsing() {
        assert!(may_be_template(
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
        ));
        assert!(may_be_template("Resources:\n  Q: {Type: 'AWS::SQS::Queue'}\n"));
        assert!(may_be_template(
            r#"{"Resources": {"F": {"Type" : "AWS::Lambda::Function"}}}"#
        ));
        assert!(may_be_template("AWSTemplateFormatVersion: '2010-09-09'\n"));
        // An SDK service model describes resource types in prose.
        let model = r#"{"documentation": "<p>Creates an AWS::EC2::Instance.</p>", "shapes": {"Type": {}}}"#;
        assert!(!may_be_template(model));
        assert!(!may_be_template("- AWS::S3::Bucket\n"));
    }
}

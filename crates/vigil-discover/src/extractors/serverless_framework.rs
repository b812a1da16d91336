//! Serverless Framework configurations (`serverless.yml`, `serverless.yaml`): one asset per function, one
//! `api-endpoint` per `http`/`httpApi` event, one identity for the provider's IAM role statements, and the
//! CloudFormation `resources.Resources` read exactly as [`super::cloudformation`] reads a template.
//!
//! Nothing is resolved: `${self:...}`, `${env:...}`, `${ssm:...}` and `${file(...)}` stay the strings they
//! are written as, and resources pulled in with `${file(...)}` are reported as not checked. `serverless.ts`
//! and `serverless.js` would have to be executed and are not claimed. CloudFormation tags (`!Ref`,
//! `!GetAtt`) read as their JSON form, as in templates.
//!
//! Layout of a function asset (`cloud-resource`, id `cloud-resource:<file>:functions.<name>`, evidence at its
//! name): `provider` (`provider.name`, `aws` by default), `resource_type` (`serverless::function`),
//! `resource_name` (the name), `address` (`functions.<name>`), `module_dir`, `mode` (`managed`), `format`
//! (`serverless`), `service`, `region` and `stage` (from `provider`, or null), and `config`: the function as
//! written (`handler`, `runtime`, `environment`, `events`, `timeout`, `role`, ...), where `runtime` falls
//! back to `provider.runtime` and `environment` is `provider.environment` merged under the function's own.
//! `attribute_lines` holds every path inside `config` (`environment.DB_PASSWORD`, `events.0.http.path`),
//! inherited values at their line in `provider`.
//!
//! Layout of the IAM identity (id `identity:<file>:provider.iam`, evidence at `iam:` or
//! `iamRoleStatements:`), present when the provider declares statements or managed policies:
//! `provider`, `resource_type` (`serverless::iam-role`), `resource_name` and `address` (`provider.iam`),
//! `module_dir`, `mode`, `format`, `service`, and `config` with `Statement` (the statements of
//! `iam.role.statements` or the legacy `iamRoleStatements`) and `ManagedPolicyArns`
//! (`iam.role.managedPolicies` or `iamManagedPolicies`) when given. `attribute_lines`: `Statement.0.Action`, ...
//!
//! Layout of an endpoint (id `api-endpoint:<file>:<http|httpApi>:<METHOD path>`, evidence at the event):
//! `method` (upper case; `ANY` for `*` and `any`), `path` (as written: `users/{id}`, `/users`, `*`),
//! `framework` (`serverless`), `handler`, `function`, `event_type` (`http` or `httpApi`), `authenticated`
//! (true with an `authorizer` or `private: true`, which requires an API key; false otherwise: the framework
//! has no default authorizer) and `guard` (the authorizer's name or ARN, `aws_iam`, `api-key`, or null).
//! `attribute_lines`: `method`, `path`, `authenticated`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use vigil_core::{Asset, AssetId, AssetKind, NotChecked};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::extractors::cloudformation::{convert, merged, read_resources};
use crate::yaml::{self, Entries, Node, Spanned, field, get, key_text, line_of};

#[derive(Debug)]
pub struct ServerlessFramework;

impl Extractor for ServerlessFramework {
    fn name(&self) -> &'static str {
        "serverless/serverless-yml"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        matches!(file_name, "serverless.yml" | "serverless.yaml")
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let root = yaml::parse(file)?;
        let top = match root.value.untagged() {
            Node::Null => return Ok(()),
            Node::Map(entries) => entries.as_slice(),
            other => {
                return Err(file.error(
                    Some(line_of(&root)),
                    format!(
                        "not a Serverless Framework configuration: the document is {}, not a mapping",
                        other.describe()
                    ),
                ));
            }
        };
        if ["service", "provider", "functions"]
            .iter()
            .all(|key| get(top, key).is_none())
        {
            return Err(file.error(
                Some(line_of(&root)),
                "not a Serverless Framework configuration: no `service`, `provider` or `functions`",
            ));
        }
        let context = Context::new(file, top);
        if let Some(identity) = context.iam_identity() {
            out.assets.push(identity);
        }
        if let Some((key, functions)) = get(top, "functions") {
            match functions.value.as_map() {
                Some(entries) => {
                    for (name, function) in entries {
                        context.function(name, function, out);
                    }
                }
                None if functions.value.is_null() => {}
                None => out.diagnostics.push(file.warning(
                    Some(line_of(key)),
                    "`functions` is not a mapping; no functions read",
                )),
            }
        }
        if let Some((key, resources)) = get(top, "resources") {
            embedded_resources(file, key, resources, out);
        }
        Ok(())
    }
}

/// What every asset of the file shares: the service and its provider.
struct Context<'f, 'n> {
    file: &'f SourceFile<'f>,
    module_dir: &'f str,
    service: Value,
    provider_name: String,
    provider: Option<&'n Entries>,
}

impl<'f, 'n> Context<'f, 'n> {
    fn new(file: &'f SourceFile<'f>, top: &'n Entries) -> Self {
        // `service: {name: x}` is the framework's older form.
        let service = get(top, "service").map_or(Value::Null, |(_, service)| {
            let name = field(service, "name").unwrap_or(service);
            yaml::to_json(name)
        });
        let provider = get(top, "provider").and_then(|(_, p)| p.value.as_map());
        let provider_name = provider
            .and_then(|p| get(p, "name"))
            .map_or_else(|| "aws".to_owned(), |(_, name)| key_text(name).into_owned());
        let module_dir = match file.dir() {
            "" => ".",
            dir => dir,
        };
        Self {
            file,
            module_dir,
            service,
            provider_name,
            provider,
        }
    }

    fn provider_field(&self, key: &str) -> Option<(&'n Spanned<Node>, &'n Spanned<Node>)> {
        self.provider.and_then(|p| get(p, key))
    }

    fn asset(&self, kind: AssetKind, resource_type: &str, name: &str, address: &str, line: u32) -> Asset {
        let id = AssetId::from_parts(kind, &[self.file.path, address]);
        Asset::new(kind, id, address, self.file.evidence(Some(line)))
            .with("provider", self.provider_name.clone())
            .with("resource_type", resource_type)
            .with("resource_name", name)
            .with("address", address)
            .with("module_dir", self.module_dir)
            .with("mode", "managed")
            .with("format", "serverless")
            .with("service", self.service.clone())
    }

    /// The role every function runs with unless it names its own.
    fn iam_identity(&self) -> Option<Asset> {
        let modern = self
            .provider_field("iam")
            .map(|(key, iam)| (key, field(iam, "role")));
        let statements = modern
            .and_then(|(key, role)| role.and_then(|r| field(r, "statements")).map(|s| (key, s)))
            .or_else(|| self.provider_field("iamRoleStatements"));
        let managed = modern
            .and_then(|(key, role)| role.and_then(|r| field(r, "managedPolicies")).map(|s| (key, s)))
            .or_else(|| self.provider_field("iamManagedPolicies"));
        let line = statements.or(managed).map(|(key, _)| line_of(key))?;
        let mut lines = BTreeMap::new();
        let mut config = Map::new();
        if let Some((_, statements)) = statements {
            config.insert(
                "Statement".to_owned(),
                convert(statements, "Statement", &mut lines),
            );
        }
        if let Some((_, managed)) = managed {
            config.insert(
                "ManagedPolicyArns".to_owned(),
                convert(managed, "ManagedPolicyArns", &mut lines),
            );
        }
        let mut asset = self
            .asset(
                AssetKind::Identity,
                "serverless::iam-role",
                "provider.iam",
                "provider.iam",
                line,
            )
            .with("config", Value::Object(config));
        asset.attribute_lines = lines;
        Some(asset)
    }

    fn function(&self, key: &Spanned<Node>, function: &Spanned<Node>, out: &mut Output) {
        let name = key_text(key).into_owned();
        let line = line_of(key);
        let Some(entries) = function.value.as_map() else {
            out.diagnostics.push(
                self.file
                    .warning(Some(line), format!("function `{name}` is not a mapping; skipped")),
            );
            return;
        };
        let mut lines = BTreeMap::new();
        let Value::Object(mut config) = convert(function, "", &mut lines) else {
            return;
        };
        if !config.contains_key("runtime")
            && let Some((runtime_key, runtime)) = self.provider_field("runtime")
        {
            lines.insert("runtime".to_owned(), line_of(runtime_key));
            config.insert("runtime".to_owned(), yaml::to_json(runtime));
        }
        let provider_environment = self.provider_field("environment").map(|(_, e)| e);
        let own_environment = get(entries, "environment").map(|(_, e)| e);
        if provider_environment.is_some() {
            let environment = merged(provider_environment, own_environment, "environment", &mut lines);
            config.insert("environment".to_owned(), environment);
        }
        let address = format!("functions.{name}");
        let setting = |key: &str| {
            self.provider_field(key)
                .map_or(Value::Null, |(_, v)| yaml::to_json(v))
        };
        let mut asset = self
            .asset(
                AssetKind::CloudResource,
                "serverless::function",
                &name,
                &address,
                line,
            )
            .with("region", setting("region"))
            .with("stage", setting("stage"));
        let handler = config.get("handler").cloned().unwrap_or(Value::Null);
        if let Some(Value::Array(events)) = config.get("events") {
            for (index, event) in events.iter().enumerate() {
                if let Some(endpoint) = self.endpoint(&name, &handler, index, event, &lines, line) {
                    out.assets.push(endpoint);
                }
            }
        }
        asset = asset.with("config", Value::Object(config));
        asset.attribute_lines = lines;
        out.assets.push(asset);
    }

    /// An `http` or `httpApi` event as an endpoint; other events (schedule, sqs, s3, ...) are not endpoints.
    fn endpoint(
        &self,
        function: &str,
        handler: &Value,
        index: usize,
        event: &Value,
        lines: &BTreeMap<String, u32>,
        function_line: u32,
    ) -> Option<Asset> {
        let (event_type, definition) = ["http", "httpApi"]
            .into_iter()
            .find_map(|kind| event.get(kind).map(|d| (kind, d)))?;
        let base = format!("events.{index}.{event_type}");
        let line_at = |suffix: &str| lines.get(&format!("{base}{suffix}")).copied();
        let line = lines
            .get(&format!("events.{index}"))
            .copied()
            .unwrap_or(function_line);
        let (method, path) = match definition {
            // `GET users/{id}`, or `*` for an HTTP API's catch-all route.
            Value::String(short) => match short.trim().split_once(char::is_whitespace) {
                Some((method, path)) => (method.to_owned(), path.trim().to_owned()),
                None => ("*".to_owned(), short.trim().to_owned()),
            },
            Value::Object(long) => (
                long.get("method").map_or_else(|| "*".to_owned(), text),
                long.get("path").map_or_else(|| "*".to_owned(), text),
            ),
            _ => return None,
        };
        let method = match method.to_ascii_uppercase() {
            star if star == "*" => "ANY".to_owned(),
            method => method,
        };
        let (authenticated, guard, guard_line) = match definition.get("authorizer") {
            Some(authorizer) if !authorizer.is_null() => {
                let name = match authorizer {
                    Value::Object(a) => ["name", "arn", "type"]
                        .iter()
                        .find_map(|k| a.get(*k))
                        .map_or_else(|| authorizer.to_string(), text),
                    other => text(other),
                };
                (true, Some(name), line_at(".authorizer"))
            }
            _ if definition.get("private") == Some(&Value::Bool(true)) => {
                (true, Some("api-key".to_owned()), line_at(".private"))
            }
            _ => (false, None, None),
        };
        let route = format!("{method} {path}");
        let id = AssetId::from_parts(AssetKind::ApiEndpoint, &[self.file.path, event_type, &route]);
        let mut asset = Asset::new(AssetKind::ApiEndpoint, id, route, self.file.evidence(Some(line)))
            .with("method", method)
            .with("path", path)
            .with("framework", "serverless")
            .with("handler", handler.clone())
            .with("function", function)
            .with("event_type", event_type)
            .with("authenticated", authenticated)
            .with("guard", guard.map_or(Value::Null, Value::String));
        for (attribute, found) in [
            ("method", line_at(".method")),
            ("path", line_at(".path")),
            ("authenticated", guard_line),
        ] {
            if let Some(found) = found {
                asset.attribute_lines.insert(attribute.to_owned(), found);
            }
        }
        Some(asset)
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `resources:` is a mapping with `Resources` (and `Outputs`), or a list of such fragments and
/// `${file(...)}` references.
fn embedded_resources(
    file: &SourceFile<'_>,
    key: &Spanned<Node>,
    resources: &Spanned<Node>,
    out: &mut Output,
) {
    let fragments: Vec<&Spanned<Node>> = match resources.value.untagged() {
        Node::Seq(items) => items.iter().collect(),
        Node::Null => Vec::new(),
        _ => vec![resources],
    };
    for fragment in fragments {
        match fragment.value.untagged() {
            Node::Map(_) => {
                if let Some(resources) = field(fragment, "Resources") {
                    read_resources(file, resources, None, out);
                }
            }
            Node::String(reference) => out.not_checked.push(NotChecked {
                what: format!("{}:{}", file.path, line_of(fragment)),
                why: format!("resources from `{reference}` are not read (variables are not resolved)"),
            }),
            other => out.diagnostics.push(file.warning(
                Some(line_of(key)),
                format!("`resources` holds {}; not read", other.describe()),
            )),
        }
    }
}

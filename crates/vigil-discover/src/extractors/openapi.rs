//! OpenAPI 3.x and Swagger 2.0 documents (`*.yaml`, `*.yml`, `*.json`): one `api-endpoint` per operation
//! (path × HTTP method), as evidence of the API a service exposes, whatever framework serves it.
//!
//! Most YAML and JSON files are not API descriptions, so a file is read only when its text mentions
//! `openapi` or `swagger`, and counted only when it has a top-level `openapi` or `swagger` key and a `paths`
//! mapping. A file that cannot be parsed is an error only when its name says it is a description
//! (`openapi.*`, `swagger.*`, `*.openapi.*`, `*-api.*`...); JSON goes through the YAML reader (JSON is YAML
//! 1.2), which gives it line numbers too.
//!
//! Paths carry the base path the document declares (Swagger's `basePath`, or the path of the first of
//! OpenAPI's `servers` when it is a literal URL), so they compare with what frameworks report.
//!
//! Authentication follows the specification: an operation's `security` replaces the document's; a list
//! whose alternatives all name a scheme requires authentication (true, `guard` lists the schemes of the
//! first alternative); an empty list, or an alternative `{}`, allows anonymous calls (false). Without any
//! `security` the document does not say (null): many descriptions leave it out although the service
//! checks credentials.
//!
//! Layout (id `api-endpoint:<file>:<METHOD path>`; evidence at the method key): `method` (upper case),
//! `path`, `framework` (`openapi` or `swagger`), `handler` (the `operationId`, or null), `authenticated`,
//! `guard`, `api` (the document's `info.title`, or null) and `deprecated` (bool).

use serde_json::Value;
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Entries, Node, Spanned, field, key_text, line_of};

#[derive(Debug)]
pub struct OpenApi;

const EXTENSIONS: [&str; 3] = [".yaml", ".yml", ".json"];
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Extractor for OpenApi {
    fn name(&self) -> &'static str {
        "api/openapi"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        EXTENSIONS.iter().any(|e| file_name.ends_with(e))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        if !file.text.contains("openapi") && !file.text.contains("swagger") {
            return Ok(());
        }
        let root = match yaml::parse(file) {
            Ok(root) => root,
            Err(error) if named_as_description(file.path) => return Err(error),
            Err(_) => return Ok(()),
        };
        let Some(top) = root.value.as_map() else {
            return Ok(());
        };
        let framework = if yaml::get(top, "openapi").is_some() {
            "openapi"
        } else if yaml::get(top, "swagger").is_some() {
            "swagger"
        } else {
            return Ok(());
        };
        let Some((paths_key, paths)) = yaml::get(top, "paths") else {
            return Ok(());
        };
        let Some(paths) = paths.value.as_map() else {
            if paths.value.is_null() {
                return Ok(());
            }
            return Err(file.error(
                Some(line_of(paths_key)),
                format!("`paths` must be a mapping, found {}", paths.value.describe()),
            ));
        };
        let document = Document {
            framework,
            base_path: base_path(top),
            security: yaml::get(top, "security").map(|(_, v)| security(v)),
            title: yaml::get(top, "info")
                .and_then(|(_, info)| field(info, "title"))
                .and_then(|t| t.value.as_str())
                .map(str::to_owned),
        };
        for (path_key, item) in paths {
            let Some(operations) = item.value.as_map() else {
                continue;
            };
            let path = join_base(&document.base_path, &key_text(path_key));
            operations_of(file, &document, &path, operations, out);
        }
        Ok(())
    }
}

struct Document {
    framework: &'static str,
    base_path: String,
    security: Option<Security>,
    title: Option<String>,
}

#[derive(Clone)]
struct Security {
    authenticated: bool,
    guard: Option<String>,
}

fn operations_of(
    file: &SourceFile<'_>,
    document: &Document,
    path: &str,
    operations: &Entries,
    out: &mut Output,
) {
    for (method_key, operation) in operations {
        let method = key_text(method_key).to_ascii_lowercase();
        if !METHODS.contains(&method.as_str()) {
            continue; // `parameters`, `summary`, `servers`, `$ref`, extensions
        }
        let method = method.to_ascii_uppercase();
        let route = format!("{method} {path}");
        let security = field(operation, "security")
            .map(security)
            .or_else(|| document.security.clone());
        let text_of = |key: &str| {
            field(operation, key)
                .and_then(|v| v.value.as_str())
                .map_or(Value::Null, |s| Value::String(s.to_owned()))
        };
        let mut asset = Asset::new(
            AssetKind::ApiEndpoint,
            AssetId::from_parts(AssetKind::ApiEndpoint, &[file.path, &route]),
            route,
            file.evidence(Some(line_of(method_key))),
        )
        .with("method", method)
        .with("path", path)
        .with("framework", document.framework);
        let attributes = &mut asset.attributes;
        attributes.insert("handler".into(), text_of("operationId"));
        attributes.insert(
            "authenticated".into(),
            security
                .as_ref()
                .map_or(Value::Null, |s| Value::Bool(s.authenticated)),
        );
        attributes.insert(
            "guard".into(),
            security.and_then(|s| s.guard).map_or(Value::Null, Value::String),
        );
        attributes.insert(
            "api".into(),
            document.title.clone().map_or(Value::Null, Value::String),
        );
        let deprecated = field(operation, "deprecated").and_then(|d| d.value.as_bool());
        attributes.insert("deprecated".into(), Value::Bool(deprecated.unwrap_or(false)));
        out.assets.push(asset);
    }
}

/// A security requirement list: every alternative must name a scheme for the call to need credentials.
fn security(node: &Spanned<Node>) -> Security {
    let alternatives = node.value.as_seq().unwrap_or_default();
    let anonymous = alternatives.is_empty()
        || alternatives
            .iter()
            .any(|a| a.value.as_map().is_none_or(|schemes| schemes.is_empty()));
    if anonymous {
        return Security {
            authenticated: false,
            guard: None,
        };
    }
    let guard = alternatives
        .first()
        .and_then(|first| first.value.as_map())
        .map(|schemes| {
            schemes
                .iter()
                .map(|(name, _)| key_text(name).into_owned())
                .collect::<Vec<_>>()
                .join("+")
        });
    Security {
        authenticated: true,
        guard,
    }
}

/// Swagger's `basePath`, or the path part of OpenAPI's first server URL (`https://api.x.com/v1` → `/v1`;
/// a relative `/v1` as is; a templated host keeps its literal path). Empty when none.
fn base_path(top: &Entries) -> String {
    if let Some((_, base)) = yaml::get(top, "basePath") {
        return base
            .value
            .as_str()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
    }
    let Some((_, servers)) = yaml::get(top, "servers") else {
        return String::new();
    };
    let url = servers
        .value
        .as_seq()
        .and_then(|s| s.first())
        .and_then(|server| field(server, "url"))
        .and_then(|u| u.value.as_str())
        .unwrap_or_default();
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None if url.starts_with('/') => url,
        None => "",
    };
    path.trim_end_matches('/').to_owned()
}

fn join_base(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Whether the file name says it is an API description, so that a parse error is worth reporting.
fn named_as_description(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem);
    stem == "openapi"
        || stem == "swagger"
        || stem.ends_with(".openapi")
        || stem.ends_with("-openapi")
        || stem.ends_with(".swagger")
        || stem.ends_with("-swagger")
        || stem == "api-spec"
}

//! Source code in the languages vigil-code reads (JavaScript/TypeScript, Python, Go, Java, Ruby, PHP, C#,
//! Rust): API endpoints, data models with their fields classified, datastores named by connection strings,
//! and the modules each file imports. Prisma schema files are read for their models too.
//!
//! Test code is still read (its imports matter for reachability), but endpoints and models found under test
//! directories are left out: they describe fixtures, not the running system.

use serde_json::{Value, json};
use vigil_code::{CodeFacts, Language, Model, Scope};
use vigil_core::{Asset, AssetId, AssetKind, DataClass, Evidence};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::paths::is_test_path;

#[derive(Debug)]
pub struct SourceCode;

impl Extractor for SourceCode {
    fn name(&self) -> &'static str {
        "source/code"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        file_name.ends_with(".prisma") || Language::from_path(path).is_some()
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        if file.path.ends_with(".prisma") {
            for model in vigil_code::models::prisma::prisma_models(file.text) {
                out.assets.push(model_asset(file, &model));
            }
            return Ok(());
        }
        let Some(language) = Language::from_path(file.path) else {
            return Ok(());
        };
        let fixture = is_test_path(file.path);
        let scope = if fixture {
            Scope::ImportsAndConnections
        } else {
            Scope::Everything
        };
        let Some(facts) = vigil_code::analyze_with(file.path, file.text, scope) else {
            return Err(file.error(None, format!("could not parse as {}", language.as_str())));
        };
        let CodeFacts {
            imports,
            endpoints,
            models,
            connections,
        } = facts;
        for import in imports {
            out.imports
                .push((language.as_str(), import.module, file.evidence(Some(import.line))));
        }
        if !fixture {
            for endpoint in endpoints {
                let route = format!("{} {}", endpoint.method, endpoint.path);
                let id = AssetId::from_parts(AssetKind::ApiEndpoint, &[file.path, &route]);
                let authenticated = endpoint.authenticated.map_or(Value::Null, Value::Bool);
                let mut asset = Asset::new(
                    AssetKind::ApiEndpoint,
                    id,
                    route,
                    file.evidence(Some(endpoint.line)),
                )
                .with("method", endpoint.method)
                .with("path", endpoint.path)
                .with("framework", endpoint.framework)
                .with("language", language.as_str());
                asset.attributes.insert(
                    "handler".into(),
                    endpoint.handler.map_or(Value::Null, Value::String),
                );
                asset.attributes.insert("authenticated".into(), authenticated);
                asset
                    .attributes
                    .insert("guard".into(), endpoint.guard.map_or(Value::Null, Value::String));
                out.assets.push(asset);
            }
            for model in &models {
                out.assets.push(model_asset(file, model));
            }
        }
        for connection in connections {
            let host = connection.host.clone().unwrap_or_else(|| "unknown-host".into());
            let engine = engine(&connection.scheme);
            let id = AssetId::from_parts(AssetKind::Datastore, &[engine, &host]);
            out.assets.push(
                Asset::new(
                    AssetKind::Datastore,
                    id,
                    format!("{engine} at {host}"),
                    file.evidence(Some(connection.line)),
                )
                .with("engine", engine)
                .with("host", host)
                .with("detected_by", "connection string"),
            );
        }
        Ok(())
    }
}

fn model_asset(file: &SourceFile<'_>, model: &Model) -> Asset {
    let id = AssetId::from_parts(AssetKind::DataModel, &[file.path, &model.name]);
    let mut classes: Vec<DataClass> = Vec::new();
    let fields: Vec<Value> = model
        .fields
        .iter()
        .map(|field| {
            let class = vigil_code::lexicon::classify_field_in(Some(&model.name), &field.name);
            if let Some(class) = class
                && !classes.contains(&class)
            {
                classes.push(class);
            }
            json!({"name": field.name, "line": field.line, "data_class": class.map(DataClass::as_str)})
        })
        .collect();
    classes.sort();
    let mut asset = Asset::new(
        AssetKind::DataModel,
        id,
        model.name.clone(),
        file.evidence(Some(model.line)),
    )
    .with("framework", model.framework)
    .with("fields", fields);
    asset.data_classes = classes;
    asset
}

/// The engine a URL scheme names.
fn engine(scheme: &str) -> &'static str {
    match scheme {
        "postgres" | "postgresql" => "postgresql",
        "mysql" | "mariadb" => "mysql",
        "mongodb" | "mongodb+srv" => "mongodb",
        "redis" | "rediss" => "redis",
        "amqp" | "amqps" => "rabbitmq",
        "kafka" => "kafka",
        "sqlserver" | "mssql" => "sqlserver",
        "oracle" => "oracle",
        "cassandra" => "cassandra",
        "nats" => "nats",
        "memcached" => "memcached",
        _ => "database",
    }
}

/// Evidence of a field of a model (for findings that point at one PII column).
pub fn field_evidence(model: &Asset, field: &str) -> Option<Evidence> {
    let fields = model.attributes.get("fields")?.as_array()?;
    let line = fields
        .iter()
        .find(|f| f["name"] == field)?
        .get("line")?
        .as_u64()?;
    Some(Evidence::at(model.path(), u32::try_from(line).ok()))
}

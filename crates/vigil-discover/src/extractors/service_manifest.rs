//! Services from their manifests: a directory with a package.json, pyproject.toml, Cargo.toml (with a
//! `[package]`) or go.mod is a service, named by the manifest. Dependencies found in or below that
//! directory are attributed to it (see `services.rs`).

use toml::de::DeValue;
use vigil_core::{Asset, AssetKind, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::services::service_id;

#[derive(Debug)]
pub struct ServiceManifest;

impl Extractor for ServiceManifest {
    fn name(&self) -> &'static str {
        "service/manifest"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        matches!(
            file_name,
            "package.json" | "pyproject.toml" | "Cargo.toml" | "go.mod"
        )
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        let found = match file_name {
            "package.json" => package_json(file)?,
            "pyproject.toml" => toml_name(
                file,
                &[&["project", "name"], &["tool", "poetry", "name"]],
                "python",
            )?,
            "Cargo.toml" => toml_name(file, &[&["package", "name"]], "rust")?,
            "go.mod" => go_module(file),
            _ => None,
        };
        if let Some((name, line, language)) = found {
            let dir = file.dir();
            out.assets.push(
                Asset::new(AssetKind::Service, service_id(dir), name, file.evidence(line))
                    .with("directory", dir)
                    .with("language", language),
            );
        }
        Ok(())
    }
}

type Named = Option<(String, Option<u32>, &'static str)>;

fn package_json(file: &SourceFile<'_>) -> Result<Named, ExtractError> {
    let value: serde_json::Value = serde_json::from_str(file.text)
        .map_err(|e| file.error(Some(e.line() as u32), format!("invalid JSON: {e}")))?;
    let name = value
        .get("name")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let name = name.unwrap_or_else(|| directory_name(file.dir()));
    let line = crate::json_lines::KeyLines::scan(file.text).get(&["name"]);
    Ok(Some((name, line, "javascript")))
}

fn toml_name(
    file: &SourceFile<'_>,
    paths: &[&[&str]],
    language: &'static str,
) -> Result<Named, ExtractError> {
    let lines = LineIndex::new(file.text);
    let root = file.parse_toml(&lines)?;
    for path in paths {
        let mut table = root.get_ref();
        for (i, key) in path.iter().enumerate() {
            let Some(value) = table.get(*key) else { break };
            match value.get_ref() {
                DeValue::Table(inner) => table = inner,
                DeValue::String(name) if i + 1 == path.len() => {
                    return Ok(Some((
                        name.to_string(),
                        Some(lines.line(value.span().start)),
                        language,
                    )));
                }
                _ => break,
            }
        }
    }
    // A Cargo workspace root or a pyproject without a name is not a service of its own.
    Ok(None)
}

fn go_module(file: &SourceFile<'_>) -> Named {
    file.text.lines().enumerate().find_map(|(i, line)| {
        let module = line.trim().strip_prefix("module")?.trim();
        let module = module.trim_matches('"');
        (!module.is_empty()).then(|| (module.to_owned(), Some(i as u32 + 1), "go"))
    })
}

fn directory_name(dir: &str) -> String {
    dir.rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("root")
        .to_owned()
}

//! `Pipfile.lock`, pipfile-spec 6 (Pipenv 2018 to 2025), including Pipenv's custom package categories.
//!
//! The lockfile maps each category to its packages: `default` is `prod`, `develop` is `dev`, and any
//! other category (`pipenv install --categories docs`) is `unknown`, since installing it is a choice the
//! lockfile does not record. Versions are written `==1.2.3` (or `===`), and the prefix is dropped. An
//! entry's `git` makes it `source = "git"` (its version is the locked `ref` when no version is recorded),
//! `path` makes it `path`, `file` makes it `url` (or `path` for `file:` URLs); an `index` other than PyPI
//! (looked up in `_meta.sources`, credentials removed) makes it `registry:<url>`. The editable project
//! itself (`path = "."`) is not a dependency. Direct dependencies are the names in the sibling `Pipfile`'s
//! section for the same category (`[packages]` for `default`, `[dev-packages]` for `develop`). serde_json
//! gives no positions, so lines come from [`KeyLines`].

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use toml::de::DeTable;
use vigil_core::{Dependency, DependencyScope, Diagnostic, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::json_lines::KeyLines;

#[derive(Debug)]
pub struct PipfileLock;

const PYPI_INDEXES: [&str; 4] = [
    "https://pypi.org/simple",
    "https://pypi.org/simple/",
    "https://pypi.python.org/simple",
    "https://pypi.python.org/simple/",
];

impl Extractor for PipfileLock {
    fn name(&self) -> &'static str {
        "pypi/pipfile-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "Pipfile.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let text = file.text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            return Ok(());
        }
        let root: Value = serde_json::from_str(text).map_err(|e| {
            file.error(
                u32::try_from(e.line()).ok().filter(|l| *l > 0),
                format!("invalid JSON: {e}"),
            )
        })?;
        let Value::Object(root) = root else {
            return Err(file.error(Some(1), "not a Pipfile.lock: the top level is not a JSON object"));
        };
        let keys = KeyLines::scan(file.text);
        let meta = root.get("_meta").and_then(Value::as_object);
        if let Some(spec) = meta.and_then(|m| m.get("pipfile-spec"))
            && spec.as_u64() != Some(6)
        {
            out.diagnostics.push(file.warning(
                keys.get(&["_meta", "pipfile-spec"]),
                format!("unknown pipfile-spec {spec}; reading it as spec 6"),
            ));
        }
        let indexes = index_urls(meta);
        let declared = declared_names(file, out);

        for (category, packages) in root.iter().filter(|(key, _)| *key != "_meta") {
            let Value::Object(packages) = packages else {
                out.diagnostics.push(file.warning(
                    keys.get(&[category]),
                    format!("`{category}` is not an object of packages; skipped"),
                ));
                continue;
            };
            let scope = match category.as_str() {
                "default" => DependencyScope::Prod,
                "develop" => DependencyScope::Dev,
                _ => DependencyScope::Unknown,
            };
            let section = match category.as_str() {
                "default" => "packages",
                "develop" => "dev-packages",
                other => other,
            };
            let direct_names = declared.as_ref().map(|d| d.get(section));
            for (name, entry) in packages {
                let line = keys.get(&[category, name]);
                let warn = |out: &mut Output, message: String| {
                    out.diagnostics
                        .push(file.warning(line, format!("`{name}` in `{category}`: {message}")));
                };
                let Value::Object(entry) = entry else {
                    warn(out, "not an object; skipped".into());
                    continue;
                };
                let Some((version, source)) = version_and_source(entry, &indexes) else {
                    if !is_the_project_itself(entry) {
                        warn(out, "no `version` to read; skipped".into());
                    }
                    continue;
                };
                let dependency = Dependency {
                    ecosystem: Ecosystem::PyPI,
                    name: name.clone(),
                    version,
                    direct: direct_names.map(|names| {
                        names.is_some_and(|names| names.contains(&Ecosystem::PyPI.normalize_name(name)))
                    }),
                    scope,
                };
                let asset = dependency.into_asset(file.evidence(line));
                out.assets.push(match source {
                    Some(source) => asset.with("source", source),
                    None => asset,
                });
            }
        }
        Ok(())
    }
}

/// The version an advisory can be matched against, and the `source` attribute; `None` when the entry
/// records no version at all.
fn version_and_source(
    entry: &Map<String, Value>,
    indexes: &HashMap<&str, &str>,
) -> Option<(String, Option<String>)> {
    let string = |key: &str| entry.get(key).and_then(Value::as_str);
    let pinned = string("version").map(|v| {
        v.strip_prefix("===")
            .or_else(|| v.strip_prefix("=="))
            .unwrap_or(v)
            .trim()
            .to_owned()
    });
    if string("git").is_some() {
        let version = pinned.or_else(|| string("ref").map(str::to_owned))?;
        return Some((version, Some("git".to_owned())));
    }
    if string("path").is_some() {
        return Some((pinned?, Some("path".to_owned())));
    }
    if let Some(url) = string("file") {
        let source = if url.starts_with("file:") { "path" } else { "url" };
        return Some((pinned?, Some(source.to_owned())));
    }
    let source = string("index")
        .and_then(|index| indexes.get(index))
        .filter(|url| !PYPI_INDEXES.contains(url))
        .map(|url| format!("registry:{}", without_credentials(url)));
    Some((pinned?, source))
}

/// `pipenv install -e .` locks the project under its own name with `path = "."` and no version.
fn is_the_project_itself(entry: &Map<String, Value>) -> bool {
    matches!(entry.get("path").and_then(Value::as_str), Some("." | "./"))
}

/// `_meta.sources[].name` -> url.
fn index_urls(meta: Option<&Map<String, Value>>) -> HashMap<&str, &str> {
    meta.and_then(|m| m.get("sources"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|source| Some((source.get("name")?.as_str()?, source.get("url")?.as_str()?)))
        .collect()
}

/// PEP 503 names of each section of the sibling `Pipfile`; `None` when there is none or it does not parse,
/// since then direct and transitive cannot be told apart.
fn declared_names(file: &SourceFile<'_>, out: &mut Output) -> Option<HashMap<String, HashSet<String>>> {
    let (path, text) = file.read_sibling("Pipfile", out)?;
    let manifest = match DeTable::parse(&text) {
        Ok(manifest) => manifest,
        Err(e) => {
            let line = e.span().map(|s| LineIndex::new(&text).line(s.start));
            out.diagnostics.push(Diagnostic::warning(
                path,
                line,
                format!(
                    "invalid TOML ({}); direct dependencies of {} are unknown",
                    e.message().trim(),
                    file.path
                ),
            ));
            return None;
        }
    };
    // `[source]`, `[requires]`, `[scripts]` and `[pipenv]` are tables too; no lock category shares their names.
    let sections = manifest
        .get_ref()
        .iter()
        .filter_map(|(section, packages)| {
            let names = packages
                .get_ref()
                .as_table()?
                .keys()
                .map(|name| Ecosystem::PyPI.normalize_name(name.get_ref()))
                .collect();
            Some((section.get_ref().to_string(), names))
        })
        .collect();
    Some(sections)
}

/// `https://user:token@host/simple` -> `https://host/simple`: index URLs may embed credentials.
fn without_credentials(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    }
}

//! `poetry.lock`, lock-version 1.x and 2.x (Poetry 1.0 to 2.x).
//!
//! Parsed as spanned TOML so each package keeps the line of its `name`. The scope comes from what the
//! lockfile records, which changed over time: `category = "main" | "dev"` up to lock-version 1.1, nothing
//! in 2.0, `groups = [...]` from 2.1; `optional = true` marks extras. The lockfile does not say which
//! packages the project asked for, so direct dependencies are read from the sibling `pyproject.toml`:
//! Poetry's own tables and the PEP 621 / PEP 735 lists.

use std::collections::HashSet;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vigil_core::{Dependency, DependencyScope, Diagnostic, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct PoetryLock;

impl Extractor for PoetryLock {
    fn name(&self) -> &'static str {
        "pypi/poetry-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "poetry.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lines = LineIndex::new(file.text);
        let root = file.parse_toml(&lines)?;
        let root = root.get_ref();
        if let Some(version) = root.get("metadata").and_then(|m| table(m)?.get("lock-version")) {
            let known = version
                .get_ref()
                .as_str()
                .is_some_and(|v| v.starts_with("1.") || v.starts_with("2."));
            if !known {
                out.diagnostics.push(file.warning(
                    Some(lines.line(version.span().start)),
                    "unknown poetry.lock lock-version; reading it as 2.1",
                ));
            }
        }
        let Some(packages) = root.get("package") else {
            return Ok(()); // a project without dependencies
        };
        let DeValue::Array(packages) = packages.get_ref() else {
            return Err(file.error(
                Some(lines.line(packages.span().start)),
                "`package` must be an array of tables",
            ));
        };
        let direct = direct_names(file, out);

        for item in packages.iter() {
            let line = lines.line(item.span().start);
            let Some(package) = table(item) else {
                out.diagnostics
                    .push(file.warning(Some(line), "[[package]] entry is not a table; skipped"));
                continue;
            };
            let string = |key: &str| package.get(key).and_then(|v| v.get_ref().as_str());
            let name_line = package.get("name").map_or(line, |v| lines.line(v.span().start));
            let (Some(name), Some(version)) = (string("name"), string("version")) else {
                out.diagnostics.push(file.warning(
                    Some(name_line),
                    "[[package]] without a string `name` and `version`; skipped",
                ));
                continue;
            };
            let dependency = Dependency {
                ecosystem: Ecosystem::PyPI,
                name: name.to_owned(),
                version: version.to_owned(),
                direct: direct
                    .as_ref()
                    .map(|names| names.contains(&Ecosystem::PyPI.normalize_name(name))),
                scope: scope(package),
            };
            let mut asset = dependency.into_asset(file.evidence(Some(name_line)));
            let source_type = package
                .get("source")
                .and_then(table)
                .and_then(|s| s.get("type")?.get_ref().as_str());
            // `legacy` is a private index serving registry packages: advisories still apply.
            let source = match source_type {
                Some("git") => Some("git"),
                Some("directory" | "file") => Some("path"),
                Some("url") => Some("url"),
                _ => None,
            };
            if let Some(source) = source {
                asset = asset.with("source", source);
            }
            out.assets.push(asset);
        }
        Ok(())
    }
}

fn table<'a, 't>(value: &'a Spanned<DeValue<'t>>) -> Option<&'a DeTable<'t>> {
    value.get_ref().as_table()
}

fn scope(package: &DeTable<'_>) -> DependencyScope {
    let category = package.get("category").and_then(|v| v.get_ref().as_str());
    let groups: Option<Vec<&str>> = package
        .get("groups")
        .and_then(|v| v.get_ref().as_array())
        .map(|groups| groups.iter().filter_map(|g| g.get_ref().as_str()).collect());
    let in_main = groups.as_ref().map(|groups| groups.contains(&"main"));
    let optional = package.get("optional").and_then(|v| v.get_ref().as_bool()) == Some(true);
    if category == Some("dev") || in_main == Some(false) {
        DependencyScope::Dev
    } else if optional {
        DependencyScope::Optional
    } else if category == Some("main") || in_main == Some(true) {
        DependencyScope::Prod
    } else {
        DependencyScope::Unknown
    }
}

/// PEP 503 names the sibling `pyproject.toml` declares; `None` when there is no such file or it declares
/// no dependency table, since then direct and transitive cannot be told apart.
fn direct_names(file: &SourceFile<'_>, out: &mut Output) -> Option<HashSet<String>> {
    let (path, text) = file.read_sibling("pyproject.toml", out)?;
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
    let manifest = manifest.get_ref();
    let mut names = HashSet::new();
    let mut declared = false;
    let mut add_keys = |deps: Option<&DeTable<'_>>, names: &mut HashSet<String>| {
        if let Some(deps) = deps {
            declared = true;
            names.extend(
                deps.keys()
                    .map(|k| k.get_ref().as_ref())
                    .filter(|k| *k != "python")
                    .map(normalize),
            );
        }
    };
    let poetry = manifest
        .get("tool")
        .and_then(table)
        .and_then(|t| t.get("poetry"))
        .and_then(table);
    if let Some(poetry) = poetry {
        add_keys(poetry.get("dependencies").and_then(table), &mut names);
        add_keys(poetry.get("dev-dependencies").and_then(table), &mut names);
        for group in poetry
            .get("group")
            .and_then(table)
            .into_iter()
            .flat_map(|groups| groups.values())
        {
            add_keys(
                table(group).and_then(|g| g.get("dependencies")).and_then(table),
                &mut names,
            );
        }
    }
    let project = manifest.get("project").and_then(table);
    let mut lists: Vec<&Spanned<DeValue<'_>>> = Vec::new();
    lists.extend(project.and_then(|p| p.get("dependencies")));
    let extras = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(table);
    lists.extend(extras.into_iter().flat_map(|extras| extras.values()));
    // PEP 735 groups, which newer Poetry releases read as well.
    let groups = manifest.get("dependency-groups").and_then(table);
    lists.extend(groups.into_iter().flat_map(|groups| groups.values()));
    for list in lists {
        if let Some(items) = list.get_ref().as_array() {
            declared = true;
            // `{include-group = "..."}` entries of PEP 735 are tables, not requirements.
            names.extend(
                items
                    .iter()
                    .filter_map(|item| item.get_ref().as_str())
                    .filter_map(pep508_name),
            );
        }
    }
    declared.then_some(names)
}

/// The distribution name that starts a PEP 508 string, normalised.
fn pep508_name(requirement: &str) -> Option<String> {
    let requirement = requirement.trim_start();
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let name = requirement.split_at(end).0;
    (!name.is_empty()).then(|| normalize(name))
}

fn normalize(name: &str) -> String {
    Ecosystem::PyPI.normalize_name(name)
}

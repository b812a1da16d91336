//! `pdm.lock`, lock_version 3.x and 4.0 to 4.5 (PDM 1.x to 2.x).
//!
//! Parsed as spanned TOML; each asset's line is its package's `name`. The groups a package belongs to come
//! from the package itself: `groups = [...]` (PDM 2.12 and later, `inherit_metadata` strategy) or the older
//! `section = "..."`. The group `default` is the project's `dependencies` and means `prod`; other group
//! names are the project's extras (`[project.optional-dependencies]`, `optional`) or its development groups
//! (`[tool.pdm.dev-dependencies]`, `[dependency-groups]`, `dev`), which only the sibling `pyproject.toml`
//! can tell apart. A package in `default` is `prod` whatever else it is in; then an extra wins over a dev
//! group, since extras ship to users. Without per-package groups, a lock of the `default` group alone
//! (`[metadata] groups = ["default"]`) is all `prod`, and anything else is `unknown`. Direct dependencies
//! are the names in those pyproject tables. An `extras = [...]` entry is PDM's node for `name[extra]` and
//! duplicates the plain entry of the same version, so it is skipped when that entry exists. `git`
//! packages are `source = "git"` (the locked `revision` stands in for a missing version), `path` packages
//! `path` and `url` packages `url`.

use std::collections::HashSet;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vigil_core::{Dependency, DependencyScope, Diagnostic, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct PdmLock;

impl Extractor for PdmLock {
    fn name(&self) -> &'static str {
        "pypi/pdm-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "pdm.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lines = LineIndex::new(file.text);
        let root = file.parse_toml(&lines)?;
        let root = root.get_ref();
        let metadata = root.get("metadata").and_then(table);
        if let Some(version) = metadata.and_then(|m| m.get("lock_version")) {
            let known = version
                .get_ref()
                .as_str()
                .is_some_and(|v| v.starts_with("3.") || v.starts_with("4.") || v == "4");
            if !known {
                out.diagnostics.push(file.warning(
                    Some(lines.line(version.span().start)),
                    "unknown pdm.lock lock_version; reading it as 4.5",
                ));
            }
        }
        let only_default = metadata
            .and_then(|m| m.get("groups"))
            .and_then(|g| g.get_ref().as_array())
            .is_some_and(|groups| {
                let groups: Vec<_> = groups.iter().filter_map(|g| g.get_ref().as_str()).collect();
                groups == ["default"]
            });
        let Some(packages) = root.get("package") else {
            return Ok(()); // a project without dependencies
        };
        let Some(packages) = packages.get_ref().as_array() else {
            return Err(file.error(
                Some(lines.line(packages.span().start)),
                "`package` must be an array of tables",
            ));
        };
        let project = read_pyproject(file, out);

        let mut parsed = Vec::with_capacity(packages.len());
        for item in packages.iter() {
            match read_package(item, &lines) {
                Ok(package) => parsed.push(package),
                Err((line, message)) => out.diagnostics.push(file.warning(Some(line), message)),
            }
        }
        let plain: HashSet<(&str, &str)> = parsed
            .iter()
            .filter(|p| !p.has_extras)
            .map(|p| (p.name, p.version))
            .collect();

        for package in &parsed {
            if package.has_extras && plain.contains(&(package.name, package.version)) {
                continue;
            }
            let scope = match &package.groups {
                Some(groups) => scope(groups, project.as_ref()),
                None if only_default => DependencyScope::Prod,
                None => DependencyScope::Unknown,
            };
            let dependency = Dependency {
                ecosystem: Ecosystem::PyPI,
                name: package.name.to_owned(),
                version: package.version.to_owned(),
                direct: project
                    .as_ref()
                    .and_then(|p| p.declared.as_ref())
                    .map(|names| names.contains(&Ecosystem::PyPI.normalize_name(package.name))),
                scope,
            };
            let asset = dependency.into_asset(file.evidence(Some(package.line)));
            out.assets.push(match package.source {
                Some(source) => asset.with("source", source),
                None => asset,
            });
        }
        Ok(())
    }
}

struct Package<'t> {
    name: &'t str,
    version: &'t str,
    /// `groups`, or the older single `section`; `None` when the lockfile records neither.
    groups: Option<Vec<&'t str>>,
    has_extras: bool,
    source: Option<&'static str>,
    line: u32,
}

fn table<'a, 't>(value: &'a Spanned<DeValue<'t>>) -> Option<&'a DeTable<'t>> {
    value.get_ref().as_table()
}

fn read_package<'t>(item: &'t Spanned<DeValue<'t>>, lines: &LineIndex) -> Result<Package<'t>, (u32, String)> {
    let line = lines.line(item.span().start);
    let Some(package) = table(item) else {
        return Err((line, "[[package]] entry is not a table; skipped".into()));
    };
    let string = |key: &str| package.get(key).and_then(|v| v.get_ref().as_str());
    let name_line = package.get("name").map_or(line, |v| lines.line(v.span().start));
    let Some(name) = string("name") else {
        return Err((name_line, "[[package]] without a string `name`; skipped".into()));
    };
    let source = if string("git").is_some() {
        Some("git")
    } else if string("path").is_some() {
        Some("path")
    } else if string("url").is_some() {
        Some("url")
    } else {
        None
    };
    let version = match (string("version"), source) {
        (Some(version), _) => version,
        (None, Some("git")) => string("revision").or_else(|| string("ref")).ok_or((
            name_line,
            format!("`{name}` from git has no `version` or `revision`; skipped"),
        ))?,
        (None, _) => return Err((name_line, format!("`{name}` has no string `version`; skipped"))),
    };
    let groups = match (package.get("groups"), string("section")) {
        (Some(groups), _) => Some(
            groups
                .get_ref()
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g.get_ref().as_str())
                .collect(),
        ),
        (None, Some(section)) => Some(vec![section]),
        (None, None) => None,
    };
    let has_extras = package
        .get("extras")
        .and_then(|e| e.get_ref().as_array())
        .is_some_and(|extras| !extras.is_empty());
    Ok(Package {
        name,
        version,
        groups,
        has_extras,
        source,
        line: name_line,
    })
}

fn scope(groups: &[&str], project: Option<&Pyproject>) -> DependencyScope {
    if groups.contains(&"default") {
        return DependencyScope::Prod;
    }
    let Some(project) = project else {
        return DependencyScope::Unknown; // an extra and a dev group look alike without the pyproject
    };
    if groups.iter().any(|g| project.extras.contains(*g)) {
        DependencyScope::Optional
    } else if groups.iter().any(|g| project.dev_groups.contains(*g)) {
        DependencyScope::Dev
    } else {
        DependencyScope::Unknown
    }
}

/// What the sibling `pyproject.toml` says about groups and names.
struct Pyproject {
    /// `[project.optional-dependencies]` keys.
    extras: HashSet<String>,
    /// `[tool.pdm.dev-dependencies]` and `[dependency-groups]` keys.
    dev_groups: HashSet<String>,
    /// PEP 503 names in every dependency list; `None` when the file has none of them.
    declared: Option<HashSet<String>>,
}

fn read_pyproject(file: &SourceFile<'_>, out: &mut Output) -> Option<Pyproject> {
    let (path, text) = file.read_sibling("pyproject.toml", out)?;
    let manifest = match DeTable::parse(&text) {
        Ok(manifest) => manifest,
        Err(e) => {
            let line = e.span().map(|s| LineIndex::new(&text).line(s.start));
            out.diagnostics.push(Diagnostic::warning(
                path,
                line,
                format!(
                    "invalid TOML ({}); direct dependencies and groups of {} are unknown",
                    e.message().trim(),
                    file.path
                ),
            ));
            return None;
        }
    };
    let manifest = manifest.get_ref();
    let project = manifest.get("project").and_then(table);
    let extras = project
        .and_then(|p| p.get("optional-dependencies"))
        .and_then(table);
    let pdm_dev = manifest
        .get("tool")
        .and_then(table)
        .and_then(|t| t.get("pdm"))
        .and_then(table)
        .and_then(|p| p.get("dev-dependencies"))
        .and_then(table);
    let groups = manifest.get("dependency-groups").and_then(table);
    let keys = |t: Option<&DeTable<'_>>| -> HashSet<String> {
        t.into_iter()
            .flat_map(|t| t.keys())
            .map(|k| k.get_ref().to_string())
            .collect()
    };

    let mut lists: Vec<&Spanned<DeValue<'_>>> = Vec::new();
    lists.extend(project.and_then(|p| p.get("dependencies")));
    for group_table in [extras, pdm_dev, groups].into_iter().flatten() {
        lists.extend(group_table.values());
    }
    let mut declared: Option<HashSet<String>> = None;
    for list in lists {
        if let Some(items) = list.get_ref().as_array() {
            // PEP 735 `{include-group = "..."}` entries are tables and PDM's `-e ./path` lines are not
            // requirements; neither names a package.
            declared.get_or_insert_default().extend(
                items
                    .iter()
                    .filter_map(|item| item.get_ref().as_str())
                    .filter_map(pep508_name),
            );
        }
    }
    Some(Pyproject {
        extras: keys(extras),
        dev_groups: keys(pdm_dev).union(&keys(groups)).cloned().collect(),
        declared,
    })
}

/// The distribution name that starts a PEP 508 string, normalised; `None` for option lines such as `-e`.
fn pep508_name(requirement: &str) -> Option<String> {
    let requirement = requirement.trim_start();
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let name = requirement.split_at(end).0;
    (!name.is_empty() && !name.starts_with('-')).then(|| Ecosystem::PyPI.normalize_name(name))
}

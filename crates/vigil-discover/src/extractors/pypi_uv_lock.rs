//! `uv.lock`, lockfile `version = 1` (revisions 1 to 3), and the `[workspace]` table that replaces
//! `[manifest]` in the preview `version = 2`.
//!
//! Parsed as spanned TOML; each asset's line is its package's `name`. Packages whose `source` is
//! `editable`, `virtual` or `workspace` are the project's own code (the root project and workspace
//! members), not dependencies. `registry` packages from PyPI get no `source` attribute; other indexes are
//! `registry:<url>` (credentials removed), and `git`, `path`/`directory` and `url` sources are marked.
//!
//! uv.lock holds the whole resolution graph, so scope is computed rather than guessed: from the roots,
//! the walk follows each package's `dependencies`, and an edge that asks for extras
//! (`{ name = "httpx", extra = ["socks"] }`) also follows that package's `[package.optional-dependencies]`
//! for those extras. A package reachable from the own packages' `dependencies` (or the `[manifest]`
//! `requirements` of a script or non-project workspace) is `prod`; else reachable from their
//! `[package.optional-dependencies]` (the project's extras) is `optional`; else reachable from their
//! `[package.dev-dependencies]` (dependency groups) or `[manifest.dependency-groups]` is `dev`; a package
//! reachable from none of them is `unknown`. Markers are ignored: a package needed on any platform counts.
//! A package is direct when an own package or the manifest names it in those lists or in
//! `[package.metadata]` `requires-dist` / `requires-dev`.

use std::collections::{HashMap, HashSet};

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vigil_core::{Dependency, DependencyScope, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct UvLock;

/// The index URLs of PyPI itself; a package from any other index may not be the PyPI package of that name.
const PYPI_INDEXES: [&str; 4] = [
    "https://pypi.org/simple",
    "https://pypi.org/simple/",
    "https://pypi.python.org/simple",
    "https://pypi.python.org/simple/",
];

impl Extractor for UvLock {
    fn name(&self) -> &'static str {
        "pypi/uv-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "uv.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lines = LineIndex::new(file.text);
        let root = file.parse_toml(&lines)?;
        let root = root.get_ref();
        if let Some(version) = root.get("version") {
            let known = version
                .get_ref()
                .as_integer()
                .is_some_and(|v| matches!(v.as_str(), "1" | "2"));
            if !known {
                out.diagnostics.push(file.warning(
                    Some(lines.line(version.span().start)),
                    "unknown uv.lock version; reading it as version 1",
                ));
            }
        }
        let Some(packages) = root.get("package") else {
            return Ok(()); // a project without dependencies
        };
        let Some(packages) = packages.get_ref().as_array() else {
            return Err(file.error(
                Some(lines.line(packages.span().start)),
                "`package` must be an array of tables",
            ));
        };

        let mut parsed = Vec::with_capacity(packages.len());
        for item in packages.iter() {
            match read_package(item, &lines) {
                Ok(package) => parsed.push(package),
                Err((line, message)) => out.diagnostics.push(file.warning(Some(line), message)),
            }
        }

        let mut roots = Roots::default();
        // `[manifest]` in version 1, `[workspace]` in the version 2 preview.
        for manifest in ["manifest", "workspace"]
            .iter()
            .filter_map(|key| root.get(*key)?.get_ref().as_table())
        {
            roots.read_manifest(manifest);
        }
        for package in parsed.iter().filter(|p| p.source == Source::Own) {
            roots.prod.extend(package.dependencies.iter().cloned());
            roots
                .optional
                .extend(package.optional.values().flatten().cloned());
            roots.dev.extend(package.dev.values().flatten().cloned());
            roots.declared.extend(package.declared.iter().copied());
        }
        let graph = Graph::new(&parsed);
        let prod = graph.reach(&roots.prod);
        let optional = graph.reach(&roots.optional);
        let dev = graph.reach(&roots.dev);
        let has_roots = parsed.iter().any(|p| p.source == Source::Own) || roots.any();

        for (index, package) in parsed.iter().enumerate() {
            let source = match &package.source {
                Source::Own => continue,
                Source::Registry(url) if PYPI_INDEXES.contains(url) => None,
                Source::Registry(url) => Some(format!("registry:{}", without_credentials(url))),
                Source::Git => Some("git".to_owned()),
                Source::Path => Some("path".to_owned()),
                Source::Url => Some("url".to_owned()),
                Source::Missing => {
                    out.diagnostics.push(file.warning(
                        Some(package.line),
                        format!("`{}` has no `source`; read as a PyPI package", package.name),
                    ));
                    None
                }
            };
            let Some(version) = package.version else {
                out.diagnostics.push(file.warning(
                    Some(package.line),
                    format!("`{}` has no string `version`; skipped", package.name),
                ));
                continue;
            };
            let scope = if prod.contains(&index) {
                DependencyScope::Prod
            } else if optional.contains(&index) {
                DependencyScope::Optional
            } else if dev.contains(&index) {
                DependencyScope::Dev
            } else {
                DependencyScope::Unknown
            };
            let dependency = Dependency {
                ecosystem: Ecosystem::PyPI,
                name: package.name.to_owned(),
                version: version.to_owned(),
                direct: has_roots.then(|| roots.declared.contains(package.name)),
                scope,
            };
            let asset = dependency.into_asset(file.evidence(Some(package.line)));
            out.assets.push(match source {
                Some(source) => asset.with("source", source),
                None => asset,
            });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source<'t> {
    /// `editable`, `virtual` or `workspace`: the project's own code.
    Own,
    Registry(&'t str),
    Git,
    /// `path` (a local archive) or `directory` (a local source tree installed normally).
    Path,
    Url,
    Missing,
}

/// A `[[package]]` entry, borrowed from the parsed TOML.
#[derive(Debug)]
struct Package<'t> {
    name: &'t str,
    version: Option<&'t str>,
    source: Source<'t>,
    line: u32,
    dependencies: Vec<Edge<'t>>,
    /// `[package.optional-dependencies]`: extra name -> edges.
    optional: HashMap<&'t str, Vec<Edge<'t>>>,
    /// `[package.dev-dependencies]`: group name -> edges.
    dev: HashMap<&'t str, Vec<Edge<'t>>>,
    /// Names in `[package.metadata]` `requires-dist` and `requires-dev`.
    declared: Vec<&'t str>,
}

/// A dependency edge: `{ name, version?, extra? }` in a package, `{ name, extras? }` in the manifest.
#[derive(Debug, Clone)]
struct Edge<'t> {
    name: &'t str,
    /// Written only when several versions of `name` are locked (forks by marker).
    version: Option<&'t str>,
    extras: Vec<&'t str>,
}

#[derive(Debug, Default)]
struct Roots<'t> {
    prod: Vec<Edge<'t>>,
    optional: Vec<Edge<'t>>,
    dev: Vec<Edge<'t>>,
    declared: HashSet<&'t str>,
}

impl<'t> Roots<'t> {
    fn any(&self) -> bool {
        !(self.prod.is_empty() && self.optional.is_empty() && self.dev.is_empty())
    }

    /// `requirements` (PEP 723 scripts, non-project workspaces) and `dependency-groups` of the root.
    fn read_manifest(&mut self, manifest: &'t DeTable<'t>) {
        let requirements = manifest.get("requirements").map(edges).unwrap_or_default();
        let mut groups = Vec::new();
        for group in manifest
            .get("dependency-groups")
            .and_then(|g| g.get_ref().as_table())
            .into_iter()
            .flat_map(|groups| groups.values())
        {
            // Version 2 writes `group = { requires-python = "...", dependencies = [...] }`.
            let list = group.get_ref().get("dependencies").unwrap_or(group);
            groups.extend(edges(list));
        }
        self.declared
            .extend(requirements.iter().chain(&groups).map(|edge| edge.name));
        self.prod.extend(requirements);
        self.dev.extend(groups);
    }
}

/// Packages by name, and the walk over them.
struct Graph<'p, 't> {
    packages: &'p [Package<'t>],
    by_name: HashMap<&'t str, Vec<usize>>,
}

impl<'p, 't> Graph<'p, 't> {
    fn new(packages: &'p [Package<'t>]) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, package) in packages.iter().enumerate() {
            by_name.entry(package.name).or_default().push(index);
        }
        Self { packages, by_name }
    }

    /// Indexes of the packages an edge can mean; uv names a version only to tell forks apart.
    fn targets(&self, edge: &Edge<'_>) -> Vec<usize> {
        self.by_name
            .get(edge.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                edge.version.is_none() || self.packages.get(i).and_then(|p| p.version) == edge.version
            })
            .collect()
    }

    /// Every package reachable from `roots`. A node is a package, or one extra of a package.
    fn reach(&self, roots: &[Edge<'t>]) -> HashSet<usize> {
        let mut seen: HashSet<(usize, Option<&str>)> = HashSet::new();
        let mut stack: Vec<(usize, Option<&str>)> = Vec::new();
        let push_edge = |edge: &Edge<'t>, stack: &mut Vec<(usize, Option<&'t str>)>| {
            for target in self.targets(edge) {
                stack.push((target, None));
                stack.extend(edge.extras.iter().map(|extra| (target, Some(*extra))));
            }
        };
        for edge in roots {
            push_edge(edge, &mut stack);
        }
        while let Some(node) = stack.pop() {
            if !seen.insert(node) {
                continue;
            }
            let Some(package) = self.packages.get(node.0) else {
                continue;
            };
            let next = match node.1 {
                None => Some(&package.dependencies),
                Some(extra) => package.optional.get(extra),
            };
            for edge in next.into_iter().flatten() {
                push_edge(edge, &mut stack);
            }
        }
        seen.into_iter().map(|(index, _)| index).collect()
    }
}

fn read_package<'t>(item: &'t Spanned<DeValue<'t>>, lines: &LineIndex) -> Result<Package<'t>, (u32, String)> {
    let line = lines.line(item.span().start);
    let Some(table) = item.get_ref().as_table() else {
        return Err((line, "[[package]] entry is not a table; skipped".into()));
    };
    let name_line = table.get("name").map_or(line, |v| lines.line(v.span().start));
    let Some(name) = table.get("name").and_then(|v| v.get_ref().as_str()) else {
        return Err((name_line, "[[package]] without a string `name`; skipped".into()));
    };
    let source = match table.get("source").and_then(|s| s.get_ref().as_table()) {
        None => Source::Missing,
        Some(source) => {
            let has = |key: &str| source.get(key).is_some();
            if has("editable") || has("virtual") || has("workspace") {
                Source::Own
            } else if let Some(url) = source.get("registry").and_then(|r| r.get_ref().as_str()) {
                Source::Registry(url)
            } else if has("git") {
                Source::Git
            } else if has("path") || has("directory") {
                Source::Path
            } else if has("url") {
                Source::Url
            } else {
                return Err((name_line, format!("`{name}` has an unknown `source`; skipped")));
            }
        }
    };
    let metadata = table.get("metadata").and_then(|m| m.get_ref().as_table());
    let mut declared: Vec<&str> = metadata
        .and_then(|m| m.get("requires-dist"))
        .map(edges)
        .unwrap_or_default()
        .iter()
        .map(|edge| edge.name)
        .collect();
    let requires_dev = metadata
        .and_then(|m| m.get("requires-dev"))
        .and_then(|r| r.get_ref().as_table());
    for group in requires_dev.into_iter().flat_map(|groups| groups.values()) {
        declared.extend(edges(group).iter().map(|edge| edge.name));
    }
    let mut package = Package {
        name,
        version: table.get("version").and_then(|v| v.get_ref().as_str()),
        source,
        line: name_line,
        dependencies: table.get("dependencies").map(edges).unwrap_or_default(),
        optional: groups(table.get("optional-dependencies")),
        dev: groups(table.get("dev-dependencies")),
        declared,
    };
    let named = package
        .dependencies
        .iter()
        .chain(package.optional.values().flatten())
        .chain(package.dev.values().flatten())
        .map(|edge| edge.name)
        .collect::<Vec<_>>();
    package.declared.extend(named);
    Ok(package)
}

/// `{ extra-or-group = [edges...] }` tables.
fn groups<'t>(value: Option<&'t Spanned<DeValue<'t>>>) -> HashMap<&'t str, Vec<Edge<'t>>> {
    value
        .and_then(|v| v.get_ref().as_table())
        .into_iter()
        .flat_map(|table| table.iter())
        .map(|(key, list)| (key.get_ref().as_ref(), edges(list)))
        .collect()
}

/// The inline tables of an edge list; entries without a string `name` name nothing and are dropped.
fn edges<'t>(list: &'t Spanned<DeValue<'t>>) -> Vec<Edge<'t>> {
    let strings = |value: Option<&'t Spanned<DeValue<'t>>>| -> Vec<&'t str> {
        value
            .and_then(|v| v.get_ref().as_array())
            .into_iter()
            .flat_map(|items| items.iter())
            .filter_map(|item| item.get_ref().as_str())
            .collect()
    };
    list.get_ref()
        .as_array()
        .into_iter()
        .flat_map(|items| items.iter())
        .filter_map(|item| {
            let item = item.get_ref().as_table()?;
            let mut extras = strings(item.get("extra"));
            extras.extend(strings(item.get("extras")));
            Some(Edge {
                name: item.get("name")?.get_ref().as_str()?,
                version: item.get("version").and_then(|v| v.get_ref().as_str()),
                extras,
            })
        })
        .collect()
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

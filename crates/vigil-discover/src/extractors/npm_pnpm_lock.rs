//! `pnpm-lock.yaml`, lockfileVersion 5.x (pnpm 3 to 7: `/name/1.0.0_peer@2.0.0` keys), 6.x (pnpm 8:
//! `/name@1.0.0(peer@2.0.0)` keys) and 9.x (pnpm 9 and later: `name@1.0.0` in `packages`, one
//! `snapshots` entry per peer variant).
//!
//! The YAML is read into a spanned generic tree (serde-saphyr, default budgets) so that each package keeps
//! the line of its key. One asset is reported per package and version: the peer variants of 5.x and 6.x
//! keys are merged into the first. Direct dependencies are those of `importers.<path>` (or, in
//! single-project 5.x and 6.x files, of the root `dependencies` / `devDependencies` /
//! `optionalDependencies`); each direct asset lists the importers that asked for it under `workspaces`.
//! Importer entries that are `link:` are other workspaces, the project's own code. Scope: 5.x and 6.x
//! record `dev: true | false` and `optional: true` on each package (no `dev` flag means both, reported as
//! prod); 9.x dropped the flags, so the scope is what the importers' lists reach through `snapshots`:
//! anything reachable from `dependencies` is prod, else from `optionalDependencies` (or through a package's
//! optional dependencies) optional, else from `devDependencies` dev. Packages resolved from git get
//! `source = git`, from a directory or local tarball `source = path`, from any other tarball URL
//! `source = url`; registry tarballs (including private registries) are not marked.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct PnpmLock;

impl Extractor for PnpmLock {
    fn name(&self) -> &'static str {
        "npm/pnpm-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "pnpm-lock.yaml"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
        let root: Spanned<Node> = serde_saphyr::from_str_with_options(file.text, options).map_err(|e| {
            let line = e
                .location()
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|l| *l > 0);
            let message = e.to_string();
            let first = message.lines().next().unwrap_or_default().trim();
            file.error(line, format!("invalid YAML: {first}"))
        })?;
        let top = match &root.value {
            Node::Null => return Ok(()),
            Node::Map(entries) => entries.as_slice(),
            other => {
                return Err(file.error(
                    Some(line_of(&root)),
                    format!(
                        "not a pnpm lockfile: the document is {}, not a mapping",
                        other.describe()
                    ),
                ));
            }
        };
        let style = match get(top, "lockfileVersion") {
            Some((key, value)) => {
                let text = value.value.text().unwrap_or_default();
                match text.split('.').next().and_then(|major| major.parse::<u32>().ok()) {
                    Some(5) => Style::V5,
                    Some(6..=8) => Style::V6,
                    Some(9) => Style::V9,
                    _ => {
                        let style = Style::guess(top);
                        out.diagnostics.push(file.warning(
                            Some(line_of(key)),
                            format!("unknown lockfileVersion `{text}`; reading it as {style}"),
                        ));
                        style
                    }
                }
            }
            None if ["packages", "importers", "dependencies", "devDependencies"]
                .iter()
                .any(|k| get(top, k).is_some()) =>
            {
                let style = Style::guess(top);
                out.diagnostics
                    .push(file.warning(Some(1), format!("no lockfileVersion; reading it as {style}")));
                style
            }
            None => {
                return Err(file.error(Some(line_of(&root)), "not a pnpm lockfile: no `lockfileVersion`"));
            }
        };

        let importers = importers(file, top, style, out);
        let packages = match get(top, "packages") {
            None => return Ok(()),
            Some((
                _,
                Spanned {
                    value: Node::Null, ..
                },
            )) => return Ok(()),
            Some((
                _,
                Spanned {
                    value: Node::Map(packages),
                    ..
                },
            )) => packages.as_slice(),
            Some((key, _)) => {
                return Err(file.error(Some(line_of(key)), "`packages` must be a mapping"));
            }
        };
        let reached = match style {
            Style::V9 => Some(reachability(top, &importers)),
            Style::V5 | Style::V6 => None,
        };

        let mut direct_of: HashMap<String, BTreeSet<&str>> = HashMap::new();
        for importer in &importers.list {
            for (key, _) in &importer.wanted {
                direct_of.entry(key.clone()).or_default().insert(&importer.path);
            }
        }

        let mut reported: Vec<Reported> = Vec::new();
        let mut seen: HashMap<(String, String, Option<&'static str>), usize> = HashMap::new();
        for (key, entry) in packages {
            let line = line_of(key);
            let key_text = key.value.text().unwrap_or_default();
            let fields = match &entry.value {
                Node::Map(fields) => fields.as_slice(),
                Node::Null => &[],
                other => {
                    out.diagnostics.push(file.warning(
                        Some(line),
                        format!(
                            "package `{key_text}` is {}, not a mapping; skipped",
                            other.describe()
                        ),
                    ));
                    continue;
                }
            };
            let Some(parsed) = style.parse_key(&key_text) else {
                out.diagnostics.push(file.warning(
                    Some(line),
                    format!("`{key_text}` names no package and version; skipped"),
                ));
                continue;
            };
            let field = |name: &str| get(fields, name).and_then(|(_, v)| v.value.text());
            let name = field("name").map_or(Cow::Borrowed(parsed.name), Cow::Owned);
            let Some(version) = field("version").or_else(|| parsed.version.map(str::to_owned)) else {
                out.diagnostics
                    .push(file.warning(Some(line), format!("`{key_text}` has no version; skipped")));
                continue;
            };
            let source = source(fields, &parsed);
            let scope = match &reached {
                Some(reached) => reached.get(&parsed.normalized).copied().unwrap_or_default(),
                None => match (field("dev").as_deref(), field("optional").as_deref()) {
                    (Some("true"), _) => DependencyScope::Dev,
                    (_, Some("true")) => DependencyScope::Optional,
                    _ => DependencyScope::Prod,
                },
            };
            let workspaces = direct_of.get(&parsed.normalized);
            let identity = (name.clone().into_owned(), version.clone(), source);
            if let Some(&index) = seen.get(&identity) {
                if let Some(previous) = reported.get_mut(index) {
                    previous.scope = widest(previous.scope, scope);
                    previous
                        .workspaces
                        .extend(workspaces.into_iter().flatten().copied());
                }
                continue;
            }
            seen.insert(identity, reported.len());
            reported.push(Reported {
                line,
                name: name.into_owned(),
                version,
                source,
                scope,
                workspaces: workspaces.into_iter().flatten().copied().collect(),
            });
        }

        for package in reported {
            let direct = importers.known.then_some(!package.workspaces.is_empty());
            let dependency = Dependency {
                ecosystem: Ecosystem::Npm,
                name: package.name,
                version: package.version,
                direct,
                scope: package.scope,
            };
            let mut asset = dependency.into_asset(file.evidence(Some(package.line)));
            if let Some(source) = package.source {
                asset = asset.with("source", source);
            }
            if !package.workspaces.is_empty() {
                asset = asset.with("workspaces", package.workspaces.into_iter().collect::<Vec<_>>());
            }
            out.assets.push(asset);
        }
        Ok(())
    }
}

#[derive(Debug)]
struct Reported<'a> {
    line: u32,
    name: String,
    version: String,
    source: Option<&'static str>,
    scope: DependencyScope,
    workspaces: BTreeSet<&'a str>,
}

/// The scope that ships more: prod over optional over dev over unknown.
fn widest(a: DependencyScope, b: DependencyScope) -> DependencyScope {
    let rank = |s| match s {
        DependencyScope::Prod => 3,
        DependencyScope::Optional => 2,
        DependencyScope::Dev => 1,
        DependencyScope::Unknown => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// The key layout of a lockfile version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `/name/1.0.0_peer@1.0.0`
    V5,
    /// `/name@1.0.0(peer@1.0.0)`
    V6,
    /// `name@1.0.0` in `packages`, `name@1.0.0(peer@1.0.0)` in `snapshots`
    V9,
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V5 => "5.4",
            Self::V6 => "6.0",
            Self::V9 => "9.0",
        })
    }
}

/// A package key taken apart.
#[derive(Debug)]
struct PackageKey<'k> {
    name: &'k str,
    /// `None` when the key holds no version (non-registry keys of 5.x and 6.x).
    version: Option<&'k str>,
    /// The key without its peer suffix: what importers and snapshots point at.
    normalized: String,
    /// The key names a registry package by version.
    registry: bool,
    /// What the key says about a non-registry origin (`file:..`, `github.com/..`, a URL).
    reference: &'k str,
}

impl Style {
    fn guess(top: &[(Spanned<Node>, Spanned<Node>)]) -> Self {
        if get(top, "snapshots").is_some() {
            return Self::V9;
        }
        let first_key = get(top, "packages")
            .and_then(|(_, p)| p.value.entries().first())
            .and_then(|(k, _)| k.value.text())
            .unwrap_or_default();
        match first_key.strip_prefix('/') {
            Some(rest) if split_name(rest).is_some_and(|(_, after)| after.starts_with('@')) => Self::V6,
            Some(_) => Self::V5,
            None => Self::V9,
        }
    }

    fn parse_key<'k>(self, key: &'k str) -> Option<PackageKey<'k>> {
        match (self, key.strip_prefix('/')) {
            (Self::V5, Some(rest)) => {
                let (name, after) = split_name(rest)?;
                let version = after.strip_prefix('/')?;
                let version = version.split('_').next().unwrap_or(version);
                (!version.is_empty() && !version.contains('/')).then(|| PackageKey {
                    name,
                    version: Some(version),
                    normalized: format!("/{name}/{version}"),
                    registry: true,
                    reference: "",
                })
            }
            (Self::V6, Some(rest)) => {
                let plain = strip_peers(rest);
                let (name, after) = split_name(plain)?;
                let version = after.strip_prefix('@').filter(|v| !v.is_empty())?;
                Some(PackageKey {
                    name,
                    version: Some(version),
                    normalized: format!("/{plain}"),
                    registry: true,
                    reference: "",
                })
            }
            (Self::V9, _) => {
                let plain = strip_peers(key);
                let (name, after) = split_name(plain)?;
                let version = after.strip_prefix('@').filter(|v| !v.is_empty())?;
                let registry = version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains(':');
                Some(PackageKey {
                    name,
                    version: registry.then_some(version),
                    normalized: plain.to_owned(),
                    registry,
                    reference: if registry { "" } else { version },
                })
            }
            // Non-registry keys of 5.x and 6.x (`github.com/o/r/sha`, `file:../x`) carry `name` and
            // `version` fields; the key itself is the reference.
            (Self::V5 | Self::V6, None) => Some(PackageKey {
                name: key.rsplit('/').next().unwrap_or(key),
                version: None,
                normalized: strip_peers(key).to_owned(),
                registry: false,
                reference: key,
            }),
        }
    }
}

/// `@scope/name rest` or `name rest` -> (name, rest): the name ends at the first `/` or `@` after it.
fn split_name(text: &str) -> Option<(&str, &str)> {
    let end = if let Some(scoped) = text.strip_prefix('@') {
        let slash = scoped.find('/')? + 1;
        let tail = text.get(slash + 1..)?;
        slash + 1 + tail.find(['/', '@']).unwrap_or(tail.len())
    } else {
        text.find(['/', '@']).unwrap_or(text.len())
    };
    let name = text.get(..end)?;
    (!name.is_empty() && name != "@").then(|| (name, text.get(end..).unwrap_or_default()))
}

/// `1.0.0(react@18.2.0)(x@1.0.0)` -> `1.0.0`.
fn strip_peers(text: &str) -> &str {
    text.split('(').next().unwrap_or(text)
}

fn source(fields: &[(Spanned<Node>, Spanned<Node>)], key: &PackageKey<'_>) -> Option<&'static str> {
    let resolution = get(fields, "resolution").map_or(&[][..], |(_, r)| r.value.entries());
    let value = |name: &str| get(resolution, name).and_then(|(_, v)| v.value.text());
    match value("type").as_deref() {
        Some("git") => return Some("git"),
        Some("directory") => return Some("path"),
        _ => {}
    }
    if let Some(tarball) = value("tarball") {
        if tarball.starts_with("file:") {
            return Some("path");
        }
        if is_git_host(&tarball) {
            return Some("git");
        }
        if key.registry {
            return None; // a registry that serves tarballs from its own URLs
        }
    }
    if key.registry {
        return None;
    }
    let reference = key.reference;
    if ["file:", "link:"].iter().any(|p| reference.starts_with(p)) {
        Some("path")
    } else if ["git+", "git:", "git@", "github:", "gitlab:", "bitbucket:", "ssh:"]
        .iter()
        .any(|p| reference.starts_with(p))
        || is_git_host(reference)
        || is_git_host(&format!("https://{reference}"))
    {
        Some("git")
    } else {
        Some("url")
    }
}

/// URLs of git hosts' repositories and their generated tarballs (`codeload.github.com`).
fn is_git_host(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default();
    [
        "codeload.github.com/",
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
    ]
    .iter()
    .any(|host| rest.starts_with(host))
}

#[derive(Debug)]
struct Importer {
    path: String,
    /// Normalised package keys the importer asked for, with the list that asked.
    wanted: Vec<(String, List)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Prod,
    Optional,
    Dev,
}

const LISTS: [(&str, List); 3] = [
    ("dependencies", List::Prod),
    ("optionalDependencies", List::Optional),
    ("devDependencies", List::Dev),
];

#[derive(Debug, Default)]
struct Importers {
    list: Vec<Importer>,
    /// The file names its importers: directness can be told.
    known: bool,
}

fn importers(
    file: &SourceFile<'_>,
    top: &[(Spanned<Node>, Spanned<Node>)],
    style: Style,
    out: &mut Output,
) -> Importers {
    let mut found = Importers::default();
    match get(top, "importers") {
        Some((
            _,
            Spanned {
                value: Node::Map(importers),
                ..
            },
        )) => {
            found.known = true;
            for (path, importer) in importers {
                let path = path.value.text().unwrap_or_default();
                found
                    .list
                    .push(read_importer(path, importer.value.entries(), style));
            }
        }
        Some((
            _,
            Spanned {
                value: Node::Null, ..
            },
        )) => found.known = true,
        Some((key, _)) => out.diagnostics.push(file.warning(
            Some(line_of(key)),
            "`importers` is not a mapping; direct dependencies are unknown",
        )),
        None => {
            if [
                "dependencies",
                "devDependencies",
                "optionalDependencies",
                "specifiers",
            ]
            .iter()
            .any(|k| get(top, k).is_some())
            {
                found.known = true;
                found.list.push(read_importer(".".to_owned(), top, style));
            }
        }
    }
    found
}

fn read_importer(path: String, fields: &[(Spanned<Node>, Spanned<Node>)], style: Style) -> Importer {
    let mut wanted = Vec::new();
    for (list_name, list) in LISTS {
        let deps = get(fields, list_name).map_or(&[][..], |(_, d)| d.value.entries());
        for (name, spec) in deps {
            let Some(name) = name.value.text() else { continue };
            // 5.x writes the resolved version; 6.x and 9.x a `{specifier, version}` mapping.
            let version = match &spec.value {
                Node::Map(spec) => get(spec, "version").and_then(|(_, v)| v.value.text()),
                other => other.text(),
            };
            let Some(version) = version.filter(|v| !v.starts_with("link:")) else {
                continue;
            };
            for key in style.candidates(&name, &version) {
                wanted.push((key, list));
            }
        }
    }
    Importer { path, wanted }
}

impl Style {
    /// The normalised package keys an importer's `name: version` can point at: the package itself, or,
    /// for aliases and non-registry packages, the version text is the key.
    fn candidates(self, name: &str, version: &str) -> [String; 2] {
        let plain = match self {
            Self::V5 if version.starts_with(|c: char| c.is_ascii_digit()) => {
                version.split('_').next().unwrap_or(version)
            }
            Self::V5 => version,
            Self::V6 | Self::V9 => strip_peers(version),
        };
        let own = match self {
            Self::V5 => format!("/{name}/{plain}"),
            Self::V6 => format!("/{name}@{plain}"),
            Self::V9 => format!("{name}@{plain}"),
        };
        let aliased = match self.parse_key(plain) {
            Some(key) => key.normalized,
            None => plain.to_owned(),
        };
        [own, aliased]
    }
}

/// 9.x: the scope of each normalised package key, from what the importers' lists reach in `snapshots`.
fn reachability(
    top: &[(Spanned<Node>, Spanned<Node>)],
    importers: &Importers,
) -> HashMap<String, DependencyScope> {
    let snapshots = get(top, "snapshots").map_or(&[][..], |(_, s)| s.value.entries());
    let keys: Vec<String> = snapshots
        .iter()
        .map(|(k, _)| k.value.text().unwrap_or_default())
        .collect();
    let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    // Edges to snapshot indexes: (regular, optional).
    let resolve = |name: &str, version: &str| -> Option<usize> {
        index
            .get(format!("{name}@{version}").as_str())
            .or_else(|| index.get(version))
            .copied()
    };
    let edges: Vec<(Vec<usize>, Vec<usize>)> = snapshots
        .iter()
        .map(|(_, snapshot)| {
            let fields = snapshot.value.entries();
            let targets = |list: &str| -> Vec<usize> {
                get(fields, list)
                    .map_or(&[][..], |(_, d)| d.value.entries())
                    .iter()
                    .filter_map(|(n, v)| resolve(&n.value.text()?, &v.value.text()?))
                    .collect()
            };
            (targets("dependencies"), targets("optionalDependencies"))
        })
        .collect();
    // Importers name snapshots by normalised key; every peer variant of it is a root.
    let mut variants: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        variants.entry(strip_peers(key)).or_default().push(i);
    }
    let roots = |lists: &[List]| -> Vec<usize> {
        importers
            .list
            .iter()
            .flat_map(|importer| importer.wanted.iter())
            .filter(|(_, list)| lists.contains(list))
            .flat_map(|(key, _)| variants.get(key.as_str()).into_iter().flatten().copied())
            .collect()
    };
    let walk = |start: Vec<usize>, follow_optional: bool| -> HashSet<usize> {
        let mut seen: HashSet<usize> = HashSet::new();
        let mut queue: VecDeque<usize> = start.into_iter().collect();
        while let Some(node) = queue.pop_front() {
            if !seen.insert(node) {
                continue;
            }
            if let Some((regular, optional)) = edges.get(node) {
                queue.extend(regular.iter().copied());
                if follow_optional {
                    queue.extend(optional.iter().copied());
                }
            }
        }
        seen
    };
    let prod = walk(roots(&[List::Prod]), false);
    let optional = walk(roots(&[List::Prod, List::Optional]), true);
    let dev = walk(roots(&[List::Dev]), true);

    let mut scopes: HashMap<String, DependencyScope> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let scope = if prod.contains(&i) {
            DependencyScope::Prod
        } else if optional.contains(&i) {
            DependencyScope::Optional
        } else if dev.contains(&i) {
            DependencyScope::Dev
        } else {
            DependencyScope::Unknown
        };
        let slot = scopes.entry(strip_peers(key).to_owned()).or_default();
        *slot = widest(*slot, scope);
    }
    scopes
}

/// A YAML node with the location of every child, keys included. Scalars are kept as text: lockfile
/// values are names, versions and flags.
#[derive(Debug)]
enum Node {
    Null,
    Scalar(String),
    Seq,
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl Node {
    fn describe(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Scalar(_) => "a scalar",
            Node::Seq => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Node::Scalar(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn entries(&self) -> &[(Spanned<Node>, Spanned<Node>)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }
}

fn line_of(node: &Spanned<Node>) -> u32 {
    u32::try_from(node.referenced.line()).unwrap_or(u32::MAX)
}

fn get<'n>(
    entries: &'n [(Spanned<Node>, Spanned<Node>)],
    key: &str,
) -> Option<(&'n Spanned<Node>, &'n Spanned<Node>)> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Node::Scalar(s) if s == key))
        .map(|(k, v)| (k, v))
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Scalar(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        // No lockfile field this extractor reads is a list.
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Node::Seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

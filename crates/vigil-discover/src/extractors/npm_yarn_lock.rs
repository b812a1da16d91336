//! `yarn.lock`, in both formats Yarn has written: Yarn 1 ("yarn lockfile v1": `name@range, name@range2:`
//! headers over `version "x"` / `resolved "url"` fields) and Yarn 2+ ("Berry": a YAML subset with a
//! `__metadata:` block, `"name@npm:^1.0.0":` keys, `version: 1.0.0`, `resolution: "name@npm:1.0.0"`).
//!
//! Both are read by one line-based reader rather than a YAML parser: Yarn 1 is not YAML, Yarn's own
//! writer emits Berry files in the same indentation-only shape, and reading the text keeps every entry's
//! header line and every value exactly as written (a YAML parser would turn `version: 1.10` into a
//! number). Names come from the header, with `alias@npm:real@range` aliases reported under the real name;
//! Berry names come from the `resolution`, which always names the real package. Berry `workspace:`
//! entries are the project's own code and are not reported, but their dependency lists say which
//! packages are direct; `patch:` entries wrap a registry package whose unpatched entry is reported
//! (marked `patched`); `file:`, `link:`, `portal:` and `exec:` packages get `source = path`, git
//! sources `source = git` and plain tarball URLs `source = url`. Packages from a private registry mirror
//! are not marked: Yarn 1 records only the download URL, and a mirror serves the same packages.
//!
//! Yarn records no scope. Direct dependencies and their scope come from the `package.json` beside the
//! lockfile and from workspace manifests (Berry names its workspaces in the lockfile; Yarn 1 workspace
//! globs cannot be expanded without listing directories, so only literal workspace paths are read and the
//! rest is said in a diagnostic). A manifest entry matches the lockfile entry whose header holds the same
//! `name@range`, or every entry of that name when none does. Transitive packages have scope `unknown`.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;
use vigil_core::{Asset, Dependency, DependencyScope, Diagnostic, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile, join_relative};

#[derive(Debug)]
pub struct YarnLock;

impl Extractor for YarnLock {
    fn name(&self) -> &'static str {
        "npm/yarn-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "yarn.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let entries = parse(file, out)?;
        let lock = read_packages(file, &entries, out);
        let declared = declarations(file, &lock, out);
        emit(file, &lock, &declared, out);
        Ok(())
    }
}

/// One top-level block of the lockfile.
#[derive(Debug)]
struct Entry {
    line: u32,
    /// The header's descriptors, `name@range`, unquoted and split.
    descriptors: Vec<String>,
    /// First-level fields in file order; nested blocks keep their direct children only.
    fields: Vec<(String, Field)>,
}

#[derive(Debug)]
enum Field {
    Scalar(String),
    Block(Vec<(String, String)>),
}

impl Entry {
    fn scalar(&self, key: &str) -> Option<&str> {
        self.fields.iter().find_map(|(k, v)| match v {
            Field::Scalar(s) if k == key => Some(s.as_str()),
            _ => None,
        })
    }

    fn block(&self, key: &str) -> &[(String, String)] {
        self.fields
            .iter()
            .find_map(|(k, v)| match v {
                Field::Block(items) if k == key => Some(items.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// Splits the text into entries. Only a line that cannot start an entry where one must start makes the
/// whole file unreadable; a header or field that cannot be read is a warning.
fn parse(file: &SourceFile<'_>, out: &mut Output) -> Result<Vec<Entry>, ExtractError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    // After an unreadable header its fields are skipped rather than taken for a structural error.
    let mut skipping = false;
    let mut field_indent: Option<usize> = None;
    let mut child_indent: Option<usize> = None;
    for (index, raw) in file.text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        let content = content.trim_end();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if indent == 0 {
            entries.extend(current.take());
            field_indent = None;
            let Some(header) = content.strip_suffix(':') else {
                return Err(file.error(
                    Some(line),
                    "not a yarn.lock: expected an entry header ending in `:`",
                ));
            };
            match parse_header(header) {
                Some(descriptors) => {
                    skipping = false;
                    current = Some(Entry {
                        line,
                        descriptors,
                        fields: Vec::new(),
                    });
                }
                None => {
                    skipping = true;
                    out.diagnostics
                        .push(file.warning(Some(line), "unreadable entry header; entry skipped"));
                }
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            if skipping {
                continue;
            }
            return Err(file.error(
                Some(line),
                "not a yarn.lock: an indented line before the first entry",
            ));
        };
        let Some((key, value)) = parse_pair(content) else {
            out.diagnostics
                .push(file.warning(Some(line), "unreadable field; line skipped"));
            continue;
        };
        let first_level = *field_indent.get_or_insert(indent);
        if indent <= first_level {
            child_indent = None;
            let field = match value {
                Some(value) => Field::Scalar(value),
                None => Field::Block(Vec::new()),
            };
            entry.fields.push((key, field));
        } else if let Some((_, Field::Block(children))) = entry.fields.last_mut() {
            // Deeper levels (`dependenciesMeta`'s flags) carry nothing this extractor reads.
            if indent <= *child_indent.get_or_insert(indent) {
                children.push((key, value.unwrap_or_default()));
            }
        }
    }
    entries.extend(current);
    Ok(entries)
}

/// `"a@^1", "a@^2"` (Yarn 1), `a@^1, a@^2` (unquoted) or `"a@npm:^1, a@npm:^2"` (Berry).
fn parse_header(header: &str) -> Option<Vec<String>> {
    let mut descriptors = Vec::new();
    let mut rest = header.trim();
    loop {
        rest = rest.trim_start();
        let (token, after) = if rest.starts_with('"') {
            let (text, after) = quoted(rest)?;
            (text, after.trim_start())
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (rest.get(..end)?.to_owned(), rest.get(end..)?)
        };
        rest = after;
        descriptors.extend(
            token
                .split(", ")
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
        );
        if rest.is_empty() {
            break;
        }
        rest = rest.strip_prefix(',')?;
    }
    (!descriptors.is_empty()).then_some(descriptors)
}

/// `key "value"` (Yarn 1), `key: value` (Berry), or a block opener `key:` (value `None`).
fn parse_pair(content: &str) -> Option<(String, Option<String>)> {
    let (key, rest) = if content.starts_with('"') {
        quoted(content)?
    } else {
        let end = content
            .find(|c: char| c == ':' || c.is_whitespace())
            .unwrap_or(content.len());
        (content.get(..end)?.to_owned(), content.get(end..)?)
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    if rest.is_empty() {
        return Some((key, None));
    }
    let value = if rest.starts_with('"') {
        quoted(rest)?.0
    } else {
        rest.to_owned()
    };
    Some((key, Some(value)))
}

/// A double-quoted string at the start of `text` (JSON escapes, which both formats use) and what follows.
fn quoted(text: &str) -> Option<(String, &str)> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'\\') => i += 2,
            Some(b'"') => {
                let literal = text.get(..=i)?;
                let value = serde_json::from_str::<String>(literal).ok()?;
                return Some((value, text.get(i + 1..)?));
            }
            _ => i += 1,
        }
    }
    None
}

/// `@scope/name@range` -> (`@scope/name`, `range`).
fn split_descriptor(descriptor: &str) -> Option<(&str, &str)> {
    let skip = usize::from(descriptor.starts_with('@'));
    let at = descriptor.get(skip..)?.find('@')? + skip;
    let name = descriptor.get(..at)?;
    let range = descriptor.get(at + 1..)?;
    let valid = !name.is_empty() && (!name.starts_with('@') || name.contains('/'));
    valid.then_some((name, range))
}

/// A package the lockfile installs.
#[derive(Debug)]
struct Package<'e> {
    entry: &'e Entry,
    /// (install name, range) of each header descriptor: what manifests refer to.
    wanted: Vec<(&'e str, &'e str)>,
    name: String,
    version: String,
    source: Option<&'static str>,
    patched: bool,
}

/// A workspace the lockfile itself lists (Berry only): its folder and its declared dependencies.
#[derive(Debug)]
struct Workspace<'e> {
    path: String,
    dependencies: Vec<(&'e str, &'e str)>,
}

#[derive(Debug, Default)]
struct Lock<'e> {
    packages: Vec<Package<'e>>,
    workspaces: Vec<Workspace<'e>>,
}

fn read_packages<'e>(file: &SourceFile<'_>, entries: &'e [Entry], out: &mut Output) -> Lock<'e> {
    // A patched package is locked twice: as itself and wrapped in `patch:`. The plain entry is reported.
    let resolutions: HashSet<&str> = entries.iter().filter_map(|e| e.scalar("resolution")).collect();
    let patched_bases: HashSet<String> = resolutions.iter().filter_map(|r| unpatch(r)).collect();

    let mut lock = Lock::default();
    for entry in entries {
        if entry.descriptors.iter().any(|d| d == "__metadata") {
            continue;
        }
        let warn = |out: &mut Output, message: String| {
            out.diagnostics.push(file.warning(Some(entry.line), message));
        };
        let Some(wanted) = entry
            .descriptors
            .iter()
            .map(|d| split_descriptor(d))
            .collect::<Option<Vec<_>>>()
        else {
            warn(
                out,
                format!(
                    "`{}` is not a `name@range` descriptor; entry skipped",
                    entry.descriptors.join(", ")
                ),
            );
            continue;
        };
        let Some(&(install_name, first_range)) = wanted.first() else {
            continue;
        };
        let (name, source, patched) = match entry.scalar("resolution") {
            Some(resolution) => {
                let Some((name, reference)) = split_descriptor(resolution) else {
                    warn(
                        out,
                        format!("resolution `{resolution}` names no package; entry skipped"),
                    );
                    continue;
                };
                if let Some(path) = reference.strip_prefix("workspace:") {
                    lock.workspaces.push(Workspace {
                        path: path.to_owned(),
                        dependencies: entry
                            .block("dependencies")
                            .iter()
                            .chain(entry.block("peerDependencies"))
                            .map(|(name, range)| (name.as_str(), range.as_str()))
                            .collect(),
                    });
                    continue;
                }
                if reference.starts_with("patch:") {
                    if unpatch(resolution).is_some_and(|base| resolutions.contains(base.as_str())) {
                        continue;
                    }
                    // A patch whose base is not locked stands for the package itself.
                    let inner = unpatch(resolution).unwrap_or_default();
                    let inner_source = split_descriptor(&inner).and_then(|(_, r)| berry_source(r));
                    (name.to_owned(), inner_source, true)
                } else {
                    (
                        name.to_owned(),
                        berry_source(reference),
                        patched_bases.contains(resolution),
                    )
                }
            }
            None => {
                let name = match first_range.strip_prefix("npm:") {
                    Some(aliased) => split_descriptor(aliased).map_or(aliased, |(real, _)| real),
                    None => install_name,
                };
                let ranges: Vec<&str> = wanted.iter().map(|(_, range)| *range).collect();
                (
                    name.to_owned(),
                    classic_source(&ranges, entry.scalar("resolved")),
                    false,
                )
            }
        };
        let Some(version) = entry.scalar("version").filter(|v| !v.is_empty()) else {
            warn(
                out,
                format!(
                    "`{}` has no `version`; entry skipped",
                    entry.descriptors.join(", ")
                ),
            );
            continue;
        };
        lock.packages.push(Package {
            entry,
            wanted,
            name,
            version: version.to_owned(),
            source,
            patched,
        });
    }
    lock
}

/// `name@patch:name@npm%3A1.0.0#...` -> `name@npm:1.0.0`, the package the patch applies to.
fn unpatch(descriptor: &str) -> Option<String> {
    let (_, reference) = split_descriptor(descriptor)?;
    let inner = reference.strip_prefix("patch:")?;
    let inner = inner.split('#').next().unwrap_or(inner);
    Some(percent_decode(inner))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(value)) => {
                decoded.push(value);
                i += 3;
            }
            _ => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

const GIT_PREFIXES: [&str; 8] = [
    "git+",
    "git:",
    "git@",
    "ssh:",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
];
const PATH_PREFIXES: [&str; 4] = ["file:", "link:", "portal:", "exec:"];

/// Where a Berry package comes from, by the protocol of its resolution; `None` for the npm registry.
fn berry_source(reference: &str) -> Option<&'static str> {
    if reference.starts_with("npm:") {
        None
    } else if PATH_PREFIXES.iter().any(|p| reference.starts_with(p)) {
        Some("path")
    } else if GIT_PREFIXES.iter().any(|p| reference.starts_with(p)) || is_git_url(reference) {
        Some("git")
    } else {
        Some("url")
    }
}

/// Where a Yarn 1 package comes from, by the ranges asked for and the download URL.
fn classic_source(ranges: &[&str], resolved: Option<&str>) -> Option<&'static str> {
    let from_range = |range: &str| {
        if range.starts_with("npm:") {
            None
        } else if PATH_PREFIXES.iter().any(|p| range.starts_with(p))
            || ["./", "../", "/", "~/"].iter().any(|p| range.starts_with(p))
        {
            Some("path")
        } else if GIT_PREFIXES.iter().any(|p| range.starts_with(p))
            || is_git_url(range)
            || is_github_shorthand(range)
        {
            Some("git")
        } else if range.starts_with("http://") || range.starts_with("https://") {
            Some("url")
        } else {
            None
        }
    };
    let from_resolved = |resolved: &str| {
        if resolved.starts_with("file:") {
            Some("path")
        } else if GIT_PREFIXES.iter().any(|p| resolved.starts_with(p))
            || resolved.starts_with("https://codeload.github.com/")
            || is_git_url(resolved)
        {
            Some("git")
        } else {
            None
        }
    };
    ranges
        .iter()
        .find_map(|range| from_range(range))
        .or_else(|| resolved.and_then(from_resolved))
}

/// An http(s) URL of a git repository rather than of a tarball.
fn is_git_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let (location, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let tarball = [".tgz", ".tar.gz", ".tar", ".zip"]
        .iter()
        .any(|e| location.ends_with(e));
    let git_host = ["github.com/", "gitlab.com/", "bitbucket.org/"]
        .iter()
        .any(|host| location.starts_with(host));
    fragment.starts_with("commit=") || location.ends_with(".git") || (git_host && !tarball)
}

/// `owner/repo` or `owner/repo#ref`, Yarn's shorthand for a GitHub repository.
fn is_github_shorthand(range: &str) -> bool {
    let repo = range.split('#').next().unwrap_or(range);
    let mut parts = repo.split('/');
    let valid = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    matches!((parts.next(), parts.next(), parts.next()), (Some(owner), Some(name), None)
        if valid(owner) && valid(name) && !owner.starts_with('.'))
}

/// Which manifest list named a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prod,
    Optional,
    Peer,
    Dev,
}

const MANIFEST_LISTS: [(&str, Kind); 4] = [
    ("dependencies", Kind::Prod),
    ("optionalDependencies", Kind::Optional),
    ("peerDependencies", Kind::Peer),
    ("devDependencies", Kind::Dev),
];

/// A dependency a workspace asked for, as `name@range`.
#[derive(Debug)]
struct Declared {
    workspace: String,
    name: String,
    range: String,
    /// `None` when the lockfile names it but no manifest says in which list.
    kind: Option<Kind>,
}

#[derive(Debug, Default)]
struct Declarations {
    list: Vec<Declared>,
    /// Whether any manifest or lockfile workspace was read: without one, directness is unknown.
    known: bool,
    /// Workspaces that could not be read (globs): undeclared packages may be theirs.
    incomplete: bool,
}

fn declarations(file: &SourceFile<'_>, lock: &Lock<'_>, out: &mut Output) -> Declarations {
    let mut declared = Declarations::default();
    if !lock.workspaces.is_empty() {
        declared.known = true;
        for workspace in &lock.workspaces {
            let manifest = read_manifest(file, &workspace.path, out);
            for (name, range) in &workspace.dependencies {
                declared.list.push(Declared {
                    workspace: workspace.path.clone(),
                    name: (*name).to_owned(),
                    range: (*range).to_owned(),
                    kind: manifest.as_ref().and_then(|m| kind_in(m, name)),
                });
            }
        }
        return declared;
    }
    let Some(root) = read_manifest(file, ".", out) else {
        return declared;
    };
    declared.known = true;
    add_manifest(&mut declared.list, ".", &root);
    let patterns = match root.get("workspaces") {
        Some(Value::Array(patterns)) => patterns.as_slice(),
        Some(Value::Object(config)) => config
            .get("packages")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    let mut globbed = Vec::new();
    for pattern in patterns.iter().filter_map(Value::as_str) {
        if pattern.contains(['*', '?', '[', '{', '!']) {
            globbed.push(pattern);
        } else if let Some(manifest) = read_manifest(file, pattern, out) {
            add_manifest(&mut declared.list, pattern.trim_end_matches('/'), &manifest);
        }
    }
    if !globbed.is_empty() {
        declared.incomplete = true;
        out.diagnostics.push(Diagnostic::info(
            file.path,
            None,
            format!(
                "workspace patterns {} are not expanded; packages not named by the root manifest have \
                 unknown directness",
                globbed.join(", ")
            ),
        ));
    }
    declared
}

/// The `package.json` of the workspace at `workspace` (relative to the lockfile's folder).
fn read_manifest(file: &SourceFile<'_>, workspace: &str, out: &mut Output) -> Option<Value> {
    let path = join_relative(file.dir(), &format!("{workspace}/package.json"))?;
    let text = match file.read_related(&path) {
        Ok(text) => text?,
        Err(e) => {
            out.diagnostics
                .push(file.warning(None, format!("cannot read {path}: {}", e.message)));
            return None;
        }
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(manifest @ Value::Object(_)) => Some(manifest),
        Ok(_) => {
            out.diagnostics.push(Diagnostic::warning(
                path,
                Some(1),
                format!(
                    "not a JSON object; direct dependencies of {} are unknown",
                    file.path
                ),
            ));
            None
        }
        Err(e) => {
            out.diagnostics.push(Diagnostic::warning(
                path,
                u32::try_from(e.line()).ok().filter(|l| *l > 0),
                format!(
                    "invalid JSON ({e}); direct dependencies of {} are unknown",
                    file.path
                ),
            ));
            None
        }
    }
}

fn add_manifest(list: &mut Vec<Declared>, workspace: &str, manifest: &Value) {
    for (field, kind) in MANIFEST_LISTS {
        let Some(deps) = manifest.get(field).and_then(Value::as_object) else {
            continue;
        };
        for (name, range) in deps {
            list.push(Declared {
                workspace: workspace.to_owned(),
                name: name.clone(),
                range: range.as_str().unwrap_or_default().to_owned(),
                kind: Some(kind),
            });
        }
    }
}

/// The list of `manifest` naming `name`, the one that ships first when several do.
fn kind_in(manifest: &Value, name: &str) -> Option<Kind> {
    let listed = |field: &str| {
        manifest
            .get(field)
            .and_then(Value::as_object)
            .is_some_and(|deps| deps.contains_key(name))
    };
    MANIFEST_LISTS
        .iter()
        .find(|(field, _)| listed(field))
        .map(|(_, kind)| *kind)
}

fn emit(file: &SourceFile<'_>, lock: &Lock<'_>, declared: &Declarations, out: &mut Output) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, package) in lock.packages.iter().enumerate() {
        let names: BTreeSet<&str> = package.wanted.iter().map(|(name, _)| *name).collect();
        for name in names {
            by_name.entry(name).or_default().push(index);
        }
    }
    let mut matched: Vec<Vec<&Declared>> = vec![Vec::new(); lock.packages.len()];
    for declaration in &declared.list {
        let candidates = by_name
            .get(declaration.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        let ranges = wanted_ranges(&declaration.range);
        let exact: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                lock.packages.get(i).is_some_and(|p| {
                    p.wanted
                        .iter()
                        .any(|(name, range)| *name == declaration.name && ranges.iter().any(|r| r == range))
                })
            })
            .collect();
        let chosen = if exact.is_empty() { candidates } else { &exact };
        for &i in chosen {
            if let Some(slot) = matched.get_mut(i) {
                slot.push(declaration);
            }
        }
    }

    for (package, matches) in lock.packages.iter().zip(&matched) {
        let direct = if !matches.is_empty() {
            Some(true)
        } else if declared.known && !declared.incomplete {
            Some(false)
        } else {
            None
        };
        let kinds: Vec<Option<Kind>> = matches.iter().map(|d| d.kind).collect();
        let scope = if kinds.is_empty() {
            DependencyScope::Unknown
        } else if kinds.iter().any(|k| matches!(k, Some(Kind::Prod | Kind::Peer))) {
            DependencyScope::Prod
        } else if kinds.contains(&None) {
            DependencyScope::Unknown
        } else if kinds.contains(&Some(Kind::Optional)) {
            DependencyScope::Optional
        } else {
            DependencyScope::Dev
        };
        let dependency = Dependency {
            ecosystem: Ecosystem::Npm,
            name: package.name.clone(),
            version: package.version.clone(),
            direct,
            scope,
        };
        let mut asset: Asset = dependency.into_asset(file.evidence(Some(package.entry.line)));
        if let Some(source) = package.source {
            asset = asset.with("source", source);
        }
        if package.patched {
            asset = asset.with("patched", true);
        }
        if !matches.is_empty() {
            let workspaces: BTreeSet<&str> = matches.iter().map(|d| d.workspace.as_str()).collect();
            asset = asset.with("workspaces", workspaces.into_iter().collect::<Vec<_>>());
        }
        out.assets.push(asset);
    }
}

/// The header ranges a manifest range can appear as: Berry prefixes registry ranges with `npm:`, and a
/// `patch:` range stands for the patched package's own range.
fn wanted_ranges(range: &str) -> Vec<String> {
    let mut ranges = vec![range.to_owned(), format!("npm:{range}")];
    if let Some(inner) = range.strip_prefix("patch:") {
        let inner = percent_decode(inner.split('#').next().unwrap_or(inner));
        if let Some((_, inner_range)) = split_descriptor(&inner) {
            ranges.push(inner_range.to_owned());
        }
    }
    ranges
}

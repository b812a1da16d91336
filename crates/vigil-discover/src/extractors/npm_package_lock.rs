//! `package-lock.json` and `npm-shrinkwrap.json`, lockfileVersion 1 to 3.
//!
//! Versions 2 and 3 list every installed package in the flat `packages` map, keyed by install path
//! (`node_modules/a/node_modules/b`); version 2 also carries the version-1 tree for old npm clients, and
//! the flat map wins. Version 1 (and files without a version) nest packages under `dependencies`. Whether a
//! package is direct comes from the lockfile's root entry (`packages[""]`) in versions 2 and 3, and from the
//! sibling `package.json` in version 1, which does not record it. Workspace folders and `link: true`
//! entries are the project's own code, not dependencies. serde_json gives no positions, so lines come from
//! [`KeyLines`].

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::json_lines::KeyLines;

#[derive(Debug)]
pub struct NpmPackageLock;

/// The `package.json` fields whose names the project asked for itself.
const DEPENDENCY_LISTS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

const NODE_MODULES: &str = "node_modules/";

impl Extractor for NpmPackageLock {
    fn name(&self) -> &'static str {
        "npm/package-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        matches!(file_name, "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        if file.text.trim_start_matches('\u{feff}').trim().is_empty() {
            return Ok(());
        }
        let root: Value = serde_json::from_str(file.text.trim_start_matches('\u{feff}')).map_err(|e| {
            file.error(
                u32::try_from(e.line()).ok().filter(|l| *l > 0),
                format!("invalid JSON: {e}"),
            )
        })?;
        let Value::Object(root) = root else {
            return Err(file.error(Some(1), "not an npm lockfile: the top level is not a JSON object"));
        };
        let keys = KeyLines::scan(file.text);

        if let Some(version) = root.get("lockfileVersion")
            && !matches!(version.as_u64(), Some(1..=3))
        {
            out.diagnostics.push(file.warning(
                keys.get(&["lockfileVersion"]),
                format!("unknown lockfileVersion {version}; reading it by the shape of its contents"),
            ));
        }

        match (root.get("packages"), root.get("dependencies")) {
            (Some(Value::Object(packages)), _) => read_packages(file, &keys, packages, out),
            (Some(_), _) => {
                return Err(file.error(keys.get(&["packages"]), "`packages` must be an object"));
            }
            (None, Some(Value::Object(tree))) => {
                let direct = sibling_manifest_names(file, out);
                let mut path = vec!["dependencies".to_owned()];
                read_tree(file, &keys, tree, &mut path, direct.as_ref(), out);
            }
            (None, Some(_)) => {
                return Err(file.error(keys.get(&["dependencies"]), "`dependencies` must be an object"));
            }
            (None, None) => {} // a project without dependencies
        }
        Ok(())
    }
}

/// lockfileVersion 2 and 3: the flat `packages` map.
fn read_packages(file: &SourceFile<'_>, keys: &KeyLines, packages: &Map<String, Value>, out: &mut Output) {
    // Folders that own a dependency list: the root project ("") and workspace folders. A package
    // installed right under an owner's node_modules is direct when the owner names it; packages of
    // workspaces are often hoisted to the root's node_modules, so the root's folder answers for all.
    let mut owners: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (key, entry) in packages {
        if !is_install_path(key) {
            owners.insert(key.as_str(), declared_names(entry));
        }
    }
    let has_root = owners.contains_key("");
    let all_declared: HashSet<&str> = owners.values().flatten().copied().collect();

    for (key, entry) in packages {
        if key.is_empty() || !is_install_path(key) {
            continue;
        }
        let line = keys.get(&["packages", key]);
        let Value::Object(entry) = entry else {
            out.diagnostics
                .push(file.warning(line, format!("`{key}` is not an object; skipped")));
            continue;
        };
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some((prefix, installed_as)) = split_install_path(key) else {
            out.diagnostics
                .push(file.warning(line, format!("`{key}` names no package; skipped")));
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str).unwrap_or(installed_as);
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            out.diagnostics
                .push(file.warning(line, format!("`{key}` has no string `version`; skipped")));
            continue;
        };
        let flag = |field: &str| entry.get(field).and_then(Value::as_bool) == Some(true);
        let scope = if flag("dev") || flag("devOptional") {
            DependencyScope::Dev
        } else if flag("optional") {
            DependencyScope::Optional
        } else {
            DependencyScope::Prod
        };
        // Root and workspace manifests use the install name, which differs from `name` for aliases.
        let direct = has_root.then(|| match prefix {
            "" => all_declared.contains(installed_as),
            owner => owners
                .get(owner.trim_end_matches('/'))
                .is_some_and(|names| names.contains(installed_as)),
        });
        let source = entry
            .get("resolved")
            .and_then(Value::as_str)
            .and_then(non_registry_source);
        let dependency = Dependency {
            ecosystem: Ecosystem::Npm,
            name: name.to_owned(),
            version: version.to_owned(),
            direct,
            scope,
        };
        out.assets
            .push(with_source(dependency.into_asset(file.evidence(line)), source));
    }
}

/// lockfileVersion 1: the nested `dependencies` tree. `path` is the KeyLines path of `tree`.
fn read_tree(
    file: &SourceFile<'_>,
    keys: &KeyLines,
    tree: &Map<String, Value>,
    path: &mut Vec<String>,
    direct_names: Option<&HashSet<String>>,
    out: &mut Output,
) {
    let top_level = path.len() == 1;
    for (installed_as, entry) in tree {
        path.push(installed_as.clone());
        let line = keys.get(&path.iter().map(String::as_str).collect::<Vec<_>>());
        match entry {
            Value::Object(entry) => {
                if let Some(asset) = v1_asset(file, installed_as, entry, line, top_level, direct_names, out) {
                    out.assets.push(asset);
                }
                // serde_json's recursion limit bounds how deep this can go.
                if let Some(Value::Object(children)) = entry.get("dependencies") {
                    path.push("dependencies".to_owned());
                    read_tree(file, keys, children, path, direct_names, out);
                    path.pop();
                }
            }
            _ => out
                .diagnostics
                .push(file.warning(line, format!("`{installed_as}` is not an object; skipped"))),
        }
        path.pop();
    }
}

fn v1_asset(
    file: &SourceFile<'_>,
    installed_as: &str,
    entry: &Map<String, Value>,
    line: Option<u32>,
    top_level: bool,
    direct_names: Option<&HashSet<String>>,
    out: &mut Output,
) -> Option<Asset> {
    let Some(spec) = entry.get("version").and_then(Value::as_str) else {
        out.diagnostics
            .push(file.warning(line, format!("`{installed_as}` has no string `version`; skipped")));
        return None;
    };
    let (name, version) = match spec.strip_prefix("npm:") {
        // `npm:@scope/real@1.0.0`: the last `@` that is not the scope's separates the version.
        Some(aliased) => match aliased.rsplit_once('@').filter(|(name, _)| !name.is_empty()) {
            Some(split) => split,
            None => {
                out.diagnostics.push(file.warning(
                    line,
                    format!("`{installed_as}`: alias `{spec}` has no version; skipped"),
                ));
                return None;
            }
        },
        None => (installed_as, spec),
    };
    let source = non_registry_source(spec).or_else(|| {
        // Version 1 records a tarball dependency's URL in place of its version.
        (spec.starts_with("https://") || spec.starts_with("http://")).then_some("url")
    });
    let flag = |field: &str| entry.get(field).and_then(Value::as_bool) == Some(true);
    let scope = if flag("dev") {
        DependencyScope::Dev
    } else if flag("optional") {
        DependencyScope::Optional
    } else {
        DependencyScope::Prod
    };
    // A nested install exists only because a parent needed another version: never direct.
    let direct = if top_level {
        direct_names.map(|names| names.contains(installed_as))
    } else {
        Some(false)
    };
    let dependency = Dependency {
        ecosystem: Ecosystem::Npm,
        name: name.to_owned(),
        version: version.to_owned(),
        direct,
        scope,
    };
    Some(with_source(dependency.into_asset(file.evidence(line)), source))
}

/// Names in the `package.json` beside the lockfile; `None` when there is none or it cannot be read, since
/// a version-1 lockfile alone cannot tell direct from transitive.
fn sibling_manifest_names(file: &SourceFile<'_>, out: &mut Output) -> Option<HashSet<String>> {
    let (path, text) = file.read_sibling("package.json", out)?;
    match serde_json::from_str::<Value>(&text) {
        Ok(manifest) => Some(declared_names(&manifest).into_iter().map(str::to_owned).collect()),
        Err(e) => {
            let line = u32::try_from(e.line()).ok().filter(|l| *l > 0);
            out.diagnostics.push(vigil_core::Diagnostic::warning(
                path,
                line,
                format!(
                    "invalid JSON ({e}); direct dependencies of {} are unknown",
                    file.path
                ),
            ));
            None
        }
    }
}

/// The names in a manifest's (or root entry's) dependency lists.
fn declared_names(manifest: &Value) -> HashSet<&str> {
    DEPENDENCY_LISTS
        .iter()
        .filter_map(|list| manifest.get(list).and_then(Value::as_object))
        .flat_map(|deps| deps.keys().map(String::as_str))
        .collect()
}

/// Whether a `packages` key is an install location rather than a workspace folder.
fn is_install_path(key: &str) -> bool {
    key.starts_with(NODE_MODULES) || key.contains("/node_modules/")
}

/// `a/node_modules/@s/x` -> (`a/`, `@s/x`): the folder whose node_modules holds the package, and the name
/// it is installed under.
fn split_install_path(key: &str) -> Option<(&str, &str)> {
    let at = key.rfind(NODE_MODULES)?;
    let name = key.get(at + NODE_MODULES.len()..)?;
    (!name.is_empty()).then(|| (key.get(..at).unwrap_or_default(), name))
}

/// Packages fetched from somewhere other than a registry: advisories about the registry package of the
/// same name do not apply to them.
fn non_registry_source(spec: &str) -> Option<&'static str> {
    const GIT: [&str; 5] = ["git+", "git:", "github:", "gitlab:", "bitbucket:"];
    if GIT.iter().any(|prefix| spec.starts_with(prefix)) {
        Some("git")
    } else if spec.starts_with("file:") {
        Some("path")
    } else {
        None
    }
}

fn with_source(asset: Asset, source: Option<&str>) -> Asset {
    match source {
        Some(source) => asset.with("source", source),
        None => asset,
    }
}

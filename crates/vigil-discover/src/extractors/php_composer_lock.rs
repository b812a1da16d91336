//! `composer.lock` (Composer 1 and 2 write the same layout).
//!
//! `packages` are installed in production and `packages-dev` only with dev requirements, which gives the
//! scope. Versions are kept as written (`v1.2.3`, `dev-main`); the matcher normalises them. A package
//! whose `dist` or `source` is of type `path`, or whose dist URL is a local file (an `artifact`
//! repository), gets `source = path`; a package with only a VCS `source` and no dist gets `source = git`
//! (`url` for other VCSs), since Packagist always offers a dist archive. Dist archives from other hosts
//! (private Packagist, Satis) are not marked: their URLs do not tell a mirror of public packages from a
//! private one. The lockfile does not say which packages the project required itself, so direct
//! dependencies come from the sibling `composer.json` `require` and `require-dev` (platform requirements
//! such as `php` and `ext-*` are not packages). serde_json gives no positions, so lines come from
//! [`KeyLines`]: each package's line is that of its `name` key.

use std::collections::HashSet;

use serde_json::Value;
use vigil_core::{Dependency, DependencyScope, Diagnostic, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::json_lines::KeyLines;

#[derive(Debug)]
pub struct ComposerLock;

impl Extractor for ComposerLock {
    fn name(&self) -> &'static str {
        "packagist/composer-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "composer.lock"
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
            return Err(file.error(Some(1), "not a composer.lock: the top level is not a JSON object"));
        };
        let keys = KeyLines::scan(file.text);
        let direct = required_names(file, out);

        for (list, scope) in [
            ("packages", DependencyScope::Prod),
            ("packages-dev", DependencyScope::Dev),
        ] {
            let packages = match root.get(list) {
                None | Some(Value::Null) => continue,
                Some(Value::Array(packages)) => packages,
                Some(_) => {
                    return Err(file.error(keys.get(&[list]), format!("`{list}` must be an array")));
                }
            };
            for (index, package) in packages.iter().enumerate() {
                let position = index.to_string();
                let line = keys.get(&[list, &position, "name"]).or_else(|| keys.get(&[list]));
                let (Some(name), Some(version)) = (
                    package.get("name").and_then(Value::as_str),
                    package.get("version").and_then(Value::as_str),
                ) else {
                    out.diagnostics.push(file.warning(
                        line,
                        format!("`{list}` entry {index} has no string `name` and `version`; skipped"),
                    ));
                    continue;
                };
                let dependency = Dependency {
                    ecosystem: Ecosystem::Packagist,
                    name: name.to_owned(),
                    version: version.to_owned(),
                    direct: direct
                        .as_ref()
                        .map(|names| names.contains(&name.to_ascii_lowercase())),
                    scope,
                };
                let mut asset = dependency.into_asset(file.evidence(line));
                if let Some(source) = non_registry_source(package) {
                    asset = asset.with("source", source);
                }
                out.assets.push(asset);
            }
        }
        Ok(())
    }
}

fn non_registry_source(package: &Value) -> Option<&'static str> {
    let kind = |field: &str| package.get(field)?.get("type")?.as_str();
    let dist = package.get("dist").filter(|d| d.is_object());
    let dist_url = dist.and_then(|d| d.get("url")).and_then(Value::as_str);
    if kind("dist") == Some("path") || kind("source") == Some("path") {
        return Some("path");
    }
    if let Some(url) = dist_url.filter(|u| !u.is_empty()) {
        return (!url.contains("://")).then_some("path");
    }
    match kind("source") {
        Some("git" | "github" | "gitlab" | "bitbucket") => Some("git"),
        Some(_) => Some("url"),
        None => None,
    }
}

/// Lowercased package names the sibling `composer.json` requires; `None` without a readable manifest.
fn required_names(file: &SourceFile<'_>, out: &mut Output) -> Option<HashSet<String>> {
    let (path, text) = file.read_sibling("composer.json", out)?;
    let manifest: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(manifest) => manifest,
        Err(e) => {
            out.diagnostics.push(Diagnostic::warning(
                path,
                u32::try_from(e.line()).ok().filter(|l| *l > 0),
                format!(
                    "invalid JSON ({e}); direct dependencies of {} are unknown",
                    file.path
                ),
            ));
            return None;
        }
    };
    let names = ["require", "require-dev"]
        .iter()
        .filter_map(|list| manifest.get(list).and_then(Value::as_object))
        .flat_map(|requires| requires.keys())
        // Platform requirements name the PHP runtime and its extensions, never a locked package.
        .filter(|name| name.contains('/'))
        .map(|name| name.to_ascii_lowercase())
        .collect();
    Some(names)
}

//! NuGet `packages.lock.json`, versions 1 and 2 (2 adds `CentralTransitive` entries under central package
//! management).
//!
//! `dependencies` maps each target framework (`net8.0`, `net8.0/linux-x64`...) to the packages restored
//! for it, each with a `type` and the `resolved` version. Several frameworks usually list the same package:
//! one asset per package and version, direct if any framework has it as `Direct`, evidence at its first
//! entry. `Project` entries are the solution's own projects, not packages. The lockfile does not record
//! which packages are build-time only (`PrivateAssets`), so the scope is unknown. serde_json gives no
//! positions, so lines come from [`KeyLines`].

use std::collections::HashMap;

use serde_json::Value;
use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::json_lines::KeyLines;

#[derive(Debug)]
pub struct NugetPackagesLock;

impl Extractor for NugetPackagesLock {
    fn name(&self) -> &'static str {
        "nuget/packages-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "packages.lock.json"
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
            return Err(file.error(
                Some(1),
                "not a NuGet lockfile: the top level is not a JSON object",
            ));
        };
        let keys = KeyLines::scan(file.text);
        if let Some(version) = root.get("version")
            && !matches!(version.as_u64(), Some(1 | 2))
        {
            out.diagnostics.push(file.warning(
                keys.get(&["version"]),
                format!("unknown lockfile version {version}; reading it as version 2"),
            ));
        }
        let frameworks = match root.get("dependencies") {
            None => return Ok(()),
            Some(Value::Object(frameworks)) => frameworks,
            Some(_) => {
                return Err(file.error(keys.get(&["dependencies"]), "`dependencies` must be an object"));
            }
        };

        // Lowercased `id@version` -> index in `packages`: NuGet ids are case-insensitive.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut packages: Vec<(Dependency, Option<u32>)> = Vec::new();
        for (framework, entries) in frameworks {
            let Value::Object(entries) = entries else {
                out.diagnostics.push(file.warning(
                    keys.get(&["dependencies", framework]),
                    format!("target framework `{framework}` is not an object; skipped"),
                ));
                continue;
            };
            for (id, entry) in entries {
                let line = keys.get(&["dependencies", framework, id]);
                let kind = entry.get("type").and_then(Value::as_str);
                if kind == Some("Project") {
                    continue;
                }
                let Some(version) = entry.get("resolved").and_then(Value::as_str) else {
                    out.diagnostics.push(
                        file.warning(line, format!("`{id}` has no string `resolved` version; skipped")),
                    );
                    continue;
                };
                let direct = match kind {
                    Some("Direct") => Some(true),
                    Some("Transitive" | "CentralTransitive") => Some(false),
                    _ => None,
                };
                let key = format!("{}@{}", id.to_lowercase(), version.to_lowercase());
                if let Some(&at) = index.get(&key) {
                    if let Some((existing, _)) = packages.get_mut(at) {
                        existing.direct = merge_direct(existing.direct, direct);
                    }
                    continue;
                }
                index.insert(key, packages.len());
                let dependency = Dependency {
                    ecosystem: Ecosystem::NuGet,
                    name: id.clone(),
                    version: version.to_owned(),
                    direct,
                    scope: DependencyScope::Unknown,
                };
                packages.push((dependency, line));
            }
        }
        out.assets.extend(
            packages
                .into_iter()
                .map(|(dependency, line)| dependency.into_asset(file.evidence(line))),
        );
        Ok(())
    }
}

/// Direct for one framework is direct for the project.
fn merge_direct(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => a.or(b),
    }
}

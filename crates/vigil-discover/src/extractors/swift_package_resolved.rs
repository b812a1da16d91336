//! `Package.resolved`, format versions 1 (Swift 5.0 to 5.5: `object.pins[]` with `package`,
//! `repositoryURL`), 2 (Swift 5.6 to 5.9: `pins[]` with `identity`, `kind`, `location`) and 3 (Swift 5.10
//! and later: version 2 plus `originHash`).
//!
//! Swift packages are named by repository, so assets use OSV's `SwiftURL` ecosystem and name a package by
//! its URL without scheme, credentials and `.git` suffix (`github.com/apple/swift-nio`); scp-style
//! `git@host:owner/repo.git` locations are read the same way. A pin's `state.version` is its version; a
//! pin on a branch or a bare revision has none, so the revision stands in and the asset is marked
//! `source = "git"`, since no advisory range can be matched against a commit. `localSourceControl` pins are
//! `path`, and pins of a Swift package registry (`kind: registry`, named `scope.name`) are
//! `registry:<location or identity>`. Package.resolved does not say which packages the manifest names, nor
//! whether a package is only used by tests, so `direct` is unknown and the scope is `unknown`.
//! serde_json gives no positions, so lines come from [`KeyLines`]: each asset's line is its pin's first key.

use serde_json::{Map, Value};
use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::json_lines::KeyLines;

#[derive(Debug)]
pub struct PackageResolved;

impl Extractor for PackageResolved {
    fn name(&self) -> &'static str {
        "swift/package-resolved"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "Package.resolved"
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
                "not a Package.resolved: the top level is not a JSON object",
            ));
        };
        let keys = KeyLines::scan(file.text);
        let version = root.get("version").and_then(Value::as_u64);
        if !matches!(version, Some(1..=3)) {
            out.diagnostics.push(file.warning(
                keys.get(&["version"]).or(Some(1)),
                "unknown Package.resolved version; reading it by the shape of its contents",
            ));
        }
        // Version 1 nests the pins under `object`; later versions put them at the top.
        let (pins, prefix): (Option<&Value>, &[&str]) = match root.get("object") {
            Some(object) => (object.get("pins"), &["object", "pins"]),
            None => (root.get("pins"), &["pins"]),
        };
        let pins = match pins {
            None => return Ok(()),
            Some(Value::Array(pins)) => pins,
            Some(_) => return Err(file.error(keys.get(prefix), "`pins` must be an array")),
        };

        for (index, pin) in pins.iter().enumerate() {
            let index = index.to_string();
            let mut path = prefix.to_vec();
            path.push(&index);
            // The pin's first key is where its entry starts; KeyLines records keys, not array items.
            let line = first_key_line(&keys, &path, pin).or_else(|| keys.get(prefix));
            let Value::Object(pin) = pin else {
                out.diagnostics
                    .push(file.warning(line, format!("pin {index} is not an object; skipped")));
                continue;
            };
            match read_pin(pin) {
                Ok((name, version, source)) => {
                    let dependency = Dependency {
                        ecosystem: Ecosystem::SwiftUrl,
                        name,
                        version,
                        direct: None,
                        scope: DependencyScope::Unknown,
                    };
                    let asset = dependency.into_asset(file.evidence(line));
                    out.assets.push(match source {
                        Some(source) => asset.with("source", source),
                        None => asset,
                    });
                }
                Err(message) => out
                    .diagnostics
                    .push(file.warning(line, format!("pin {index}: {message}"))),
            }
        }
        Ok(())
    }
}

fn first_key_line(keys: &KeyLines, path: &[&str], pin: &Value) -> Option<u32> {
    let pin = pin.as_object()?;
    pin.keys()
        .filter_map(|key| {
            let mut key_path = path.to_vec();
            key_path.push(key);
            keys.get(&key_path)
        })
        .min()
}

/// The name, version and `source` attribute of one pin.
fn read_pin(pin: &Map<String, Value>) -> Result<(String, String, Option<String>), String> {
    let string = |key: &str| pin.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let state = pin.get("state").and_then(Value::as_object);
    let state_string = |key: &str| {
        state
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let location = string("location").or_else(|| string("repositoryURL"));
    let identity = string("identity").or_else(|| string("package"));

    let (name, mut source) = match string("kind") {
        Some("localSourceControl") => {
            let location = location.or(identity).ok_or("no `location`; skipped")?;
            (location.to_owned(), Some("path".to_owned()))
        }
        Some("registry") => {
            let identity = identity.ok_or("registry pin without `identity`; skipped")?;
            (
                identity.to_owned(),
                Some(format!("registry:{}", location.unwrap_or(identity))),
            )
        }
        Some("remoteSourceControl") | None => {
            let location = location.ok_or("no `location` or `repositoryURL`; skipped")?;
            (swift_url(location), None)
        }
        Some(other) => return Err(format!("unknown `kind` `{other}`; skipped")),
    };
    let version = match state_string("version") {
        Some(version) => version.to_owned(),
        None => {
            let revision =
                state_string("revision").ok_or("`state` has no `version` or `revision`; skipped")?;
            source.get_or_insert_with(|| "git".to_owned());
            revision.to_owned()
        }
    };
    Ok((name, version, source))
}

/// OSV's SwiftURL form of a repository location: `https://github.com/apple/swift-nio.git` and
/// `git@github.com:apple/swift-nio.git` both give `github.com/apple/swift-nio`.
fn swift_url(location: &str) -> String {
    let location = location.trim();
    let rest = match location.split_once("://") {
        Some((_, rest)) => rest,
        // scp-style `user@host:path`: the first `:` before any `/` separates host and path.
        None => match location.split_once(':') {
            Some((host, path)) if !host.contains('/') => {
                return swift_url(&format!("ssh://{host}/{}", path.trim_start_matches('/')));
            }
            _ => location,
        },
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    format!("{}{path}", host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::swift_url;

    #[test]
    fn locations_become_swift_urls() {
        for (location, expected) in [
            (
                "https://github.com/apple/swift-nio.git",
                "github.com/apple/swift-nio",
            ),
            ("https://github.com/apple/swift-nio", "github.com/apple/swift-nio"),
            (
                "https://GitHub.com/Apple/swift-nio/",
                "github.com/Apple/swift-nio",
            ),
            ("git@github.com:apple/swift-nio.git", "github.com/apple/swift-nio"),
            (
                "ssh://git@gitlab.example:2222/team/lib.git",
                "gitlab.example:2222/team/lib",
            ),
            ("https://user:token@git.example/o/r.git", "git.example/o/r"),
        ] {
            assert_eq!(swift_url(location), expected, "{location}");
        }
    }
}

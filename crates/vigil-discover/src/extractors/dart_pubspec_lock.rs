//! `pubspec.lock`, as written by pub in Dart 2.x and 3.x (Flutter included).
//!
//! Each entry of `packages:` says how the root project depends on it: `direct main` is a direct `prod`
//! dependency, `direct dev` a direct `dev` one, `direct overridden` (named in `dependency_overrides`) is
//! direct with an `unknown` scope, and `transitive` is indirect with an `unknown` scope, since the lockfile
//! does not record which of the project's dependencies pulled it in. `source: sdk` entries (`flutter`,
//! `flutter_test`) come with the SDK rather than from a package host and are skipped. `hosted` packages
//! from pub.dev (or its old name pub.dartlang.org) get no `source` attribute; another host is
//! `registry:<url>` (credentials removed); `git` and `path` packages are marked, and a git package without
//! a version gets its `resolved-ref`. The YAML is read with serde-saphyr and its default budgets, keeping
//! the line of each package's key, which is the evidence.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct PubspecLock;

/// The public package host, under its current and former names.
const PUB_DEV: [&str; 4] = [
    "https://pub.dev",
    "https://pub.dev/",
    "https://pub.dartlang.org",
    "https://pub.dartlang.org/",
];

impl Extractor for PubspecLock {
    fn name(&self) -> &'static str {
        "pub/pubspec-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "pubspec.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let mut options = serde_saphyr::Options::default();
        options.with_snippet = false;
        let lockfile: Option<Lockfile> =
            serde_saphyr::from_str_with_options(file.text, options).map_err(|e| {
                let line = e
                    .location()
                    .and_then(|l| u32::try_from(l.line()).ok())
                    .filter(|l| *l > 0);
                let message = e.to_string();
                let first = message.lines().next().unwrap_or_default().trim();
                file.error(line, format!("not a pubspec.lock: {first}"))
            })?;
        let Some(packages) = lockfile.and_then(|l| l.packages) else {
            return Ok(()); // empty file, or no `packages:`
        };

        for (key, entry) in &packages.0 {
            let name = key.value.as_str();
            let line = u32::try_from(key.referenced.line()).ok().filter(|l| *l > 0);
            let warn = |out: &mut Output, message: String| {
                out.diagnostics
                    .push(file.warning(line, format!("package `{name}`: {message}")));
            };
            let Value::Object(entry) = &entry.value else {
                warn(out, "not a mapping; skipped".into());
                continue;
            };
            let field = |key: &str| entry.get(key).and_then(Value::as_str);
            let description = entry.get("description");
            let description_field = |key: &str| description.and_then(|d| d.get(key)).and_then(Value::as_str);
            let source = match field("source") {
                Some("sdk") => continue,
                Some("hosted") => match description_field("url") {
                    Some(url) if !PUB_DEV.contains(&url) => {
                        Some(format!("registry:{}", without_credentials(url)))
                    }
                    _ => None,
                },
                Some("git") => Some("git".to_owned()),
                Some("path") => Some("path".to_owned()),
                other => {
                    warn(
                        out,
                        format!(
                            "unknown `source` {}; skipped",
                            other.map_or("(none)".into(), |s| format!("`{s}`"))
                        ),
                    );
                    continue;
                }
            };
            let version = match (field("version"), field("source")) {
                (Some(version), _) => version,
                (None, Some("git")) => match description_field("resolved-ref") {
                    Some(reference) => reference,
                    None => {
                        warn(
                            out,
                            "git package without `version` or `resolved-ref`; skipped".into(),
                        );
                        continue;
                    }
                },
                (None, _) => {
                    warn(out, "no string `version`; skipped".into());
                    continue;
                }
            };
            let (direct, scope) = match field("dependency") {
                Some("direct main") => (Some(true), DependencyScope::Prod),
                Some("direct dev") => (Some(true), DependencyScope::Dev),
                Some("direct overridden") => (Some(true), DependencyScope::Unknown),
                Some("transitive") => (Some(false), DependencyScope::Unknown),
                other => {
                    warn(
                        out,
                        format!(
                            "unknown `dependency` {}; read as unknown",
                            other.map_or("(none)".into(), |s| format!("`{s}`"))
                        ),
                    );
                    (None, DependencyScope::Unknown)
                }
            };
            let dependency = Dependency {
                ecosystem: Ecosystem::Pub,
                name: name.to_owned(),
                version: version.to_owned(),
                direct,
                scope,
            };
            let asset = dependency.into_asset(file.evidence(line));
            out.assets.push(match source {
                Some(source) => asset.with("source", source),
                None => asset,
            });
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
struct Lockfile {
    #[serde(default)]
    packages: Option<Packages>,
}

/// `packages:` in file order, each key with its location.
#[derive(Debug)]
struct Packages(Vec<(Spanned<String>, Spanned<Value>)>);

impl<'de> Deserialize<'de> for Packages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PackagesVisitor)
    }
}

struct PackagesVisitor;

impl<'de> Visitor<'de> for PackagesVisitor {
    type Value = Packages;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of package names to entries")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Packages, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Packages(entries))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Packages, E> {
        Ok(Packages(Vec::new()))
    }
}

/// `https://user:token@host/path` -> `https://host/path`: a private host's URL may embed credentials.
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

//! `Cargo.lock`, lockfile versions 1 to 4.
//!
//! Parsed as spanned TOML rather than with the `cargo-lock` crate because findings need the line of each
//! package, which that crate does not keep. Workspace members (packages without a `source`) are the project
//! itself, not dependencies; the packages they list are the direct dependencies. Cargo.lock does not
//! record dev-dependencies separately, so the scope is `unknown`.

use std::collections::HashSet;

use toml::Spanned;
use toml::de::DeValue;
use vigil_core::{Dependency, DependencyScope, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct CargoLock;

const CRATES_IO_SOURCES: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

struct Package<'t> {
    name: &'t str,
    version: &'t str,
    source: Option<&'t str>,
    dependencies: Vec<&'t str>,
    line: u32,
}

impl Extractor for CargoLock {
    fn name(&self) -> &'static str {
        "cargo/cargo-lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "Cargo.lock"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lines = LineIndex::new(file.text);
        let root = file.parse_toml(&lines)?;
        if let Some(version) = root.get_ref().get("version") {
            let known = matches!(version.get_ref(), DeValue::Integer(i) if matches!(i.as_str(), "3" | "4"));
            if !known {
                out.diagnostics.push(file.warning(
                    Some(lines.line(version.span().start)),
                    "unknown Cargo.lock version; reading it as version 4",
                ));
            }
        }
        let Some(packages) = root.get_ref().get("package") else {
            return Ok(()); // an empty workspace has no [[package]]
        };
        let DeValue::Array(packages) = packages.get_ref() else {
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

        let members: Vec<&Package<'_>> = parsed.iter().filter(|p| p.source.is_none()).collect();
        // "name" or "name version" or (v1) "name version (source)".
        let direct: HashSet<(&str, Option<&str>)> = members
            .iter()
            .flat_map(|m| m.dependencies.iter())
            .map(|d| {
                let mut parts = d.split_whitespace();
                (parts.next().unwrap_or_default(), parts.next())
            })
            .collect();

        for package in parsed.iter().filter(|p| p.source.is_some()) {
            let is_direct = direct.contains(&(package.name, None))
                || direct.contains(&(package.name, Some(package.version)));
            let dependency = Dependency {
                ecosystem: Ecosystem::CratesIo,
                name: package.name.to_owned(),
                version: package.version.to_owned(),
                direct: (!members.is_empty()).then_some(is_direct),
                scope: DependencyScope::Unknown,
            };
            let source = match package.source {
                Some(s) if CRATES_IO_SOURCES.contains(&s) => "registry".to_owned(),
                Some(s) if s.starts_with("git+") => "git".to_owned(),
                Some(s) => format!("registry:{}", s.split_once('+').map_or(s, |(_, url)| url)),
                None => "path".to_owned(),
            };
            out.assets.push(
                dependency
                    .into_asset(file.evidence(Some(package.line)))
                    .with("source", source),
            );
        }
        Ok(())
    }
}

fn read_package<'t>(item: &'t Spanned<DeValue<'_>>, lines: &LineIndex) -> Result<Package<'t>, (u32, String)> {
    let line = lines.line(item.span().start);
    let DeValue::Table(table) = item.get_ref() else {
        return Err((line, "[[package]] entry is not a table".into()));
    };
    let string = |key: &str| -> Option<&'t str> {
        match table.get(key).map(Spanned::get_ref) {
            Some(DeValue::String(s)) => Some(s.as_ref()),
            _ => None,
        }
    };
    let name_line = table.get("name").map_or(line, |v| lines.line(v.span().start));
    let (Some(name), Some(version)) = (string("name"), string("version")) else {
        return Err((
            name_line,
            "[[package]] without a string `name` and `version`; skipped".into(),
        ));
    };
    let dependencies = match table.get("dependencies").map(Spanned::get_ref) {
        Some(DeValue::Array(items)) => items
            .iter()
            .filter_map(|d| match d.get_ref() {
                DeValue::String(s) => Some(s.as_ref()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Package {
        name,
        version,
        source: string("source"),
        dependencies,
        line: name_line,
    })
}

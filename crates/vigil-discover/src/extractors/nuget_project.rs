//! SDK-style MSBuild project files (`*.csproj`, `*.fsproj`, `*.vbproj`): their `<PackageReference>` items,
//! direct NuGet dependencies at the line of the reference.
//!
//! The version is the `Version` attribute or child element, or, under central package management, the
//! `<PackageVersion Include Version>` of the nearest `Directory.Packages.props` in the project's directory or
//! above it inside the repository (`VersionOverride` wins over both). `$(Property)` placeholders are
//! resolved from the `<PropertyGroup>`s of the nearest `Directory.Build.props`, then of
//! `Directory.Packages.props`, then of the project, later ones overriding (MSBuild's import order).
//! Conditions are not evaluated: every reference is reported whatever its condition, and a property
//! defined only under conditions is used only when all its definitions agree. NuGet resolves a plain
//! version `1.2.3` (meaning `>= 1.2.3`) and `[1.2.3]` to 1.2.3; other ranges, floating versions (`1.*`)
//! and unresolved properties give no asset but one `NotChecked` entry per file. `PrivateAssets="all"`
//! marks a build-time analyzer or tool that does not flow into the output: dev; everything else is prod.
//!
//! A `packages.lock.json` beside the project lists everything restored, transitive packages included, and
//! is read by `nuget/packages-lock`: such a project yields only an info diagnostic, so that its packages
//! are not counted twice. `Directory.Packages.props` is claimed to check that it parses but yields no
//! assets: it only supplies versions (its `GlobalPackageReference`s are not read).

use std::collections::HashMap;

use vigil_core::{Asset, Dependency, DependencyScope, Diagnostic, Ecosystem, NotChecked};

use super::maven_pom::xml::{self, Element};
use crate::extract::{ExtractError, Extractor, Output, SourceFile, join_relative, parent_dir};

#[derive(Debug)]
pub struct NugetProject;

const CENTRAL_VERSIONS: &str = "Directory.Packages.props";
const BUILD_PROPS: &str = "Directory.Build.props";
const LOCKFILE: &str = "packages.lock.json";
const PROJECT_EXTENSIONS: [&str; 3] = [".csproj", ".fsproj", ".vbproj"];
const MAX_INTERPOLATION_DEPTH: usize = 16;
const MAX_INTERPOLATED_LEN: usize = 4096;
/// Property lookups per interpolated string: `$(A)` = `$(B)$(B)...` nests exponentially otherwise.
const MAX_LOOKUPS: usize = 1024;
/// Unresolved references named in the `NotChecked` entry before "…".
const SHOWN_UNRESOLVED: usize = 8;

impl Extractor for NugetProject {
    fn name(&self) -> &'static str {
        "nuget/project-file"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        let lower = file_name.to_ascii_lowercase();
        file_name == CENTRAL_VERSIONS || PROJECT_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let Some(root) = parse_project(file.text).map_err(|(line, message)| file.error(line, message))?
        else {
            return Ok(());
        };
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        if file_name == CENTRAL_VERSIONS {
            return Ok(());
        }
        if file.read_sibling(LOCKFILE, out).is_some() {
            let lockfile = join_relative(file.dir(), LOCKFILE).unwrap_or_else(|| LOCKFILE.to_owned());
            out.diagnostics.push(Diagnostic::info(
                file.path,
                None,
                format!(
                    "{lockfile} lists this project's packages; its package references are read from there"
                ),
            ));
            return Ok(());
        }

        let mut properties = Properties::default();
        if let Some(props) = nearest(file, BUILD_PROPS, out) {
            properties.add(&props);
        }
        let central = nearest(file, CENTRAL_VERSIONS, out);
        if let Some(central) = &central {
            properties.add(central);
        }
        properties.add(&root);
        let central_versions: HashMap<String, String> = central
            .iter()
            .flat_map(|c| items(c, "PackageVersion"))
            .filter_map(|item| {
                let id = properties.interpolate(item.attribute("Include")?).ok()?;
                Some((id.to_lowercase(), metadata(item, "Version")?.to_owned()))
            })
            .collect();

        let mut emitted = Emitted::default();
        for reference in items(&root, "PackageReference") {
            read_reference(file, reference, &properties, &central_versions, &mut emitted, out);
        }
        out.assets.extend(emitted.assets);
        if let Some(why) = unresolved_reason(&emitted.unresolved) {
            out.not_checked.push(NotChecked {
                what: file.path.to_owned(),
                why,
            });
        }
        Ok(())
    }
}

/// The root `<Project>` element; `Err` carries the line and message.
fn parse_project(text: &str) -> Result<Option<Element>, (Option<u32>, String)> {
    let root = xml::parse(text).map_err(|e| (e.line, e.message))?;
    match root {
        Some(root) if !root.name.eq_ignore_ascii_case("Project") => Err((
            Some(root.line),
            format!(
                "not an MSBuild project: the root element is <{}>, not <Project>",
                root.name
            ),
        )),
        root => Ok(root),
    }
}

/// The nearest file called `name` in the project's directory or above, inside the repository.
fn nearest(file: &SourceFile<'_>, name: &str, out: &mut Output) -> Option<Element> {
    let mut dir = file.dir();
    loop {
        let path = join_relative(dir, name)?;
        match file.read_related(&path) {
            Ok(Some(text)) => {
                return match parse_project(&text) {
                    Ok(root) => root,
                    Err((line, message)) => {
                        out.diagnostics.push(Diagnostic::warning(
                            path,
                            line,
                            format!("{message}; versions for {} are not taken from it", file.path),
                        ));
                        None
                    }
                };
            }
            Ok(None) => {}
            Err(e) => {
                out.diagnostics
                    .push(file.warning(None, format!("cannot read {path}: {}", e.message)));
                return None;
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// Items of one type in evaluation scope: under `<ItemGroup>`s and `<Choose>` branches, not in `<Target>`s,
/// which run at build time.
fn items<'a>(root: &'a Element, item_type: &'a str) -> impl Iterator<Item = &'a Element> {
    item_groups(root).into_iter().flat_map(move |group| {
        group
            .children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(item_type))
    })
}

/// The `<ItemGroup>`s of a project, including those in `<Choose>` branches.
fn item_groups(root: &Element) -> Vec<&Element> {
    let mut found = Vec::new();
    collect_item_groups(root, &mut found);
    found
}

fn collect_item_groups<'a>(element: &'a Element, found: &mut Vec<&'a Element>) {
    for child in &element.children {
        if child.name.eq_ignore_ascii_case("ItemGroup") {
            found.push(child);
        } else if is_choose(child) {
            collect_item_groups(child, found);
        }
    }
}

fn is_choose(element: &Element) -> bool {
    ["Choose", "When", "Otherwise"]
        .iter()
        .any(|n| element.name.eq_ignore_ascii_case(n))
}

/// Item metadata, written as an attribute or as a child element.
fn metadata<'a>(item: &'a Element, name: &str) -> Option<&'a str> {
    item.attribute(name).map(str::trim).or_else(|| {
        item.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(Element::text)
    })
}

/// MSBuild properties by lowercased name, in evaluation order.
#[derive(Debug, Default)]
struct Properties {
    definitions: HashMap<String, Vec<Definition>>,
}

#[derive(Debug)]
struct Definition {
    value: String,
    conditional: bool,
}

impl Properties {
    fn add(&mut self, root: &Element) {
        self.add_from(root, false);
    }

    /// `<Choose>` branches count as conditions. The XML parser bounds the recursion depth.
    fn add_from(&mut self, element: &Element, conditional: bool) {
        for child in &element.children {
            let guarded = conditional || child.attribute("Condition").is_some();
            if child.name.eq_ignore_ascii_case("PropertyGroup") {
                for property in &child.children {
                    self.definitions
                        .entry(property.name.to_ascii_lowercase())
                        .or_default()
                        .push(Definition {
                            value: property.text().to_owned(),
                            conditional: guarded || property.attribute("Condition").is_some(),
                        });
                }
            } else if is_choose(child) {
                self.add_from(child, true);
            }
        }
    }

    /// The value MSBuild would most likely see, or `None` when it depends on conditions.
    fn get(&self, name: &str) -> Option<&str> {
        let definitions = self.definitions.get(&name.to_ascii_lowercase())?;
        if let Some(last) = definitions.iter().rev().find(|d| !d.conditional) {
            return Some(&last.value);
        }
        let first = definitions.first()?;
        definitions
            .iter()
            .all(|d| d.value == first.value)
            .then_some(first.value.as_str())
    }

    /// Replaces `$(Name)`; `Err` says why the first unresolvable placeholder cannot be resolved.
    fn interpolate(&self, raw: &str) -> Result<String, String> {
        let mut budget = MAX_LOOKUPS;
        self.interpolate_at(raw, 0, &mut budget)
    }

    fn interpolate_at(&self, raw: &str, depth: usize, budget: &mut usize) -> Result<String, String> {
        let mut result = String::new();
        let mut rest = raw;
        while let Some((before, after)) = rest.split_once("$(") {
            if after.starts_with('[') {
                return Err("property functions are not evaluated".to_owned());
            }
            let Some((name, tail)) = after.split_once(')') else {
                return Err(format!("`$({after}` is not closed"));
            };
            *budget = budget.saturating_sub(1);
            let value = match self.get(name.trim()) {
                Some(value) if depth < MAX_INTERPOLATION_DEPTH && *budget > 0 => {
                    self.interpolate_at(value, depth + 1, budget)?
                }
                _ => return Err(format!("property `{name}` is not defined")),
            };
            result.push_str(before);
            result.push_str(&value);
            if result.len() > MAX_INTERPOLATED_LEN {
                return Err(format!("property `{name}` is too long"));
            }
            rest = tail;
        }
        result.push_str(rest);
        Ok(result)
    }
}

#[derive(Debug)]
enum Unresolved {
    /// Why a `$(...)` placeholder stays unresolved.
    Placeholder(String),
    Range(String),
    NoVersion,
}

#[derive(Debug, Default)]
struct Emitted {
    assets: Vec<Asset>,
    /// Lowercased `id@version` -> index in `assets`.
    index: HashMap<String, usize>,
    unresolved: Vec<(String, Unresolved)>,
}

fn read_reference(
    file: &SourceFile<'_>,
    reference: &Element,
    properties: &Properties,
    central_versions: &HashMap<String, String>,
    emitted: &mut Emitted,
    out: &mut Output,
) {
    let line = Some(reference.line);
    // `Update` and `Remove` change references made elsewhere (an SDK, a .targets file).
    let Some(include) = reference.attribute("Include") else {
        if reference.attribute("Update").is_none() && reference.attribute("Remove").is_none() {
            out.diagnostics
                .push(file.warning(line, "<PackageReference> without `Include`; skipped"));
        }
        return;
    };
    let ids = match properties.interpolate(include) {
        Ok(ids) => ids,
        Err(why) => {
            emitted
                .unresolved
                .push((include.to_owned(), Unresolved::Placeholder(why)));
            return;
        }
    };
    let dev = metadata(reference, "PrivateAssets")
        .is_some_and(|assets| assets.split(';').any(|a| a.trim().eq_ignore_ascii_case("all")));
    let scope = if dev {
        DependencyScope::Dev
    } else {
        DependencyScope::Prod
    };
    let own_version = metadata(reference, "VersionOverride").or_else(|| metadata(reference, "Version"));
    for id in ids.split(';').map(str::trim).filter(|id| !id.is_empty()) {
        let raw = own_version.or_else(|| central_versions.get(&id.to_lowercase()).map(String::as_str));
        let Some(raw) = raw else {
            emitted.unresolved.push((id.to_owned(), Unresolved::NoVersion));
            continue;
        };
        let version = match properties.interpolate(raw) {
            Ok(version) => version,
            Err(why) => {
                emitted
                    .unresolved
                    .push((id.to_owned(), Unresolved::Placeholder(why)));
                continue;
            }
        };
        let Some(version) = exact_version(&version) else {
            emitted
                .unresolved
                .push((id.to_owned(), Unresolved::Range(version)));
            continue;
        };
        let key = format!("{}@{}", id.to_lowercase(), version.to_lowercase());
        if let Some(&at) = emitted.index.get(&key) {
            // The same package under two conditions: one asset, prod if either is.
            if scope == DependencyScope::Prod
                && let Some(asset) = emitted.assets.get_mut(at)
            {
                *asset = asset.clone().with("scope", scope.as_str());
            }
            continue;
        }
        let dependency = Dependency {
            ecosystem: Ecosystem::NuGet,
            name: id.to_owned(),
            version: version.to_owned(),
            direct: Some(true),
            scope,
        };
        emitted.index.insert(key, emitted.assets.len());
        emitted.assets.push(dependency.into_asset(file.evidence(line)));
    }
}

/// The version NuGet restores for a requirement, when that does not depend on the feed: `1.2.3` (a lower
/// bound, resolved to the lowest match) and `[1.2.3]`.
fn exact_version(requirement: &str) -> Option<&str> {
    let requirement = requirement.trim();
    let version = requirement
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .map_or(requirement, str::trim);
    let plain = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    plain.then_some(version)
}

fn unresolved_reason(unresolved: &[(String, Unresolved)]) -> Option<String> {
    let count = unresolved.len();
    if count == 0 {
        return None;
    }
    let mut list: Vec<String> = unresolved
        .iter()
        .take(SHOWN_UNRESOLVED)
        .map(|(id, why)| match why {
            Unresolved::Placeholder(why) => format!("{id} ({why})"),
            Unresolved::Range(range) => format!("{id} (`{range}` is a range or a floating version)"),
            Unresolved::NoVersion => format!("{id} (no version)"),
        })
        .collect();
    if count > SHOWN_UNRESOLVED {
        list.push("…".to_owned());
    }
    let noun = if count == 1 {
        "reference has"
    } else {
        "references have"
    };
    Some(format!(
        "{count} NuGet package {noun} no version that can be resolved offline ({}), so cannot be matched \
         against advisories",
        list.join(", ")
    ))
}

//! Maven `pom.xml` (POM model 4.0.0): the project's declared `<dependencies>`, named `groupId:artifactId`
//! as in OSV.
//!
//! A POM is not a lockfile: versions come from `${property}` placeholders, the parent POM and
//! `<dependencyManagement>`. They are resolved offline and inside the repository only. Parents are followed
//! through `<relativePath>` (default `../pom.xml`, none when empty) while the file found there carries the
//! declared coordinates, up to [`MAX_PARENTS`] deep with cycle detection; properties, management and
//! built-ins (`${project.version}`, `${project.groupId}`, `${project.parent.version}`...) are merged child
//! over parent and interpolated against the child, as Maven's effective model does. BOM imports
//! (`scope=import`), parents outside the repository, undefined properties and version ranges cannot be
//! resolved offline: such a dependency yields no asset, and the file gets one `NotChecked` entry listing
//! them all.
//!
//! Only the file's own `<dependencies>` become assets (direct, evidence at the `<dependency>` line); a
//! parent's `<dependencies>` are inherited by Maven, but the parent's `pom.xml` reports them itself.
//! `<dependencyManagement>` entries and plugins are not dependencies. Scopes: `test` is dev; `optional`
//! true is optional; `compile`, `runtime`, `provided` and `system` are prod: `provided` classes are not
//! packaged but the runtime (a servlet container, an application server) supplies them in production,
//! where their vulnerabilities run; a `system` jar is a local file (`source = path`). Dependencies of
//! `<profiles>` are read with the profile's properties and management; a profile that is not active by
//! default makes them optional, since whether the build uses them depends on how it is invoked.

use std::collections::{HashMap, HashSet};

use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem, NotChecked};

use crate::extract::{ExtractError, Extractor, Output, SourceFile, join_relative, parent_dir};

#[derive(Debug)]
pub struct MavenPom;

/// Parent POMs followed inside the repository; real hierarchies are a handful deep.
const MAX_PARENTS: usize = 16;
/// `${a}` referring to `${b}`...: nesting and length caps against hostile property definitions.
const MAX_INTERPOLATION_DEPTH: usize = 16;
const MAX_INTERPOLATED_LEN: usize = 4096;
/// Property lookups per interpolated string: `${a}` = `${b}${b}...` nests exponentially otherwise.
const MAX_LOOKUPS: usize = 1024;
/// Unresolved dependencies named in the `NotChecked` entry before "…".
const SHOWN_UNRESOLVED: usize = 8;

impl Extractor for MavenPom {
    fn name(&self) -> &'static str {
        "maven/pom"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "pom.xml"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let root = xml::parse(file.text).map_err(|e| file.error(e.line, e.message))?;
        let Some(root) = root else {
            return Ok(()); // nothing but a declaration or comments
        };
        let pom = Pom::read(file.path, &root).map_err(|(line, msg)| file.error(Some(line), msg))?;
        let lineage = Lineage::load(file, pom, out);
        let base = Context::new(&lineage, None);

        let mut emitted = Emitted::default();
        let own = &lineage.own;
        for declaration in &own.dependencies {
            resolve_dependency(file, &base, declaration, None, &mut emitted, out);
        }
        let mut boms = base.boms.clone();
        for profile in &own.profiles {
            let context = Context::new(&lineage, Some(profile));
            for declaration in &profile.dependencies {
                resolve_dependency(file, &context, declaration, Some(profile), &mut emitted, out);
            }
            boms.extend(context.boms.into_iter().filter(|b| !base.boms.contains(b)));
        }
        out.assets.extend(emitted.assets);
        if let Some(why) = unresolved_reason(&emitted.unresolved, &boms, lineage.external_parent.as_deref()) {
            out.not_checked.push(NotChecked {
                what: file.path.to_owned(),
                why,
            });
        }
        Ok(())
    }
}

/// One `<dependency>` as written.
#[derive(Debug, Clone, Default)]
struct Declaration {
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    classifier: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    line: u32,
}

impl Declaration {
    fn read(element: &xml::Element) -> Self {
        let text = |name: &str| element.child_text(name).map(str::to_owned);
        Self {
            group_id: text("groupId"),
            artifact_id: text("artifactId"),
            version: text("version"),
            kind: text("type"),
            classifier: text("classifier"),
            scope: text("scope"),
            optional: text("optional"),
            line: element.line,
        }
    }
}

#[derive(Debug, Clone)]
struct ParentRef {
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    /// `None`: the default `../pom.xml`; `Some("")`: the parent is never looked up locally.
    relative_path: Option<String>,
}

impl ParentRef {
    fn coordinates(&self) -> String {
        format!(
            "{}:{}:{}",
            self.group_id.as_deref().unwrap_or("?"),
            self.artifact_id.as_deref().unwrap_or("?"),
            self.version.as_deref().unwrap_or("?")
        )
    }
}

#[derive(Debug, Default)]
struct Profile {
    active_by_default: bool,
    properties: Vec<(String, String)>,
    managed: Vec<Declaration>,
    dependencies: Vec<Declaration>,
}

/// The parts of a POM that bear on dependency versions.
#[derive(Debug)]
struct Pom {
    path: String,
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    parent: Option<ParentRef>,
    properties: Vec<(String, String)>,
    managed: Vec<Declaration>,
    dependencies: Vec<Declaration>,
    profiles: Vec<Profile>,
}

impl Pom {
    fn read(path: &str, root: &xml::Element) -> Result<Self, (u32, String)> {
        if root.name != "project" {
            return Err((
                root.line,
                format!(
                    "not a Maven POM: the root element is <{}>, not <project>",
                    root.name
                ),
            ));
        }
        let text = |name: &str| root.child_text(name).map(str::to_owned);
        let parent = root.child("parent").map(|p| ParentRef {
            group_id: p.child_text("groupId").map(str::to_owned),
            artifact_id: p.child_text("artifactId").map(str::to_owned),
            version: p.child_text("version").map(str::to_owned),
            relative_path: p.child_text("relativePath").map(str::to_owned),
        });
        let profiles = root
            .child("profiles")
            .into_iter()
            .flat_map(|p| p.children("profile"))
            .map(|p| Profile {
                active_by_default: p
                    .child("activation")
                    .and_then(|a| a.child_text("activeByDefault"))
                    == Some("true"),
                properties: properties(p),
                managed: managed(p),
                dependencies: declarations(p.child("dependencies")),
            })
            .collect();
        Ok(Self {
            path: path.to_owned(),
            group_id: text("groupId"),
            artifact_id: text("artifactId"),
            version: text("version"),
            parent,
            properties: properties(root),
            managed: managed(root),
            dependencies: declarations(root.child("dependencies")),
            profiles,
        })
    }

    /// `groupId` is inherited from the parent when the POM does not set it.
    fn effective_group_id(&self) -> Option<&str> {
        self.group_id
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.group_id.as_deref()))
    }

    fn effective_version(&self) -> Option<&str> {
        self.version
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.version.as_deref()))
    }
}

fn properties(element: &xml::Element) -> Vec<(String, String)> {
    element
        .child("properties")
        .map(|p| {
            p.children
                .iter()
                .map(|c| (c.name.clone(), c.text().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn managed(element: &xml::Element) -> Vec<Declaration> {
    declarations(
        element
            .child("dependencyManagement")
            .and_then(|m| m.child("dependencies")),
    )
}

fn declarations(list: Option<&xml::Element>) -> Vec<Declaration> {
    list.into_iter()
        .flat_map(|l| l.children("dependency"))
        .map(Declaration::read)
        .collect()
}

/// The POM and its ancestors found in the repository.
#[derive(Debug)]
struct Lineage {
    own: Pom,
    /// Parent first, then the parent's parent...
    ancestors: Vec<Pom>,
    /// The first ancestor that is not in the repository, as `groupId:artifactId:version`.
    external_parent: Option<String>,
}

impl Lineage {
    fn load(file: &SourceFile<'_>, own: Pom, out: &mut Output) -> Self {
        let mut ancestors: Vec<Pom> = Vec::new();
        let mut seen: HashSet<String> = HashSet::from([file.path.to_owned()]);
        let mut external_parent = None;
        loop {
            let child = ancestors.last().unwrap_or(&own);
            let Some(parent) = child.parent.clone() else {
                break;
            };
            if ancestors.len() >= MAX_PARENTS {
                out.diagnostics.push(file.warning(
                    None,
                    format!("more than {MAX_PARENTS} parent POMs; the rest are not read"),
                ));
                external_parent = Some(parent.coordinates());
                break;
            }
            match find_parent(file, child, &parent, out) {
                Some(found) if !seen.insert(found.path.clone()) => {
                    out.diagnostics.push(file.warning(
                        None,
                        format!(
                            "parent POMs form a cycle through {}; the cycle is not followed",
                            found.path
                        ),
                    ));
                    external_parent = Some(parent.coordinates());
                    break;
                }
                Some(found) => ancestors.push(found),
                None => {
                    external_parent = Some(parent.coordinates());
                    break;
                }
            }
        }
        Self {
            own,
            ancestors,
            external_parent,
        }
    }

    /// The furthest ancestor first, so that each POM overrides what it inherits.
    fn root_first(&self) -> impl Iterator<Item = &Pom> {
        self.ancestors.iter().rev().chain(std::iter::once(&self.own))
    }
}

/// The parent POM at the child's `relativePath`, if it is in the repository and carries the declared
/// coordinates (otherwise Maven too would fetch the parent from a repository).
fn find_parent(file: &SourceFile<'_>, child: &Pom, parent: &ParentRef, out: &mut Output) -> Option<Pom> {
    let explicit = parent.relative_path.is_some();
    let relative = match parent.relative_path.as_deref() {
        None => "../pom.xml".to_owned(),
        Some("") => return None,
        Some(path) if path.ends_with(".xml") => path.to_owned(),
        Some(directory) => format!("{}/pom.xml", directory.trim_end_matches(['/', '\\'])),
    };
    let path = join_relative(parent_dir(&child.path), &relative)?;
    let text = match file.read_related(&path) {
        Ok(Some(text)) => text,
        Ok(None) => return None,
        Err(e) => {
            out.diagnostics
                .push(file.warning(None, format!("cannot read parent POM {path}: {}", e.message)));
            return None;
        }
    };
    let mismatch = |why: String| {
        // Maven silently skips a default `../pom.xml` that is another project's (an aggregator's).
        explicit.then(|| file.warning(None, format!("parent POM {path} not used: {why}")))
    };
    let pom = match xml::parse(&text) {
        Ok(Some(root)) => match Pom::read(&path, &root) {
            Ok(pom) => pom,
            Err((_, why)) => {
                out.diagnostics.extend(mismatch(why));
                return None;
            }
        },
        Ok(None) => return None,
        Err(e) => {
            let line = e.line.map_or_else(String::new, |l| format!(" at line {l}"));
            out.diagnostics
                .push(file.warning(None, format!("parent POM {path}{line}: {}", e.message)));
            return None;
        }
    };
    let same = |declared: Option<&str>, found: Option<&str>| match (declared, found) {
        // CI-friendly versions (`${revision}`) are compared only once resolved, which needs the parent.
        (Some(d), Some(f)) if d.contains("${") || f.contains("${") => true,
        (Some(d), Some(f)) => d == f,
        _ => false,
    };
    if !same(parent.group_id.as_deref(), pom.effective_group_id())
        || !same(parent.artifact_id.as_deref(), pom.artifact_id.as_deref())
        || !same(parent.version.as_deref(), pom.effective_version())
    {
        out.diagnostics.extend(mismatch(format!(
            "it is {}:{}:{}, the parent declared is {}",
            pom.effective_group_id().unwrap_or("?"),
            pom.artifact_id.as_deref().unwrap_or("?"),
            pom.effective_version().unwrap_or("?"),
            parent.coordinates()
        )));
        return None;
    }
    Some(pom)
}

/// Properties and management in force for one set of dependencies (the POM's or one profile's).
#[derive(Debug)]
struct Context {
    properties: HashMap<String, String>,
    /// `groupId:artifactId:type:classifier` -> (version, scope), child over parent, as written.
    managed: HashMap<String, (Option<String>, Option<String>)>,
    /// Imported BOMs (`scope=import`), interpolated coordinates.
    boms: Vec<String>,
}

impl Context {
    fn new(lineage: &Lineage, profile: Option<&Profile>) -> Self {
        let mut properties = HashMap::new();
        for pom in lineage.root_first() {
            properties.extend(pom.properties.iter().cloned());
        }
        let own = &lineage.own;
        if let Some(profile) = profile {
            properties.extend(profile.properties.iter().cloned());
        }
        let parent = own.parent.as_ref();
        let builtins = [
            ("groupId", own.effective_group_id()),
            ("artifactId", own.artifact_id.as_deref()),
            ("version", own.effective_version()),
            ("parent.groupId", parent.and_then(|p| p.group_id.as_deref())),
            ("parent.artifactId", parent.and_then(|p| p.artifact_id.as_deref())),
            ("parent.version", parent.and_then(|p| p.version.as_deref())),
        ];
        for (name, value) in builtins {
            if let Some(value) = value {
                // `pom.` is Maven 2's spelling, still accepted.
                properties.insert(format!("project.{name}"), value.to_owned());
                properties.insert(format!("pom.{name}"), value.to_owned());
            }
        }
        let mut context = Self {
            properties,
            managed: HashMap::new(),
            boms: Vec::new(),
        };
        let inherited = lineage.root_first().map(|p| &p.managed);
        for list in inherited.chain(profile.map(|p| &p.managed)) {
            for declaration in list {
                context.add_managed(declaration);
            }
        }
        context
    }

    fn add_managed(&mut self, declaration: &Declaration) {
        if declaration.scope.as_deref() == Some("import") {
            let coordinates = format!(
                "{}:{}:{}",
                self.show(declaration.group_id.as_deref()),
                self.show(declaration.artifact_id.as_deref()),
                self.show(declaration.version.as_deref())
            );
            if !self.boms.contains(&coordinates) {
                self.boms.push(coordinates);
            }
            return;
        }
        if let Some(key) = self.management_key(declaration) {
            self.managed
                .insert(key, (declaration.version.clone(), declaration.scope.clone()));
        }
    }

    fn management_key(&self, declaration: &Declaration) -> Option<String> {
        let part = |value: Option<&str>, default: &str| self.interpolate(value.unwrap_or(default)).ok();
        Some(format!(
            "{}:{}:{}:{}",
            part(declaration.group_id.as_deref(), "")?,
            part(declaration.artifact_id.as_deref(), "")?,
            part(declaration.kind.as_deref(), "jar")?,
            part(declaration.classifier.as_deref(), "")?
        ))
    }

    fn show(&self, value: Option<&str>) -> String {
        value.map_or_else(
            || "?".to_owned(),
            |v| self.interpolate(v).unwrap_or_else(|_| v.to_owned()),
        )
    }

    /// Replaces `${name}` placeholders; `Err` names the first property that cannot be resolved.
    fn interpolate(&self, raw: &str) -> Result<String, String> {
        let mut budget = MAX_LOOKUPS;
        self.interpolate_at(raw, 0, &mut budget)
    }

    fn interpolate_at(&self, raw: &str, depth: usize, budget: &mut usize) -> Result<String, String> {
        let mut result = String::new();
        let mut rest = raw;
        while let Some((before, after)) = rest.split_once("${") {
            let Some((name, tail)) = after.split_once('}') else {
                break; // Maven leaves an unclosed `${` as written
            };
            *budget = budget.saturating_sub(1);
            let value = match self.properties.get(name) {
                Some(value) if depth < MAX_INTERPOLATION_DEPTH && *budget > 0 => {
                    self.interpolate_at(value, depth + 1, budget)?
                }
                _ => return Err(name.to_owned()),
            };
            result.push_str(before);
            result.push_str(&value);
            if result.len() > MAX_INTERPOLATED_LEN {
                return Err(name.to_owned());
            }
            rest = tail;
        }
        result.push_str(rest);
        Ok(result)
    }
}

/// Why one dependency has no asset.
#[derive(Debug)]
enum Unresolved {
    Property(String),
    Range(String),
    /// No version in the POM or in management inside the repository.
    Unmanaged,
}

#[derive(Debug, Default)]
struct Emitted {
    assets: Vec<Asset>,
    /// `name@version` -> index in `assets`: one asset per package and version per file.
    index: HashMap<String, usize>,
    unresolved: Vec<(String, Unresolved)>,
}

fn resolve_dependency(
    file: &SourceFile<'_>,
    context: &Context,
    declaration: &Declaration,
    profile: Option<&Profile>,
    emitted: &mut Emitted,
    out: &mut Output,
) {
    let line = Some(declaration.line);
    let (Some(group_id), Some(artifact_id)) = (&declaration.group_id, &declaration.artifact_id) else {
        out.diagnostics.push(file.warning(
            line,
            "<dependency> without a <groupId> and an <artifactId>; skipped",
        ));
        return;
    };
    let name = match (context.interpolate(group_id), context.interpolate(artifact_id)) {
        (Ok(group_id), Ok(artifact_id)) => format!("{group_id}:{artifact_id}"),
        (Err(property), _) | (_, Err(property)) => {
            let shown = format!("{group_id}:{artifact_id}");
            emitted.unresolved.push((shown, Unresolved::Property(property)));
            return;
        }
    };
    let managed = context
        .management_key(declaration)
        .and_then(|k| context.managed.get(&k));
    let Some(raw_version) = declaration
        .version
        .as_ref()
        .or_else(|| managed.and_then(|(version, _)| version.as_ref()))
    else {
        emitted.unresolved.push((name, Unresolved::Unmanaged));
        return;
    };
    let version = match context.interpolate(raw_version) {
        Ok(version) if is_range(&version) => {
            emitted.unresolved.push((name, Unresolved::Range(version)));
            return;
        }
        Ok(version) if !version.is_empty() => version,
        Ok(_) => {
            emitted.unresolved.push((name, Unresolved::Unmanaged));
            return;
        }
        Err(property) => {
            emitted.unresolved.push((name, Unresolved::Property(property)));
            return;
        }
    };

    // A declared scope wins over a managed one; `optional` is never managed (Maven's rule).
    let raw_scope = declaration
        .scope
        .as_ref()
        .or_else(|| managed.and_then(|(_, scope)| scope.as_ref()))
        .map(|s| context.interpolate(s).unwrap_or_else(|_| s.clone()));
    let optional = declaration
        .optional
        .as_deref()
        .and_then(|o| context.interpolate(o).ok())
        .is_some_and(|o| o == "true");
    let mut scope = match raw_scope.as_deref() {
        Some("test") => DependencyScope::Dev,
        _ if optional => DependencyScope::Optional,
        None | Some("compile" | "runtime" | "provided" | "system") => DependencyScope::Prod,
        Some(other) => {
            out.diagnostics.push(file.warning(
                line,
                format!("{name}: unknown scope `{other}`; its scope is recorded as unknown"),
            ));
            DependencyScope::Unknown
        }
    };
    if scope == DependencyScope::Prod && profile.is_some_and(|p| !p.active_by_default) {
        scope = DependencyScope::Optional;
    }

    let key = format!("{name}@{version}");
    if let Some(&existing) = emitted.index.get(&key) {
        // The same artifact twice (another classifier, a profile repeating it): keep the first line and
        // the scope that reaches production soonest.
        if let Some(asset) = emitted.assets.get_mut(existing)
            && rank(scope)
                < rank(DependencyScope::parse(
                    asset.attr_str("scope").unwrap_or_default(),
                ))
        {
            *asset = asset.clone().with("scope", scope.as_str());
        }
        return;
    }
    let dependency = Dependency {
        ecosystem: Ecosystem::Maven,
        name,
        version,
        direct: Some(true),
        scope,
    };
    let mut asset = dependency.into_asset(file.evidence(line));
    if raw_scope.as_deref() == Some("system") {
        asset = asset.with("source", "path");
    }
    emitted.index.insert(key, emitted.assets.len());
    emitted.assets.push(asset);
}

/// Lower reaches production sooner.
fn rank(scope: DependencyScope) -> u8 {
    match scope {
        DependencyScope::Prod => 0,
        DependencyScope::Unknown => 1,
        DependencyScope::Optional => 2,
        DependencyScope::Dev => 3,
    }
}

/// Maven version ranges: `[1.0,2.0)`, `(,1.0]`, `[1.5,)`, `[1.0]`, and unions of them.
fn is_range(version: &str) -> bool {
    version.starts_with(['[', '(']) || version.contains(',')
}

fn unresolved_reason(
    unresolved: &[(String, Unresolved)],
    boms: &[String],
    external_parent: Option<&str>,
) -> Option<String> {
    let count = unresolved.len();
    if count == 0 {
        return None;
    }
    let mut list: Vec<String> = unresolved
        .iter()
        .take(SHOWN_UNRESOLVED)
        .map(|(name, why)| match why {
            Unresolved::Property(property) => format!("{name} (property `{property}` is not defined)"),
            Unresolved::Range(range) => format!("{name} (version range `{range}`)"),
            Unresolved::Unmanaged => format!("{name} (no version)"),
        })
        .collect();
    if count > SHOWN_UNRESOLVED {
        list.push("…".to_owned());
    }
    let noun = if count == 1 {
        "dependency has"
    } else {
        "dependencies have"
    };
    let mut why = format!(
        "{count} Maven {noun} no version that can be resolved offline ({}), so cannot be matched against \
         advisories",
        list.join(", ")
    );
    let mut outside = Vec::new();
    if let Some(parent) = external_parent {
        outside.push(format!("the parent POM {parent}"));
    }
    if !boms.is_empty() {
        outside.push(format!("the imported BOMs {}", boms.join(", ")));
    }
    if !outside.is_empty() {
        why.push_str(&format!(
            "; versions and properties may come from {}, outside the repository",
            outside.join(" and ")
        ));
    }
    Some(why)
}

/// A minimal XML element tree over quick-xml's event reader, keeping the line of each start tag (serde
/// gives no positions). Also used by [`super::nuget_project`]. Entity and character references are
/// resolved to the five predefined entities and `&#...;`; DTD entities are never expanded.
pub(crate) mod xml {
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::{BytesStart, Event};
    use quick_xml::reader::Reader;
    use vigil_core::LineIndex;

    /// Deeper nesting is refused: POMs and MSBuild files are a dozen levels deep, and a bounded depth
    /// keeps the recursive drop of a hostile tree off the end of the stack.
    const MAX_DEPTH: usize = 128;

    #[derive(Debug, Default)]
    pub(crate) struct Element {
        /// The local name, without a namespace prefix.
        pub name: String,
        pub attributes: Vec<(String, String)>,
        pub children: Vec<Element>,
        /// The element's own character data, untrimmed.
        pub text: String,
        /// The 1-based line of the start tag.
        pub line: u32,
    }

    impl Element {
        pub fn child(&self, name: &str) -> Option<&Element> {
            self.children.iter().find(|c| c.name == name)
        }

        pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
            self.children.iter().filter(move |c| c.name == name)
        }

        pub fn text(&self) -> &str {
            self.text.trim()
        }

        pub fn child_text(&self, name: &str) -> Option<&str> {
            self.child(name).map(Element::text)
        }

        /// Attribute names compare ASCII-case-insensitively, as MSBuild reads them.
        pub fn attribute(&self, name: &str) -> Option<&str> {
            self.attributes
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        }
    }

    #[derive(Debug)]
    pub(crate) struct XmlError {
        pub line: Option<u32>,
        pub message: String,
    }

    /// The root element, or `None` for a document without one (empty, or only comments).
    pub(crate) fn parse(text: &str) -> Result<Option<Element>, XmlError> {
        // Visual Studio writes a byte-order mark; it is on line 1 either way.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines = LineIndex::new(text);
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = reader.read_event().map_err(|e| XmlError {
                line: Some(lines.line(usize::try_from(reader.error_position()).unwrap_or(usize::MAX))),
                message: format!("invalid XML: {e}"),
            })?;
            // Whitespace between tags is a text event, so the tag starts at the first `<` after `before`.
            let line = || {
                let at = text
                    .get(before..)
                    .and_then(|t| t.find('<'))
                    .map_or(before, |i| before + i);
                lines.line(at)
            };
            match event {
                Event::Start(tag) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError {
                            line: Some(line()),
                            message: format!("elements nested more than {MAX_DEPTH} deep"),
                        });
                    }
                    stack.push(element(&tag, line())?);
                }
                Event::Empty(tag) => {
                    let element = element(&tag, line())?;
                    attach(&mut stack, &mut root, element)?;
                }
                Event::End(_) => {
                    // quick-xml checks that end tags match, so the stack is not empty here.
                    if let Some(element) = stack.pop() {
                        attach(&mut stack, &mut root, element)?;
                    }
                }
                Event::Text(t) => push_text(&mut stack, &t.xml10_content(), text, before, &lines)?,
                Event::CData(t) => push_text(&mut stack, &t.xml10_content(), text, before, &lines)?,
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            resolve_predefined_entity(&r).map_or_else(|| format!("&{};", &*r), str::to_owned)
                        }
                    };
                    push_text(&mut stack, &resolved, text, before, &lines)?;
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if let Some(open) = stack.last() {
            return Err(XmlError {
                line: Some(open.line),
                message: format!("invalid XML: <{}> is never closed", open.name),
            });
        }
        Ok(root)
    }

    fn element(tag: &BytesStart<'_>, line: u32) -> Result<Element, XmlError> {
        let mut attributes = Vec::new();
        for attribute in tag.attributes() {
            let attribute = attribute.map_err(|e| XmlError {
                line: Some(line),
                message: format!("invalid XML attribute: {e}"),
            })?;
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_or_else(|_| attribute.value.to_string(), |v| v.into_owned());
            attributes.push((attribute.key.local_name().as_ref().to_owned(), value));
        }
        Ok(Element {
            name: tag.local_name().as_ref().to_owned(),
            attributes,
            children: Vec::new(),
            text: String::new(),
            line,
        })
    }

    fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) -> Result<(), XmlError> {
        if let Some(parent) = stack.last_mut() {
            parent.children.push(element);
        } else if root.is_some() {
            return Err(XmlError {
                line: Some(element.line),
                message: format!("invalid XML: a second root element <{}>", element.name),
            });
        } else {
            *root = Some(element);
        }
        Ok(())
    }

    /// Character data outside the root element other than whitespace means the file is not XML at all
    /// (quick-xml accepts it).
    fn push_text(
        stack: &mut [Element],
        content: &str,
        text: &str,
        at: usize,
        lines: &LineIndex,
    ) -> Result<(), XmlError> {
        if let Some(open) = stack.last_mut() {
            open.text.push_str(content);
        } else if !content.trim().is_empty() {
            let offset = text
                .get(at..)
                .and_then(|t| t.find(|c: char| !c.is_whitespace()))
                .map_or(at, |i| at + i);
            return Err(XmlError {
                line: Some(lines.line(offset)),
                message: "invalid XML: text outside the root element".to_owned(),
            });
        }
        Ok(())
    }
}

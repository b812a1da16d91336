//! Assets: the things an assessment discovers in a repository.
//!
//! Extractors (vigil-discover) create assets; the model builder groups them into components; rules and the
//! vulnerability matcher point findings at them by [`AssetId`]. An asset's id is derived from what it *is*
//! (its kind, file and name), never from a line number, so it survives unrelated edits.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;

/// Stable identifier of an asset, e.g. `dependency:npm:services/api/package-lock.json:lodash@4.17.20`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct AssetId(pub String);

impl AssetId {
    /// Builds an id from its parts, joined with `:`.
    pub fn from_parts(kind: AssetKind, parts: &[&str]) -> Self {
        let mut id = kind.as_str().to_owned();
        for part in parts {
            id.push(':');
            id.push_str(part);
        }
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of thing an asset is (DESIGN.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    Service,
    ApiEndpoint,
    Datastore,
    CloudResource,
    Identity,
    Pipeline,
    Integration,
    AiUsage,
    Dependency,
    Secret,
    DataModel,
    Team,
}

impl AssetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::ApiEndpoint => "api-endpoint",
            Self::Datastore => "datastore",
            Self::CloudResource => "cloud-resource",
            Self::Identity => "identity",
            Self::Pipeline => "pipeline",
            Self::Integration => "integration",
            Self::AiUsage => "ai-usage",
            Self::Dependency => "dependency",
            Self::Secret => "secret",
            Self::DataModel => "data-model",
            Self::Team => "team",
        }
    }
}

/// Business criticality tier of an asset, derived from data sensitivity, exposure and scope overrides.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub const ALL: [Criticality; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Classes of data an asset or flow handles, most sensitive first in [`DataClass::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DataClass {
    Secrets,
    Pci,
    Phi,
    Pii,
    Internal,
    Public,
}

impl DataClass {
    pub const ALL: [DataClass; 6] = [
        Self::Secrets,
        Self::Pci,
        Self::Phi,
        Self::Pii,
        Self::Internal,
        Self::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secrets => "secrets",
            Self::Pci => "pci",
            Self::Phi => "phi",
            Self::Pii => "pii",
            Self::Internal => "internal",
            Self::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Regulated or secret data: a breach of it has legal or direct financial consequences.
    pub fn is_sensitive(self) -> bool {
        matches!(self, Self::Secrets | Self::Pci | Self::Phi | Self::Pii)
    }
}

/// A discovered thing. `attributes` holds kind-specific facts (see DESIGN.md §7 for the dependency and
/// api-endpoint attributes); typed views such as [`crate::Dependency`] read them back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Asset {
    pub id: AssetId,
    pub kind: AssetKind,
    pub name: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub criticality: Criticality,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<DataClass>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Lines of notable attributes inside the declaration (e.g. `publicly_accessible` -> 14), so a rule can
    /// point at the exact line it objects to. In-memory only: the declaration line is in `evidence`.
    #[serde(skip)]
    pub attribute_lines: BTreeMap<String, u32>,
}

impl Asset {
    pub fn new(kind: AssetKind, id: AssetId, name: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            id,
            kind,
            name: name.into(),
            attributes: BTreeMap::new(),
            criticality: Criticality::default(),
            data_classes: Vec::new(),
            evidence: vec![evidence],
            attribute_lines: BTreeMap::new(),
        }
    }

    /// Sets an attribute, builder style.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.attributes.insert(key.to_owned(), value.into());
        self
    }

    pub fn attr_str(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).and_then(serde_json::Value::as_str)
    }

    pub fn attr_bool(&self, key: &str) -> Option<bool> {
        self.attributes.get(key).and_then(serde_json::Value::as_bool)
    }

    /// The file that declares this asset.
    pub fn path(&self) -> &str {
        self.evidence.first().map_or("", |e| e.path.as_str())
    }

    /// Evidence pointing at one attribute of the declaration, or at the declaration itself.
    pub fn evidence_for(&self, attribute: &str) -> Evidence {
        self.evidence_for_first(&[attribute])
    }

    /// Evidence pointing at the first of `attributes` whose line is known (most precise first), or at the
    /// declaration itself.
    pub fn evidence_for_first(&self, attributes: &[&str]) -> Evidence {
        let mut evidence = self.evidence.first().cloned().unwrap_or_default();
        if let Some(line) = attributes.iter().find_map(|a| self.attribute_lines.get(*a)) {
            evidence.line = Some(*line);
        }
        evidence
    }
}

/// The inventory: every asset found, sorted by id, the ownership rules that assign them to teams, and the
/// modules the source code imports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Inventory {
    pub assets: Vec<Asset>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ownership: Vec<OwnershipRule>,
    /// Modules imported by source files, one entry per language and module, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<ModuleImport>,
    /// The most active recent committers per directory (`""` is the root), from git history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub committers: Vec<PathCommitters>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PathCommitters {
    pub path: String,
    /// Most commits first.
    pub authors: Vec<Committer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Committer {
    pub name: String,
    pub email: String,
    pub commits: usize,
}

/// A module imported by the code: evidence for reachability (is the vulnerable package imported?) and for
/// SDK detection.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct ModuleImport {
    pub language: String,
    /// As written in the import (`lodash/fp`, `boto3.session`, `github.com/gin-gonic/gin`).
    pub module: String,
    /// How many files import it.
    pub files: usize,
    /// The first places it is imported (at most [`ModuleImport::MAX_EVIDENCE`]).
    pub evidence: Vec<Evidence>,
    /// Files outside test directories that import it.
    #[serde(default)]
    pub production_files: usize,
    /// The first production import under each project root (the nearest directory above the importing file
    /// that holds a dependency manifest, `""` for the repository's root), sorted by root: reachability asks
    /// whether the code beside a lockfile imports one of its packages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub production_roots: Vec<RootedImport>,
    /// Every production file that imports it, as (project root, path), sorted: where call resolution looks
    /// for vulnerable functions, so only for the languages it searches (Go, Rust). Kept in memory for the
    /// run, not written out.
    #[serde(skip)]
    #[schemars(skip)]
    pub production_paths: Vec<(String, String)>,
}

/// Where production code under one project root imports a module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct RootedImport {
    pub root: String,
    pub evidence: Evidence,
}

impl ModuleImport {
    pub const MAX_EVIDENCE: usize = 5;
}

impl Inventory {
    pub fn of_kind(&self, kind: AssetKind) -> impl Iterator<Item = &Asset> {
        self.assets.iter().filter(move |a| a.kind == kind)
    }

    /// Puts assets in id order and merges assets found twice under one id (a service declared by both a
    /// package.json and a Dockerfile): evidence is united, the first-seen attributes win.
    pub fn normalize(&mut self) {
        self.assets
            .sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.evidence.cmp(&b.evidence)));
        let mut merged: Vec<Asset> = Vec::with_capacity(self.assets.len());
        for asset in self.assets.drain(..) {
            match merged.last_mut() {
                Some(last) if last.id == asset.id => {
                    for evidence in asset.evidence {
                        if !last.evidence.contains(&evidence) {
                            last.evidence.push(evidence);
                        }
                    }
                    for (key, value) in asset.attributes {
                        last.attributes.entry(key).or_insert(value);
                    }
                    for (key, line) in asset.attribute_lines {
                        last.attribute_lines.entry(key).or_insert(line);
                    }
                }
                _ => merged.push(asset),
            }
        }
        self.assets = merged;
        self.ownership.sort_by(|a, b| a.evidence.cmp(&b.evidence));
    }

    pub fn get(&self, id: &AssetId) -> Option<&Asset> {
        self.assets
            .binary_search_by(|a| a.id.cmp(id))
            .ok()
            .map(|i| &self.assets[i])
    }
}

/// One line of a CODEOWNERS file: a gitignore-style pattern and its owners. The last matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OwnershipRule {
    pub pattern: String,
    pub owners: Vec<String>,
    pub evidence: Evidence,
}

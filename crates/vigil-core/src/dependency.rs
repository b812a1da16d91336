//! Package dependencies: the ecosystem vocabulary and a typed view over `dependency` assets.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::asset::{Asset, AssetId, AssetKind};
use crate::evidence::Evidence;

/// A package ecosystem, named as in OSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Ecosystem {
    #[serde(rename = "npm")]
    Npm,
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "crates.io")]
    CratesIo,
    #[serde(rename = "Go")]
    Go,
    #[serde(rename = "Maven")]
    Maven,
    #[serde(rename = "RubyGems")]
    RubyGems,
    #[serde(rename = "Packagist")]
    Packagist,
    #[serde(rename = "NuGet")]
    NuGet,
    #[serde(rename = "Pub")]
    Pub,
    #[serde(rename = "Hex")]
    Hex,
    #[serde(rename = "GitHub Actions")]
    GitHubActions,
    /// Swift packages, named by their repository URL (`github.com/apple/swift-nio`).
    #[serde(rename = "SwiftURL")]
    SwiftUrl,
    /// Terraform providers (`hashicorp/aws`). Not an OSV ecosystem: no advisory feed covers them.
    #[serde(rename = "Terraform")]
    Terraform,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 13] = [
        Self::Npm,
        Self::PyPI,
        Self::CratesIo,
        Self::Go,
        Self::Maven,
        Self::RubyGems,
        Self::Packagist,
        Self::NuGet,
        Self::Pub,
        Self::Hex,
        Self::GitHubActions,
        Self::SwiftUrl,
        Self::Terraform,
    ];

    /// The OSV `affected[].package.ecosystem` string.
    pub fn osv_name(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::PyPI => "PyPI",
            Self::CratesIo => "crates.io",
            Self::Go => "Go",
            Self::Maven => "Maven",
            Self::RubyGems => "RubyGems",
            Self::Packagist => "Packagist",
            Self::NuGet => "NuGet",
            Self::Pub => "Pub",
            Self::Hex => "Hex",
            Self::GitHubActions => "GitHub Actions",
            Self::SwiftUrl => "SwiftURL",
            Self::Terraform => "Terraform",
        }
    }

    /// Whether OSV publishes advisories for this ecosystem.
    pub fn has_osv_feed(self) -> bool {
        self != Self::Terraform
    }

    /// Parses an OSV ecosystem string. Suffixes such as `Maven:https://...` name a registry of the same
    /// ecosystem and are accepted.
    pub fn from_osv(s: &str) -> Option<Self> {
        let base = s.split(':').next().unwrap_or(s);
        Self::ALL.into_iter().find(|e| e.osv_name() == base)
    }

    /// The package-url type (purl-spec).
    pub fn purl_type(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::PyPI => "pypi",
            Self::CratesIo => "cargo",
            Self::Go => "golang",
            Self::Maven => "maven",
            Self::RubyGems => "gem",
            Self::Packagist => "composer",
            Self::NuGet => "nuget",
            Self::Pub => "pub",
            Self::Hex => "hex",
            Self::GitHubActions => "githubactions",
            Self::SwiftUrl => "swift",
            Self::Terraform => "generic",
        }
    }

    /// A package name in the form advisories use for lookups: PyPI names are case- and
    /// separator-insensitive (PEP 503), NuGet and Packagist names case-insensitive; the other ecosystems
    /// compare exactly.
    pub fn normalize_name(self, name: &str) -> String {
        match self {
            Self::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut last_sep = false;
                for c in name.chars() {
                    if matches!(c, '-' | '_' | '.') {
                        if !last_sep {
                            out.push('-');
                        }
                        last_sep = true;
                    } else {
                        out.push(c.to_ascii_lowercase());
                        last_sep = false;
                    }
                }
                out
            }
            // Package ids that the registry treats case-insensitively (`Newtonsoft.Json` is
            // `newtonsoft.json`; Composer names are lower case by rule, but not always in advisories).
            Self::NuGet | Self::Packagist => name.to_ascii_lowercase(),
            _ => name.to_owned(),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// Whether a dependency ships to production.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DependencyScope {
    Prod,
    Dev,
    Optional,
    #[default]
    Unknown,
}

impl DependencyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prod => "prod",
            Self::Dev => "dev",
            Self::Optional => "optional",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "prod" => Self::Prod,
            "dev" => Self::Dev,
            "optional" => Self::Optional,
            _ => Self::Unknown,
        }
    }
}

/// A resolved package pinned by a lockfile or manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    /// `None` when the format does not say whether the project asked for it directly.
    pub direct: Option<bool>,
    pub scope: DependencyScope,
}

impl Dependency {
    pub fn purl(&self) -> String {
        let name = match self.ecosystem {
            // purl-spec: the npm scope is a namespace whose `@` is percent-encoded.
            Ecosystem::Npm if self.name.starts_with('@') => format!("%40{}", &self.name[1..]),
            Ecosystem::Maven => self.name.replacen(':', "/", 1),
            Ecosystem::PyPI => Ecosystem::PyPI.normalize_name(&self.name),
            // No purl type for Terraform providers: generic, named by registry address.
            Ecosystem::Terraform => format!("registry.terraform.io/{}", self.name),
            _ => self.name.clone(),
        };
        format!("pkg:{}/{}@{}", self.ecosystem.purl_type(), name, self.version)
    }

    /// The asset for this dependency, declared at `evidence` (the manifest and line).
    pub fn into_asset(self, evidence: Evidence) -> Asset {
        let id = AssetId::from_parts(
            AssetKind::Dependency,
            &[
                self.ecosystem.osv_name(),
                &evidence.path,
                &format!("{}@{}", self.name, self.version),
            ],
        );
        let mut asset = Asset::new(AssetKind::Dependency, id, self.name.clone(), evidence.clone())
            .with("ecosystem", self.ecosystem.osv_name())
            .with("name", self.name.clone())
            .with("version", self.version.clone())
            .with("purl", self.purl())
            .with("scope", self.scope.as_str())
            .with("manifest", evidence.path);
        asset.attributes.insert(
            "direct".into(),
            self.direct
                .map_or(serde_json::Value::Null, serde_json::Value::Bool),
        );
        asset
    }

    /// Reads the typed view back from a `dependency` asset.
    pub fn from_asset(asset: &Asset) -> Option<Self> {
        if asset.kind != AssetKind::Dependency {
            return None;
        }
        Some(Self {
            ecosystem: Ecosystem::from_osv(asset.attr_str("ecosystem")?)?,
            name: asset.attr_str("name")?.to_owned(),
            version: asset.attr_str("version")?.to_owned(),
            direct: asset.attr_bool("direct"),
            scope: DependencyScope::parse(asset.attr_str("scope").unwrap_or_default()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_normalize_per_pep503() {
        assert_eq!(
            Ecosystem::PyPI.normalize_name("Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(Ecosystem::PyPI.normalize_name("a--_b"), "a-b");
        assert_eq!(Ecosystem::Npm.normalize_name("React"), "React");
        assert_eq!(
            Ecosystem::NuGet.normalize_name("Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            Ecosystem::Packagist.normalize_name("Symfony/HTTP-Kernel"),
            "symfony/http-kernel"
        );
    }

    #[test]
    fn purls_follow_the_spec() {
        let dep = |ecosystem, name: &str| Dependency {
            ecosystem,
            name: name.into(),
            version: "1.0.0".into(),
            direct: None,
            scope: DependencyScope::Prod,
        };
        assert_eq!(
            dep(Ecosystem::Npm, "@babel/core").purl(),
            "pkg:npm/%40babel/core@1.0.0"
        );
        assert_eq!(dep(Ecosystem::CratesIo, "regex").purl(), "pkg:cargo/regex@1.0.0");
        assert_eq!(dep(Ecosystem::PyPI, "PyYAML").purl(), "pkg:pypi/pyyaml@1.0.0");
    }

    #[test]
    fn dependency_round_trips_through_an_asset() {
        let dep = Dependency {
            ecosystem: Ecosystem::CratesIo,
            name: "regex".into(),
            version: "1.2.0".into(),
            direct: Some(true),
            scope: DependencyScope::Prod,
        };
        let asset = dep.clone().into_asset(Evidence::at("Cargo.lock", Some(3)));
        assert_eq!(asset.id.as_str(), "dependency:crates.io:Cargo.lock:regex@1.2.0");
        assert_eq!(Dependency::from_asset(&asset), Some(dep));
    }
}

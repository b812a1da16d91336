//! The SDK catalog (`catalog/sdks.toml`): which libraries reach which third-party services, AI providers,
//! datastores, identity providers and telemetry backends, and what data those typically receive. Loaded
//! once, embedded in the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use vigil_core::{AssetKind, DataClass, Ecosystem};

const CATALOG: &str = include_str!("../catalog/sdks.toml");

/// Categories an SDK can have; a typo in the catalog fails its tests.
pub const CATEGORIES: &[&str] = &[
    "payments",
    "messaging",
    "email",
    "sms",
    "push-notifications",
    "identity-provider",
    "auth-library",
    "analytics",
    "product-analytics",
    "marketing",
    "crm",
    "support",
    "error-monitoring",
    "apm",
    "logging",
    "metrics",
    "tracing",
    "feature-flags",
    "cloud",
    "object-storage",
    "cdn",
    "search",
    "sql-database",
    "nosql-database",
    "cache",
    "queue",
    "streaming",
    "graph-database",
    "vector-database",
    "llm",
    "ml-framework",
    "ai-framework",
    "speech",
    "vision",
    "maps",
    "ecommerce",
    "accounting",
    "hr",
    "documents",
    "video",
    "collaboration",
    "version-control",
    "ci-cd",
    "secrets-management",
    "security",
    "fraud",
    "kyc",
    "shipping",
    "scheduling",
    "social",
    "translation",
    "captcha",
    "geolocation",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub category: String,
    #[serde(default)]
    pub receives: Vec<String>,
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub imports: Vec<String>,
}

impl Sdk {
    pub fn asset_kind(&self) -> AssetKind {
        match self.kind.as_str() {
            "ai-usage" => AssetKind::AiUsage,
            "datastore" => AssetKind::Datastore,
            "identity" => AssetKind::Identity,
            // Telemetry SDKs are integrations whose category says what they observe.
            _ => AssetKind::Integration,
        }
    }

    pub fn data_classes(&self) -> Vec<DataClass> {
        let mut classes: Vec<DataClass> = self.receives.iter().filter_map(|c| DataClass::parse(c)).collect();
        classes.sort();
        classes
    }

    /// Whether an imported module is this SDK's (`@sentry/node` for `@sentry/`, `boto3.session` for `boto3`).
    pub fn matches_import(&self, module: &str) -> bool {
        self.imports.iter().any(|prefix| {
            module == prefix
                || (prefix.ends_with('/') && module.starts_with(prefix.as_str()))
                || module
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.starts_with(['/', '.', '\\', ':']))
        })
    }
}

#[derive(Debug, Deserialize)]
struct File {
    sdk: Vec<Sdk>,
}

#[derive(Debug)]
pub struct Catalog {
    pub sdks: Vec<Sdk>,
    /// (ecosystem, normalised package name) -> index into `sdks`.
    by_package: HashMap<(Ecosystem, String), usize>,
}

impl Catalog {
    pub fn get() -> &'static Catalog {
        static CATALOG_CELL: OnceLock<Catalog> = OnceLock::new();
        CATALOG_CELL.get_or_init(|| Catalog::parse(CATALOG).unwrap_or_else(|_| Catalog::empty()))
    }

    fn empty() -> Self {
        Self {
            sdks: Vec::new(),
            by_package: HashMap::new(),
        }
    }

    fn parse(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut by_package = HashMap::new();
        for (index, sdk) in file.sdk.iter().enumerate() {
            for package in &sdk.packages {
                let (ecosystem, name) = package
                    .split_once(':')
                    .ok_or_else(|| format!("{}: `{package}` has no ecosystem", sdk.id))?;
                let ecosystem = Ecosystem::from_osv(ecosystem)
                    .ok_or_else(|| format!("{}: unknown ecosystem in `{package}`", sdk.id))?;
                by_package.insert((ecosystem, ecosystem.normalize_name(name)), index);
            }
        }
        Ok(Self {
            sdks: file.sdk,
            by_package,
        })
    }

    pub fn by_package(&self, ecosystem: Ecosystem, name: &str) -> Option<&Sdk> {
        self.by_package
            .get(&(ecosystem, ecosystem.normalize_name(name)))
            .map(|i| &self.sdks[*i])
    }

    pub fn by_import(&self, module: &str) -> Option<&Sdk> {
        self.sdks.iter().find(|sdk| sdk.matches_import(module))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_is_valid() {
        let catalog = Catalog::parse(CATALOG).unwrap();
        let mut ids: Vec<&str> = catalog.sdks.iter().map(|s| s.id.as_str()).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
        for sdk in &catalog.sdks {
            assert!(
                ["integration", "ai-usage", "datastore", "identity", "telemetry"]
                    .contains(&sdk.kind.as_str()),
                "{}: kind {}",
                sdk.id,
                sdk.kind
            );
            assert!(
                CATEGORIES.contains(&sdk.category.as_str()),
                "{}: category {}",
                sdk.id,
                sdk.category
            );
            assert!(
                sdk.receives.iter().all(|c| DataClass::parse(c).is_some()),
                "{}: receives {:?}",
                sdk.id,
                sdk.receives
            );
            assert!(
                !sdk.packages.is_empty() || !sdk.imports.is_empty(),
                "{}: nothing to match",
                sdk.id
            );
        }
    }

    #[test]
    fn packages_and_imports_match() {
        let catalog = Catalog::get();
        assert_eq!(
            catalog
                .by_package(Ecosystem::Npm, "stripe")
                .map(|s| s.id.as_str()),
            Some("stripe")
        );
        assert_eq!(
            catalog
                .by_package(Ecosystem::PyPI, "Psycopg2_Binary")
                .map(|s| s.id.as_str()),
            Some("postgresql")
        );
        assert_eq!(
            catalog.by_import("@sentry/node").map(|s| s.id.as_str()),
            Some("sentry")
        );
        assert_eq!(
            catalog
                .by_import("github.com/stripe/stripe-go/v76/charge")
                .map(|s| s.id.as_str()),
            Some("stripe")
        );
        assert_eq!(catalog.by_import("pgx").map(|s| s.id.as_str()), None);
        assert!(
            catalog.by_import("stripe-mock").is_none(),
            "a prefix must end at a module boundary"
        );
    }
}

//! Advisory sources: an in-memory index built straight from OSV files (`--advisories PATH`), and the
//! on-disk database under `$VIGIL_HOME` that `vigil db import` maintains and queries read lazily.

pub mod load;
pub mod memory;
pub mod store;

use vigil_core::{AdvisorySnapshot, Ecosystem};

use crate::record::PackageAdvisory;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {message}")]
    Corrupt { path: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error("{path}: another import is running (if not, remove this lock file)")]
    Locked { path: String },
}

/// Where the matcher gets advisories from.
pub trait AdvisorySource: Sync {
    /// Advisories of one package; `name` is already normalised for the ecosystem.
    fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Result<Vec<PackageAdvisory>, DbError>;

    /// Whether the source holds any advisory for the ecosystem (if not, its packages are not checked).
    fn covers(&self, ecosystem: Ecosystem) -> bool;

    fn snapshot(&self) -> AdvisorySnapshot;
}

/// File-name slug of an ecosystem (`GitHub Actions` -> `github-actions`).
pub(crate) fn slug(ecosystem: Ecosystem) -> String {
    ecosystem.osv_name().to_ascii_lowercase().replace(' ', "-")
}

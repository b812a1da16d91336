//! One module per subcommand.

pub mod assess;
pub mod db;
pub mod design;
pub mod diff;
pub mod due;
pub mod history;
pub mod init;
pub mod inventory;
pub mod metrics;
pub mod model;
pub mod rules;
pub mod schema;
pub mod tickets;

use std::path::{Path, PathBuf};

use crate::output::Hinted;

/// `--home`, `$VIGIL_HOME`, or the platform data directory.
pub fn home(explicit: Option<&PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(home) = explicit {
        return Ok(home.clone());
    }
    dirs::data_dir().map(|d| d.join("vigil")).ok_or_else(|| {
        Hinted::error(
            "no data directory on this platform",
            "set VIGIL_HOME or pass --home DIR",
        )
    })
}

/// The advisories a run matches against: OSV files given on the command line, else the database under the
/// home directory; and the exploitation intelligence (given files replace the imported ones).
pub struct Advisories {
    memory: Option<vigil_vulns::MemoryIndex>,
    store: Option<vigil_vulns::Store>,
    pub intel: vigil_vulns::intel::IntelFiles,
}

impl Advisories {
    pub fn load(home: &Path, paths: &[PathBuf], progress: &indicatif::ProgressBar) -> anyhow::Result<Self> {
        let (osv_paths, given_intel) = split_intel(paths);
        let (memory, store) = if osv_paths.is_empty() {
            (None, vigil_vulns::Store::open(home)?)
        } else {
            progress.set_message("loading advisories");
            let memory = vigil_vulns::MemoryIndex::load(&osv_paths).map_err(|e| {
                Hinted::error(
                    format!("cannot read advisories: {e}"),
                    "pass an OSV all.zip, a directory of OSV JSON files or one JSON file",
                )
            })?;
            for skipped in memory.skipped.iter().take(5) {
                tracing::warn!("advisory skipped: {skipped}");
            }
            (Some(memory), None)
        };
        let intel = if given_intel.is_empty() {
            vigil_vulns::intel::store::files(home)
                .map_err(|e| Hinted::error(format!("{e}"), "re-import it with `vigil db import PATH`"))?
        } else {
            given_intel
        };
        Ok(Self { memory, store, intel })
    }

    pub fn source(&self) -> Option<&dyn vigil_vulns::AdvisorySource> {
        match (&self.memory, &self.store) {
            (Some(memory), _) => Some(memory),
            (None, Some(store)) => Some(store),
            (None, None) => None,
        }
    }
}

/// Splits paths given for advisories into OSV sources and recognised intelligence files (KEV, EPSS,
/// ExploitDB).
pub fn split_intel(paths: &[PathBuf]) -> (Vec<&Path>, vigil_vulns::intel::IntelFiles) {
    let mut osv = Vec::new();
    let mut intel = vigil_vulns::intel::IntelFiles::default();
    for path in paths {
        match vigil_vulns::intel::IntelKind::detect(path) {
            Some(kind) => intel.set(kind, path.clone()),
            None => osv.push(path.as_path()),
        }
    }
    (osv, intel)
}

/// The history store from `--database` / `$VIGIL_DATABASE_URL`, else `history.db` under the home directory.
pub fn open_store(cli: &crate::cli::Cli) -> anyhow::Result<vigil_store::Store> {
    let url = match &cli.database {
        Some(url) => url.clone(),
        None => vigil_store::Store::default_url(&home(cli.home.as_ref())?),
    };
    vigil_store::Store::open(&url).map_err(|error| {
        Hinted::error(
            format!("history store: {error}"),
            "pass --database sqlite://PATH or postgres://USER@HOST/DB (or set VIGIL_DATABASE_URL)",
        )
    })
}

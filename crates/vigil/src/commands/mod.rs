//! One module per subcommand.

pub mod assess;
pub mod db;
pub mod design;
pub mod init;
pub mod inventory;
pub mod model;
pub mod rules;
pub mod schema;

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

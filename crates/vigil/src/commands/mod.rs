//! One module per subcommand.

pub mod assess;
pub mod db;
pub mod init;
pub mod inventory;
pub mod rules;
pub mod schema;

use std::path::PathBuf;

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

//! Intelligence files kept under `$VIGIL_HOME/intel`: each import validates the whole file, then copies
//! it in by rename (an interrupted or failed import leaves the previous copy), and records what it holds in
//! `manifest.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{IntelError, IntelFiles, IntelKind, epss, exploitdb, kev};

const DIR: &str = "intel";

/// What one imported file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntelEntry {
    /// The file name inside the intel directory.
    pub file: String,
    /// Where it was imported from.
    pub source: String,
    pub imported_at: String,
    /// Listings, scores or exploits with a CVE.
    pub count: usize,
    /// The KEV catalog version, or the EPSS file's comment line (model version and score date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IntelManifest {
    pub entries: BTreeMap<String, IntelEntry>,
}

pub fn dir(home: &Path) -> PathBuf {
    home.join(DIR)
}

/// The manifest, empty when nothing was imported.
pub fn manifest(home: &Path) -> Result<IntelManifest, IntelError> {
    let path = dir(home).join("manifest.json");
    if !path.exists() {
        return Ok(IntelManifest::default());
    }
    let bytes = fs_err::read(&path).map_err(|e| IntelError::io(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| IntelError::invalid(&path, e.to_string()))
}

/// The imported files, for a run.
pub fn files(home: &Path) -> Result<IntelFiles, IntelError> {
    let manifest = manifest(home)?;
    let mut files = IntelFiles::default();
    for kind in IntelKind::ALL {
        if let Some(entry) = manifest.entries.get(kind.as_str()) {
            files.set(kind, dir(home).join(&entry.file));
        }
    }
    Ok(files)
}

/// Validates `source` as `kind` and makes it the current copy.
pub fn import(home: &Path, kind: IntelKind, source: &Path, now: &str) -> Result<IntelEntry, IntelError> {
    let (count, version) = match kind {
        IntelKind::Kev => kev::summary(source).map(|(version, count)| (count, Some(version)))?,
        IntelKind::Epss => epss::summary(source).map(|(comment, count)| (count, comment))?,
        IntelKind::ExploitDb => (exploitdb::summary(source)?, None),
    };
    let dir = dir(home);
    fs_err::create_dir_all(&dir).map_err(|e| IntelError::io(&dir, e))?;
    let file = match kind {
        IntelKind::Kev => "kev.json",
        IntelKind::Epss => "epss.csv",
        IntelKind::ExploitDb => "exploitdb.csv",
    };
    let target = dir.join(file);
    let staging = dir.join(format!("{file}.partial"));
    fs_err::copy(source, &staging).map_err(|e| IntelError::io(&staging, e))?;
    fs_err::rename(&staging, &target).map_err(|e| IntelError::io(&target, e))?;
    let entry = IntelEntry {
        file: file.to_owned(),
        source: source.display().to_string(),
        imported_at: now.to_owned(),
        count,
        version,
    };
    let mut manifest = manifest(home)?;
    manifest.entries.insert(kind.as_str().to_owned(), entry.clone());
    let manifest_path = dir.join("manifest.json");
    let staging = dir.join("manifest.json.partial");
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| IntelError::invalid(&manifest_path, e.to_string()))?;
    fs_err::write(&staging, text).map_err(|e| IntelError::io(&staging, e))?;
    fs_err::rename(&staging, &manifest_path).map_err(|e| IntelError::io(&manifest_path, e))?;
    Ok(entry)
}

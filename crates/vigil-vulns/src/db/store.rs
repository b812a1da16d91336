//! The on-disk advisory database under `$VIGIL_HOME/advisories`.
//!
//! Layout, per ecosystem: `<slug>.jsonl` holds one line per package (`{"name", "advisories"}`), sorted by
//! name; `<slug>.idx.json` maps each name to the byte offset and length of its line. `manifest.json` says
//! when and from what the data was imported. A query loads one ecosystem's index on first use and reads
//! only the lines of the packages asked for, so the database never has to fit in memory.
//!
//! An import writes a complete new directory beside the current one and swaps them by renaming, so an
//! interrupted or failed import leaves the current database as it was; a lock file keeps two imports from
//! interleaving.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use fs_err as fs;
use serde::{Deserialize, Serialize};
use vigil_core::{AdvisorySnapshot, Ecosystem};

use super::memory::MemoryIndex;
use super::{AdvisorySource, DbError, slug};
use crate::record::PackageAdvisory;

// 2: NuGet and Packagist package names are stored lower-cased.
const FORMAT: u32 = 2;
const DIR: &str = "advisories";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub imported_at: String,
    pub sources: Vec<String>,
    /// Distinct advisory ids per ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PackageLine {
    name: String,
    advisories: Vec<PackageAdvisory>,
}

type Index = HashMap<String, (u64, u64)>;

#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    manifest: Manifest,
    indexes: Mutex<HashMap<Ecosystem, Arc<Index>>>,
}

/// What an import did.
#[derive(Debug)]
pub struct ImportReport {
    pub manifest: Manifest,
    pub skipped: Vec<String>,
}

impl Store {
    /// The database directory under a vigil home.
    pub fn dir(home: &Path) -> PathBuf {
        home.join(DIR)
    }

    /// Opens the database; `Ok(None)` if nothing was ever imported.
    pub fn open(home: &Path) -> Result<Option<Self>, DbError> {
        recover(home)?;
        let dir = Self::dir(home);
        let manifest_path = dir.join("manifest.json");
        if !manifest_path.exists() {
            return Ok(None);
        }
        let manifest: Manifest = serde_json::from_slice(&fs::read(&manifest_path)?)
            .map_err(|e| corrupt(&manifest_path, e.to_string()))?;
        if manifest.format != FORMAT {
            return Err(corrupt(
                &manifest_path,
                format!(
                    "database format {} is not {FORMAT}: re-import the advisories",
                    manifest.format
                ),
            ));
        }
        Ok(Some(Self {
            dir,
            manifest,
            indexes: Mutex::new(HashMap::new()),
        }))
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn index(&self, ecosystem: Ecosystem) -> Result<Arc<Index>, DbError> {
        let mut indexes = self
            .indexes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(index) = indexes.get(&ecosystem) {
            return Ok(Arc::clone(index));
        }
        let path = self.dir.join(format!("{}.idx.json", slug(ecosystem)));
        let index: Index = if path.exists() {
            serde_json::from_slice(&fs::read(&path)?).map_err(|e| corrupt(&path, e.to_string()))?
        } else {
            Index::new()
        };
        let index = Arc::new(index);
        indexes.insert(ecosystem, Arc::clone(&index));
        Ok(index)
    }

    /// Every package line of one ecosystem, for merging during an import.
    fn each_package(&self, ecosystem: Ecosystem, mut f: impl FnMut(PackageLine)) -> Result<(), DbError> {
        let path = self.dir.join(format!("{}.jsonl", slug(ecosystem)));
        if !path.exists() {
            return Ok(());
        }
        let reader = std::io::BufReader::new(fs::File::open(&path)?);
        for line in reader.lines() {
            let line = line?;
            let package: PackageLine =
                serde_json::from_str(&line).map_err(|e| corrupt(&path, e.to_string()))?;
            f(package);
        }
        Ok(())
    }
}

impl AdvisorySource for Store {
    fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Result<Vec<PackageAdvisory>, DbError> {
        let index = self.index(ecosystem)?;
        let Some(&(offset, len)) = index.get(name) else {
            return Ok(Vec::new());
        };
        let path = self.dir.join(format!("{}.jsonl", slug(ecosystem)));
        let mut file = fs::File::open(&path)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(len).read_to_end(&mut bytes)?;
        let package: PackageLine =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(&path, e.to_string()))?;
        if package.name != name {
            return Err(corrupt(
                &path,
                format!("index points at `{}` for `{name}`", package.name),
            ));
        }
        Ok(package.advisories)
    }

    fn covers(&self, ecosystem: Ecosystem) -> bool {
        self.manifest
            .ecosystems
            .get(ecosystem.osv_name())
            .is_some_and(|n| *n > 0)
    }

    fn snapshot(&self) -> AdvisorySnapshot {
        AdvisorySnapshot {
            source: self.dir.display().to_string(),
            imported_at: Some(self.manifest.imported_at.clone()),
            ecosystems: self.manifest.ecosystems.clone(),
        }
    }
}

/// Imports OSV sources into the database at `home`, merged with what it already holds (newer `modified`
/// wins per advisory and package). All sources are read before anything is written; any unreadable source
/// aborts the import and leaves the current database untouched.
pub fn import(home: &Path, sources: &[&Path], now: &str) -> Result<ImportReport, DbError> {
    fs::create_dir_all(home)?;
    let _lock = Lock::acquire(home)?;
    recover(home)?;
    remove_stale_staging(home)?;

    let fresh = MemoryIndex::load(sources)?;
    let mut merged = MemoryIndex::with_source(String::new(), None);
    let mut previous_sources = Vec::new();
    if let Some(current) = Store::open(home)? {
        previous_sources = current.manifest.sources.clone();
        for ecosystem in Ecosystem::ALL {
            current.each_package(ecosystem, |package| {
                for advisory in package.advisories {
                    merged.insert(ecosystem, advisory);
                }
            })?;
        }
    }
    for (ecosystem, packages) in &fresh.packages {
        for advisory in packages.values().flatten() {
            merged.insert(*ecosystem, advisory.clone());
        }
    }

    let mut sources_list = previous_sources;
    for source in sources {
        let text = source.display().to_string();
        if !sources_list.contains(&text) {
            sources_list.push(text);
        }
    }
    let manifest = Manifest {
        format: FORMAT,
        imported_at: now.to_owned(),
        sources: sources_list,
        ecosystems: merged.counts(),
    };

    let staging = home.join(format!("{DIR}.tmp-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    if let Err(error) = write_store(&staging, &merged, &manifest) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    swap(home, &staging)?;
    Ok(ImportReport {
        manifest,
        skipped: fresh.skipped,
    })
}

fn write_store(dir: &Path, index: &MemoryIndex, manifest: &Manifest) -> Result<(), DbError> {
    for (ecosystem, packages) in &index.packages {
        let data_path = dir.join(format!("{}.jsonl", slug(*ecosystem)));
        let mut writer = BufWriter::new(fs::File::create(&data_path)?);
        let mut offsets = Index::with_capacity(packages.len());
        let mut offset = 0u64;
        for (name, advisories) in packages {
            let mut advisories = advisories.clone();
            advisories.sort_by(|a, b| a.id.cmp(&b.id));
            let line = serde_json::to_vec(&PackageLine {
                name: name.clone(),
                advisories,
            })
            .map_err(|e| corrupt(&data_path, e.to_string()))?;
            writer.write_all(&line)?;
            writer.write_all(b"\n")?;
            offsets.insert(name.clone(), (offset, line.len() as u64));
            offset += line.len() as u64 + 1;
        }
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let index_path = dir.join(format!("{}.idx.json", slug(*ecosystem)));
        let sorted: BTreeMap<_, _> = offsets.into_iter().collect();
        write_synced(
            &index_path,
            &serde_json::to_vec(&sorted).map_err(|e| corrupt(&index_path, e.to_string()))?,
        )?;
    }
    // The manifest goes last: a directory without one is never taken for a database.
    let manifest_path = dir.join("manifest.json");
    let bytes = serde_json::to_vec_pretty(manifest).map_err(|e| corrupt(&manifest_path, e.to_string()))?;
    write_synced(&manifest_path, &bytes)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), DbError> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// Replaces the current database with `staging`. Between the two renames the database lives at `.old`;
/// [`recover`] puts it back if the process dies there.
fn swap(home: &Path, staging: &Path) -> Result<(), DbError> {
    let current = Store::dir(home);
    let old = home.join(format!("{DIR}.old"));
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    if current.exists() {
        fs::rename(&current, &old)?;
    }
    fs::rename(staging, &current)?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Removes staging directories left by imports that died; only called while holding the import lock, so
/// no live import owns one.
fn remove_stale_staging(home: &Path) -> Result<(), DbError> {
    for entry in fs::read_dir(home)? {
        let entry = entry?;
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{DIR}.tmp-"))
            && entry.file_type()?.is_dir()
        {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Finishes or undoes an interrupted swap: if the new database was not moved in, the old one comes back.
fn recover(home: &Path) -> Result<(), DbError> {
    let current = Store::dir(home);
    let old = home.join(format!("{DIR}.old"));
    if old.exists() {
        if current.join("manifest.json").exists() {
            fs::remove_dir_all(&old)?;
        } else {
            if current.exists() {
                fs::remove_dir_all(&current)?;
            }
            fs::rename(&old, &current)?;
        }
    }
    Ok(())
}

fn corrupt(path: &Path, message: String) -> DbError {
    DbError::Corrupt {
        path: path.display().to_string(),
        message,
    }
}

/// An exclusive import lock: a file created with `create_new`, removed on drop.
#[derive(Debug)]
struct Lock(PathBuf);

impl Lock {
    fn acquire(home: &Path) -> Result<Self, DbError> {
        let path = home.join(format!("{DIR}.lock"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = writeln!(file, "{}", std::process::id());
                Ok(Self(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(DbError::Locked {
                path: path.display().to_string(),
            }),
            Err(e) => Err(DbError::Io(e)),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

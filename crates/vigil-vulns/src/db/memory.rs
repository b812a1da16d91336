//! An in-memory advisory index, built from OSV records. Used for `--advisories PATH` and as the merge
//! buffer of an import.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use vigil_core::{AdvisorySnapshot, Ecosystem};

use super::load::{self, LoadError};
use super::{AdvisorySource, DbError};
use crate::osv::OsvRecord;
use crate::record::{PackageAdvisory, normalize};

#[derive(Debug, Default)]
pub struct MemoryIndex {
    pub(crate) packages: HashMap<Ecosystem, BTreeMap<String, Vec<PackageAdvisory>>>,
    source: String,
    imported_at: Option<String>,
    /// Entries that could not be read, per source.
    pub skipped: Vec<String>,
}

impl MemoryIndex {
    /// Loads every source (zip, directory or JSON file); fails if any source cannot be read at all.
    pub fn load(paths: &[&Path]) -> Result<Self, LoadError> {
        let mut index = Self {
            source: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            ..Self::default()
        };
        for path in paths {
            let loaded = load::load(path)?;
            index.skipped.extend(loaded.skipped);
            for record in &loaded.records {
                index.add_record(record);
            }
        }
        Ok(index)
    }

    pub(crate) fn with_source(source: String, imported_at: Option<String>) -> Self {
        Self {
            source,
            imported_at,
            ..Self::default()
        }
    }

    pub fn add_record(&mut self, record: &OsvRecord) {
        for (ecosystem, advisory) in normalize(record) {
            self.insert(ecosystem, advisory);
        }
    }

    /// Adds an advisory, replacing an older copy of the same id for the same package.
    pub(crate) fn insert(&mut self, ecosystem: Ecosystem, advisory: PackageAdvisory) {
        let list = self
            .packages
            .entry(ecosystem)
            .or_default()
            .entry(advisory.package.clone())
            .or_default();
        match list.iter_mut().find(|a| a.id == advisory.id) {
            // RFC 3339 timestamps in UTC compare correctly as strings.
            Some(existing) if existing.modified <= advisory.modified => *existing = advisory,
            Some(_) => {}
            None => list.push(advisory),
        }
    }

    /// Distinct advisory ids per ecosystem.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.packages
            .iter()
            .map(|(ecosystem, packages)| {
                let mut ids: Vec<&str> = packages.values().flatten().map(|a| a.id.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                (ecosystem.osv_name().to_owned(), ids.len())
            })
            .collect()
    }
}

impl AdvisorySource for MemoryIndex {
    fn lookup(&self, ecosystem: Ecosystem, name: &str) -> Result<Vec<PackageAdvisory>, DbError> {
        Ok(self
            .packages
            .get(&ecosystem)
            .and_then(|p| p.get(name))
            .cloned()
            .unwrap_or_default())
    }

    fn covers(&self, ecosystem: Ecosystem) -> bool {
        self.packages.get(&ecosystem).is_some_and(|p| !p.is_empty())
    }

    fn snapshot(&self) -> AdvisorySnapshot {
        AdvisorySnapshot {
            source: self.source.clone(),
            imported_at: self.imported_at.clone(),
            ecosystems: self.counts(),
        }
    }
}

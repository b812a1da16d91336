//! Exploitation intelligence joined to advisories through their CVE aliases: CISA KEV (known exploited, with
//! ransomware use), FIRST EPSS (probability of exploitation in the next 30 days) and ExploitDB (public
//! exploits). Each source is optional; a missing source is `None` in a finding, never "not exploited".
//!
//! Only the CVEs a run needs are kept in memory: the files are streamed and filtered by the aliases of the
//! matched advisories. An advisory group (a GHSA, a PYSEC and a CVE naming one flaw) takes the worst value
//! of its members: listed in KEV if any is, the highest EPSS, every exploit.

pub mod epss;
pub mod exploitdb;
pub mod kev;
pub mod store;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use vigil_core::{Finding, KevListing};

pub use epss::EpssScore;
pub use kev::KevEntry;

#[derive(Debug, thiserror::Error)]
pub enum IntelError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl IntelError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.display().to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// The kinds of intelligence file vigil reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntelKind {
    Kev,
    Epss,
    ExploitDb,
}

impl IntelKind {
    pub const ALL: [Self; 3] = [Self::Kev, Self::Epss, Self::ExploitDb];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kev => "kev",
            Self::Epss => "epss",
            Self::ExploitDb => "exploitdb",
        }
    }

    /// Recognises an intelligence file by its first bytes (gzip or text), `None` for anything else (such as
    /// OSV advisories). Only the head of the file is read.
    pub fn detect(path: &Path) -> Option<Self> {
        if path.is_dir() {
            return None;
        }
        let mut head = Vec::with_capacity(4096);
        let file = fs_err::File::open(path).ok()?;
        file.take(4096).read_to_end(&mut head).ok()?;
        if head.starts_with(&[0x1f, 0x8b]) {
            // Gzip: the only compressed intelligence format is the EPSS CSV.
            let mut text = String::new();
            let decoder = flate2::read::GzDecoder::new(&head[..]);
            let _ = decoder.take(4096).read_to_string(&mut text);
            return epss::looks_like(&text).then_some(Self::Epss);
        }
        let text = String::from_utf8_lossy(&head);
        if text.trim_start().starts_with('{') && text.contains("\"catalogVersion\"") {
            Some(Self::Kev)
        } else if epss::looks_like(&text) {
            Some(Self::Epss)
        } else if exploitdb::looks_like(&text) {
            Some(Self::ExploitDb)
        } else {
            None
        }
    }
}

/// Where each kind of intelligence comes from in this run.
#[derive(Debug, Clone, Default)]
pub struct IntelFiles {
    pub kev: Option<PathBuf>,
    pub epss: Option<PathBuf>,
    pub exploitdb: Option<PathBuf>,
}

impl IntelFiles {
    pub fn set(&mut self, kind: IntelKind, path: PathBuf) {
        match kind {
            IntelKind::Kev => self.kev = Some(path),
            IntelKind::Epss => self.epss = Some(path),
            IntelKind::ExploitDb => self.exploitdb = Some(path),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kev.is_none() && self.epss.is_none() && self.exploitdb.is_none()
    }

    /// The files given, with their kind.
    pub fn iter(&self) -> impl Iterator<Item = (IntelKind, &Path)> {
        [
            (IntelKind::Kev, &self.kev),
            (IntelKind::Epss, &self.epss),
            (IntelKind::ExploitDb, &self.exploitdb),
        ]
        .into_iter()
        .filter_map(|(kind, path)| path.as_deref().map(|p| (kind, p)))
    }
}

/// The signals known for one group of aliases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signals {
    /// `None`: no KEV data; `Some(None)`: not listed; `Some(Some(entry))`: listed.
    pub kev: Option<Option<KevEntry>>,
    /// `None`: no EPSS data; `Some(None)`: no score for these CVEs.
    pub epss: Option<Option<EpssScore>>,
    /// `None`: no ExploitDB data; otherwise the ids of public exploits (possibly none).
    pub exploits: Option<Vec<String>>,
}

/// The intelligence for the CVEs of one run.
#[derive(Debug, Default)]
pub struct Intel {
    kev: Option<HashMap<String, KevEntry>>,
    epss: Option<HashMap<String, EpssScore>>,
    exploits: Option<HashMap<String, Vec<String>>>,
}

impl Intel {
    /// Reads what `files` hold for the `wanted` CVEs.
    pub fn load(files: &IntelFiles, wanted: &HashSet<String>) -> Result<Self, IntelError> {
        Ok(Self {
            kev: files.kev.as_deref().map(|p| kev::read(p, wanted)).transpose()?,
            epss: files.epss.as_deref().map(|p| epss::read(p, wanted)).transpose()?,
            exploits: files
                .exploitdb
                .as_deref()
                .map(|p| exploitdb::read(p, wanted))
                .transpose()?,
        })
    }

    /// The worst value over the CVEs among `aliases`.
    pub fn signals<'a>(&self, aliases: impl IntoIterator<Item = &'a String>) -> Signals {
        let cves: Vec<&String> = aliases.into_iter().filter(|a| is_cve(a)).collect();
        let kev = self.kev.as_ref().map(|kev| {
            cves.iter()
                .filter_map(|cve| kev.get(*cve))
                .min_by(|a, b| a.date_added.cmp(&b.date_added))
                .cloned()
        });
        let epss = self.epss.as_ref().map(|epss| {
            cves.iter()
                .filter_map(|cve| epss.get(*cve))
                .max_by(|a, b| a.probability.total_cmp(&b.probability))
                .copied()
        });
        let exploits = self.exploits.as_ref().map(|exploits| {
            let ids: BTreeSet<&String> = cves
                .iter()
                .filter_map(|cve| exploits.get(*cve))
                .flatten()
                .collect();
            ids.into_iter().cloned().collect()
        });
        Signals { kev, epss, exploits }
    }
}

/// The CVE aliases of every vulnerability finding: what to read from the intelligence files.
pub fn wanted_cves(findings: &[Finding]) -> HashSet<String> {
    findings
        .iter()
        .filter(|f| f.vulnerability.is_some())
        .flat_map(|f| f.advisory_ids.iter())
        .filter(|id| is_cve(id))
        .cloned()
        .collect()
}

/// Fills each vulnerability finding's KEV, EPSS and exploit fields from `intel`, over all its aliases.
pub fn enrich(findings: &mut [Finding], intel: &Intel) {
    for finding in findings {
        let signals = intel.signals(&finding.advisory_ids);
        let Some(details) = finding.vulnerability.as_mut() else {
            continue;
        };
        if let Some(kev) = signals.kev {
            details.kev = Some(kev.is_some());
            details.kev_listing = kev.map(|entry| KevListing {
                cve: entry.cve,
                date_added: entry.date_added,
                due_date: entry.due_date,
                ransomware: entry.ransomware,
            });
        }
        if let Some(Some(score)) = signals.epss {
            details.epss = Some(score.probability);
            details.epss_percentile = Some(score.percentile);
        }
        details.exploits = signals.exploits;
    }
}

pub(crate) fn is_cve(id: &str) -> bool {
    id.starts_with("CVE-")
}

//! `vigil db update`: fetches advisories and exploitation data from their public sources into
//! `$VIGIL_HOME`, through the same validation and atomic swap as `vigil db import`.
//!
//! Per OSV ecosystem: when the database already holds it, the ecosystem's `modified_id.csv`
//! (`<modified>,<id>`, newest first) lists what changed since the last update and only those records are
//! fetched; a first update, or one with more changes than [`INCREMENTAL_LIMIT`], takes `all.zip`. Then KEV,
//! EPSS and ExploitDB, each replaced whole. Downloads are resumable ([`fetch`]); every file is read
//! completely before anything is swapped in, so an interrupted, truncated or corrupt download leaves the
//! current database as it was.

pub mod fetch;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_core::Ecosystem;

use crate::db::store::{self, Store};
use crate::db::{AdvisorySource, DbError};
use crate::intel::{self, IntelError, IntelKind};

pub use fetch::Fetcher;

/// Above this many changed records, one `all.zip` is cheaper than one request per record.
pub const INCREMENTAL_LIMIT: usize = 500;

/// `modified_id.csv` of the largest ecosystem is a few MB.
const LISTING_CAP: u64 = 64 << 20;

pub const DEFAULT_OSV_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";
pub const DEFAULT_KEV_URL: &str =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
pub const DEFAULT_EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
pub const DEFAULT_EXPLOITDB_URL: &str =
    "https://gitlab.com/exploit-database/exploitdb/-/raw/main/files_exploits.csv";

/// Where the data comes from. Every URL can be changed (a mirror, an air-gapped proxy, a test server).
#[derive(Debug, Clone)]
pub struct Sources {
    /// The OSV export: `<osv>/<ecosystem>/all.zip`, `modified_id.csv` and `<id>.json`.
    pub osv: String,
    pub ecosystems: Vec<Ecosystem>,
    /// `None` skips a source.
    pub kev: Option<String>,
    pub epss: Option<String>,
    pub exploitdb: Option<String>,
}

impl Default for Sources {
    fn default() -> Self {
        Self {
            osv: DEFAULT_OSV_URL.into(),
            ecosystems: Ecosystem::ALL.into_iter().filter(|e| e.has_osv_feed()).collect(),
            kev: Some(
                "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json".into(),
            ),
            epss: Some("https://epss.empiricalsecurity.com/epss_scores-current.csv.gz".into()),
            exploitdb: Some(
                "https://gitlab.com/exploit-database/exploitdb/-/raw/main/files_exploits.csv".into(),
            ),
        }
    }
}

/// Progress of the downloads, for a progress bar.
pub trait Progress: Sync {
    fn begin(&self, what: &str, total: Option<u64>);
    fn advance(&self, bytes: u64);
    fn end(&self);
}

/// No progress display.
#[derive(Debug)]
pub struct Quiet;

impl Progress for Quiet {
    fn begin(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
    fn end(&self) {}
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{url}: {message}")]
    Transfer { url: String, message: String },
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Intel(#[from] IntelError),
}

impl UpdateError {
    pub(crate) fn http(url: &str, error: ureq::Error) -> Self {
        Self::Transfer {
            url: url.to_owned(),
            message: error.to_string(),
        }
    }

    pub(crate) fn status(url: &str, status: u16) -> Self {
        Self::Status {
            url: url.to_owned(),
            status,
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What an update did, one line per source.
#[derive(Debug, Default)]
pub struct UpdateReport {
    pub lines: Vec<String>,
    /// Entries of the downloaded archives that were skipped, and why.
    pub skipped: Vec<String>,
}

/// Updates the database under `home` from `sources`; `now` is RFC 3339.
pub fn update(
    home: &Path,
    sources: &Sources,
    now: &str,
    fetcher: &Fetcher,
    progress: &dyn Progress,
) -> Result<UpdateReport, UpdateError> {
    let downloads = home.join("downloads");
    fs_err::create_dir_all(&downloads).map_err(|e| UpdateError::io(&downloads, e))?;
    let mut report = UpdateReport::default();

    let current = Store::open(home)?;
    // A day of overlap: the export can lag behind the records' `modified` times, and fetching a record
    // twice is harmless (the newer `modified` wins in the merge).
    let since = current
        .as_ref()
        .and_then(|s| OffsetDateTime::parse(&s.manifest().imported_at, &Rfc3339).ok())
        .map(|t| t - time::Duration::days(1));
    let mut osv_files: Vec<PathBuf> = Vec::new();
    for &ecosystem in &sources.ecosystems {
        let name = ecosystem.osv_name();
        let base = format!(
            "{}/{}",
            sources.osv.trim_end_matches('/'),
            name.replace(' ', "%20")
        );
        let held = current.as_ref().is_some_and(|s| s.covers(ecosystem));
        let changed = match (held, since) {
            (true, Some(since)) => changed_since(fetcher, &format!("{base}/modified_id.csv"), since)?,
            _ => None,
        };
        let slug = crate::db::slug(ecosystem);
        match changed {
            Some(ids) if ids.len() <= INCREMENTAL_LIMIT => {
                let dir = downloads.join(format!("{slug}-changes"));
                fs_err::create_dir_all(&dir).map_err(|e| UpdateError::io(&dir, e))?;
                for id in &ids {
                    let target = dir.join(format!("{}.json", safe_file_name(id)));
                    if !target.exists() {
                        fetcher.file(&format!("{base}/{id}.json"), &target, progress)?;
                    }
                }
                report
                    .lines
                    .push(format!("{name}: {} changed advisories", ids.len()));
                osv_files.push(dir);
            }
            _ => {
                let target = downloads.join(format!("{slug}-all.zip"));
                fetcher.file(&format!("{base}/all.zip"), &target, progress)?;
                report.lines.push(format!("{name}: all advisories"));
                osv_files.push(target);
            }
        }
    }
    if !osv_files.is_empty() {
        let paths: Vec<&Path> = osv_files.iter().map(PathBuf::as_path).collect();
        let imported = store::import(home, &paths, now)?;
        report.skipped.extend(imported.skipped);
        for path in &osv_files {
            remove_download(path);
        }
    }

    for (kind, url) in [
        (IntelKind::Kev, &sources.kev),
        (IntelKind::Epss, &sources.epss),
        (IntelKind::ExploitDb, &sources.exploitdb),
    ] {
        let Some(url) = url else {
            continue;
        };
        let file_name = url
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or(kind.as_str());
        let target = downloads.join(format!("{}-{}", kind.as_str(), safe_file_name(file_name)));
        fetcher.file(url, &target, progress)?;
        let entry = intel::store::import(home, kind, &target, now)?;
        report
            .lines
            .push(format!("{}: {} entries", kind.as_str(), entry.count));
        remove_download(&target);
    }
    Ok(report)
}

/// The ids modified after `since`, from a `modified_id.csv` listing; `None` when the listing is missing
/// (a mirror without it): the caller fetches everything.
fn changed_since(
    fetcher: &Fetcher,
    url: &str,
    since: OffsetDateTime,
) -> Result<Option<Vec<String>>, UpdateError> {
    let Some(listing) = fetcher.text(url, LISTING_CAP)? else {
        return Ok(None);
    };
    let mut ids = Vec::new();
    for line in listing.lines() {
        let Some((modified, id)) = line.trim().split_once(',') else {
            continue;
        };
        let Ok(modified) = OffsetDateTime::parse(modified.trim(), &Rfc3339) else {
            continue; // a header, or a line this reader does not know
        };
        if modified <= since {
            // Newest first: the rest is older.
            break;
        }
        let id = id.trim();
        if !id.is_empty() {
            ids.push(id.to_owned());
        }
    }
    Ok(Some(ids))
}

/// An id or a URL's last segment as a file name: no separators, no `..`.
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned()
}

fn remove_download(path: &Path) {
    let _ = if path.is_dir() {
        fs_err::remove_dir_all(path)
    } else {
        fs_err::remove_file(path)
    };
}

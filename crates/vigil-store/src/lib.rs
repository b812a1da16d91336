//! vigil-store: the history of assessments, in SQLite (embedded, the default) or PostgreSQL, through one
//! interface.
//!
//! Assessments are immutable records: the full document (gzip-compressed JSON) plus the columns the history
//! and metrics read. Findings are keyed by fingerprint within a scope and carry their lifecycle
//! ([`lifecycle`]); every state change is logged. Each save is one transaction, so a process killed while
//! saving leaves the store as it was before that save. Nothing is ever deleted.
//!
//! The API is synchronous (the CLI is); sqlx's `Any` driver runs one code path on both backends, on a
//! single-threaded runtime owned by the store.

pub mod due;
pub mod lifecycle;
pub mod metrics;
mod migrations;
mod queries;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;
pub mod tickets;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{ConnectOptions, Executor};
use time::Date;
use vigil_core::Assessment;

pub use due::{Due, Trigger};
pub use lifecycle::{Record, State};
pub use metrics::Metrics;
pub use queries::{AssessmentRow, Event, SaveOptions, Saved, scope_name};
pub use tickets::TicketLink;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("cannot create the directory for {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("the database is busy (another vigil is saving); try again: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("assessment {0} is not in the store")]
    NotFound(i64),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("cannot start the database runtime: {0}")]
    Runtime(std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        let text = error.to_string();
        // SQLite reports lock contention that outlasted busy_timeout as "database is locked" (SQLITE_BUSY).
        if text.contains("database is locked") || text.contains("database is busy") {
            Self::Busy(text)
        } else {
            Self::Database(text)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How long a save waits for another process's save to finish before reporting "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Store {
    pool: AnyPool,
    backend: Backend,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `url` and brings its schema up to date.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(StoreError::Runtime)?;
        let pool = runtime.block_on(async {
            let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
            let pool = AnyPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(BUSY_TIMEOUT)
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            // WAL keeps readers off the writer's back and survives a killed process; the
                            // busy timeout makes a second writer wait instead of failing at once.
                            conn.execute(sqlx::AssertSqlSafe(format!(
                                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                                BUSY_TIMEOUT.as_millis()
                            )))
                            .await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?;
            Ok::<_, sqlx::Error>(pool)
        })?;
        let store = Self {
            pool,
            backend,
            runtime,
        };
        store.runtime.block_on(migrations::run(&store.pool, backend))?;
        Ok(store)
    }

    /// The default store: `history.db` under vigil's home directory.
    pub fn default_url(home: &Path) -> String {
        format!("sqlite://{}", home.join("history.db").display())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Saves an assessment and moves the scope's findings through their lifecycle, in one transaction.
    pub fn save(&self, assessment: &Assessment, options: &SaveOptions) -> Result<Saved, StoreError> {
        self.runtime
            .block_on(queries::save(&self.pool, self.backend, assessment, options))
    }

    /// When each finding's SLA clock started, by display id: its first sighting or its reopening in the
    /// history, else the assessment's own date.
    pub fn sla_starts(
        &self,
        assessment: &Assessment,
    ) -> Result<std::collections::HashMap<String, Date>, StoreError> {
        self.runtime.block_on(queries::sla_starts(&self.pool, assessment))
    }

    /// Saved assessments, newest first, optionally of one scope.
    pub fn history(&self, scope: Option<&str>, limit: u32) -> Result<Vec<AssessmentRow>, StoreError> {
        self.runtime.block_on(queries::history(&self.pool, scope, limit))
    }

    /// One saved assessment: its row and its document.
    pub fn show(&self, id: i64) -> Result<(AssessmentRow, Assessment), StoreError> {
        self.runtime.block_on(queries::show(&self.pool, id))
    }

    /// The lifecycle record of every finding of a scope.
    pub fn findings(&self, scope: &str) -> Result<Vec<Record>, StoreError> {
        self.runtime.block_on(queries::records(&self.pool, scope))
    }

    /// The state changes of a scope's findings, oldest first.
    pub fn events(&self, scope: &str) -> Result<Vec<Event>, StoreError> {
        self.runtime.block_on(queries::events(&self.pool, scope))
    }

    /// The tickets a tracker holds for a scope's actions.
    pub fn ticket_links(&self, tracker: &str, scope: &str) -> Result<Vec<TicketLink>, StoreError> {
        self.runtime.block_on(tickets::links(&self.pool, tracker, scope))
    }

    /// Saves one action's ticket as soon as a sync knows it.
    pub fn save_ticket_link(
        &self,
        tracker: &str,
        scope: &str,
        link: &TicketLink,
        on: Date,
    ) -> Result<(), StoreError> {
        self.runtime
            .block_on(tickets::save(&self.pool, tracker, scope, link, on))
    }

    /// Records a reason to reassess a scope (a material change found by `vigil diff`).
    pub fn record_trigger(&self, trigger: &Trigger) -> Result<(), StoreError> {
        self.runtime.block_on(due::record(&self.pool, trigger))
    }

    /// Every scope's cadence state and open triggers on `as_of`.
    pub fn due(&self, as_of: Date) -> Result<Vec<Due>, StoreError> {
        self.runtime.block_on(due::due(&self.pool, as_of))
    }

    /// Program metrics over every scope, for findings fixed or first seen from `since` to `as_of`.
    pub fn metrics(&self, since: Option<Date>, as_of: Date) -> Result<Metrics, StoreError> {
        self.runtime.block_on(metrics::compute(&self.pool, since, as_of))
    }
}

/// `sqlite://PATH` (or `sqlite:PATH`) with the parent directory created and `mode=rwc`, so a first run
/// creates the file.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    }
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

//! vigil-vulns: the vulnerability stage. Reads OSV advisories (an `all.zip`, a directory or JSON files)
//! into an in-memory index or the on-disk database, orders versions per ecosystem, evaluates OSV ranges
//! exactly, and turns affected dependencies into findings with the version that fixes them.

pub mod calls;
pub mod db;
pub mod intel;
pub mod matcher;
pub mod osv;
pub mod range;
pub mod reachability;
pub mod record;
pub mod update;
pub mod version;

pub use db::memory::MemoryIndex;
pub use db::store::{Store, import};
pub use db::{AdvisorySource, DbError};
pub use matcher::{VulnOutput, run};

//! vigil-risk: the risk and roadmap stages. [`score`] explains every finding's Likelihood, Impact and
//! Detectability with factors and evidence; [`plan`] groups findings into ranked actions with owners, due
//! dates from the SLA policy, runbooks and compliance references.

mod cvss_vector;
pub mod decisions;
pub mod owners;
pub mod plan;
pub mod policy;
pub mod score;
mod telemetry;
pub mod triage;

pub use plan::plan;
pub use score::score;

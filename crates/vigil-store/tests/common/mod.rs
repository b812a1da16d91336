//! The backends every store test runs on, and synthetic assessments.

#![allow(dead_code, clippy::unwrap_used)]

use time::Date;
use vigil_core::{
    AdvisorySnapshot, Assessment, Coverage, Finding, Inventory, Roadmap, Scope, Summary, SystemModel, Target,
    Tool,
};
pub use vigil_store::testing::backends;

pub fn assessment(
    scope: &str,
    as_of: Date,
    dependencies_checked: bool,
    findings: Vec<Finding>,
) -> Assessment {
    Assessment {
        schema_version: vigil_core::SCHEMA_VERSION.into(),
        tool: Tool {
            name: "vigil".into(),
            version: "test".into(),
        },
        target: Target {
            path: format!("repos/{scope}"),
            commit: None,
        },
        generated_at: format!("{}T12:00:00Z", vigil_core::date::format(as_of)),
        as_of,
        scope: Scope {
            name: Some(scope.into()),
            ..Scope::default()
        },
        advisory_db: dependencies_checked.then(AdvisorySnapshot::default),
        summary: Summary::default(),
        inventory: Inventory::default(),
        model: SystemModel::default(),
        findings,
        advisory_warnings: vec![],
        roadmap: Roadmap::default(),
        coverage: Coverage::default(),
        diagnostics: vec![],
    }
}

//! vigil-core: the data model every stage shares, the scope configuration, fingerprints and the Assessment
//! JSON Schema. No I/O happens here.

pub mod assessment;
pub mod asset;
pub mod compliance;
pub mod config;
pub mod date;
pub mod dependency;
pub mod diagnostic;
pub mod evidence;
pub mod finding;
pub mod fingerprint;
pub mod model;
pub mod roadmap;
pub mod schema;
pub mod score;
pub mod secret_names;
pub mod text;

pub use assessment::{
    AdvisorySnapshot, Assessment, Coverage, NotChecked, SCHEMA_VERSION, Summary, Target, Tool,
};
pub use asset::{
    Asset, AssetId, AssetKind, Committer, Criticality, DataClass, Inventory, ModuleImport, OwnershipRule,
    PathCommitters, RootedImport,
};
pub use compliance::Requirement;
pub use config::{Objective, Scope};
pub use dependency::{Dependency, DependencyScope, Ecosystem};
pub use diagnostic::{Diagnostic, Level};
pub use evidence::Evidence;
pub use finding::{
    AdvisoryWarning, Decision, Finding, FindingKind, Guidance, KevListing, Reachability, RiskHints,
    SeverityVector, Status, Stride, VulnerabilityDetails,
};
pub use fingerprint::fingerprint;
pub use model::{
    Boundary, BoundaryKind, Capability, CapabilityKind, Component, ComponentKind, Control, ControlSource,
    Flow, SystemModel,
};
pub use roadmap::{Action, ActionKind, Owner, OwnerSource, Roadmap, Runbook, Upgrade};
pub use score::{
    Band, Confidence, Cvss, DecisionInput, Dimension, FACTOR_NAMES, Factor, PolicyDecision, Score,
};
pub use text::LineIndex;

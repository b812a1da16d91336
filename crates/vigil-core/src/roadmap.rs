//! The roadmap: remediation actions, each resolving a set of findings, ranked by the risk it removes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::dependency::Ecosystem;
use crate::evidence::Evidence;
use crate::score::Band;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// Upgrade a package to a fixed version.
    Upgrade,
    /// No fixed version exists: replace the package or mitigate around it.
    Replace,
    /// Change an infrastructure-as-code resource.
    IacFix,
    /// Change a CI/CD pipeline.
    PipelineFix,
    /// Remove a secret from code and rotate it.
    RotateSecret,
    /// Add a control for a threat across components.
    Control,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerSource {
    Codeowners,
    Git,
    Scope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Owner {
    pub name: String,
    pub source: OwnerSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Runbook {
    pub steps: Vec<String>,
    pub verify: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// What an upgrade action changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Upgrade {
    pub ecosystem: Ecosystem,
    pub package: String,
    pub manifest: String,
    pub installed: Vec<String>,
    /// Smallest version that fixes every advisory of every installed version; `None`: no fix exists.
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// Stable across runs (derived from what the action changes).
    pub id: String,
    pub title: String,
    pub kind: ActionKind,
    /// Ids of the findings this action resolves.
    pub findings: Vec<String>,
    pub band: Band,
    /// Sum of the RPNs of the findings resolved: the risk removed.
    pub risk_removed: u32,
    pub owner: Option<Owner>,
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub due: Date,
    pub sla_days: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<Upgrade>,
    pub runbook: Runbook,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Roadmap {
    pub actions: Vec<Action>,
}

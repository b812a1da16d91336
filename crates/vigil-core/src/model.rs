//! The system model: components, data flows and trust boundaries, built by vigil-model from the inventory.
//!
//! Every element carries evidence or says it is assumed, so a reader can tell what the code showed from what
//! vigil inferred.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::asset::{AssetId, DataClass};
use crate::evidence::Evidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// Code that runs: a service, a function, a CI job.
    Process,
    /// Something that keeps data: a database, a bucket, a queue.
    Datastore,
    /// Something outside the system's control: the Internet, a SaaS, a CI provider.
    ExternalEntity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub kind: ComponentKind,
    /// Assets this component stands for.
    #[serde(default)]
    pub assets: Vec<AssetId>,
    /// The innermost trust boundary the component sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    /// Reachable from the Internet without going through another component.
    #[serde(default)]
    pub internet_facing: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<DataClass>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// True when the component was inferred rather than seen (e.g. "the Internet").
    #[serde(default)]
    pub assumed: bool,
    /// Controls recorded for it in the threat model file (`waf`, `rate-limiting`, `audit-logging`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    /// Why it is out of the assessment's scope, when the threat model file says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Flow {
    pub id: String,
    pub source: String,
    pub target: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// `None` when the code does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<DataClass>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BoundaryKind {
    Internet,
    CloudAccount,
    Network,
    Cluster,
    ThirdParty,
    Ci,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Boundary {
    pub id: String,
    pub name: String,
    pub kind: BoundaryKind,
    #[serde(default)]
    pub components: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub assumed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SystemModel {
    pub components: Vec<Component>,
    pub flows: Vec<Flow>,
    pub boundaries: Vec<Boundary>,
}

impl SystemModel {
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }
}

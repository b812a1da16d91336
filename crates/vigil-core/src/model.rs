//! The system model: components, data flows and trust boundaries, built by vigil-model from the inventory.
//!
//! Every element carries evidence or says it is assumed, so a reader can tell what the code showed from what
//! vigil inferred.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::asset::{AssetId, DataClass};
use crate::evidence::Evidence;

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// Code that runs: a service, a function, a CI job.
    #[default]
    Process,
    /// Something that keeps data: a database, a bucket, a queue.
    Datastore,
    /// Something outside the system's control: the Internet, a SaaS, a CI provider.
    ExternalEntity,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// What it does that threats depend on (accepts uploads, parses XML, calls an LLM...), as seen in its
    /// code or planned in a design document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
    /// Controls found in its code or infrastructure, or recorded in the threat model file (`waf`,
    /// `rate-limiting`, `audit-logging`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Why it is out of the assessment's scope, when the threat model file says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
}

impl Component {
    pub fn capability(&self, kind: CapabilityKind) -> Option<&Capability> {
        self.capabilities.iter().find(|c| c.kind == kind)
    }

    /// The first of `names` among the component's controls.
    pub fn control(&self, names: &[&str]) -> Option<&Control> {
        self.controls.iter().find(|c| names.contains(&c.name.as_str()))
    }

    /// Adds a capability, or the evidence to the one already there.
    pub fn add_capability(&mut self, kind: CapabilityKind, evidence: Evidence) {
        match self.capabilities.iter_mut().find(|c| c.kind == kind) {
            Some(existing) if existing.evidence.len() < MAX_EVIDENCE => existing.evidence.push(evidence),
            Some(_) => {}
            None => self.capabilities.push(Capability {
                kind,
                evidence: vec![evidence],
            }),
        }
    }

    /// Adds a control, or the evidence to the one already there.
    pub fn add_control(&mut self, name: &str, source: ControlSource, evidence: Evidence) {
        match self.controls.iter_mut().find(|c| c.name == name) {
            Some(existing) if existing.evidence.len() < MAX_EVIDENCE => existing.evidence.push(evidence),
            Some(_) => {}
            None => self.controls.push(Control {
                name: name.to_owned(),
                source,
                evidence: vec![evidence],
            }),
        }
    }
}

/// Evidence kept per capability or control: enough to check it, not every import.
const MAX_EVIDENCE: usize = 3;

/// Something a component does that makes a class of threat relevant to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CapabilityKind {
    AcceptsUploads,
    ParsesXml,
    /// Deserializes with a format that can instantiate arbitrary types (pickle, Java serialization...).
    Deserializes,
    /// Makes outbound HTTP requests.
    FetchesUrls,
    QueriesSql,
    QueriesNosql,
    QueriesLdap,
    QueriesSearch,
    ExecutesCommands,
    RendersTemplates,
    CallsLlm,
    /// Lets a model call tools or act (agents, function calling frameworks, MCP).
    LlmToolUse,
    /// Loads model files (pickled weights, Hugging Face downloads).
    LoadsModels,
    UsesVectorStore,
    /// Logs users in: passwords, sessions, identity providers.
    Authenticates,
    /// Signs or verifies tokens (JWT).
    IssuesTokens,
    /// Keeps sessions in cookies, which browsers send on cross-site requests.
    CookieSessions,
    ProcessesPayments,
    ReceivesWebhooks,
    SendsEmail,
}

impl CapabilityKind {
    pub const ALL: [CapabilityKind; 20] = {
        use CapabilityKind::*;
        [
            AcceptsUploads,
            ParsesXml,
            Deserializes,
            FetchesUrls,
            QueriesSql,
            QueriesNosql,
            QueriesLdap,
            QueriesSearch,
            ExecutesCommands,
            RendersTemplates,
            CallsLlm,
            LlmToolUse,
            LoadsModels,
            UsesVectorStore,
            Authenticates,
            IssuesTokens,
            CookieSessions,
            ProcessesPayments,
            ReceivesWebhooks,
            SendsEmail,
        ]
    };

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AcceptsUploads => "accepts-uploads",
            Self::ParsesXml => "parses-xml",
            Self::Deserializes => "deserializes",
            Self::FetchesUrls => "fetches-urls",
            Self::QueriesSql => "queries-sql",
            Self::QueriesNosql => "queries-nosql",
            Self::QueriesLdap => "queries-ldap",
            Self::QueriesSearch => "queries-search",
            Self::ExecutesCommands => "executes-commands",
            Self::RendersTemplates => "renders-templates",
            Self::CallsLlm => "calls-llm",
            Self::LlmToolUse => "llm-tool-use",
            Self::LoadsModels => "loads-models",
            Self::UsesVectorStore => "uses-vector-store",
            Self::Authenticates => "authenticates",
            Self::IssuesTokens => "issues-tokens",
            Self::CookieSessions => "cookie-sessions",
            Self::ProcessesPayments => "processes-payments",
            Self::ReceivesWebhooks => "receives-webhooks",
            Self::SendsEmail => "sends-email",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Capability {
    pub kind: CapabilityKind,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// Where a control comes from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ControlSource {
    /// Found in the code or the infrastructure (a rate-limiting middleware, a WAF association).
    #[default]
    Detected,
    /// Recorded by people in the threat model file.
    Declared,
}

/// A security control on a component, with what shows it is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Control {
    /// Kebab-case, from a shared vocabulary (`rate-limiting`, `waf`, `audit-logging`, `input-validation`...);
    /// rules name the controls that mitigate them.
    pub name: String,
    #[serde(default)]
    pub source: ControlSource,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
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

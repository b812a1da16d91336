//! vigil-diff: the threat delta between two assessments of one system.
//!
//! [`diff`] compares an older and a newer [`Assessment`] and says what changed that matters for security
//! review: *material changes* (a new endpoint, an endpoint that lost its authentication, a new datastore,
//! sensitive data on a flow that did not carry it, a new third party or AI integration, a resource that
//! became public, a newly added vulnerable dependency, a new flow across a trust boundary), the findings
//! that are new and fixed, and how the risk moved. Everything is matched on identities that survive moving
//! files, renaming variables and shifting lines (see [`identity`]), so a pure refactor is no change at all.
//!
//! [`render`] writes the delta for a pull-request comment or a terminal; [`revision`] exports a git
//! revision from the object database so it can be assessed without touching the working tree.

mod changes;
mod findings;
mod identity;
pub mod render;
pub mod revision;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vigil_core::{Assessment, Band, Evidence, FindingKind, Status};

/// What changed between two assessments, and whether the change calls for a new security review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatDelta {
    /// The assessed system's name (the newer assessment's scope name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub old: Side,
    pub new: Side,
    /// True when there is at least one material change: the threat model no longer describes the system.
    pub reassessment_required: bool,
    /// Ordered by kind (as [`ChangeKind`] lists them), then title.
    pub material_changes: Vec<MaterialChange>,
    pub findings: FindingsDelta,
    pub risk: RiskDelta,
}

/// One of the two assessments compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// What was assessed: a path, or the revision a caller exported (`HEAD~1`).
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The assessment's `as_of` date (YYYY-MM-DD).
    pub as_of: String,
}

/// A change in what the system is or does that the threat model has to take into account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialChange {
    pub kind: ChangeKind,
    pub title: String,
    /// Where it shows in the newer revision (in the older one for a removal).
    pub evidence: Vec<Evidence>,
    pub detail: String,
    /// The stable identity of what changed, which the kinds use to avoid saying one thing twice.
    #[serde(skip)]
    pub(crate) subject: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    EndpointAdded,
    EndpointRemoved,
    EndpointLostAuthentication,
    DatastoreAdded,
    /// A flow that already existed now carries PII, PCI, PHI or secrets it did not carry before.
    SensitiveDataAddedToFlow,
    ThirdPartyAdded,
    /// An LLM SDK or provider, an AI framework or a model file.
    AiIntegrationAdded,
    /// An infrastructure resource (or workload) that is now reachable from the Internet.
    ResourceBecamePublic,
    /// A dependency with at least one open vulnerability finding that the older revision did not have.
    VulnerableDependencyAdded,
    /// A new flow between components in different trust boundaries (the Internet included).
    TrustBoundaryCrossingAdded,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 10] = [
        Self::EndpointAdded,
        Self::EndpointRemoved,
        Self::EndpointLostAuthentication,
        Self::DatastoreAdded,
        Self::SensitiveDataAddedToFlow,
        Self::ThirdPartyAdded,
        Self::AiIntegrationAdded,
        Self::ResourceBecamePublic,
        Self::VulnerableDependencyAdded,
        Self::TrustBoundaryCrossingAdded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndpointAdded => "endpoint-added",
            Self::EndpointRemoved => "endpoint-removed",
            Self::EndpointLostAuthentication => "endpoint-lost-authentication",
            Self::DatastoreAdded => "datastore-added",
            Self::SensitiveDataAddedToFlow => "sensitive-data-added-to-flow",
            Self::ThirdPartyAdded => "third-party-added",
            Self::AiIntegrationAdded => "ai-integration-added",
            Self::ResourceBecamePublic => "resource-became-public",
            Self::VulnerableDependencyAdded => "vulnerable-dependency-added",
            Self::TrustBoundaryCrossingAdded => "trust-boundary-crossing-added",
        }
    }
}

/// Findings that appeared and disappeared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingsDelta {
    /// In the newer assessment only, riskiest first.
    pub new: Vec<FindingChange>,
    /// In the older assessment only, riskiest first.
    pub fixed: Vec<FindingChange>,
    /// Findings in both that are open in the newer one.
    pub still_open: usize,
    /// Findings in both whose fingerprint changed because the file they are about moved.
    pub moved: usize,
    /// Fingerprints of new findings that were fixed once before. Two documents cannot tell; a caller with
    /// history (the assessment store) fills it.
    #[serde(default)]
    pub reopened: Vec<String>,
}

/// A finding as the delta lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    pub fingerprint: String,
    pub id: String,
    pub title: String,
    pub kind: FindingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory_id: Option<String>,
    pub band: Band,
    pub rpn: u16,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// How the risk of the open findings moved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskDelta {
    /// Sum of the RPN of the open findings.
    pub old_rpn: u64,
    pub new_rpn: u64,
    /// `new_rpn - old_rpn`.
    pub rpn_delta: i64,
    /// Open findings per band.
    pub old_by_band: BTreeMap<Band, usize>,
    pub new_by_band: BTreeMap<Band, usize>,
}

/// The threat delta from `old` to `new`. Pure: reads the two documents, nothing else.
pub fn diff(old: &Assessment, new: &Assessment) -> ThreatDelta {
    let material_changes = changes::detect(old, new);
    ThreatDelta {
        name: new.scope.name.clone(),
        old: side(old),
        new: side(new),
        reassessment_required: !material_changes.is_empty(),
        material_changes,
        findings: findings::compare(old, new),
        risk: findings::risk(old, new),
    }
}

fn side(assessment: &Assessment) -> Side {
    Side {
        label: assessment.target.path.clone(),
        commit: assessment.target.commit.clone(),
        as_of: vigil_core::date::format(assessment.as_of),
    }
}

//! Material changes: what the newer revision is or does that the older one was not or did not, each
//! found by one module and matched on [`crate::identity`] keys.

mod dependencies;
mod endpoints;
mod exposure;
mod flows;
mod inventory;

use std::collections::BTreeSet;

use vigil_core::{Assessment, Evidence};

use crate::identity::Identities;
use crate::{ChangeKind, MaterialChange};

/// One assessment with the identities of its assets.
#[derive(Debug)]
pub(crate) struct View<'a> {
    pub assessment: &'a Assessment,
    pub ids: Identities<'a>,
}

impl<'a> View<'a> {
    fn new(assessment: &'a Assessment) -> Self {
        Self {
            assessment,
            ids: Identities::new(&assessment.inventory),
        }
    }
}

/// Kinds whose subject is a component the model draws: a new flow to or from it is part of that change
/// and is not reported again as a boundary crossing.
const COMPONENT_ADDITIONS: [ChangeKind; 4] = [
    ChangeKind::DatastoreAdded,
    ChangeKind::ThirdPartyAdded,
    ChangeKind::AiIntegrationAdded,
    ChangeKind::ResourceBecamePublic,
];

pub(crate) fn detect(old: &Assessment, new: &Assessment) -> Vec<MaterialChange> {
    let old = View::new(old);
    let new = View::new(new);
    let mut changes = endpoints::detect(&old, &new);
    changes.extend(inventory::datastores(&old, &new));
    changes.extend(flows::sensitive_data(&old, &new));
    changes.extend(inventory::third_parties(&old, &new));
    changes.extend(inventory::ai_integrations(&old, &new));
    changes.extend(exposure::became_public(&old, &new));
    changes.extend(dependencies::vulnerable_added(&old, &new));
    let covered: BTreeSet<String> = changes
        .iter()
        .filter(|c| COMPONENT_ADDITIONS.contains(&c.kind))
        .map(|c| c.subject.clone())
        .collect();
    changes.extend(flows::boundary_crossings(&old, &new, &covered));
    changes.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.subject.cmp(&b.subject))
    });
    changes.dedup_by(|a, b| a.kind == b.kind && a.subject == b.subject);
    changes
}

fn change(
    kind: ChangeKind,
    subject: String,
    title: String,
    evidence: Vec<Evidence>,
    detail: String,
) -> MaterialChange {
    MaterialChange {
        kind,
        title,
        evidence,
        detail,
        subject,
    }
}

/// The first `n` pieces of evidence.
fn first(evidence: &[Evidence], n: usize) -> Vec<Evidence> {
    evidence.iter().take(n).cloned().collect()
}

/// `a, b and 3 more` for lists in a detail line.
fn list(items: &[String], max: usize) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let shown = items.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    match items.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

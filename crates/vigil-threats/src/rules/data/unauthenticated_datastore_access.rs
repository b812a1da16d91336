//! `unauthenticated-datastore-access`: a flow reaches a datastore from another trust boundary without
//! authenticating.

use vigil_core::{ComponentKind, DataClass, FindingKind, Objective, Stride};

use super::support::unseen_data_impact;
use crate::graph::{INTERNET, class_names, component_hit, crosses_boundary, exposure, sensitive_data};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnauthenticatedDatastoreAccess;

static META: RuleMeta = RuleMeta {
    id: "unauthenticated-datastore-access",
    title: "Datastore reached across a trust boundary without authentication",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-306"],
    capec: &["CAPEC-1"],
    attack: &["T1213.006"],
    likelihood: 5,
    impact: 6,
    what: "A flow into a datastore, crossing a trust boundary, declared unauthenticated (`authenticated: false` \
           in vigil-model.yaml or an imported Threagile model). Flows whose authentication is unknown are not \
           reported; public buckets and databases found in infrastructure code are left to the platform rules. \
           Threagile: unguarded-direct-datastore-access and missing-authentication.",
    why: "A datastore that trusts whoever can reach it turns any foothold on the other side of the boundary (a \
          compromised partner, a neighbour in a shared network, a CI runner) into full read and write access: \
          nothing identifies the caller, so nothing can be limited or audited either.",
    example: "# vigil-model.yaml\nflows:\n  - {source: ext:partner, target: ds:orders, label: nightly export, \
              authenticated: false, data_classes: [pii]}",
    remediation: "Require authentication on the datastore for every client, with a distinct identity per client.",
    fix: &[
        "Enable authentication on the datastore (database users, Redis ACLs / `requirepass`, IAM policies on buckets) and reject anonymous connections.",
        "Give each client across the boundary its own credentials or role, scoped to what it needs, and rotate them through a secrets manager.",
        "Put the datastore behind a service that authenticates and authorises callers when the other side cannot hold credentials.",
        "Set `authenticated: true` on the flow in vigil-model.yaml once done.",
    ],
    verify: &[
        "Connect to the datastore from the other boundary without credentials: the connection or request is rejected.",
        "Re-run `vigil assess`: the finding is gone.",
    ],
    mitigated_by: &[],
    false_positives: "A flow marked unauthenticated because it relies on network identity only (an IP \
                      allow-list, a private link) is still reported: network position is not an identity, \
                      but if the risk is accepted, accept the finding with that reason.",
    references: &[
        "https://cwe.mitre.org/data/definitions/306.html",
        "https://threagile.io/",
    ],
    compliance: &[
        (Objective::PciDss4, "8.2.1"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V1.2.2"),
    ],
};

impl Rule for UnauthenticatedDatastoreAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for flow in model
            .flows
            .iter()
            .filter(|f| f.authenticated == Some(false) && crosses_boundary(model, f))
        {
            let (Some(source), Some(store)) = (model.component(&flow.source), model.component(&flow.target))
            else {
                continue;
            };
            if store.kind != ComponentKind::Datastore || store.out_of_scope.is_some() {
                continue;
            }
            let mut data: Vec<DataClass> = sensitive_data(store);
            data.extend(
                flow.data_classes
                    .iter()
                    .copied()
                    .filter(|c| crate::graph::is_sensitive(*c)),
            );
            data.sort();
            data.dedup();
            let outside = source.id == INTERNET || source.kind == ComponentKind::ExternalEntity;
            let exposed = if outside { None } else { exposure(model, source) };
            let mut evidence = flow.evidence.clone();
            if let Some(exposed) = &exposed {
                evidence.extend(exposed.evidence.iter().cloned());
            }
            let detail = format!(
                "flow `{}` from {} ({}) to {} ({}) is declared unauthenticated{}{}{}",
                flow.label,
                source.name,
                source.boundary.as_deref().unwrap_or("no boundary"),
                store.name,
                store.boundary.as_deref().unwrap_or("no boundary"),
                if data.is_empty() {
                    String::new()
                } else {
                    format!(" and reaches {} data", class_names(&data))
                },
                if flow.encrypted == Some(false) {
                    ", in clear text"
                } else {
                    ""
                },
                match (&exposed, outside) {
                    (_, true) => "; the caller is outside the team's control".to_owned(),
                    (Some(e), false) => format!("; Internet input reaches {} {}", source.name, e.path),
                    (None, false) => String::new(),
                },
            );
            let mut hit = component_hit(
                store,
                &format!("unauthenticated:{}", flow.source),
                format!(
                    "{} accepts unauthenticated access from {}",
                    store.name, source.name
                ),
                detail,
                evidence,
            );
            hit.likelihood = if outside {
                Some((7, "the caller is outside the team's control".into()))
            } else {
                exposed
                    .as_ref()
                    .map(|e| (6, format!("Internet input reaches the caller {}", e.path)))
            };
            hit.impact = unseen_data_impact(META.impact, &data, &[store], "the flow carries");
            if source.id == INTERNET {
                hit = hit.exposing();
            }
            hits.push(hit);
        }
        hits
    }
}

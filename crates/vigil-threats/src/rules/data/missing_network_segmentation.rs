//! `missing-network-segmentation`: an Internet-facing process and a sensitive datastore it does not use sit
//! in the same network, with no boundary between them.

use vigil_core::{BoundaryKind, Component, ComponentKind, FindingKind, Objective, Stride};

use super::support::missing_controls;
use crate::graph::{INTERNET, class_names, component_hit, sensitive_data};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct MissingNetworkSegmentation;

const NETWORK_POLICY: &str = "network-policy";

static META: RuleMeta = RuleMeta {
    id: "missing-network-segmentation",
    title: "Sensitive datastore shares a network with an Internet-facing process",
    kind: FindingKind::Threat,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-653"],
    capec: &["CAPEC-700"],
    attack: &["T1210", "T1046"],
    likelihood: 4,
    impact: 6,
    what: "A datastore with PII, PCI, PHI or secrets, not itself Internet-facing, whose innermost trust \
           boundary is a network or a cluster (declared in vigil-model.yaml or imported) that also holds a \
           process facing the Internet with no flow to that datastore. Cloud accounts are not treated as one \
           flat network, since vigil does not model VPCs and subnets from infrastructure code. Threagile: \
           missing-network-segmentation.",
    why: "Once the Internet-facing process is compromised, everything reachable on its network segment is the \
          next target: the attacker scans it and connects to the database directly, with no application in \
          between, often with default or shared credentials. A segment boundary (subnets with security \
          groups, Kubernetes NetworkPolicies, a separate VPC) stops that lateral movement.",
    example: "# vigil-model.yaml\nboundaries:\n  - {id: net:prod, kind: network, components: [svc:cms, ds:patients]}\n\
              components:\n  - {id: svc:cms, internet_facing: true}\n  - {id: ds:patients, data_classes: [phi]}",
    remediation: "Move the datastore into its own segment and allow in only the services that use it, on its port.",
    fix: &[
        "Place datastores in private subnets (or a separate namespace) with no route from the Internet-facing tier except through the services that need them.",
        "Allow inbound traffic to the datastore only from the named clients on its port: security groups referencing the client's group, or a Kubernetes NetworkPolicy with a default deny.",
        "Model the segments in vigil-model.yaml (`boundaries` of kind network), or record `network-policy` on the datastore once its ingress is restricted.",
    ],
    verify: &[
        "From the Internet-facing process's host or pod, connect to the datastore's port: the connection is refused or times out.",
        "Re-run `vigil assess`: the finding is gone or mitigated by `network-policy`.",
    ],
    mitigated_by: &[NETWORK_POLICY],
    false_positives: "A boundary drawn for documentation (a whole Kubernetes cluster) may already contain \
                      NetworkPolicies or security groups vigil does not read: record `network-policy` on the \
                      datastore, or draw the finer segments in vigil-model.yaml.",
    references: &[
        "https://threagile.io/",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::PciDss4, "1.3.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Soc2, "CC6.6"),
        (Objective::OwaspAsvs, "V1.14.1"),
    ],
};

/// Whether Internet traffic reaches `component` itself (not through another process).
fn faces_internet(ctx: &Context<'_>, component: &Component) -> bool {
    component.internet_facing
        || ctx
            .model
            .flows
            .iter()
            .any(|f| f.source == INTERNET && f.target == component.id)
}

impl Rule for MissingNetworkSegmentation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for boundary in model
            .boundaries
            .iter()
            .filter(|b| matches!(b.kind, BoundaryKind::Network | BoundaryKind::Cluster))
        {
            let members: Vec<&Component> = model
                .components
                .iter()
                .filter(|c| c.boundary.as_deref() == Some(boundary.id.as_str()) && c.out_of_scope.is_none())
                .collect();
            for store in members.iter().filter(|c| {
                c.kind == ComponentKind::Datastore && !faces_internet(ctx, c) && !sensitive_data(c).is_empty()
            }) {
                let neighbours: Vec<&Component> = members
                    .iter()
                    .copied()
                    .filter(|p| p.kind == ComponentKind::Process && faces_internet(ctx, p))
                    .filter(|p| {
                        !model
                            .flows
                            .iter()
                            .any(|f| f.source == p.id && f.target == store.id)
                    })
                    .collect();
                if neighbours.is_empty() {
                    continue;
                }
                let data = sensitive_data(store);
                let names: Vec<&str> = neighbours.iter().map(|p| p.name.as_str()).collect();
                let mut evidence: Vec<_> = store.evidence.iter().take(1).cloned().collect();
                evidence.extend(boundary.evidence.iter().take(1).cloned());
                for neighbour in &neighbours {
                    let inbound = model
                        .flows
                        .iter()
                        .find(|f| f.source == INTERNET && f.target == neighbour.id)
                        .map_or(&neighbour.evidence, |f| &f.evidence);
                    evidence.extend(inbound.iter().take(1).cloned());
                }
                let detail = format!(
                    "{} holds {} data in {} ({}) together with Internet-facing {} that {} no flow to it{}",
                    store.name,
                    class_names(&data),
                    boundary.name,
                    match boundary.kind {
                        BoundaryKind::Cluster => "a cluster",
                        _ => "a network",
                    },
                    names.join(", "),
                    if neighbours.len() == 1 { "has" } else { "have" },
                    missing_controls(store, META.mitigated_by),
                );
                let hit = component_hit(
                    store,
                    &format!("segmentation:{}", boundary.id),
                    format!(
                        "{} shares {} with Internet-facing {}",
                        store.name,
                        boundary.name,
                        names.join(", ")
                    ),
                    detail,
                    evidence,
                );
                hits.push(hit);
            }
        }
        hits
    }
}

//! `shared-datastore`: a datastore with sensitive data is used by several services, one of them reachable
//! from the Internet, so compromising that one reaches everybody's data.

use vigil_core::{Component, ComponentKind, DataClass, FindingKind, Flow, Objective, Stride};

use super::support::{identified_store, missing_controls, unseen_data_impact};
use crate::graph::{class_names, component_hit, exposure, is_sensitive};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SharedDatastore;

const PER_SERVICE_CREDENTIALS: &str = "per-service-credentials";

static META: RuleMeta = RuleMeta {
    id: "shared-datastore",
    title: "Sensitive datastore shared by several services",
    kind: FindingKind::Threat,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::InformationDisclosure,
        Stride::Tampering,
    ],
    cwe: &["CWE-653"],
    capec: &["CAPEC-122"],
    attack: &["T1213.006"],
    likelihood: 4,
    impact: 6,
    what: "A datastore with PII, PCI, PHI or secrets (its own data classes or those of the flows into it) that \
           two or more processes flow to, at least one of which Internet input reaches. Threagile calls the \
           idea mixed targets on a shared runtime: components of different exposure share one place.",
    why: "Services sharing a database usually share its credentials and its whole schema: an injection or a \
          remote code execution in the exposed service reads and rewrites the data of every other service, \
          including tables it never needed. The blast radius of the weakest service becomes the whole store.",
    example: "# vigil-model.yaml: the public API and the billing worker both use the orders database\n\
              flows:\n  - {source: svc:api, target: ds:orders, data_classes: [pii]}\n  \
              - {source: svc:billing, target: ds:orders, data_classes: [pci]}",
    remediation: "Give each service its own credentials limited to its own schema or tables, or its own datastore.",
    fix: &[
        "Create one database user (or IAM role) per service, granted only the schemas, tables and operations that service uses; revoke the shared account.",
        "Move data only one service needs (card tokens, health records) into its own schema or datastore.",
        "Use row-level security or separate buckets/prefixes with per-service policies where one store must stay shared.",
        "Record `per-service-credentials` on the datastore in vigil-model.yaml once done.",
    ],
    verify: &[
        "With the exposed service's credentials, try to read a table of another service: permission denied.",
        "Re-run `vigil assess`: the finding is mitigated by `per-service-credentials`.",
    ],
    mitigated_by: &[PER_SERVICE_CREDENTIALS],
    false_positives: "Flows found in code do not say which credentials each service uses: services that \
                      already connect with separate, narrowly granted users are reported until \
                      `per-service-credentials` is recorded on the datastore.",
    references: &[
        "https://cwe.mitre.org/data/definitions/653.html",
        "https://threagile.io/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V1.2.2"),
        (Objective::OwaspAsvs, "V4.1.3"),
        (Objective::PciDss4, "7.2.5"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.308(a)(4)(i)"),
    ],
};

impl Rule for SharedDatastore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for store in model
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Datastore && c.out_of_scope.is_none())
            .filter(|c| identified_store(ctx.inventory, c))
        {
            let mut users: Vec<(&Component, &Flow)> = Vec::new();
            for flow in model.flows.iter().filter(|f| f.target == store.id) {
                if let Some(user) = model.component(&flow.source)
                    && user.kind == ComponentKind::Process
                    && user.out_of_scope.is_none()
                    && !users.iter().any(|(u, _)| u.id == user.id)
                {
                    users.push((user, flow));
                }
            }
            if users.len() < 2 {
                continue;
            }
            let mut data: Vec<DataClass> = store
                .data_classes
                .iter()
                .chain(users.iter().flat_map(|(_, f)| f.data_classes.iter()))
                .copied()
                .filter(|c| is_sensitive(*c))
                .collect();
            data.sort();
            data.dedup();
            if data.is_empty() {
                continue;
            }
            let Some((exposed_user, exposed)) = users
                .iter()
                .find_map(|(u, _)| exposure(model, u).map(|e| (*u, e)))
            else {
                continue;
            };
            let names: Vec<&str> = users.iter().map(|(u, _)| u.name.as_str()).collect();
            let mut evidence: Vec<_> = users
                .iter()
                .flat_map(|(_, f)| f.evidence.iter().take(1).cloned())
                .collect();
            evidence.extend(exposed.evidence.iter().cloned());
            let detail = format!(
                "{} holds {} data and is used by {} services ({}); Internet input reaches {} {}{}",
                store.name,
                class_names(&data),
                users.len(),
                names.join(", "),
                exposed_user.name,
                exposed.path,
                missing_controls(store, META.mitigated_by),
            );
            let mut hit = component_hit(
                store,
                "shared-datastore",
                format!(
                    "{} is shared by {} services, one reachable from the Internet",
                    store.name,
                    users.len()
                ),
                detail,
                evidence,
            );
            hit.impact = unseen_data_impact(META.impact, &data, &[store], "the services keep");
            hits.push(hit);
        }
        hits
    }
}

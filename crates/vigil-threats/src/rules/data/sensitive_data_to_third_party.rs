//! `sensitive-data-to-third-party`: personal, card or health data flows to a third-party service with no
//! data processing agreement recorded.

use vigil_core::{BoundaryKind, Component, ComponentKind, DataClass, FindingKind, Flow, Objective, Stride};

use super::support::{objectives_for, unseen_data_impact};
use crate::graph::{INTERNET, class_names, component_hit};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SensitiveDataToThirdParty;

const DPA: &str = "data-processing-agreement";

/// The entity standing for third-party CI components: code run in pipelines, not a data recipient.
const CI_COMPONENTS: &str = "ext:third-party-actions";

static META: RuleMeta = RuleMeta {
    id: "sensitive-data-to-third-party",
    title: "Sensitive data shared with a third party without an agreement",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-359"],
    capec: &[],
    attack: &[],
    likelihood: 3,
    impact: 5,
    what: "An external entity outside the team's cloud accounts and CI (a SaaS whose SDK the code uses, or one \
           added in vigil-model.yaml) that receives flows carrying PII, PCI or PHI, and has no \
           `data-processing-agreement` control recorded. LLM providers are left to `sensitive-data-to-llm`. \
           One finding per third party, listing the flows. For flows found in code the data classes are those \
           the sender handles and the SDK's catalog entry says it receives.",
    why: "Every processor that receives personal data extends the attack surface and the legal exposure: its \
          breach is your breach, and without a contract nothing limits what it does with the data, where it \
          stores it or who it passes it to. GDPR requires a processor agreement (Art. 28) and safeguards for \
          transfers outside the EU (Art. 44); HIPAA a business associate agreement; PCI DSS written \
          acknowledgement of the provider's responsibility.",
    example: "# vigil.toml\n[[override]]\npath = \"crm-sync/**\"\ndata_classes = [\"pii\"]\n\n\
              # crm-sync/sync.py\nimport hubspot  # customer records go to HubSpot",
    remediation: "Sign a data processing agreement with the third party, minimise what it receives, and record it.",
    fix: &[
        "Check that the data sent is needed: drop or pseudonymise fields the third party does not use.",
        "Sign the vendor's data processing agreement (a BAA for PHI; PCI DSS responsibility acknowledgement for card data), with EU standard contractual clauses if it stores data outside the EU.",
        "Add the vendor to the record of processing activities and the published sub-processor list.",
        "Record `data-processing-agreement` on the external entity in vigil-model.yaml (`components: [{id: ext:<sdk>, controls: [data-processing-agreement]}]`).",
    ],
    verify: &[
        "The signed agreement is on file and referenced in the record of processing; re-run `vigil assess`: the finding is mitigated.",
    ],
    mitigated_by: &[DPA],
    false_positives: "Data classes of flows found in code follow the sending service: a PII service that sends \
                      an e-mail provider only order numbers is reported. Narrow the flow's `data_classes` in \
                      vigil-model.yaml, or record the agreement that exists anyway.",
    references: &[
        "https://gdpr-info.eu/art-28-gdpr/",
        "https://gdpr-info.eu/art-44-gdpr/",
        "https://cwe.mitre.org/data/definitions/359.html",
    ],
    compliance: &[
        (Objective::Gdpr, "Art. 28(3)"),
        (Objective::Gdpr, "Art. 44"),
        (Objective::Hipaa, "164.308(b)(1)"),
        (Objective::PciDss4, "12.8.2"),
        (Objective::Soc2, "CC9.2"),
        (Objective::OwaspAsvs, "V8.3.4"),
    ],
};

/// Whether `component` is a third party receiving data: an external entity that is not the Internet, a
/// cloud control plane, a CI component source or an LLM provider.
fn third_party(ctx: &Context<'_>, component: &Component) -> bool {
    if component.kind != ComponentKind::ExternalEntity
        || component.id == INTERNET
        || component.id == CI_COMPONENTS
        || component.out_of_scope.is_some()
    {
        return false;
    }
    let boundary = component
        .boundary
        .as_deref()
        .and_then(|id| ctx.model.boundaries.iter().find(|b| b.id == id))
        .map(|b| b.kind);
    if matches!(
        boundary,
        Some(BoundaryKind::CloudAccount | BoundaryKind::Ci | BoundaryKind::Internet)
    ) {
        return false;
    }
    let llm = component.name.ends_with("(LLM provider)")
        || component
            .assets
            .iter()
            .filter_map(|id| ctx.inventory.get(id))
            .any(|a| a.attr_str("category") == Some("llm"))
        || ctx
            .model
            .flows
            .iter()
            .any(|f| f.target == component.id && f.label.starts_with("sends prompts to"));
    !llm
}

impl Rule for SensitiveDataToThirdParty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for entity in model.components.iter().filter(|c| third_party(ctx, c)) {
            let flows: Vec<(&Flow, Vec<DataClass>)> = model
                .flows
                .iter()
                .filter(|f| f.target == entity.id)
                .filter(|f| {
                    model
                        .component(&f.source)
                        .is_some_and(|s| s.out_of_scope.is_none())
                })
                .map(|f| {
                    let data: Vec<DataClass> = f
                        .data_classes
                        .iter()
                        .copied()
                        .filter(|c| matches!(c, DataClass::Pii | DataClass::Pci | DataClass::Phi))
                        .collect();
                    (f, data)
                })
                .filter(|(_, data)| !data.is_empty())
                .collect();
            if flows.is_empty() {
                continue;
            }
            let mut data: Vec<DataClass> = flows.iter().flat_map(|(_, d)| d.iter().copied()).collect();
            data.sort();
            data.dedup();
            let senders: Vec<String> = flows
                .iter()
                .map(|(f, d)| {
                    let name = model
                        .component(&f.source)
                        .map_or(f.source.as_str(), |s| s.name.as_str());
                    format!("{name} ({})", class_names(d))
                })
                .collect();
            let objectives = objectives_for(ctx.scope, &data);
            let detail = format!(
                "{} receives {} data from {}{}{}",
                entity.name,
                class_names(&data),
                senders.join(", "),
                if objectives.is_empty() {
                    String::new()
                } else {
                    format!(" (in scope of {})", objectives.join(", "))
                },
                if entity.control(&[DPA]).is_some() {
                    String::new()
                } else {
                    format!("; no `{DPA}` is recorded on {}", entity.name)
                }
            );
            let evidence = flows
                .iter()
                .flat_map(|(f, _)| f.evidence.iter().take(1).cloned())
                .collect();
            let mut hit = component_hit(
                entity,
                "third-party-data",
                format!("{} receives {} data", entity.name, class_names(&data)),
                detail,
                evidence,
            );
            hit.impact = unseen_data_impact(META.impact, &data, &[entity], "it receives");
            hits.push(hit);
        }
        hits
    }
}

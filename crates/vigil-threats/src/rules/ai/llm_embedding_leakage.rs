//! `llm-embedding-leakage`: sensitive data is embedded in a vector store an LLM retrieves from, so one
//! user's question can pull another's data into the answer.

use vigil_core::{CapabilityKind, ComponentKind, DataClass, FindingKind, Objective, Stride};

use super::support::{capability_evidence, missing_controls, seen_at, unseen_data_impact};
use crate::graph::{class_names, component_hit, exposure, is_sensitive, with_capability};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LlmEmbeddingLeakage;

const VECTOR_ACCESS_CONTROL: &str = "vector-store-access-control";

static META: RuleMeta = RuleMeta {
    id: "llm-embedding-leakage",
    title: "Sensitive data in an LLM's vector store",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-863", "CWE-359"],
    capec: &[],
    attack: &["T1213.006"],
    likelihood: 5,
    impact: 6,
    what: "A component with the `calls-llm` and `uses-vector-store` capabilities (retrieval-augmented \
           generation) that handles PII, PCI, PHI or secrets: its own data classes, those of the datastores it \
           flows to, or those its flows carry. The likelihood follows its Internet exposure. OWASP LLM08:2025 \
           Vector and Embedding Weaknesses.",
    why: "Similarity search does not know who is asking: unless retrieval filters by the caller's permissions, a \
          question close enough to another customer's record pulls it into the prompt and the model repeats it. \
          Embeddings also leak: text can be largely reconstructed from them, and vector databases are often run \
          with one API key and no per-tenant separation.",
    example: "# vigil.toml\n[[override]]\npath = \"assistant/**\"\ndata_classes = [\"pii\"]\n\n\
              # assistant/app.py\nhits = index.query(vector=embed(question), top_k=5)  # no tenant filter",
    remediation: "Filter retrieval by the caller's permissions and keep sensitive fields out of the embedded text.",
    fix: &[
        "Store the owner or tenant with every vector and filter each query on the authenticated caller (metadata filters, one namespace or collection per tenant).",
        "Embed only what answers need: drop or pseudonymise identifiers, card and health data before chunking.",
        "Protect the vector database like the primary database: private network, per-service credentials, encryption at rest, and deletion of a person's vectors on erasure requests.",
        "Record `vector-store-access-control` on the component once retrieval is permission-aware.",
    ],
    verify: &[
        "As user A, ask about data only user B owns: nothing of B's is retrieved (check the retrieved chunks in the trace, not only the answer).",
        "Re-run `vigil assess`: the finding is mitigated by `vector-store-access-control`.",
    ],
    mitigated_by: &[VECTOR_ACCESS_CONTROL],
    false_positives: "Data classes follow the service, not the index: a service marked PII that embeds only \
                      public product documentation is reported. Narrow the data classes of the vector-store \
                      flow in vigil-model.yaml, or record `vector-store-access-control` with that reason.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm082025-vector-and-embedding-weaknesses/",
        "https://cwe.mitre.org/data/definitions/863.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.2.1"),
        (Objective::Gdpr, "Art. 25"),
        (Objective::Gdpr, "Art. 17"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for LlmEmbeddingLeakage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for (component, llm_evidence) in with_capability(model, CapabilityKind::CallsLlm) {
            if component.capability(CapabilityKind::UsesVectorStore).is_none() {
                continue;
            }
            let mut data: Vec<DataClass> = component.data_classes.clone();
            for flow in model.flows.iter().filter(|f| f.source == component.id) {
                let to_store = model
                    .component(&flow.target)
                    .is_some_and(|c| c.kind == ComponentKind::Datastore);
                if to_store {
                    data.extend(flow.data_classes.iter().copied());
                    data.extend(
                        model
                            .component(&flow.target)
                            .into_iter()
                            .flat_map(|c| c.data_classes.iter().copied()),
                    );
                }
            }
            data.retain(|c| is_sensitive(*c));
            data.sort();
            data.dedup();
            if data.is_empty() {
                continue;
            }
            let exposed = exposure(model, component);
            let mut evidence = capability_evidence(component, CapabilityKind::UsesVectorStore);
            evidence.extend(llm_evidence.iter().take(1).cloned());
            if let Some(exposed) = &exposed {
                evidence.extend(exposed.evidence.iter().cloned());
            }
            let detail = format!(
                "{} retrieves from a vector store ({}) into LLM prompts ({}) and handles {} data; {}{}",
                component.name,
                seen_at(component, CapabilityKind::UsesVectorStore),
                seen_at(component, CapabilityKind::CallsLlm),
                class_names(&data),
                match &exposed {
                    Some(e) => format!("Internet users reach it {}", e.path),
                    None => "no Internet exposure is known (internal users only)".into(),
                },
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "embedding-leakage",
                format!(
                    "{}: {} data in the vector store its LLM retrieves from",
                    component.name,
                    class_names(&data)
                ),
                detail,
                evidence,
            );
            hit.likelihood = match &exposed {
                Some(e) if e.path == "directly" => None,
                Some(e) => Some((4, format!("users reach it {}", e.path))),
                None => Some((3, "no Internet exposure known: internal users only".into())),
            };
            hit.impact = unseen_data_impact(META.impact, &data, &[component], "its datastores hold");
            hits.push(hit);
        }
        hits
    }
}

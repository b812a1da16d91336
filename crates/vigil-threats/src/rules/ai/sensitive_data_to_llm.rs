//! `sensitive-data-to-llm`: personal, card or health data flows in prompts to an LLM provider outside the
//! team's infrastructure.

use vigil_core::{DataClass, FindingKind, Objective, Stride};

use super::support::{Provider, llm_provider, unseen_data_impact};
use crate::graph::{class_names, component_hit};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SensitiveDataToLlm;

const PII_REDACTION: &str = "pii-redaction";
const LLM_DPA: &str = "llm-data-processing-agreement";

static META: RuleMeta = RuleMeta {
    id: "sensitive-data-to-llm",
    title: "Sensitive data sent to an LLM provider",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-359", "CWE-201"],
    capec: &[],
    attack: &[],
    likelihood: 5,
    impact: 6,
    what: "A flow to an LLM provider run by a third party (an LLM SDK in the code, an entity the threat model \
           file sends prompts to) that carries PII, PCI or PHI data: the flow's data classes, which for flows \
           found in code are the data the sending service handles. Self-hosted runtimes (Ollama, llama.cpp, \
           vLLM) are not reported. OWASP LLM02:2025 Sensitive Information Disclosure.",
    why: "What goes into a prompt leaves the organisation: the provider stores it (abuse monitoring, logs, \
          sometimes training), its staff and sub-processors can read it, a breach there exposes it, and the \
          model can repeat it to other users of the same context. Without a data processing agreement the \
          transfer itself breaks GDPR (Art. 28), HIPAA (no business associate agreement) or PCI DSS (a service \
          provider outside the assessed scope).",
    example: "# vigil.toml\n[[override]]\npath = \"support/**\"\ndata_classes = [\"pii\"]\n\n\
              # support/app.py\nfrom openai import OpenAI\nOpenAI().responses.create(model=\"gpt-4o\", input=ticket.body)",
    remediation: "Redact personal data before it reaches the prompt, or cover the provider with a data processing agreement.",
    fix: &[
        "Redact or pseudonymise identifiers before building the prompt (Microsoft Presidio, a provider's PII filter, your own tokenisation) and re-identify in the answer if needed; record `pii-redaction` on the service.",
        "If the data must reach the model, sign the provider's data processing agreement (a BAA for PHI), opt out of training and retention where offered (zero data retention), and pick the region; record `llm-data-processing-agreement` on the provider in vigil-model.yaml.",
        "Never send card numbers: keep PAN out of prompts entirely (tokenise before the service sees it).",
        "Add the provider to the record of processing and the sub-processor list.",
    ],
    verify: &[
        "Log a sample of outgoing prompts in a test environment: no names, e-mail addresses, card or health data appear.",
        "The signed agreement is on file; re-run `vigil assess`: the finding is mitigated.",
    ],
    mitigated_by: &[PII_REDACTION, LLM_DPA],
    false_positives: "Flows found in code carry every class the service handles: a service marked PII that \
                      only sends product descriptions to the model is reported. Narrow the flow's \
                      `data_classes` in vigil-model.yaml, or record `pii-redaction` if the prompt is built \
                      from non-personal fields only.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/",
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

impl Rule for SensitiveDataToLlm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for flow in &ctx.model.flows {
            let (Some(source), Some(provider)) = (
                ctx.model.component(&flow.source),
                ctx.model.component(&flow.target),
            ) else {
                continue;
            };
            if source.out_of_scope.is_some()
                || llm_provider(ctx.inventory, ctx.model, provider) != Some(Provider::Hosted)
            {
                continue;
            }
            let mut data: Vec<DataClass> = flow
                .data_classes
                .iter()
                .copied()
                .filter(|c| matches!(c, DataClass::Pii | DataClass::Pci | DataClass::Phi))
                .collect();
            data.sort();
            data.dedup();
            if data.is_empty() {
                continue;
            }
            // Redaction belongs to the sender, the agreement to the provider: the finding lands on the
            // component holding the control that settles it, so the engine can report it mitigated.
            let on_provider =
                source.control(META.mitigated_by).is_none() && provider.control(&[LLM_DPA]).is_some();
            let regulated: Vec<&str> = ctx
                .scope
                .objectives
                .iter()
                .filter(|o| o.regulated_data().is_some_and(|c| data.contains(&c)))
                .map(|o| o.as_str())
                .collect();
            let missing = if source.control(META.mitigated_by).is_some() || on_provider {
                String::new()
            } else {
                format!(
                    "; neither `{PII_REDACTION}` on {} nor `{LLM_DPA}` on {} is recorded",
                    source.name, provider.name
                )
            };
            let detail = format!(
                "flow `{}` from {} to {} carries {} data{}{}",
                flow.label,
                source.name,
                provider.name,
                class_names(&data),
                if regulated.is_empty() {
                    String::new()
                } else {
                    format!(" (in scope of {})", regulated.join(", "))
                },
                missing
            );
            let lands_on = if on_provider { provider } else { source };
            let mut hit = component_hit(
                lands_on,
                "llm-data",
                format!(
                    "{} sends {} data to {}",
                    source.name,
                    class_names(&data),
                    provider.name
                ),
                detail,
                flow.evidence.clone(),
            );
            hit.subject = format!("llm-data:{}->{}", flow.source, flow.target);
            hit.impact = unseen_data_impact(META.impact, &data, &[lands_on], "the prompts carry");
            // The Hugging Face client also only downloads models: prompts may never leave.
            if provider.id == "ext:huggingface" {
                hit.likelihood = Some((
                    3,
                    "the Hugging Face client may only download models; check that inference calls send this data".into(),
                ));
            }
            hits.push(hit);
        }
        hits
    }
}

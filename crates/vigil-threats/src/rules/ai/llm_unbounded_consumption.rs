//! `llm-unbounded-consumption`: anyone on the Internet can make a component call an LLM, as often as they
//! like.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::RATE_LIMITING;

use super::support::{Provider, likelihood_by_exposure, llm_provider, missing_controls, seen_at};
use crate::graph::{component_hit, exposure, with_capability};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LlmUnboundedConsumption;

static META: RuleMeta = RuleMeta {
    id: "llm-unbounded-consumption",
    title: "Internet-reachable LLM calls without rate limiting",
    kind: FindingKind::Threat,
    stride: &[Stride::DenialOfService],
    cwe: &["CWE-770", "CWE-400"],
    capec: &["CAPEC-125"],
    attack: &["T1499.003"],
    likelihood: 7,
    impact: 5,
    what: "A component with the `calls-llm` capability that Internet input reaches (directly or through other \
           processes) and that has no `rate-limiting` or `llm-usage-quota` control: no rate-limiting middleware \
           in its code (express-rate-limit, slowapi, flask-limiter...) and none recorded in vigil-model.yaml. \
           Impact is higher when the model is a paid third-party API. OWASP LLM10:2025 Unbounded Consumption.",
    why: "Every request costs tokens, GPU time and money. Without per-user limits, a script (or a botnet, or a \
          competitor) can run up the provider bill (denial of wallet), exhaust the account's quota so real \
          users get errors, or use the endpoint as a free proxy to the model.",
    example: "// server.js\napp.post(\"/api/ask\", async (req, res) => {\n  \
              res.json(await openai.responses.create({ model: \"gpt-4o\", input: req.body.q }));\n});",
    remediation: "Limit requests and tokens per user and cap spending at the provider.",
    fix: &[
        "Add per-user and per-IP rate limits in front of the LLM route (express-rate-limit, slowapi, an API gateway usage plan).",
        "Cap input length and `max_tokens`, and set timeouts on model calls.",
        "Set a monthly budget and alerts at the provider, and per-key usage limits; keep separate keys per environment.",
        "Require authentication for expensive features; record `rate-limiting` (or `llm-usage-quota` for per-user token quotas) on the component when enforced outside the code.",
    ],
    verify: &[
        "Send 100 requests in a minute from one client: requests beyond the limit get HTTP 429 and no model call is made.",
        "Re-run `vigil assess`: the finding is mitigated by `rate-limiting`.",
    ],
    mitigated_by: &[RATE_LIMITING, "llm-usage-quota"],
    false_positives: "Limits enforced upstream (an API gateway, a CDN rule, the front service the input comes \
                      through) are not seen in this component's code: record `rate-limiting` on it in \
                      vigil-model.yaml with where the limit lives.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/",
        "https://cwe.mitre.org/data/definitions/770.html",
    ],
    compliance: &[(Objective::OwaspAsvs, "V11.1.4"), (Objective::Soc2, "A1.1")],
};

impl Rule for LlmUnboundedConsumption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for (component, llm_evidence) in with_capability(model, CapabilityKind::CallsLlm) {
            let Some(exposed) = exposure(model, component) else {
                continue;
            };
            let paid: Vec<&str> = model
                .flows
                .iter()
                .filter(|f| f.source == component.id)
                .filter_map(|f| model.component(&f.target))
                .filter(|c| llm_provider(ctx.inventory, model, c) == Some(Provider::Hosted))
                .map(|c| c.name.as_str())
                .collect();
            let mut evidence = llm_evidence.iter().take(1).cloned().collect::<Vec<_>>();
            evidence.extend(exposed.evidence.iter().cloned());
            let detail = format!(
                "{} calls an LLM ({}){} and Internet input reaches it {}{}",
                component.name,
                seen_at(component, CapabilityKind::CallsLlm),
                if paid.is_empty() {
                    String::new()
                } else {
                    format!(", billed per token by {}", paid.join(", "))
                },
                exposed.path,
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "llm-consumption",
                format!("{}: unlimited Internet-driven LLM calls", component.name),
                detail,
                evidence,
            );
            hit.likelihood = likelihood_by_exposure(META.likelihood, Some(&exposed));
            if !paid.is_empty() {
                hit.impact = Some((
                    6,
                    format!("denial of wallet: every request is billed by {}", paid.join(", ")),
                ));
            }
            hits.push(hit);
        }
        hits
    }
}

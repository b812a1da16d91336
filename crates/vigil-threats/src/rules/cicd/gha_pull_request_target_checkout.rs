//! `gha-pull-request-target-checkout`: a privileged workflow that checks out and so runs a pull request's
//! code ("pwn request").

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PullRequestTargetCheckout;

/// Expressions that name the pull request's head (attacker-controlled code).
pub(crate) const HEAD_REFS: [&str; 6] = [
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "refs/pull/",
];

static META: RuleMeta = RuleMeta {
    id: "gha-pull-request-target-checkout",
    title: "Privileged workflow checks out untrusted pull request code",
    kind: FindingKind::Threat,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::Tampering,
        Stride::InformationDisclosure,
    ],
    cwe: &["CWE-829", "CWE-94"],
    capec: &["CAPEC-444"],
    attack: &["T1195.002"],
    likelihood: 8,
    impact: 9,
    what: "A workflow triggered by `pull_request_target` or `workflow_run` with a step using `actions/checkout` \
           whose `ref` is the pull request head (`github.event.pull_request.head.sha`, `github.head_ref`, \
           `refs/pull/...`).",
    why: "`pull_request_target` and `workflow_run` run with the base repository's secrets and a write token. \
          Checking out the fork's code and then building or testing it runs attacker code with those privileges: \
          secrets are exfiltrated and the repository or its releases poisoned. Any outside contributor can do it \
          by opening a pull request.",
    example: "on: pull_request_target\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test",
    remediation: "Run untrusted pull request code only in `pull_request` workflows without secrets.",
    fix: &[
        "Switch the trigger to `pull_request`, which runs fork code without secrets and with a read-only token.",
        "If results must be published with privileges, split the work: an unprivileged `pull_request` workflow uploads artifacts, a `workflow_run` workflow consumes them without executing them.",
        "If the checkout is needed for labelling only, do not run any script, build or install from it.",
    ],
    verify: &[
        "No `pull_request_target`/`workflow_run` workflow checks out the head ref; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Checking out the base branch (not the pull request head), or a workflow that only labels or comments without running the checked-out code, is not exploitable.",
    references: &[
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions",
    ],
    compliance: &[
        (Objective::PciDss4, "6.2.3"),
        (Objective::PciDss4, "6.5.1"),
        (Objective::Soc2, "CC8.1"),
    ],
};

impl Rule for PullRequestTargetCheckout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in ctx
            .inventory
            .of_kind(vigil_core::AssetKind::Pipeline)
            .filter(|p| vigil_model::github::is_github_actions(p))
        {
            let triggers = github::triggers(pipeline);
            let Some(trigger) = triggers
                .iter()
                .find(|t| matches!(**t, "pull_request_target" | "workflow_run"))
            else {
                continue;
            };
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                for step in github::job_steps(job) {
                    let uses = step.get("uses").and_then(Value::as_str).unwrap_or_default();
                    if !uses.starts_with("actions/checkout") {
                        continue;
                    }
                    let Some(reference) = step.pointer("/with/ref").and_then(Value::as_str) else {
                        continue;
                    };
                    if !HEAD_REFS.iter().any(|h| reference.contains(h)) {
                        continue;
                    }
                    let line = github::line_at(step, "/with_lines/ref")
                        .or_else(|| github::line_at(step, "/uses_line"));
                    hits.push(Hit {
                        subject: format!("{}:{job_id}", pipeline.id),
                        title: format!(
                            "{}: job `{job_id}` runs pull request code with the base repository's secrets",
                            pipeline.name
                        ),
                        detail: format!("triggered by `{trigger}` and checks out `{reference}`"),
                        assets: vec![pipeline.id.clone()],
                        evidence: vec![
                            Evidence::at(pipeline.path(), line).with_note(format!("checkout of {reference}")),
                            Evidence::at(pipeline.path(), pipeline.attribute_lines.get("on").copied())
                                .with_note(format!("on: {trigger}")),
                        ],
                        exposes_to_internet: true,
                        likelihood: None,
                        impact: None,
                    });
                }
            }
        }
        hits
    }
}

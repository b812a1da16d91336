//! `gha-issue-comment-pr-checkout`: a comment-triggered workflow ("/deploy", "/test") that checks out the
//! commented pull request and runs its code with the base repository's secrets and token.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::gha_pull_request_target_checkout::HEAD_REFS;
use super::support::{
    commands, first_code_execution, input, input_line, step_line, uses_action, words, workflows,
};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IssueCommentCheckout;

/// Fragments of a checkout `ref` that name the commented pull request's code: its merge or head ref, or
/// the outputs of actions that resolve a comment to its pull request's branch
/// (`xt0rted/pull-request-comment-branch`, `actions/github-script` steps named that way).
const PR_REFS: [&str; 7] = [
    "refs/pull/",
    "github.event.issue.number",
    "github.event.issue.pull_request",
    "outputs.head_ref",
    "outputs.head_sha",
    "outputs.head-ref",
    "outputs.head-sha",
];

/// Conditions that restrict the job to people with write access to the repository.
const TRUSTED_COMMENTERS: [&str; 3] = [
    "author_association",
    "github.actor ==",
    "github.triggering_actor ==",
];

static META: RuleMeta = RuleMeta {
    id: "gha-issue-comment-pr-checkout",
    title: "Comment-triggered workflow runs the commented pull request's code",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::Tampering,
        Stride::InformationDisclosure,
    ],
    cwe: &["CWE-829", "CWE-94"],
    capec: &["CAPEC-444"],
    attack: &["T1195.002"],
    likelihood: 7,
    impact: 9,
    what: "A workflow triggered by `issue_comment` with a job that checks out the pull request the comment is on \
           (`actions/checkout` with a `ref` of `refs/pull/${{ github.event.issue.number }}/head` or the head ref \
           resolved by a previous step, `gh pr checkout`, `git fetch origin pull/N/head`), then runs code from the \
           working directory (a local action, a workspace script, a build tool or package manager). A job whose \
           `if:` restricts commenters (`author_association`, `github.actor ==`) is still reported, with a lower \
           likelihood: the pull request can change between the comment and the checkout. No Checkov equivalent.",
    why: "`issue_comment` workflows run from the default branch with its secrets and a token with the repository's \
          default permissions, and anyone can comment on a public repository's pull requests. Checking out the \
          pull request's code and building or testing it runs the author's code (build scripts, test files, \
          package install hooks) with those privileges. Even when only maintainers may trigger it, the author can \
          push a new commit after the maintainer's comment and before the checkout.",
    example: "on: issue_comment\njobs:\n  test:\n    if: github.event.issue.pull_request && contains(github.event.comment.body, '/test')\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.issue.number }}/head\n      - run: npm ci && npm test",
    remediation: "Run pull request code in `pull_request` workflows; let comments only approve, label or dispatch.",
    fix: &[
        "Move the build and tests of pull request code to a `pull_request` workflow (no secrets, read-only token for forks).",
        "If a comment must start privileged work, have it add a label or dispatch a workflow on a reviewed commit SHA, and check out that exact SHA, not the branch.",
        "Restrict the job to trusted commenters (`github.event.comment.author_association` in OWNER/MEMBER/COLLABORATOR) and give it `permissions: {}` plus only the secrets it needs.",
    ],
    verify: &[
        "No `issue_comment` job checks out `refs/pull/...` or a head ref and then runs build or test commands; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A job that checks out the pull request only to read files (labelling, diff statistics) without executing anything from it is not exploitable; the rule requires a later step that runs workspace code, but actions that execute workspace files on their own are not recognised.",
    references: &[
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
        "https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#issue_comment",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.2.3"),
        (Objective::PciDss4, "6.5.1"),
        (Objective::Soc2, "CC8.1"),
    ],
};

impl Rule for IssueCommentCheckout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            let triggers = github::triggers(pipeline);
            if !triggers.contains(&"issue_comment") {
                continue;
            }
            // `gha-pull-request-target-checkout` already reports head checkouts of these workflows.
            let privileged_checkout_reported = triggers
                .iter()
                .any(|t| matches!(*t, "pull_request_target" | "workflow_run"));
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                let Some((position, checkout, line)) =
                    github::job_steps(job).enumerate().find_map(|(i, step)| {
                        pr_checkout(step, privileged_checkout_reported)
                            .map(|(what, line)| (i + 1, what, line))
                    })
                else {
                    continue;
                };
                // From the checkout step itself: `gh pr checkout 12 && make` does both in one script.
                let Some((_, runner, what)) = first_code_execution(job, position - 1) else {
                    continue;
                };
                let condition = job.get("if").and_then(Value::as_str).unwrap_or_default();
                let compact: String = condition
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let gated = TRUSTED_COMMENTERS.iter().any(|t| compact.contains(t));
                let mut hit = Hit::new(
                    format!("{}:{job_id}", pipeline.id),
                    format!(
                        "{}: job `{job_id}` runs the commented pull request's code with the repository's secrets",
                        pipeline.name
                    ),
                    format!("on `issue_comment`, {checkout}, then {what} runs it"),
                    vec![pipeline.id.clone()],
                    vec![
                        Evidence::at(pipeline.path(), line).with_note(checkout),
                        Evidence::at(pipeline.path(), step_line(runner)).with_note(format!("runs {what}")),
                    ],
                );
                if gated {
                    hit.likelihood = Some((
                        4,
                        format!(
                            "the job only runs for trusted commenters (`if: {condition}`), but the pull request can change after the comment"
                        ),
                    ));
                } else {
                    hit = hit.exposing();
                }
                hits.push(hit);
            }
        }
        hits
    }
}

/// A step that checks out the commented pull request's code: what it does, and its line.
fn pr_checkout(step: &Value, privileged_checkout_reported: bool) -> Option<(String, Option<u32>)> {
    if uses_action(step, "actions/checkout").is_some() {
        let reference = input(step, "ref")?;
        let names_pr = PR_REFS.iter().any(|r| reference.contains(r));
        if !names_pr || (privileged_checkout_reported && HEAD_REFS.iter().any(|h| reference.contains(h))) {
            return None;
        }
        return Some((format!("checks out `{reference}`"), input_line(step, "ref")));
    }
    let script = step.get("run").and_then(Value::as_str)?;
    for (_, command) in commands(script) {
        let words = words(&command);
        let pr_checkout = words
            .windows(3)
            .any(|w| (w[0] == "gh" || w[0] == "hub") && w[1] == "pr" && w[2] == "checkout");
        let pr_fetch = words.first().is_some_and(|w| w == "git")
            && words.get(1).is_some_and(|w| w == "fetch")
            && words
                .iter()
                .any(|w| w.contains("pull/") && (w.contains("/head") || w.contains("/merge")));
        if pr_checkout || pr_fetch {
            return Some((format!("runs `{command}`"), step_line(step)));
        }
    }
    None
}

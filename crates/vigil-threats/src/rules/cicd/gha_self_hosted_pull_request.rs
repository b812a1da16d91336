//! `gha-self-hosted-runner-pull-request`: pull request code from any fork runs on the organisation's own
//! machines.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{is_computed, workflows};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SelfHostedPullRequest;

/// Events whose runs execute the pull request's (merge) commit, forks included.
const PULL_REQUEST_EVENTS: [&str; 3] = [
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
];

/// `if:` fragments that keep forks out: the head repository must be this one (compared without
/// whitespace).
const SAME_REPOSITORY_GUARDS: [&str; 4] = [
    "head.repo.full_name==github.repository",
    "github.repository==github.event.pull_request.head.repo.full_name",
    "head.repo.fork==false",
    "!github.event.pull_request.head.repo.fork",
];

static META: RuleMeta = RuleMeta {
    id: "gha-self-hosted-runner-pull-request",
    title: "Pull requests from forks run on a self-hosted runner",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::Tampering,
        Stride::InformationDisclosure,
    ],
    cwe: &["CWE-284", "CWE-829"],
    capec: &["CAPEC-444"],
    attack: &["T1195.002", "T1552"],
    likelihood: 5,
    impact: 8,
    what: "A job with the `self-hosted` label in `runs-on` (a string, a list or `labels:`) in a workflow triggered \
           by `pull_request`, `pull_request_review` or `pull_request_review_comment`, without an `if:` that \
           requires the pull request to come from this repository (`github.event.pull_request.head.repo.full_name \
           == github.repository`). Runner groups and custom labels that do not say `self-hosted` cannot be told \
           apart from GitHub-hosted runners and are not reported; nor are `runs-on` expressions. No Checkov \
           equivalent.",
    why: "On a public repository anyone can open a pull request, and its code runs on the runner. Unlike \
          GitHub-hosted runners, a self-hosted one is not a fresh virtual machine per job: the pull request can \
          leave a backdoor that reads the secrets and tokens of later jobs (releases, deployments), and reach the \
          network the machine sits in (internal services, cloud metadata).",
    example: "on: pull_request\njobs:\n  test:\n    runs-on: [self-hosted, linux]\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test",
    remediation: "Run pull request jobs on GitHub-hosted (or ephemeral, isolated) runners, or keep forks out of them.",
    fix: &[
        "Use GitHub-hosted runners for jobs that build pull requests.",
        "If self-hosted runners are required, make them ephemeral (`--ephemeral`, one job per fresh VM or container), in a runner group limited to this repository, on a network segment without internal access.",
        "Add `if: github.event.pull_request.head.repo.full_name == github.repository` to the job, and require approval for workflows from outside collaborators (Settings > Actions > Fork pull request workflows).",
    ],
    verify: &[
        "The job's `runs-on` no longer names `self-hosted` for pull request events, or the job has the same-repository `if:`; Settings > Actions > General requires approval for fork pull request workflows from outside collaborators.",
    ],
    mitigated_by: &["ephemeral-isolated-runners"],
    false_positives: "Private repositories only run pull requests from people with access (and fork workflows are off by default there); ephemeral runners that start from a clean image for every job remove the persistence part of the risk, which you can record as the `ephemeral-isolated-runners` control.",
    references: &[
        "https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security",
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#hardening-for-self-hosted-runners",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.5.1"),
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
    ],
};

impl Rule for SelfHostedPullRequest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            let triggers = github::triggers(pipeline);
            let Some(event) = PULL_REQUEST_EVENTS.iter().find(|e| triggers.contains(e)) else {
                continue;
            };
            for job in github::jobs(pipeline) {
                if !self_hosted(job.get("runs_on")) {
                    continue;
                }
                let condition = job.get("if").and_then(Value::as_str).unwrap_or_default();
                let compact: String = condition.chars().filter(|c| !c.is_whitespace()).collect();
                if SAME_REPOSITORY_GUARDS.iter().any(|g| compact.contains(g)) {
                    continue;
                }
                let job_id = github::job_id(job);
                let trigger_line = pipeline
                    .attribute_lines
                    .get(&format!("triggers.{event}"))
                    .or_else(|| pipeline.attribute_lines.get("on"))
                    .copied();
                hits.push(
                    Hit::new(
                        format!("{}:{job_id}", pipeline.id),
                        format!(
                            "{}: job `{job_id}` runs pull requests from forks on a self-hosted runner",
                            pipeline.name
                        ),
                        format!(
                            "runs-on: {} and the workflow runs on `{event}`, with no same-repository condition",
                            job.get("runs_on").map(Value::to_string).unwrap_or_default()
                        ),
                        vec![pipeline.id.clone()],
                        vec![
                            Evidence::at(pipeline.path(), github::line_at(job, "/line"))
                                .with_note("runs-on: self-hosted"),
                            Evidence::at(pipeline.path(), trigger_line).with_note(format!("on: {event}")),
                        ],
                    )
                    .exposing(),
                );
            }
        }
        hits
    }
}

/// Whether `runs-on` names the `self-hosted` label (string, list, or `labels:` of the mapping form).
fn self_hosted(runs_on: Option<&Value>) -> bool {
    let is_label = |v: &Value| {
        v.as_str()
            .is_some_and(|s| !is_computed(s) && s.trim().eq_ignore_ascii_case("self-hosted"))
    };
    match runs_on {
        Some(Value::String(_)) => runs_on.is_some_and(is_label),
        Some(Value::Array(labels)) => labels.iter().any(is_label),
        Some(Value::Object(fields)) => match fields.get("labels") {
            Some(Value::Array(labels)) => labels.iter().any(is_label),
            Some(label) => is_label(label),
            None => false,
        },
        _ => false,
    }
}

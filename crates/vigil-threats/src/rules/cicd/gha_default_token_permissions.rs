//! `gha-default-token-permissions`: a workflow that outsiders can trigger and that declares no
//! `permissions:`, so its token gets whatever the repository's default is.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::workflows;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DefaultTokenPermissions;

/// Events anyone who can read a public repository can cause, and that run in the base repository's
/// context (its secrets and a token with the default permissions), unlike `pull_request` from a fork.
const OUTSIDER_EVENTS: [&str; 8] = [
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "fork",
    "watch",
];

static META: RuleMeta = RuleMeta {
    id: "gha-default-token-permissions",
    title: "Workflow triggered by outsiders runs with the default token permissions",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-276"],
    capec: &["CAPEC-122"],
    attack: &["T1528"],
    likelihood: 4,
    impact: 7,
    what: "A workflow triggered by an event outsiders can cause in the base repository's context \
           (`pull_request_target`, `workflow_run`, `issue_comment`, `issues`, `discussion`, \
           `discussion_comment`, `fork`, `watch`) with no `permissions:` at the top and jobs without their own \
           `permissions:`. Those jobs get the repository's default `GITHUB_TOKEN` permissions, which are \
           read/write on every scope for repositories and organisations created before February 2023 unless \
           changed. Workflows triggered only by `push`, `pull_request` or manual events are not reported: a \
           fork's `pull_request` token is read-only whatever the default. No Checkov equivalent (CKV2_GHA_1 \
           only flags an explicit `write-all`).",
    why: "These workflows run on events anyone can cause, often over text anyone can write (issue titles, \
          comments, artifacts of a fork's run). When one of their steps is compromised (script injection, a \
          poisoned action), the token it steals is as strong as the repository default: with read/write \
          defaults it can push to branches, create releases and change issues and pull requests.",
    example: "on: issue_comment\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./triage.sh",
    remediation: "Declare `permissions:` at the top of the workflow with only the scopes it needs.",
    fix: &[
        "Add `permissions: {}` (or `contents: read`) at the top of the workflow.",
        "Give each job that needs more its own `permissions:` with just those scopes (e.g. `issues: write`).",
        "Set the repository and organisation default workflow permissions to read-only (Settings > Actions > General > Workflow permissions).",
    ],
    verify: &[
        "The workflow has a top-level `permissions:`; `gh api repos/OWNER/REPO/actions/permissions/workflow` shows `\"default_workflow_permissions\": \"read\"`.",
    ],
    mitigated_by: &["org-default-read-only-token"],
    false_positives: "Repositories whose default workflow permissions are already read-only (new repositories since February 2023, or changed in settings) are not exposed beyond read access; the workflow should still state what it needs, since the default can be changed later. Private repositories limit who can trigger these events to people with access.",
    references: &[
        "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token",
        "https://github.blog/changelog/2023-02-02-github-actions-updating-the-default-github_token-permissions-to-read-only/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.3"),
        (Objective::OwaspAsvs, "V4.1.3"),
    ],
};

impl Rule for DefaultTokenPermissions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            if !pipeline.attributes.get("permissions").is_none_or(Value::is_null) {
                continue;
            }
            let triggers = github::triggers(pipeline);
            let events: Vec<&str> = OUTSIDER_EVENTS
                .iter()
                .copied()
                .filter(|e| triggers.contains(e))
                .collect();
            let Some(first_event) = events.first() else {
                continue;
            };
            let exposed: Vec<&Value> = github::jobs(pipeline)
                .filter(|job| job.get("permissions").is_none_or(Value::is_null))
                .collect();
            let Some(first_job) = exposed.first() else {
                continue;
            };
            let job_ids: Vec<String> = exposed
                .iter()
                .map(|j| format!("`{}`", github::job_id(j)))
                .collect();
            let event_list: Vec<String> = events.iter().map(|e| format!("`{e}`")).collect();
            let trigger_line = pipeline
                .attribute_lines
                .get(&format!("triggers.{first_event}"))
                .or_else(|| pipeline.attribute_lines.get("on"))
                .copied();
            hits.push(Hit::new(
                format!("{}:default-token", pipeline.id),
                format!(
                    "{}: jobs run on {} with the repository's default token permissions",
                    pipeline.name,
                    event_list.join(", ")
                ),
                format!(
                    "no `permissions:` at the top of the workflow nor on job(s) {}; their GITHUB_TOKEN gets the \
                     repository default (read/write on every scope unless the default was set to read-only)",
                    job_ids.join(", ")
                ),
                vec![pipeline.id.clone()],
                vec![
                    Evidence::at(pipeline.path(), trigger_line).with_note(format!("on: {first_event}")),
                    Evidence::at(pipeline.path(), github::line_at(first_job, "/line")).with_note(format!(
                        "job `{}` has no permissions",
                        github::job_id(first_job)
                    )),
                ],
            ));
        }
        hits
    }
}

//! `gha-reusable-workflow-secrets-inherit`: every secret of the repository handed to a reusable workflow
//! that lives in another repository.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github::{self, is_third_party};

use super::support::{action_ref, is_commit_sha, workflows};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ReusableWorkflowSecretsInherit;

static META: RuleMeta = RuleMeta {
    id: "gha-reusable-workflow-secrets-inherit",
    title: "All secrets are passed to a reusable workflow from another repository",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-200", "CWE-829"],
    capec: &["CAPEC-538"],
    attack: &["T1195.002", "T1552"],
    likelihood: 4,
    impact: 8,
    what: "A job that calls a reusable workflow of another repository (`uses: owner/repo/.github/workflows/x.yml@ref`, \
           outside GitHub's `actions/` and `github/` organisations) with `secrets: inherit`. Local reusable \
           workflows (`./.github/workflows/...`) are not reported. The likelihood is lower when the call is pinned \
           to a commit SHA. No Checkov equivalent.",
    why: "`secrets: inherit` gives the called workflow every secret the caller can read (repository, environment \
          and organisation secrets), not just the ones it needs. Its code is maintained elsewhere: whoever can \
          change it (or move the tag or branch the call names) can read all of them on the next run.",
    example: "jobs:\n  release:\n    uses: some-org/shared-workflows/.github/workflows/release.yml@main\n    secrets: inherit",
    remediation: "Pass only the secrets the called workflow declares, and pin the call to a commit SHA.",
    fix: &[
        "Replace `secrets: inherit` by an explicit map of the secrets the called workflow declares under `on.workflow_call.secrets` (`secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`).",
        "Pin the call to a full commit SHA (`@<sha> # v1.2.0`) and update it through reviewed pull requests.",
        "Restrict which reusable workflows may be used (Settings > Actions > General > Allow specified actions and reusable workflows).",
    ],
    verify: &[
        "`grep -n 'secrets: inherit' .github/workflows/*.yml` shows no call to another repository's workflow.",
    ],
    mitigated_by: &["actions-allowlist-pinned"],
    false_positives: "Reusable workflows of your own organisation, maintained by the same people and pinned to a SHA, are a much smaller risk; listing the secrets still keeps a compromised or buggy shared workflow from reading the ones it does not need.",
    references: &[
        "https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idsecretsinherit",
        "https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow",
        "https://cwe.mitre.org/data/definitions/200.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Soc2, "CC9.2"),
    ],
};

impl Rule for ReusableWorkflowSecretsInherit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            for job in github::jobs(pipeline) {
                let Some(uses) = job.get("uses").and_then(Value::as_str) else {
                    continue;
                };
                if job.get("secrets").and_then(Value::as_str) != Some("inherit") || !is_third_party(uses) {
                    continue;
                }
                let job_id = github::job_id(job);
                let pinned = is_commit_sha(action_ref(uses));
                let mut hit = Hit::new(
                    format!("{}:{job_id}", pipeline.id),
                    format!(
                        "{}: job `{job_id}` hands every secret to {}",
                        pipeline.name,
                        uses.split('@').next().unwrap_or(uses)
                    ),
                    format!("uses: {uses} with secrets: inherit"),
                    vec![pipeline.id.clone()],
                    vec![
                        Evidence::at(
                            pipeline.path(),
                            github::line_at(job, "/secrets_line").or_else(|| github::line_at(job, "/line")),
                        )
                        .with_note("secrets: inherit"),
                        Evidence::at(pipeline.path(), github::line_at(job, "/uses_line"))
                            .with_note(format!("uses: {uses}")),
                    ],
                );
                if pinned {
                    hit.likelihood = Some((
                        2,
                        "the reusable workflow is pinned to a commit SHA: only a reviewed update changes it"
                            .into(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

//! `gha-write-all-permissions`: a workflow or job that grants its token write access to everything.

use serde_json::Value;
use vigil_core::{AssetKind, Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct WriteAllPermissions;

static META: RuleMeta = RuleMeta {
    id: "gha-write-all-permissions",
    title: "Workflow token has write access to everything",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-272"],
    capec: &["CAPEC-122"],
    attack: &["T1528", "T1195.002"],
    likelihood: 4,
    impact: 7,
    what: "`permissions: write-all` at the top of a workflow or on a job.",
    why: "Any step that is compromised (a poisoned action, an injected script) inherits a `GITHUB_TOKEN` that can \
          push code, create releases, approve pull requests and change packages. Least privilege limits what one \
          bad step can do.",
    example: "permissions: write-all",
    remediation: "Declare only the scopes the workflow needs.",
    fix: &[
        "Replace `write-all` by a map with the scopes used, e.g. `contents: read` and `pull-requests: write`.",
        "Set the repository or organisation default workflow permissions to read-only.",
    ],
    verify: &["`permissions:` lists explicit scopes; the workflow still succeeds."],
    mitigated_by: &["org-default-read-only-token"],
    false_positives: "Repositories whose default token permission is already read-only in the organisation settings are less exposed; the workflow should still declare what it needs.",
    references: &[
        "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.3"),
        (Objective::OwaspAsvs, "V4.1.3"),
    ],
};

impl Rule for WriteAllPermissions {
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
            if pipeline.attributes.get("permissions").and_then(Value::as_str) == Some("write-all") {
                hits.push(Hit {
                    subject: format!("{}:workflow", pipeline.id),
                    title: format!("{}: every job's token can write everything", pipeline.name),
                    detail: "permissions: write-all (workflow level)".into(),
                    assets: vec![pipeline.id.clone()],
                    evidence: vec![Evidence::at(
                        pipeline.path(),
                        pipeline.attribute_lines.get("permissions").copied(),
                    )],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                });
            }
            for job in github::jobs(pipeline) {
                if job.get("permissions").and_then(Value::as_str) != Some("write-all") {
                    continue;
                }
                let job_id = github::job_id(job);
                hits.push(Hit {
                    subject: format!("{}:{job_id}", pipeline.id),
                    title: format!("{}: job `{job_id}` token can write everything", pipeline.name),
                    detail: format!("permissions: write-all (job `{job_id}`)"),
                    assets: vec![pipeline.id.clone()],
                    evidence: vec![Evidence::at(pipeline.path(), github::line_at(job, "/line"))],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                });
            }
        }
        hits
    }
}

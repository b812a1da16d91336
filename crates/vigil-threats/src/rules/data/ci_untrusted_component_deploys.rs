//! `ci-untrusted-component-deploys`: a pipeline that deploys to a cloud account runs third-party CI
//! components alongside the cloud credentials.

use serde_json::Value;
use vigil_core::{AssetKind, BoundaryKind, Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use crate::graph::component_hit;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CiUntrustedComponentDeploys;

/// The entity the model builder adds for third-party CI components (actions, images, includes).
const CI_COMPONENTS: &str = "ext:third-party-actions";

/// Organisations of the cloud providers' own actions: trusted as much as the cloud they log in to.
const CLOUD_VENDORS: &[&str] = &["aws-actions/", "azure/", "google-github-actions/"];

/// What a job uses to obtain cloud credentials.
const CREDENTIAL_MARKERS: &[&str] = &[
    "aws-actions/configure-aws-credentials",
    "secrets.AWS_",
    "azure/login",
    "secrets.AZURE_",
    "google-github-actions/auth",
    "secrets.GCP_",
    "secrets.GOOGLE_",
];

static META: RuleMeta = RuleMeta {
    id: "ci-untrusted-component-deploys",
    title: "Third-party CI components run with cloud deploy credentials",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-829"],
    capec: &["CAPEC-511"],
    attack: &["T1195.001"],
    likelihood: 4,
    impact: 9,
    what: "A pipeline with both a flow from third-party CI components (actions outside GitHub's `actions/` and \
           `github/`, images, includes) and a flow into a cloud account (it configures cloud credentials). In \
           GitHub Actions only components in the jobs that obtain the credentials count, and the cloud \
           vendor's own actions (`aws-actions/`, `azure/`, `google-github-actions/`) are trusted. Likelihood \
           is higher when one of them is pinned to a tag or branch rather than a commit. Threagile: \
           code-backdooring (build pipeline).",
    why: "A third-party action runs with everything its job holds: the cloud credentials exported to the \
          environment, the checked-out code and the artifacts being deployed. A compromised or hijacked action \
          (tags were moved in tj-actions/changed-files in 2025) can exfiltrate the keys or backdoor what is \
          deployed, and the deployment is trusted because it came from CI.",
    example: "jobs:\n  deploy:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n      \
              - uses: some-org/setup-tool@v1   # runs with the AWS credentials\n      \
              - run: terraform apply -auto-approve",
    remediation: "Keep third-party components out of the job that holds cloud credentials, or pin and review them.",
    fix: &[
        "Split the workflow: build and test with third-party components in one job, and deploy in a separate job that only downloads the artifact and runs first-party steps.",
        "Pin every third-party component in the deploy job to a full commit SHA and review its code on each update (Dependabot or Renovate can propose SHA bumps).",
        "Restrict allowed actions at the organisation level (allow-list of verified creators and specific actions); record `ci-component-allowlist` on the pipeline in vigil-model.yaml.",
        "Use short-lived OIDC credentials scoped to the deploy job and a protected environment with required reviewers.",
    ],
    verify: &[
        "The job that configures cloud credentials uses no third-party component, or only SHA-pinned ones on the organisation's allow-list.",
        "Re-run `vigil assess`: the finding is gone or mitigated.",
    ],
    mitigated_by: &["ci-component-allowlist"],
    false_positives: "Outside GitHub Actions jobs are not separated, so a third-party component in a build job \
                      that never sees the credentials is reported; a widely used, SHA-pinned setup action \
                      weighs less, and the likelihood says so.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
        "https://cwe.mitre.org/data/definitions/829.html",
        "https://threagile.io/",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::OwaspAsvs, "V10.3.2"),
        (Objective::OwaspAsvs, "V14.2.4"),
    ],
};

/// A full commit SHA after `@`.
fn pinned(uses: &str) -> bool {
    uses.rsplit_once('@')
        .is_some_and(|(_, r)| r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit()))
}

fn untrusted(uses: &str) -> bool {
    github::is_third_party(uses) && !CLOUD_VENDORS.iter().any(|v| uses.starts_with(v))
}

/// The untrusted components of the jobs holding cloud credentials: (job id, uses, line).
fn in_credentialed_jobs(pipeline: &vigil_core::Asset) -> Vec<(String, String, Option<u32>)> {
    let mut out = Vec::new();
    for job in github::jobs(pipeline) {
        let text = job.to_string();
        if !CREDENTIAL_MARKERS.iter().any(|m| text.contains(m)) {
            continue;
        }
        let id = github::job_id(job).to_owned();
        if let Some(uses) = job.get("uses").and_then(Value::as_str)
            && untrusted(uses)
        {
            out.push((id.clone(), uses.to_owned(), github::line_at(job, "/uses_line")));
        }
        for step in github::job_steps(job) {
            if let Some(uses) = step.get("uses").and_then(Value::as_str)
                && untrusted(uses)
            {
                out.push((id.clone(), uses.to_owned(), github::line_at(step, "/uses_line")));
            }
        }
    }
    out
}

impl Rule for CiUntrustedComponentDeploys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for inbound in model.flows.iter().filter(|f| f.source == CI_COMPONENTS) {
            let Some(pipeline) = model.component(&inbound.target) else {
                continue;
            };
            if pipeline.out_of_scope.is_some() {
                continue;
            }
            let deploy = model.flows.iter().find(|f| {
                f.source == pipeline.id
                    && model
                        .component(&f.target)
                        .and_then(|t| t.boundary.as_deref())
                        .and_then(|b| model.boundaries.iter().find(|x| x.id == b))
                        .is_some_and(|b| b.kind == BoundaryKind::CloudAccount)
            });
            let Some(deploy) = deploy else {
                continue;
            };
            let cloud = model
                .component(&deploy.target)
                .map_or(deploy.target.as_str(), |c| &c.name);
            let asset = pipeline
                .assets
                .iter()
                .filter_map(|id| ctx.inventory.get(id))
                .find(|a| a.kind == AssetKind::Pipeline);
            let components: Vec<(String, String, Option<u32>)> = match asset {
                Some(asset) if github::is_github_actions(asset) => in_credentialed_jobs(asset),
                Some(asset) => github::steps(asset)
                    .into_iter()
                    .filter(|(uses, _)| untrusted(uses))
                    .map(|(uses, line)| (String::new(), uses, line))
                    .collect(),
                None => vec![(String::new(), inbound.label.clone(), None)],
            };
            if components.is_empty() {
                continue;
            }
            let unpinned: Vec<&str> = components
                .iter()
                .filter(|(_, uses, _)| !pinned(uses))
                .map(|(_, uses, _)| uses.as_str())
                .collect();
            let path = asset.map(|a| a.path().to_owned()).unwrap_or_default();
            let mut evidence: Vec<Evidence> = components
                .iter()
                .take(3)
                .map(|(job, uses, line)| {
                    let note = if job.is_empty() {
                        format!("uses {uses}")
                    } else {
                        format!("job `{job}` uses {uses}")
                    };
                    Evidence::at(path.clone(), *line).with_note(note)
                })
                .collect();
            evidence.extend(deploy.evidence.iter().take(1).cloned());
            let listed: Vec<String> = components
                .iter()
                .take(3)
                .map(|(job, uses, _)| {
                    if job.is_empty() {
                        uses.clone()
                    } else {
                        format!("{uses} (job `{job}`)")
                    }
                })
                .collect();
            let detail = format!(
                "{} deploys to {cloud} (`{}`) and runs {} third-party component{} with the credentials: {}{}{}{}",
                pipeline.name,
                deploy.label,
                components.len(),
                if components.len() == 1 { "" } else { "s" },
                listed.join(", "),
                if components.len() > 3 { ", ..." } else { "" },
                if unpinned.is_empty() {
                    "; all are pinned to a commit".to_owned()
                } else {
                    format!("; not pinned to a commit: {}", unpinned.join(", "))
                },
                if pipeline.control(META.mitigated_by).is_some() {
                    String::new()
                } else {
                    "; no `ci-component-allowlist` is recorded on the pipeline".to_owned()
                },
            );
            let mut hit = component_hit(
                pipeline,
                "untrusted-deploy-components",
                format!(
                    "{}: third-party CI components run with {cloud} credentials",
                    pipeline.name
                ),
                detail,
                evidence,
            );
            hit.likelihood = if unpinned.is_empty() {
                Some((
                    3,
                    "every component is pinned to a commit: a compromise needs a reviewed update".into(),
                ))
            } else {
                Some((
                    5,
                    format!("{} can change under the same tag", unpinned.join(", ")),
                ))
            };
            hits.push(hit);
        }
        hits
    }
}

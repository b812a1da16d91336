//! `ci-static-cloud-credentials`: a pipeline that deploys to AWS with long-lived access keys instead of
//! short-lived federated credentials.

use vigil_core::{AssetKind, FindingKind, Objective, Stride};
use vigil_model::github;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StaticCloudCredentials;

static META: RuleMeta = RuleMeta {
    id: "ci-static-cloud-credentials",
    title: "CI deploys to the cloud with long-lived access keys",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-798", "CWE-522"],
    capec: &["CAPEC-560"],
    attack: &["T1078.004", "T1552"],
    likelihood: 4,
    impact: 8,
    what: "A flow from a CI pipeline into the AWS control plane authenticated with the repository secrets \
           `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (or similar) rather than OIDC federation \
           (`role-to-assume` with `id-token: write`).",
    why: "Static keys never expire: one leak through a compromised action, a log or a fork-triggered workflow \
          gives lasting access to the account. OIDC tokens are scoped to a repository and branch and expire \
          within an hour.",
    example: "- uses: aws-actions/configure-aws-credentials@v4\n  with:\n    aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}",
    remediation: "Federate CI into AWS with OIDC and delete the static keys.",
    fix: &[
        "Create an IAM OIDC provider for `token.actions.githubusercontent.com` and a role trusting this repository (and branch).",
        "Use `aws-actions/configure-aws-credentials` with `role-to-assume` and grant `permissions: id-token: write`.",
        "Delete the access keys and the repository secrets that held them.",
    ],
    verify: &[
        "The workflow has no `AWS_SECRET_ACCESS_KEY` secret; CloudTrail shows `AssumeRoleWithWebIdentity` for CI.",
    ],
    mitigated_by: &[],
    false_positives: "Keys scoped to a sandbox account with no production access weigh less; the rule still holds since long-lived keys leak through logs and forks.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
    ],
    compliance: &[
        (
            Objective::PciDss4,
            "8.6.3 passwords/passphrases for application and system accounts are protected and changed",
        ),
        (Objective::Soc2, "CC6.1 protection of credentials"),
    ],
};

impl Rule for StaticCloudCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for flow in ctx.model.flows.iter().filter(|f| f.target == "ext:aws-api") {
            let Some(pipeline) = ctx
                .inventory
                .of_kind(AssetKind::Pipeline)
                .find(|p| format!("ci:{}", p.path()) == flow.source)
            else {
                continue;
            };
            let secrets = github::secrets(pipeline);
            let Some(secret) = secrets
                .iter()
                .find(|s| s.contains("SECRET_ACCESS_KEY") || s.contains("ACCESS_KEY_ID"))
            else {
                continue;
            };
            hits.push(Hit {
                subject: format!("{}:static-keys", pipeline.id),
                title: format!(
                    "{} deploys to AWS with the long-lived key secrets.{secret}",
                    pipeline.name
                ),
                detail: format!(
                    "flow {} -> AWS control plane authenticates with secrets.{secret}",
                    flow.source
                ),
                assets: vec![pipeline.id.clone()],
                evidence: flow.evidence.clone(),
                exposes_to_internet: false,
                likelihood: None,
                impact: None,
            });
        }
        hits
    }
}

//! `ci-static-cloud-credentials`: a pipeline that deploys to AWS, Google Cloud or Azure with long-lived
//! credentials instead of short-lived federated ones.

use serde_json::Value;
use vigil_core::{Asset, AssetKind, Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{commands, input, input_line, run_steps, script_line, uses_action, words};
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
           (`role-to-assume` with `id-token: write`). Also a pipeline that logs in to Google Cloud with a \
           service account key (`google-github-actions/auth` with `credentials_json`, `setup-gcloud` with \
           `service_account_key`, `gcloud auth activate-service-account --key-file`) or to Azure with a service \
           principal secret (`azure/login` with `creds`, `az login --service-principal` without \
           `--federated-token`). No Checkov equivalent.",
    why: "Static keys never expire: one leak through a compromised action, a log or a fork-triggered workflow \
          gives lasting access to the account. OIDC tokens (AWS `AssumeRoleWithWebIdentity`, Google Workload \
          Identity Federation, Azure federated credentials) are scoped to a repository and branch and expire \
          within an hour.",
    example: "- uses: aws-actions/configure-aws-credentials@v4\n  with:\n    aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}",
    remediation: "Federate CI into the cloud with OIDC and delete the static keys.",
    fix: &[
        "AWS: create an IAM OIDC provider for `token.actions.githubusercontent.com` (or your CI's issuer) and a role trusting this repository and branch; use `aws-actions/configure-aws-credentials` with `role-to-assume` and `permissions: id-token: write`.",
        "Google Cloud: create a Workload Identity Pool and provider for the CI issuer, and use `google-github-actions/auth` with `workload_identity_provider` (and `service_account` if impersonating) instead of `credentials_json`.",
        "Azure: add a federated credential to the app registration or managed identity and use `azure/login` with `client-id`, `tenant-id` and `subscription-id` (no `creds`), or `az login --service-principal --federated-token`.",
        "Delete the access keys, service account keys or client secrets, and the CI secrets that held them.",
    ],
    verify: &[
        "The pipeline references no static key secret; the cloud's audit log shows federated logins for CI (CloudTrail `AssumeRoleWithWebIdentity`, GCP `sts.googleapis.com` token exchanges, Entra ID sign-ins with a federated credential).",
    ],
    mitigated_by: &[],
    false_positives: "Keys scoped to a sandbox account with no production access weigh less; the rule still holds since long-lived keys leak through logs and forks.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services",
        "https://github.com/google-github-actions/auth#preferred-direct-workload-identity-federation",
        "https://learn.microsoft.com/en-us/azure/developer/github/connect-from-azure-openid-connect",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[(Objective::PciDss4, "8.6.3"), (Objective::Soc2, "CC6.1")],
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
        for pipeline in ctx.inventory.of_kind(AssetKind::Pipeline) {
            for (cloud, what, evidence) in static_logins(pipeline) {
                hits.push(Hit::new(
                    format!(
                        "{}:static-keys:{}",
                        pipeline.id,
                        cloud.to_ascii_lowercase().replace(' ', "-")
                    ),
                    format!("{} deploys to {cloud} with {what}", pipeline.name),
                    format!("{what} instead of a federated (OIDC) login"),
                    vec![pipeline.id.clone()],
                    vec![evidence],
                ));
            }
        }
        hits
    }
}

/// Logins to Google Cloud and Azure with long-lived credentials, one per cloud: (cloud, what, where).
fn static_logins(pipeline: &Asset) -> Vec<(&'static str, String, Evidence)> {
    let mut out: Vec<(&'static str, String, Evidence)> = Vec::new();
    let mut add = |cloud: &'static str, what: String, line: Option<u32>| {
        if !out.iter().any(|(c, _, _)| *c == cloud) {
            out.push((
                cloud,
                what.clone(),
                Evidence::at(pipeline.path(), line).with_note(what),
            ));
        }
    };
    for job in github::jobs(pipeline) {
        for step in github::job_steps(job) {
            if uses_action(step, "google-github-actions/auth").is_some()
                && has_input(step, "credentials_json")
            {
                add(
                    "Google Cloud",
                    "a service account key (`credentials_json`)".into(),
                    input_line(step, "credentials_json"),
                );
            }
            if uses_action(step, "google-github-actions/setup-gcloud").is_some()
                && has_input(step, "service_account_key")
            {
                add(
                    "Google Cloud",
                    "a service account key (`service_account_key`)".into(),
                    input_line(step, "service_account_key"),
                );
            }
            if uses_action(step, "azure/login").is_some() && has_input(step, "creds") {
                add(
                    "Azure",
                    "a service principal secret (`creds`)".into(),
                    input_line(step, "creds"),
                );
            }
        }
    }
    for run in run_steps(pipeline) {
        for (offset, command) in commands(run.script) {
            let words = words(&command);
            let has = |w: &str| words.iter().any(|x| x == w || x.starts_with(&format!("{w}=")));
            let line = script_line(pipeline, &run, offset);
            if words
                .windows(3)
                .any(|w| w[0] == "gcloud" && w[1] == "auth" && w[2] == "activate-service-account")
                && has("--key-file")
            {
                add(
                    "Google Cloud",
                    "a service account key file (`--key-file`)".into(),
                    line,
                );
            }
            if words.windows(2).any(|w| w[0] == "az" && w[1] == "login")
                && has("--service-principal")
                && !has("--federated-token")
            {
                add(
                    "Azure",
                    "a service principal secret or certificate (`az login --service-principal`)".into(),
                    line,
                );
            }
        }
    }
    out
}

/// Whether a step input is given a non-empty value.
fn has_input(step: &Value, name: &str) -> bool {
    input(step, name).is_some_and(|v| !v.trim().is_empty())
}

//! `aws-iam-user-access-key`: a long-lived access key for an IAM user, created by the infrastructure code.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, is_cloudformation, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamUserAccessKey;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-user-access-key",
    title: "Long-lived IAM access key created in code",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &["CWE-522", "CWE-798"],
    capec: &["CAPEC-560"],
    attack: &["T1098.001", "T1552.001"],
    likelihood: 4,
    impact: 7,
    what: "An active `aws_iam_access_key` or `AWS::IAM::AccessKey` (not `status` / `Status` `Inactive`). In \
           Terraform without `pgp_key` the secret access key is stored in plain text in the state; in \
           CloudFormation it is usually passed on through an output or a parameter. Checkov: CKV_AWS_273 asks \
           for no IAM users at all.",
    why: "An access key never expires: wherever it is copied (the Terraform state and its backups, CI variables, \
          a developer's `~/.aws/credentials`, an output shown in the console) it keeps working until someone \
          deletes it, and leaked keys are the most common way into AWS accounts. Roles give workloads \
          credentials that expire within hours.",
    example: "resource \"aws_iam_access_key\" \"ci\" {\n  user = aws_iam_user.ci.name\n}",
    remediation: "Use roles with temporary credentials instead of user access keys.",
    fix: &[
        "For CI, use OpenID Connect federation (GitHub Actions, GitLab, Bitbucket) to assume a role; for workloads, instance profiles, task roles or IRSA; for people, IAM Identity Center.",
        "Where a key is unavoidable, create it outside the code, store it in Secrets Manager, rotate it, and keep it out of the Terraform state (or set `pgp_key`).",
        "Delete the key and the state versions that hold it, and check CloudTrail for its use.",
    ],
    verify: &["`aws iam list-access-keys --user-name NAME` returns no active key; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Third-party systems that only accept static keys may need one: accept the finding with the \
                      rotation procedure as the reason.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key",
        "https://cwe.mitre.org/data/definitions/522.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.3.2"),
        (Objective::PciDss4, "8.6.3"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(d)"),
    ],
};

impl Rule for IamUserAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_iam_access_key", "AWS::IAM::AccessKey"])
            .filter(|key| iac::text(key, pick(key, "status", "Status")) != Some("Inactive"))
            .map(|key| {
                let detail = if is_cloudformation(key) {
                    "an active access key for an IAM user"
                } else if iac::present(key, "pgp_key") {
                    "an active access key for an IAM user (its secret is PGP-encrypted in the state)"
                } else {
                    "an active access key for an IAM user, whose secret is stored in plain text in the Terraform state"
                };
                Hit::new(
                    key.id.0.clone(),
                    format!("{} creates a long-lived access key", key.name),
                    detail.into(),
                    vec![key.id.clone()],
                    vec![key.evidence_for_first(&["user", "UserName"])],
                )
            })
            .collect()
    }
}

//! `aws-iam-policy-on-user`: permissions attached to an IAM user directly rather than through a group or
//! role.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamPolicyOnUser;

/// Resources that give a user permissions, and the attribute that says so (present and non-empty).
const ATTACHMENTS: [(&str, &str); 8] = [
    ("aws_iam_user_policy", "user"),
    ("aws_iam_user_policy_attachment", "user"),
    ("aws_iam_policy_attachment", "users"),
    ("AWS::IAM::UserPolicy", "UserName"),
    ("AWS::IAM::Policy", "Users"),
    ("AWS::IAM::ManagedPolicy", "Users"),
    ("AWS::IAM::User", "Policies"),
    ("AWS::IAM::User", "ManagedPolicyArns"),
];

static META: RuleMeta = RuleMeta {
    id: "aws-iam-policy-on-user",
    title: "IAM policy attached directly to a user",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-732"],
    capec: &["CAPEC-122"],
    attack: &["T1078.004"],
    likelihood: 2,
    impact: 4,
    what: "An `aws_iam_user_policy`, an `aws_iam_user_policy_attachment` or an `aws_iam_policy_attachment` with \
           `users`; in CloudFormation an `AWS::IAM::UserPolicy`, an `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` \
           with `Users`, or an `AWS::IAM::User` with `Policies` or `ManagedPolicyArns`. Checkov: CKV_AWS_40.",
    why: "Permissions granted user by user drift: each person accumulates one-off grants nobody reviews, and \
          leavers or role changes keep them. Users also mean long-lived passwords and access keys; permissions \
          belong on groups (for people, ideally through SSO roles) and roles (for workloads), where they are \
          reviewed as a set.",
    example: "resource \"aws_iam_user_policy_attachment\" \"alice\" {\n  user       = aws_iam_user.alice.name\n  policy_arn = \"arn:aws:iam::aws:policy/AmazonS3FullAccess\"\n}",
    remediation: "Grant permissions through groups or roles, not to users.",
    fix: &[
        "Attach the policy to an `aws_iam_group` and add the user to it (`aws_iam_user_group_membership`); CloudFormation: `AWS::IAM::Group` with `ManagedPolicyArns` and the user's `Groups`.",
        "Better, replace IAM users with IAM Identity Center (SSO) permission sets for people and roles for workloads.",
    ],
    verify: &[
        "`aws iam list-attached-user-policies --user-name NAME` and `list-user-policies` return nothing; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A deny-only or self-service policy (manage own MFA device, change own password) on a user is \
                      harmless, and a single break-glass user may carry its policy directly by design.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html",
        "https://cwe.mitre.org/data/definitions/732.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.308(a)(4)(ii)(B)"),
    ],
};

impl Rule for IamPolicyOnUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ATTACHMENTS
            .iter()
            .flat_map(|&(resource_type, path)| ctx.tf.of_type(resource_type).map(move |r| (r, path)))
            .filter(|(holder, path)| iac::present(holder, path))
            .map(|(holder, path)| {
                Hit::new(
                    format!("{}:{path}", holder.id),
                    format!("{} gives permissions to an IAM user directly", holder.name),
                    format!("{path} names the user(s) the policy applies to"),
                    vec![holder.id.clone()],
                    vec![holder.evidence_for(path)],
                )
            })
            .collect()
    }
}

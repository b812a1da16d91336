//! `aws-iam-role-trusts-anyone`: an IAM role that any AWS principal may assume.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamRoleTrustsAnyone;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-role-trusts-anyone",
    title: "IAM role can be assumed by anyone",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-284"],
    capec: &["CAPEC-1"],
    attack: &["T1078.004", "T1199"],
    likelihood: 6,
    impact: 8,
    what: "An `aws_iam_role` whose `assume_role_policy` (written with `jsonencode`, a heredoc or a `data \
           \"aws_iam_policy_document\"`), or an `AWS::IAM::Role` whose `AssumeRolePolicyDocument`, has an `Allow` \
           statement for `Principal: \"*\"` or `Principal: {AWS: \"*\"}` without a `Condition`. Checkov: \
           CKV_AWS_60.",
    why: "Such a trust policy lets any principal of any AWS account, including an attacker's own, call \
          `sts:AssumeRole` on the role and act with all of its permissions. Role ARNs are easy to learn (error \
          messages, public templates, CloudTrail shared with vendors); nothing else stands in the way.",
    example: "assume_role_policy = jsonencode({\n  Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { AWS = \"*\" } }]\n})",
    remediation: "Trust only specific principals, and constrain third parties with conditions.",
    fix: &[
        "Name the accounts, roles or services that may assume the role (`Principal: {AWS: \"arn:aws:iam::123456789012:role/ci\"}` or `{Service: \"lambda.amazonaws.com\"}`).",
        "For cross-account access by a vendor, require `sts:ExternalId`; for an organisation, add `aws:PrincipalOrgID`.",
    ],
    verify: &[
        "IAM Access Analyzer reports no external access for the role; `aws sts assume-role` from an unrelated account fails; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Statements with any `Condition` (organisation id, external id, source account) are not \
                      reported; a condition elsewhere (an SCP, a resource control policy) is not seen.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for IamRoleTrustsAnyone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_iam_role", "AWS::IAM::Role"])
            .filter_map(|role| {
                let (document, evidence) = iac::trust_policy(ctx, role)?;
                let anyone = iac::allow_statements(&document).any(|statement| {
                    statement.get("Condition").is_none() && principal_is_everyone(statement.get("Principal"))
                });
                anyone.then(|| {
                    Hit::new(
                        role.id.0.clone(),
                        format!("{} can be assumed by any AWS account", role.name),
                        "the trust policy allows Principal \"*\" without a condition".into(),
                        vec![role.id.clone()],
                        vec![evidence],
                    )
                    .exposing()
                })
            })
            .collect()
    }
}

/// `"*"`, or `{"AWS": "*"}` / `{"AWS": [..., "*"]}`.
fn principal_is_everyone(principal: Option<&Value>) -> bool {
    match principal {
        Some(Value::String(p)) => p == "*",
        Some(Value::Object(p)) => iac::string_list(p.get("AWS")).contains(&"*"),
        _ => false,
    }
}

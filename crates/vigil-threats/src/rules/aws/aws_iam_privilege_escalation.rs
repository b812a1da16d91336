//! `aws-iam-privilege-escalation`: an IAM policy that grants a known path to more privileges than it grants.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamPrivilegeEscalation;

/// Sets of actions that, allowed together on any resource, let a principal raise its own privileges (after
/// Rhino Security Labs' list of AWS privilege escalation methods).
const ESCALATIONS: [&[&str]; 21] = [
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy", "sts:AssumeRole"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy", "sts:AssumeRole"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &["iam:PassRole", "ec2:RunInstances"],
    &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
    ],
    &["lambda:UpdateFunctionCode"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
    &["glue:UpdateDevEndpoint"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &[
        "iam:PassRole",
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
    ],
];

static META: RuleMeta = RuleMeta {
    id: "aws-iam-privilege-escalation",
    title: "IAM policy allows privilege escalation",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-269"],
    capec: &["CAPEC-233"],
    attack: &["T1098.003", "T1098.001", "T1078.004"],
    likelihood: 4,
    impact: 8,
    what: "A permissions policy (Terraform `aws_iam_policy`, inline role, user and group policies, \
           `inline_policy` blocks; CloudFormation `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and the \
           `Policies` of roles, users and groups) that allows, on `Resource: \"*\"`, one of the known escalation \
           sets: `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:CreateAccessKey`, \
           `iam:CreateLoginProfile` / `UpdateLoginProfile`, `iam:Attach*Policy`, `iam:Put*Policy`, \
           `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy` with `sts:AssumeRole`, `iam:PassRole` with \
           `ec2:RunInstances`, `lambda:CreateFunction` (+ invoke or event source), `glue:CreateDevEndpoint`, \
           `cloudformation:CreateStack` or Data Pipeline, `lambda:UpdateFunctionCode` and \
           `glue:UpdateDevEndpoint`. Wildcards in actions (`iam:Put*`) count; `*` and `iam:*` are left to \
           `aws-iam-wildcard-action`. Checkov: CKV_AWS_286.",
    why: "Each set lets whoever holds the policy grant itself more: write a new default version of its own \
          policy, attach `AdministratorAccess` to itself, mint keys or a console password for an admin user, \
          or pass an admin role to a compute service it controls and run code as that role. A policy that \
          reads as limited is then as powerful as the strongest role in the account.",
    example: "policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = [\"iam:PassRole\", \"ec2:RunInstances\"], Resource = \"*\" }] })",
    remediation: "Scope the dangerous actions to specific resources or remove them.",
    fix: &[
        "Restrict `iam:PassRole` to the ARNs of the roles the workload must pass, with an `iam:PassedToService` condition.",
        "Keep `iam:Create*`, `iam:Attach*`, `iam:Put*` and policy-version actions to administrators, and scope them to resource ARNs (`arn:aws:iam::ACCOUNT:user/app/*`).",
        "Protect administrator roles with a permissions boundary that denies changing IAM outside a path.",
    ],
    verify: &[
        "IAM Access Analyzer policy validation (`aws accessanalyzer validate-policy`) and a tool such as `pmapper` show no escalation path; re-run `vigil assess`.",
    ],
    mitigated_by: &["permissions-boundary"],
    false_positives: "Policies of administrators and of deployment roles are meant to manage IAM: accept the finding \
                      for them. A `Condition` (e.g. `iam:PassedToService`) or a permissions boundary (recorded as the \
                      `permissions-boundary` control) can close the path.",
    references: &[
        "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.308(a)(4)(i)"),
    ],
};

impl Rule for IamPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::policy_documents(ctx)
            .into_iter()
            .filter_map(|policy| {
                let granted = actions_on_anything(&policy.document);
                let escalation = ESCALATIONS.iter().find(|set| {
                    set.iter()
                        .all(|action| granted.iter().any(|p| matches(p, action)))
                })?;
                let path = escalation.join(" + ");
                Some(policy.hit(
                    format!("{} can escalate its privileges ({path})", policy.holder.name),
                    format!("allows {path} on Resource \"*\""),
                ))
            })
            .collect()
    }
}

/// The action patterns a document allows on every resource, except the full wildcards.
fn actions_on_anything(document: &Value) -> Vec<&str> {
    iac::allow_statements(document)
        .filter(|statement| iac::string_list(statement.get("Resource")).contains(&"*"))
        .flat_map(|statement| iac::string_list(statement.get("Action")))
        .filter(|action| !matches!(action.to_ascii_lowercase().as_str(), "*" | "*:*" | "iam:*"))
        .collect()
}

/// Whether an action pattern (`iam:Put*`, `lambda:?pdateFunctionCode`) matches an action, ignoring case.
fn matches(pattern: &str, action: &str) -> bool {
    fn glob(pattern: &[u8], text: &[u8]) -> bool {
        match (pattern.first(), text.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..])),
            (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
            (Some(p), Some(t)) if p.eq_ignore_ascii_case(t) => glob(&pattern[1..], &text[1..]),
            _ => false,
        }
    }
    glob(pattern.as_bytes(), action.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn action_patterns_match_like_iam() {
        assert!(matches("iam:PassRole", "iam:passrole"));
        assert!(matches("iam:Put*", "iam:PutRolePolicy"));
        assert!(matches("iam:*Policy", "iam:AttachUserPolicy"));
        assert!(matches("lambda:?pdateFunctionCode", "lambda:UpdateFunctionCode"));
        assert!(!matches("iam:Get*", "iam:PutRolePolicy"));
        assert!(!matches("iam:PassRole", "iam:PassRoles"));
    }
}

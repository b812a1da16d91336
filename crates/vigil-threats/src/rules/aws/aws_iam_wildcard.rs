//! `aws-iam-wildcard-action`: an IAM policy that allows every action (`*`), every IAM action (`iam:*`), or
//! everything but a list (`NotAction` with Allow).

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::aws::policy_statements;

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamWildcardAction;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-wildcard-action",
    title: "IAM policy allows every action",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-269", "CWE-732"],
    capec: &["CAPEC-122"],
    attack: &["T1078.004", "T1098.003"],
    likelihood: 5,
    impact: 9,
    what: "An Allow statement whose `Action` is `*`, `*:*` or `iam:*`, or an Allow with `NotAction`, in an IAM \
           policy (`aws_iam_policy`, inline role/user/group policies, `inline_policy` blocks of `aws_iam_role`), \
           whether the document is written with `jsonencode`, a heredoc or a `data \"aws_iam_policy_document\"`, \
           or in CloudFormation (`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, the `Policies` of roles, users \
           and groups).",
    why: "Whoever obtains the credentials of a principal with `*` (a leaked key, an SSRF to the metadata service, \
          a compromised dependency) owns the account. `iam:*` is the same in two steps: it can grant itself \
          anything.",
    example: "policy = jsonencode({\n  Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]\n})",
    remediation: "Grant only the actions and resources the principal needs.",
    fix: &[
        "List the specific actions (`s3:GetObject`, ...) and resource ARNs the workload uses.",
        "Use IAM Access Analyzer policy generation from CloudTrail activity to find them.",
        "Keep administrative access to break-glass roles with MFA, not workloads.",
    ],
    verify: &[
        "IAM Access Analyzer reports no wildcard actions for the policy; the workload still works in staging.",
    ],
    mitigated_by: &[],
    false_positives: "A break-glass or administrator role may need broad actions by design: record it as accepted risk with the reason; a wildcard limited by a tight `Resource` and conditions is less severe than it reads.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.308(a)(4)(i)"),
    ],
};

impl Rule for IamWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::policy_documents(ctx)
            .into_iter()
            .filter_map(|policy| {
                let reason = wildcard(&policy.document)?;
                Some(policy.hit(format!("{} {reason}", policy.holder.name), reason))
            })
            .collect()
    }
}

/// The worst wildcard grant of a document, described.
fn wildcard(document: &Value) -> Option<String> {
    let mut found: Option<String> = None;
    for statement in policy_statements(document) {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let actions: Vec<&str> = match statement.get("Action") {
            Some(Value::String(a)) => vec![a.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if actions.iter().any(|a| *a == "*" || *a == "*:*") {
            return Some("allows every action (`Action: \"*\"`)".into());
        }
        if actions.iter().any(|a| a.eq_ignore_ascii_case("iam:*")) {
            found = Some("allows every IAM action (`iam:*`), enough to grant itself anything".into());
        } else if statement.contains_key("NotAction") && found.is_none() {
            found = Some("allows everything except a list (`Allow` with `NotAction`)".into());
        }
    }
    found
}

//! `aws-default-sg-allows-traffic`: the VPC's default security group declared with rules.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DefaultSgAllowsTraffic;

static META: RuleMeta = RuleMeta {
    id: "aws-default-sg-allows-traffic",
    title: "Default security group allows traffic",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-1188"],
    capec: &[],
    attack: &["T1021.007", "T1190"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_default_security_group` with any `ingress` or `egress` block. Terraform removes the default \
           group's rules when it adopts it, so rules written here are rules someone chose to keep. \
           CloudFormation cannot manage the default group. Checkov: CKV2_AWS_12.",
    why: "Every network interface launched without an explicit security group (a quick test instance, a Lambda \
          in a VPC, an RDS instance created by hand) lands in the default group. Rules there silently apply to \
          all of them, connecting resources that were never meant to talk to each other or to the outside.",
    example: "resource \"aws_default_security_group\" \"default\" {\n  vpc_id = aws_vpc.main.id\n  ingress {\n    protocol  = -1\n    self      = true\n    from_port = 0\n    to_port   = 0\n  }\n}",
    remediation: "Leave the default security group without rules and use dedicated groups.",
    fix: &[
        "Remove every `ingress` and `egress` block from the `aws_default_security_group` (an empty resource strips its rules).",
        "Create purpose-named security groups for the resources that relied on the default one.",
    ],
    verify: &[
        "`aws ec2 describe-security-groups --filters Name=group-name,Values=default` shows empty `IpPermissions` and `IpPermissionsEgress`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "None in practice: a resource that needs these rules should get its own group.",
    references: &[
        "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        "https://cwe.mitre.org/data/definitions/1188.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.2.1"),
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
    ],
};

impl Rule for DefaultSgAllowsTraffic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("aws_default_security_group")
            .filter_map(|group| {
                let directions: Vec<&str> = ["ingress", "egress"]
                    .into_iter()
                    .filter(|d| iac::present(group, d))
                    .collect();
                (!directions.is_empty()).then(|| {
                    Hit::new(
                        group.id.0.clone(),
                        format!(
                            "{} lets traffic in or out of every resource left in it",
                            group.name
                        ),
                        format!(
                            "the default security group declares {} rules",
                            directions.join(" and ")
                        ),
                        vec![group.id.clone()],
                        vec![iac::evidence_at(group, &format!("{}.0", directions[0]))],
                    )
                })
            })
            .collect()
    }
}

//! `aws-vpc-flow-logs-disabled`: a VPC whose network traffic is not recorded.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct VpcFlowLogs;

static META: RuleMeta = RuleMeta {
    id: "aws-vpc-flow-logs-disabled",
    title: "VPC has no flow logs",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1562.008", "T1048"],
    likelihood: 3,
    impact: 4,
    what: "An `aws_vpc` or `aws_default_vpc` without an `aws_flow_log` whose `vpc_id` refers to it, or an \
           `AWS::EC2::VPC` without an `AWS::EC2::FlowLog` whose `ResourceId` refers to it in the same template. \
           Checkov: CKV2_AWS_11.",
    why: "Flow logs are the record of which addresses talked to which, on which ports, and how much: the \
          evidence of a compromised instance beaconing out, of lateral movement, or of data leaving. Without \
          them GuardDuty still sees the traffic, but nobody can go back and look.",
    example: "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}",
    remediation: "Record the VPC's traffic with flow logs.",
    fix: &[
        "Add `resource \"aws_flow_log\" \"main\" { vpc_id = aws_vpc.main.id  traffic_type = \"ALL\"  log_destination_type = \"s3\"  log_destination = aws_s3_bucket.flow_logs.arn }` (CloudFormation: `AWS::EC2::FlowLog` with `ResourceType: VPC`, `ResourceId: !Ref VPC`).",
        "Keep the logs in a bucket or log group with a retention period, outside the reach of workload roles.",
    ],
    verify: &[
        "`aws ec2 describe-flow-logs --filter Name=resource-id,Values=VPC_ID` lists an active flow log; re-run `vigil assess`.",
    ],
    mitigated_by: &["organization-flow-logs"],
    false_positives: "Flow logs created outside this code (by a central networking or security account, recorded \
                      as the `organization-flow-logs` control) are not seen; a flow log declared in another module \
                      or stack is not followed.",
    references: &[
        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: compliance::AUDIT_LOGGING,
};

impl Rule for VpcFlowLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_vpc", "aws_default_vpc", "AWS::EC2::VPC"])
            .filter(|vpc| {
                iac::companions(
                    ctx,
                    vpc,
                    &[("aws_flow_log", "vpc_id"), ("AWS::EC2::FlowLog", "ResourceId")],
                )
                .is_empty()
            })
            .map(|vpc| {
                Hit::new(
                    vpc.id.0.clone(),
                    format!("{} keeps no record of its network traffic", vpc.name),
                    "no flow log refers to this VPC".into(),
                    vec![vpc.id.clone()],
                    vec![vpc.evidence_for_first(&["cidr_block", "CidrBlock"])],
                )
            })
            .collect()
    }
}

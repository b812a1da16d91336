//! `aws-redshift-publicly-accessible`: a Redshift cluster or Serverless workgroup with a public address.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, Flag};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RedshiftPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-redshift-publicly-accessible",
    title: "Data warehouse is publicly accessible",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-1"],
    attack: &["T1190", "T1110"],
    likelihood: 5,
    impact: 8,
    what: "An `aws_redshift_cluster` or `aws_redshiftserverless_workgroup` with `publicly_accessible = true`, or \
           an `AWS::Redshift::Cluster` / `AWS::RedshiftServerless::Workgroup` with `PubliclyAccessible: true`. \
           Only explicit `true` is reported: the default is false (it was true for `aws_redshift_cluster` before \
           version 5 of the Terraform AWS provider). Checkov: CKV_AWS_87.",
    why: "A warehouse holds the consolidated copy of the business's data. With a public address its endpoint \
          resolves and routes from the Internet, where it faces password guessing and any pre-authentication \
          flaw, guarded only by its security groups.",
    example: "resource \"aws_redshift_cluster\" \"analytics\" {\n  cluster_identifier  = \"analytics\"\n  publicly_accessible = true\n}",
    remediation: "Make the warehouse private and reach it from inside the VPC.",
    fix: &[
        "Set `publicly_accessible = false` (CloudFormation: `PubliclyAccessible: false`).",
        "Give BI tools and analysts access through a VPN, a bastion or Redshift-managed VPC endpoints.",
    ],
    verify: &["`aws redshift describe-clusters` shows `PubliclyAccessible: false`; re-run `vigil assess`."],
    mitigated_by: &["no-public-route"],
    false_positives: "`publicly_accessible = true` only matters with a route from the Internet: a cluster in private \
                      subnets only, or behind security groups that admit no public range, is not reachable.",
    references: &[
        "https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: compliance::PUBLIC_ENDPOINT,
};

impl Rule for RedshiftPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        [
            ("aws_redshift_cluster", "publicly_accessible"),
            ("aws_redshiftserverless_workgroup", "publicly_accessible"),
            ("AWS::Redshift::Cluster", "PubliclyAccessible"),
            ("AWS::RedshiftServerless::Workgroup", "PubliclyAccessible"),
        ]
        .into_iter()
        .flat_map(|(resource_type, path)| ctx.tf.of_type(resource_type).map(move |r| (r, path)))
        .filter(|(warehouse, path)| iac::flag(warehouse, path) == Flag::True)
        .map(|(warehouse, path)| {
            iac::setting_hit(
                warehouse,
                path,
                format!("{} is reachable from the Internet", warehouse.name),
                format!("{path} = true"),
            )
            .exposing()
        })
        .collect()
    }
}

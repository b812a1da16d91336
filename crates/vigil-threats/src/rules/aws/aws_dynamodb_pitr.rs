//! `aws-dynamodb-pitr-disabled`: a DynamoDB table without point-in-time recovery.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DynamoDbPitr;

static META: RuleMeta = RuleMeta {
    id: "aws-dynamodb-pitr-disabled",
    title: "DynamoDB table has no point-in-time recovery",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::DenialOfService],
    cwe: &["CWE-693"],
    capec: &[],
    attack: &["T1485", "T1490"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_dynamodb_table` without `point_in_time_recovery { enabled = true }`, or an \
           `AWS::DynamoDB::Table` without `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true` \
           (off by default). Checkov: CKV_AWS_28.",
    why: "Without continuous backups a bad deployment, a runaway script or an intruder with write access that \
          overwrites or deletes items leaves nothing to restore from but whatever on-demand backup someone \
          happened to take. Point-in-time recovery restores the table to any second of the last 35 days.",
    example: "resource \"aws_dynamodb_table\" \"orders\" {\n  name     = \"orders\"\n  hash_key = \"id\"\n}",
    remediation: "Enable point-in-time recovery.",
    fix: &[
        "Add `point_in_time_recovery { enabled = true }` (CloudFormation: `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}`).",
        "For copies outside the account or region, add the table to an AWS Backup plan.",
    ],
    verify: &[
        "`aws dynamodb describe-continuous-backups --table-name NAME` shows `PointInTimeRecoveryStatus: ENABLED`; re-run `vigil assess`.",
    ],
    mitigated_by: &["aws-backup-plan"],
    false_positives: "Tables of derived or disposable data (caches, sessions, data that can be rebuilt from a \
                      source of truth) and tables in an AWS Backup plan (recorded as the `aws-backup-plan` \
                      control) do not need it.",
    references: &[
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: compliance::BACKUP,
};

impl Rule for DynamoDbPitr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::not_enabled(
            ctx,
            &[
                ("aws_dynamodb_table", "point_in_time_recovery.0.enabled"),
                (
                    "AWS::DynamoDB::Table",
                    "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
                ),
            ],
        )
        .iter()
        .map(|off| {
            off.hit(format!(
                "{} cannot be restored to a point in time",
                off.resource.name
            ))
        })
        .collect()
    }
}

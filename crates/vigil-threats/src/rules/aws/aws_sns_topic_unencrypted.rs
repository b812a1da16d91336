//! `aws-sns-topic-unencrypted`: an SNS topic without server-side encryption.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SnsTopicUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-sns-topic-unencrypted",
    title: "SNS topic is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 2,
    impact: 4,
    what: "An `aws_sns_topic` without `kms_master_key_id`, or an `AWS::SNS::Topic` without `KmsMasterKeyId`: \
           unlike SQS, SNS has no default server-side encryption. Checkov: CKV_AWS_26.",
    why: "Messages are stored on AWS's side until every subscriber has them, and retried for hours to failing \
          endpoints. Notifications tend to carry exactly what someone wanted to know quickly (order details, \
          alerts with customer data); without SSE they are kept in clear.",
    example: "resource \"aws_sns_topic\" \"orders\" {\n  name = \"orders\"\n}",
    remediation: "Encrypt the topic with a KMS key.",
    fix: &[
        "Set `kms_master_key_id = \"alias/aws/sns\"` or, better, a customer-managed key (CloudFormation: `KmsMasterKeyId`).",
        "With a customer-managed key, allow the publishing services (CloudWatch, EventBridge, S3...) `kms:GenerateDataKey*` and `kms:Decrypt` in the key policy.",
    ],
    verify: &[
        "`aws sns get-topic-attributes --topic-arn ARN` shows a `KmsMasterKeyId`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Topics that carry only operational signals (an alarm state, an object key) hold nothing \
                      sensitive; accept the finding for them.",
    references: &[
        "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST,
};

impl Rule for SnsTopicUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::missing(
            ctx,
            &[
                ("aws_sns_topic", "kms_master_key_id"),
                ("AWS::SNS::Topic", "KmsMasterKeyId"),
            ],
        )
        .iter()
        .map(|missing| missing.hit(format!("{} stores messages unencrypted", missing.resource.name)))
        .collect()
    }
}

//! `aws-sqs-queue-unencrypted`: an SQS queue with server-side encryption explicitly turned off.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, Flag, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SqsQueueUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-sqs-queue-unencrypted",
    title: "SQS queue has encryption turned off",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 2,
    impact: 5,
    what: "An `aws_sqs_queue` with `sqs_managed_sse_enabled = false` and no `kms_master_key_id`, or an \
           `AWS::SQS::Queue` with `SqsManagedSseEnabled: false` and no `KmsMasterKeyId`. Since October 2022 new \
           queues get SSE-SQS encryption when nothing is said, so only queues where it was switched off are \
           reported. Checkov: CKV_AWS_27.",
    why: "Messages often carry the same personal or payment data as the database they come from, and sit in the \
          queue (and its dead-letter queue) for up to 14 days. Turning server-side encryption off stores them \
          in clear on AWS's side, outside the protections the compliance scope assumes.",
    example: "resource \"aws_sqs_queue\" \"orders\" {\n  name                    = \"orders\"\n  sqs_managed_sse_enabled = false\n}",
    remediation: "Turn server-side encryption back on (SSE-SQS, or SSE-KMS with a customer-managed key).",
    fix: &[
        "Remove `sqs_managed_sse_enabled = false`, or set `kms_master_key_id` to a customer-managed key (CloudFormation: `KmsMasterKeyId`).",
        "With SSE-KMS, give producers `kms:GenerateDataKey` and consumers `kms:Decrypt` on the key.",
    ],
    verify: &[
        "`aws sqs get-queue-attributes --queue-url URL --attribute-names All` shows `SqsManagedSseEnabled: true` or a `KmsMasterKeyId`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Queues that carry only identifiers or public events hold nothing sensitive; an integration \
                      that cannot call KMS may need SSE off, though SSE-SQS needs no KMS permission.",
    references: &[
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST,
};

impl Rule for SqsQueueUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_sqs_queue", "AWS::SQS::Queue"])
            .filter(|queue| !iac::present(queue, pick(queue, "kms_master_key_id", "KmsMasterKeyId")))
            .filter_map(|queue| {
                iac::off(
                    queue,
                    pick(queue, "sqs_managed_sse_enabled", "SqsManagedSseEnabled"),
                )
            })
            .filter(|off| off.flag == Flag::False)
            .map(|off| off.hit(format!("{} stores messages unencrypted", off.resource.name)))
            .collect()
    }
}

//! `aws-cloudtrail-not-kms-encrypted`: a CloudTrail trail whose log files are not encrypted with a KMS key.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudTrailNotKmsEncrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-not-kms-encrypted",
    title: "CloudTrail logs are not encrypted with a KMS key",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 2,
    impact: 5,
    what: "An `aws_cloudtrail` without `kms_key_id`, or an `AWS::CloudTrail::Trail` without `KMSKeyId`. The log \
           files are then encrypted with S3-managed keys only. Checkov: CKV_AWS_35.",
    why: "Trail logs map the whole account: principals, roles, resource names, source addresses, and request \
          parameters. With SSE-S3 anyone who can read the trail bucket reads them; with SSE-KMS reading also \
          takes `kms:Decrypt` on a key whose policy the security team controls, and every decryption is itself \
          logged.",
    example: "resource \"aws_cloudtrail\" \"main\" {\n  name           = \"main\"\n  s3_bucket_name = aws_s3_bucket.trail.id\n}",
    remediation: "Encrypt the trail with a customer-managed KMS key.",
    fix: &[
        "Create an `aws_kms_key` whose policy lets `cloudtrail.amazonaws.com` encrypt (with the `aws:SourceArn` condition) and only the security team decrypt.",
        "Set `kms_key_id = aws_kms_key.trail.arn` (CloudFormation: `KMSKeyId: !GetAtt TrailKey.Arn`).",
    ],
    verify: &["`aws cloudtrail describe-trails` shows the trail's `KmsKeyId`; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Trails whose bucket lives in a locked-down log archive account readable only by the security \
                      team gain less from KMS; the finding can be accepted there with that reason.",
    references: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: &[
        (Objective::PciDss4, "10.3.2"),
        (Objective::Hipaa, "164.312(a)(2)(iv)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for CloudTrailNotKmsEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::missing(
            ctx,
            &[
                ("aws_cloudtrail", "kms_key_id"),
                ("AWS::CloudTrail::Trail", "KMSKeyId"),
            ],
        )
        .iter()
        .map(|missing| {
            missing.hit(format!(
                "{} stores its logs without a KMS key",
                missing.resource.name
            ))
        })
        .collect()
    }
}

//! `aws-s3-access-logging-disabled`: an S3 bucket that keeps no server access log.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct S3AccessLogging;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-access-logging-disabled",
    title: "S3 bucket has no access logging",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 3,
    impact: 4,
    what: "An `aws_s3_bucket` with neither an inline `logging` block nor an `aws_s3_bucket_logging` companion, or \
           an `AWS::S3::Bucket` without `LoggingConfiguration`. Buckets that receive access logs (the target of \
           another bucket's logging, or with the `log-delivery-write` / `LogDeliveryWrite` ACL) are not \
           reported: logging a log bucket into itself loops. Checkov: CKV_AWS_18.",
    why: "Without server access logs nobody can tell after the fact who listed, downloaded or deleted which \
          objects: a leaked key or a public-bucket mistake cannot be scoped, and the breach notification has to \
          assume everything was taken. CloudTrail records object-level reads only when data events are paid \
          for, which they usually are not.",
    example: "resource \"aws_s3_bucket\" \"exports\" {\n  bucket = \"shop-exports\"\n}",
    remediation: "Send the bucket's server access logs to a dedicated log bucket.",
    fix: &[
        "Create (or reuse) a private log bucket with the `log-delivery-write` ACL or a bucket policy for `logging.s3.amazonaws.com`.",
        "Add an `aws_s3_bucket_logging` with `bucket` the data bucket and `target_bucket` the log bucket \
         (CloudFormation: `LoggingConfiguration: {DestinationBucketName: !Ref LogBucket, LogFilePrefix: ...}`).",
        "Alternatively enable CloudTrail S3 data events for the bucket, which also record the caller's identity.",
    ],
    verify: &[
        "`aws s3api get-bucket-logging --bucket NAME` shows a `LoggingEnabled` target; re-run `vigil assess`.",
    ],
    mitigated_by: &["cloudtrail-s3-data-events"],
    false_positives: "Buckets whose reads are recorded another way (CloudTrail data events for the bucket, recorded \
                      as the `cloudtrail-s3-data-events` control) and buckets of public or disposable content do not \
                      need access logs.",
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/logging-with-S3.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: compliance::AUDIT_LOGGING,
};

impl Rule for S3AccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_s3_bucket", "AWS::S3::Bucket"])
            .filter(|bucket| !logged(ctx, bucket) && !receives_logs(ctx, bucket))
            .map(|bucket| {
                let detail = if is_cloudformation(bucket) {
                    "no LoggingConfiguration"
                } else {
                    "no logging block and no aws_s3_bucket_logging for it"
                };
                Hit::new(
                    bucket.id.0.clone(),
                    format!("{} keeps no access log of its requests", bucket.name),
                    detail.into(),
                    vec![bucket.id.clone()],
                    vec![bucket.evidence_for_first(&["bucket", "BucketName"])],
                )
            })
            .collect()
    }
}

fn logged(ctx: &Context<'_>, bucket: &vigil_core::Asset) -> bool {
    if is_cloudformation(bucket) {
        return iac::present(bucket, "LoggingConfiguration");
    }
    iac::present(bucket, "logging")
        || !iac::companions(ctx, bucket, &[("aws_s3_bucket_logging", "bucket")]).is_empty()
}

/// A bucket that is itself where access logs go.
fn receives_logs(ctx: &Context<'_>, bucket: &vigil_core::Asset) -> bool {
    let log_acl = |acl: Option<&str>| {
        acl.is_some_and(|a| a.eq_ignore_ascii_case("log-delivery-write") || a == "LogDeliveryWrite")
    };
    log_acl(iac::text(bucket, "acl"))
        || log_acl(iac::text(bucket, "AccessControl"))
        || iac::companions(ctx, bucket, &[("aws_s3_bucket_acl", "bucket")])
            .into_iter()
            .any(|acl| log_acl(iac::text(acl, "acl")))
        || !iac::companions(
            ctx,
            bucket,
            &[
                ("aws_s3_bucket_logging", "target_bucket"),
                ("aws_s3_bucket", "logging"),
                ("AWS::S3::Bucket", "LoggingConfiguration"),
            ],
        )
        .is_empty()
}

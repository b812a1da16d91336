//! `aws-s3-no-kms-encryption`: an S3 bucket encrypted only with S3-managed keys (or with encryption settings
//! that do not use KMS).

use serde_json::Value;
use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct S3NoKmsEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-no-kms-encryption",
    title: "S3 bucket is not encrypted with a KMS key",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 2,
    impact: 4,
    what: "An `aws_s3_bucket` whose default encryption (inline `server_side_encryption_configuration` or an \
           `aws_s3_bucket_server_side_encryption_configuration` companion) does not use `aws:kms` or \
           `aws:kms:dsse`, or an `AWS::S3::Bucket` whose `BucketEncryption` does not. Since January 2023 S3 \
           encrypts every new object with S3-managed keys (SSE-S3) when nothing else is set, so this is not \
           about data stored in clear: it is about who controls the key. Checkov: CKV_AWS_145 (CKV_AWS_19 \
           checks for any encryption, which S3 now always applies).",
    why: "With SSE-S3 anyone allowed `s3:GetObject` reads the plaintext: the key adds no second permission, no \
          key policy, no CloudTrail record of each decryption, and no way to make the data unreadable at once by \
          disabling the key. With a customer-managed KMS key a leaked S3-only credential or an over-broad \
          bucket policy is not enough to read the objects, and access can be cut off and audited centrally.",
    example: "resource \"aws_s3_bucket\" \"exports\" {\n  bucket = \"shop-exports\"\n}\n# no aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = \"aws:kms\"",
    remediation: "Encrypt the bucket by default with a customer-managed KMS key.",
    fix: &[
        "Add an `aws_s3_bucket_server_side_encryption_configuration` with `rule { apply_server_side_encryption_by_default { sse_algorithm = \"aws:kms\"  kms_master_key_id = aws_kms_key.x.arn }  bucket_key_enabled = true }`.",
        "CloudFormation: `BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref Key}, BucketKeyEnabled: true}]}`.",
        "Grant `kms:Decrypt` only to the principals that must read the data; existing objects keep their old encryption until copied over.",
    ],
    verify: &[
        "`aws s3api get-bucket-encryption --bucket NAME` shows `SSEAlgorithm: aws:kms` and the expected key; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Buckets of public or low-sensitivity content (static assets, build caches) are adequately \
                      protected by the default SSE-S3 encryption: accept the finding for them. Encryption set \
                      outside the code (in the console, by an organisation policy) is not seen.",
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST,
};

impl Rule for S3NoKmsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for bucket in iac::resources(ctx, &["aws_s3_bucket", "AWS::S3::Bucket"]) {
            let algorithms: Vec<&Value> = if is_cloudformation(bucket) {
                iac::all(
                    bucket,
                    "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm",
                )
            } else {
                const PATH: &str = "rule.apply_server_side_encryption_by_default.sse_algorithm";
                let companions = iac::companions(
                    ctx,
                    bucket,
                    &[("aws_s3_bucket_server_side_encryption_configuration", "bucket")],
                );
                iac::all(bucket, &format!("server_side_encryption_configuration.{PATH}"))
                    .into_iter()
                    .chain(companions.into_iter().flat_map(|c| iac::all(c, PATH)))
                    .collect()
            };
            let kms = algorithms
                .iter()
                .any(|a| iac::computed(a) || a.as_str().is_some_and(|a| a.starts_with("aws:kms")));
            if kms {
                continue;
            }
            let detail = match algorithms.iter().find_map(|a| a.as_str()) {
                Some(algorithm) => {
                    format!("default encryption uses {algorithm} with S3-managed keys, not KMS")
                }
                None => "no default encryption configured: S3 applies SSE-S3 with S3-managed keys".to_owned(),
            };
            hits.push(Hit::new(
                bucket.id.0.clone(),
                format!("{} is encrypted only with S3-managed keys", bucket.name),
                detail,
                vec![bucket.id.clone()],
                vec![bucket.evidence_for_first(&[
                    "BucketEncryption",
                    "server_side_encryption_configuration",
                    "bucket",
                    "BucketName",
                ])],
            ));
        }
        hits
    }
}

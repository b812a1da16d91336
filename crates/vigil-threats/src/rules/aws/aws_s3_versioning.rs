//! `aws-s3-versioning-disabled`: an S3 bucket without versioning.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct S3Versioning;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-versioning-disabled",
    title: "S3 bucket has no versioning",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::DenialOfService],
    cwe: &["CWE-693"],
    capec: &[],
    attack: &["T1485", "T1486"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_s3_bucket` with neither an inline `versioning { enabled = true }` nor an \
           `aws_s3_bucket_versioning` companion whose `versioning_configuration.status` is `Enabled`. \
           Checkov: CKV_AWS_21.",
    why: "Without versioning, an overwrite or delete is final: a leaked key, a buggy job or ransomware that \
          encrypts or removes objects leaves nothing to restore from, and there is no history to investigate.",
    example: "resource \"aws_s3_bucket\" \"exports\" {\n  bucket = \"shop-exports\"\n}",
    remediation: "Enable versioning (and a lifecycle rule that expires old versions).",
    fix: &[
        "Add `resource \"aws_s3_bucket_versioning\" \"x\" { bucket = aws_s3_bucket.x.id\n  versioning_configuration { status = \"Enabled\" } }`.",
        "Add a lifecycle rule expiring noncurrent versions after the retention you need, to bound the cost.",
        "For buckets that hold evidence or backups, consider Object Lock as well.",
    ],
    verify: &[
        "`aws s3api get-bucket-versioning --bucket <name>` prints `\"Status\": \"Enabled\"`; re-run `vigil assess`.",
    ],
    mitigated_by: &["replicated-with-versioning"],
    false_positives: "Buckets of disposable data (build caches, temporary uploads with their own expiry) do not \
                      need versions: accept the finding for them with the reason.",
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[
        (Objective::Soc2, "A1.2"),
        (Objective::Hipaa, "164.308(a)(7)(ii)(A)"),
        (Objective::Gdpr, "Art. 32(1)(c)"),
    ],
};

impl Rule for S3Versioning {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("aws_s3_bucket")
            .filter_map(|bucket| {
                let cfg = config(bucket)?;
                let inline = blocks(cfg, "versioning")
                    .iter()
                    .any(|v| literal_bool(v, "enabled") == Some(true));
                let companion = ctx
                    .tf
                    .companions(bucket, "aws_s3_bucket_versioning", "bucket")
                    .iter()
                    .filter_map(|c| config(c))
                    .flat_map(|c| blocks(c, "versioning_configuration"))
                    .any(|v| literal_str(v, "status").is_some_and(|s| s == "Enabled" || s.contains("${")));
                (!inline && !companion).then(|| Hit {
                    subject: bucket.id.0.clone(),
                    title: format!("{} keeps no previous versions of its objects", bucket.name),
                    detail: "no versioning, inline or in an aws_s3_bucket_versioning resource".into(),
                    assets: vec![bucket.id.clone()],
                    evidence: vec![bucket.evidence_for_first(&["bucket"])],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}

//! `aws-s3-public-access`: an S3 bucket readable (or writable) by anyone.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::aws;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct S3PublicAccess;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-public-access",
    title: "S3 bucket is public",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-284", "CWE-200"],
    capec: &["CAPEC-1"],
    attack: &["T1530"],
    likelihood: 8,
    impact: 6,
    what: "An `aws_s3_bucket` made public by a canned ACL (`public-read`, `public-read-write`, `authenticated-read`) \
           on the bucket or an `aws_s3_bucket_acl`, or by an `aws_s3_bucket_policy` granting `Principal: \"*\"` \
           without a condition, and not neutralised by an `aws_s3_bucket_public_access_block` \
           (`ignore_public_acls` / `restrict_public_buckets`).",
    why: "Public buckets are found by automated scanners within hours; every object in them can be listed and \
          downloaded (or overwritten, with write access) without credentials. It is one of the most common \
          causes of cloud data breaches.",
    example: "resource \"aws_s3_bucket_acl\" \"exports\" {\n  bucket = aws_s3_bucket.exports.id\n  acl    = \"public-read\"\n}",
    remediation: "Make the bucket private and block public access.",
    fix: &[
        "Remove the public ACL (use `private`, or drop ACLs with `object_ownership = \"BucketOwnerEnforced\"`).",
        "Remove `Principal: \"*\"` statements from the bucket policy or restrict them with a Condition.",
        "Add an `aws_s3_bucket_public_access_block` with all four settings `true` (and enable the account-level block).",
        "If content must be public, serve it through CloudFront with an origin access control instead.",
    ],
    verify: &[
        "`aws s3api get-public-access-block --bucket NAME` shows all four settings true.",
        "An anonymous `curl https://NAME.s3.amazonaws.com/` returns AccessDenied.",
    ],
    mitigated_by: &["account-public-access-block"],
    false_positives: "A bucket meant to serve public static content (a website, public downloads) is public on purpose: accept the finding for that bucket and keep sensitive data out of it.",
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.1"),
        (Objective::PciDss4, "7.2.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for S3PublicAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("aws_s3_bucket")
            .filter_map(|bucket| {
                let public = aws::s3_public(&ctx.tf, bucket)?;
                let access = if public.writable {
                    "readable and writable"
                } else {
                    "readable"
                };
                Some(Hit {
                    subject: bucket.id.0.clone(),
                    title: format!("S3 bucket {} is {access} by anyone", bucket.name),
                    detail: public.reason,
                    assets: vec![bucket.id.clone()],
                    evidence: vec![public.evidence, bucket.evidence_for("bucket")],
                    exposes_to_internet: true,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}

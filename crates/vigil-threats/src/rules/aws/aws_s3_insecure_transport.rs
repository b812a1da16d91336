//! `aws-s3-insecure-transport-allowed`: an S3 bucket whose policy does not refuse plain-HTTP requests.

use serde_json::Value;
use vigil_core::{Asset, Evidence, FindingKind, Stride};
use vigil_model::aws::{policy_statements, resolve_policy};
use vigil_model::terraform::{blocks, config, literal_str, strings};

use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct S3InsecureTransport;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-insecure-transport-allowed",
    title: "S3 bucket accepts requests over plain HTTP",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-157"],
    attack: &["T1040", "T1557"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_s3_bucket` or `AWS::S3::Bucket` without a bucket policy statement that denies requests made \
           without TLS: `Effect: Deny` with the condition `Bool: {\"aws:SecureTransport\": \"false\"}`. The policy \
           is looked for in `aws_s3_bucket_policy` companions (written with `jsonencode`, a heredoc or a \
           `data \"aws_iam_policy_document\"`), the bucket's own `policy`, and `AWS::S3::BucketPolicy` resources \
           whose `Bucket` refers to the bucket. Checkov: CKV2_AWS_69 / AWS Config `s3-bucket-ssl-requests-only`.",
    why: "S3 answers on `http://` as well as `https://`. A client, SDK setting or script that uses the HTTP \
          endpoint sends its requests and receives the objects in clear text, where anyone on the path (a \
          compromised network, a hostile Wi-Fi, a proxy) can read or alter them. Only the bucket policy can \
          make S3 refuse such requests.",
    example: "resource \"aws_s3_bucket\" \"exports\" {\n  bucket = \"shop-exports\"\n}\n# and no aws_s3_bucket_policy denying aws:SecureTransport = false",
    remediation: "Add a bucket policy statement that denies every request with `aws:SecureTransport` false.",
    fix: &[
        "Add to the bucket policy: `{\"Sid\": \"DenyInsecureTransport\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \
         \"Resource\": [\"<bucket arn>\", \"<bucket arn>/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}`.",
        "Optionally also deny old TLS versions with `NumericLessThan: {\"s3:TlsVersion\": \"1.2\"}`.",
    ],
    verify: &[
        "`curl -I http://NAME.s3.amazonaws.com/some-object` (plain HTTP) returns 403 AccessDenied; re-run `vigil assess`.",
    ],
    mitigated_by: &["scp-deny-insecure-transport"],
    false_positives: "Buckets reached only through a VPC endpoint or CloudFront still accept HTTP from inside; an \
                      organisation-wide control that denies `aws:SecureTransport` false (recorded as the \
                      `scp-deny-insecure-transport` control) also covers them.",
    references: &[
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        "https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: compliance::IN_TRANSIT,
};

impl Rule for S3InsecureTransport {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for bucket in iac::resources(ctx, &["aws_s3_bucket", "AWS::S3::Bucket"]) {
            let policies = iac::companions(
                ctx,
                bucket,
                &[
                    ("aws_s3_bucket_policy", "bucket"),
                    ("AWS::S3::BucketPolicy", "Bucket"),
                ],
            );
            let mut seen: Option<Evidence> = None;
            let mut denied = false;
            for (holder, attribute) in policies
                .iter()
                .map(|p| {
                    (
                        *p,
                        if is_cloudformation(p) {
                            "PolicyDocument"
                        } else {
                            "policy"
                        },
                    )
                })
                .chain(iac::present(bucket, "policy").then_some((bucket, "policy")))
            {
                match denies_plain_http(ctx, holder, attribute) {
                    Some(false) => {
                        seen.get_or_insert_with(|| holder.evidence_for(attribute));
                    }
                    // A policy that cannot be read (a variable, an intrinsic function) is not judged.
                    Some(true) | None => {
                        denied = true;
                        break;
                    }
                }
            }
            if denied {
                continue;
            }
            let detail = if seen.is_some() {
                "the bucket policy has no Deny statement for aws:SecureTransport = false"
            } else {
                "no bucket policy, so nothing denies requests with aws:SecureTransport = false"
            };
            hits.push(Hit::new(
                bucket.id.0.clone(),
                format!("{} accepts requests over plain HTTP", bucket.name),
                detail.into(),
                vec![bucket.id.clone()],
                vec![seen.unwrap_or_else(|| bucket.evidence_for_first(&["bucket", "BucketName"]))],
            ));
        }
        hits
    }
}

/// Whether the policy in `holder`'s `attribute` denies requests without TLS; `None` when the policy cannot be
/// read from the code.
fn denies_plain_http(ctx: &Context<'_>, holder: &Asset, attribute: &str) -> Option<bool> {
    // A `data "aws_iam_policy_document"` keeps its conditions as blocks, which the rendered JSON of
    // `resolve_policy` does not carry.
    let data = ctx.tf.referenced_data(holder, "aws_iam_policy_document");
    if !data.is_empty() {
        return Some(data.iter().filter_map(|d| config(d)).any(|cfg| {
            blocks(cfg, "statement").into_iter().any(|statement| {
                literal_str(statement, "effect") == Some("Deny")
                    && blocks(statement, "condition").into_iter().any(|condition| {
                        literal_str(condition, "variable")
                            .is_some_and(|v| v.eq_ignore_ascii_case("aws:SecureTransport"))
                            && strings(condition, "values")
                                .iter()
                                .any(|v| v.eq_ignore_ascii_case("false"))
                    })
            })
        }));
    }
    let document = if is_cloudformation(holder) {
        iac::lookup(holder, attribute)
            .filter(|v| !iac::computed(v))
            .cloned()?
    } else {
        resolve_policy(&ctx.tf, holder, attribute)?.0
    };
    Some(policy_statements(&document).into_iter().any(|statement| {
        statement.get("Effect").and_then(Value::as_str) == Some("Deny")
            && statement
                .get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|condition| {
                    ["Bool", "BoolIfExists"].iter().any(|operator| {
                        condition
                            .get(*operator)
                            .and_then(|c| c.get("aws:SecureTransport"))
                            .is_some_and(is_false)
                    })
                })
    }))
}

/// `false`, `"false"` or a list holding one of them.
fn is_false(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::String(s) => s.eq_ignore_ascii_case("false"),
        Value::Array(items) => items.iter().any(is_false),
        _ => false,
    }
}

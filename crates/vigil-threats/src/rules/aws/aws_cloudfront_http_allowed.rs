//! `aws-cloudfront-http-allowed`: a CloudFront cache behaviour that serves viewers over plain HTTP.

use serde_json::Value;
use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudFrontHttpAllowed;

pub(super) const DISTRIBUTIONS: [&str; 2] = ["aws_cloudfront_distribution", "AWS::CloudFront::Distribution"];

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-http-allowed",
    title: "CloudFront serves viewers over plain HTTP",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-94", "CAPEC-157"],
    attack: &["T1040", "T1557"],
    likelihood: 4,
    impact: 5,
    what: "A cache behaviour of an `aws_cloudfront_distribution` (`default_cache_behavior`, \
           `ordered_cache_behavior`) or an `AWS::CloudFront::Distribution` (`DefaultCacheBehavior`, \
           `CacheBehaviors`) whose viewer protocol policy is `allow-all`; one finding per behaviour. Checkov: \
           CKV_AWS_34.",
    why: "With `allow-all` every page, script and cookie of that path can be fetched over HTTP, where anyone on \
          the network path reads it and can inject content: a script added to a page served over HTTP runs with \
          the site's origin. `redirect-to-https` costs one redirect on the first request.",
    example: "default_cache_behavior {\n  target_origin_id       = \"web\"\n  viewer_protocol_policy = \"allow-all\"\n}",
    remediation: "Redirect viewers to HTTPS (or accept HTTPS only).",
    fix: &[
        "Set `viewer_protocol_policy = \"redirect-to-https\"` (or `https-only` for APIs) on every cache behaviour; CloudFormation: `ViewerProtocolPolicy: redirect-to-https`.",
        "Add a `Strict-Transport-Security` header with a response headers policy.",
    ],
    verify: &["`curl -I http://DOMAIN/PATH` answers 301 to `https://`; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Behaviours that serve only public, integrity-insensitive files to clients that cannot do \
                      TLS (some embedded devices) may keep `allow-all`; accept the finding for that path.",
    references: &[
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: compliance::IN_TRANSIT,
};

impl Rule for CloudFrontHttpAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for distribution in iac::resources(ctx, &DISTRIBUTIONS) {
            let (default, ordered, pattern) = if is_cloudformation(distribution) {
                (
                    "DistributionConfig.DefaultCacheBehavior",
                    "DistributionConfig.CacheBehaviors",
                    "PathPattern",
                )
            } else {
                (
                    "default_cache_behavior.0",
                    "ordered_cache_behavior",
                    "path_pattern",
                )
            };
            let count = match iac::lookup(distribution, ordered) {
                Some(Value::Array(items)) => items.len(),
                _ => 0,
            };
            let behaviours =
                std::iter::once((default.to_owned(), "*".to_owned())).chain((0..count).map(|i| {
                    let path = format!("{ordered}.{i}");
                    let matched = iac::text(distribution, &format!("{path}.{pattern}"))
                        .unwrap_or("?")
                        .to_owned();
                    (path, matched)
                }));
            for (path, matched) in behaviours {
                let policy = format!(
                    "{path}.{}",
                    if is_cloudformation(distribution) {
                        "ViewerProtocolPolicy"
                    } else {
                        "viewer_protocol_policy"
                    }
                );
                if iac::text(distribution, &policy) != Some("allow-all") {
                    continue;
                }
                hits.push(Hit::new(
                    format!("{}#{path}", distribution.id),
                    format!("{} serves `{matched}` over plain HTTP", distribution.name),
                    "viewer protocol policy allow-all".into(),
                    vec![distribution.id.clone()],
                    vec![iac::evidence_at(distribution, &policy)],
                ));
            }
        }
        hits
    }
}

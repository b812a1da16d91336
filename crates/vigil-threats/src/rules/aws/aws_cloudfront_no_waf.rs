//! `aws-cloudfront-no-waf`: a CloudFront distribution without a web ACL.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudFrontNoWaf;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-no-waf",
    title: "CloudFront distribution has no WAF",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::DenialOfService, Stride::Tampering],
    cwe: &["CWE-693"],
    capec: &["CAPEC-469"],
    attack: &["T1190", "T1498"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_cloudfront_distribution` without `web_acl_id`, or an `AWS::CloudFront::Distribution` without \
           `DistributionConfig.WebACLId`. Checkov: CKV_AWS_68.",
    why: "The distribution is the public front door of everything behind it. Without a web ACL there is no \
          place to rate-limit credential stuffing and scrapers, block known-bad inputs (the AWS managed rule \
          groups for common exploits and bad bots) or shut out a source during an incident, short of changing \
          the application.",
    example: "resource \"aws_cloudfront_distribution\" \"web\" {\n  enabled = true\n  # no web_acl_id\n}",
    remediation: "Attach an AWS WAF web ACL (scope CLOUDFRONT) to the distribution.",
    fix: &[
        "Create an `aws_wafv2_web_acl` with `scope = \"CLOUDFRONT\"` (in us-east-1) with the AWS managed common, known-bad-inputs and IP reputation rule groups and a rate-based rule.",
        "Set `web_acl_id = aws_wafv2_web_acl.edge.arn` (CloudFormation: `WebACLId: !GetAtt EdgeAcl.Arn`).",
    ],
    verify: &[
        "`aws cloudfront get-distribution-config --id ID` shows the `WebACLId`; re-run `vigil assess`.",
    ],
    mitigated_by: &["waf"],
    false_positives: "Distributions of purely static public files gain little from a WAF beyond rate limiting, and \
                      a WAF attached outside the code (Firewall Manager policies) is not seen: record it as the \
                      `waf` control.",
    references: &[
        "https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.4.2"),
        (Objective::Soc2, "CC6.6"),
        (Objective::OwaspAsvs, "V11.1.4"),
    ],
};

impl Rule for CloudFrontNoWaf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::missing(
            ctx,
            &[
                ("aws_cloudfront_distribution", "web_acl_id"),
                ("AWS::CloudFront::Distribution", "DistributionConfig.WebACLId"),
            ],
        )
        .iter()
        .map(|missing| {
            missing.hit(format!(
                "{} has no web application firewall",
                missing.resource.name
            ))
        })
        .collect()
    }
}

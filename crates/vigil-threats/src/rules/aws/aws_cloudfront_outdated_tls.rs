//! `aws-cloudfront-outdated-tls`: a CloudFront distribution with a custom certificate that still accepts TLS
//! 1.0 or 1.1 from viewers.

use vigil_core::{FindingKind, Stride};

use super::aws_cloudfront_http_allowed::DISTRIBUTIONS;
use super::compliance;
use super::iac::{self, Flag, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudFrontOutdatedTls;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-outdated-tls",
    title: "CloudFront accepts TLS 1.0 or 1.1",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-326", "CWE-757"],
    capec: &["CAPEC-217", "CAPEC-620"],
    attack: &["T1557"],
    likelihood: 2,
    impact: 5,
    what: "An `aws_cloudfront_distribution` whose `viewer_certificate` uses its own certificate \
           (`acm_certificate_arn` or `iam_certificate_id`) with a `minimum_protocol_version` other than \
           `TLSv1.2_*` / `TLSv1.3_*` (unset, it is `TLSv1`), or the same in an `AWS::CloudFront::Distribution`'s \
           `DistributionConfig.ViewerCertificate.MinimumProtocolVersion`. Distributions on the default \
           `*.cloudfront.net` certificate are not reported: their minimum cannot be changed. Checkov: \
           CKV_AWS_174.",
    why: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and rely on SHA-1 and CBC constructions with known \
          weaknesses; keeping them lets an active attacker push old clients down to them, and fails PCI DSS for \
          any page that takes card data.",
    example: "viewer_certificate {\n  acm_certificate_arn      = aws_acm_certificate.web.arn\n  ssl_support_method       = \"sni-only\"\n  minimum_protocol_version = \"TLSv1\"\n}",
    remediation: "Require TLS 1.2 or later from viewers.",
    fix: &[
        "Set `minimum_protocol_version = \"TLSv1.2_2021\"` (or a newer TLSv1.2 or TLSv1.3 policy); CloudFormation: `MinimumProtocolVersion: TLSv1.2_2021`.",
        "Check the standard logs (`c-ssl-protocol`) for viewers still on older TLS before the switch.",
    ],
    verify: &["`nmap --script ssl-enum-ciphers -p 443 DOMAIN` lists TLS 1.2+ only; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Distributions that must serve legacy clients may need TLS 1.0 for a while: accept the finding \
                      with an end date.",
    references: &[
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
        "https://datatracker.ietf.org/doc/html/rfc8996",
        "https://cwe.mitre.org/data/definitions/326.html",
    ],
    compliance: compliance::OUTDATED_TLS,
};

impl Rule for CloudFrontOutdatedTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &DISTRIBUTIONS)
            .filter_map(|distribution| {
                let (base, default_certificate, custom, version) = if is_cloudformation(distribution) {
                    (
                        "DistributionConfig.ViewerCertificate",
                        "CloudFrontDefaultCertificate",
                        ["AcmCertificateArn", "IamCertificateId"],
                        "MinimumProtocolVersion",
                    )
                } else {
                    (
                        "viewer_certificate.0",
                        "cloudfront_default_certificate",
                        ["acm_certificate_arn", "iam_certificate_id"],
                        "minimum_protocol_version",
                    )
                };
                let at = |key: &str| format!("{base}.{key}");
                let own_certificate = custom.iter().any(|key| iac::present(distribution, &at(key)));
                if !own_certificate || iac::flag(distribution, &at(default_certificate)) == Flag::True {
                    return None;
                }
                let path = at(version);
                let (minimum, written) = iac::text_or(distribution, &path, "TLSv1")?;
                if minimum.starts_with("TLSv1.2") || minimum.starts_with("TLSv1.3") {
                    return None;
                }
                let detail = if written {
                    format!("{version} = {minimum}")
                } else {
                    format!("{version} is not set (the default is TLSv1)")
                };
                let title = format!(
                    "{} accepts viewers on TLS older than 1.2 ({minimum})",
                    distribution.name
                );
                Some(iac::setting_hit(distribution, &path, title, detail))
            })
            .collect()
    }
}

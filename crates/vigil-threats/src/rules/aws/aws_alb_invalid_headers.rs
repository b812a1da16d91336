//! `aws-alb-invalid-headers-forwarded`: an Application Load Balancer that passes malformed HTTP headers on to
//! its targets.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, Flag, is_cloudformation, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AlbInvalidHeaders;

/// The load balancer attribute, as CloudFormation's `LoadBalancerAttributes` names it.
const ATTRIBUTE: &str = "routing.http.drop_invalid_header_fields.enabled";

static META: RuleMeta = RuleMeta {
    id: "aws-alb-invalid-headers-forwarded",
    title: "Application Load Balancer forwards invalid HTTP headers",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::Spoofing],
    cwe: &["CWE-444"],
    capec: &["CAPEC-33", "CAPEC-105"],
    attack: &["T1190"],
    likelihood: 2,
    impact: 4,
    what: "An `aws_lb` / `aws_alb` of type `application` (the default) whose `drop_invalid_header_fields` is not \
           `true`, or an `AWS::ElasticLoadBalancingV2::LoadBalancer` of type `application` without the attribute \
           `routing.http.drop_invalid_header_fields.enabled` set to `\"true\"` (the default is false). Checkov: \
           CKV_AWS_131.",
    why: "Header names with characters outside `[A-Za-z0-9-]` (underscores, spaces, control characters) are read \
          differently by the load balancer and by the servers behind it. That disagreement is the raw material of \
          request smuggling and of header spoofing (`X_Forwarded_For` taken for `X-Forwarded-For` by a framework \
          that normalises underscores), letting a client bypass IP allow-lists or poison caches.",
    example: "resource \"aws_lb\" \"web\" {\n  name               = \"web\"\n  load_balancer_type = \"application\"\n}",
    remediation: "Make the load balancer drop invalid header fields.",
    fix: &[
        "Set `drop_invalid_header_fields = true` on the `aws_lb`.",
        "CloudFormation: add `{Key: routing.http.drop_invalid_header_fields.enabled, Value: \"true\"}` to `LoadBalancerAttributes`.",
        "Also consider `desync_mitigation_mode = \"strictest\"` for request smuggling.",
    ],
    verify: &[
        "`aws elbv2 describe-load-balancer-attributes --load-balancer-arn ARN` shows `routing.http.drop_invalid_header_fields.enabled = true`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Legacy clients that send header names with underscores lose those headers once they are \
                      dropped; check the targets' expectations before switching.",
    references: &[
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
        "https://cwe.mitre.org/data/definitions/444.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.2.4"),
        (Objective::OwaspAsvs, "V14.5.4"),
        (Objective::Soc2, "CC6.6"),
    ],
};

impl Rule for AlbInvalidHeaders {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(
            ctx,
            &["aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"],
        )
        .filter(|lb| {
            iac::text(lb, pick(lb, "load_balancer_type", "Type")).is_none_or(|t| t == "application")
                && !iac::lookup(lb, pick(lb, "load_balancer_type", "Type")).is_some_and(iac::computed)
        })
        .filter_map(|lb| {
            if !is_cloudformation(lb) {
                return iac::off(lb, "drop_invalid_header_fields");
            }
            let written = match iac::lookup(lb, "LoadBalancerAttributes") {
                Some(Value::Array(items)) => items
                    .iter()
                    .find(|a| a.get("Key").and_then(Value::as_str) == Some(ATTRIBUTE))
                    .and_then(|a| a.get("Value")),
                _ => None,
            };
            let flag = match written {
                None => Flag::Unset,
                Some(v) if iac::computed(v) => Flag::Unknown,
                Some(v) if v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true")) || v == true => {
                    Flag::True
                }
                Some(_) => Flag::False,
            };
            matches!(flag, Flag::False | Flag::Unset).then_some(iac::Off {
                resource: lb,
                path: "LoadBalancerAttributes",
                flag,
            })
        })
        .map(|off| {
            let mut hit = off.hit(format!(
                "{} forwards malformed HTTP headers to its targets",
                off.resource.name
            ));
            if is_cloudformation(off.resource) {
                hit.detail = format!(
                    "LoadBalancerAttributes does not set {ATTRIBUTE} to \"true\" (the default is false)"
                );
            }
            hit
        })
        .collect()
    }
}

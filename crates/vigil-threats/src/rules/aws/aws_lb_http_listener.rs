//! `aws-lb-http-not-redirected`: a load balancer listener that serves plain HTTP instead of redirecting to
//! HTTPS.

use serde_json::Value;
use vigil_core::{Asset, FindingKind, Stride};

use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LbHttpListener;

pub(super) const LISTENERS: [&str; 3] = [
    "aws_lb_listener",
    "aws_alb_listener",
    "AWS::ElasticLoadBalancingV2::Listener",
];

static META: RuleMeta = RuleMeta {
    id: "aws-lb-http-not-redirected",
    title: "Load balancer serves plain HTTP",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-94", "CAPEC-157"],
    attack: &["T1040", "T1557"],
    likelihood: 4,
    impact: 5,
    what: "An `aws_lb_listener` / `aws_alb_listener` or `AWS::ElasticLoadBalancingV2::Listener` with protocol \
           `HTTP` whose default action neither redirects to HTTPS (`redirect` with protocol `HTTPS`) nor only \
           returns a fixed response. Checkov: CKV_AWS_2, CKV2_AWS_20.",
    why: "Requests, cookies, tokens and responses to an HTTP listener cross the Internet in clear text: anyone on \
          the path (public Wi-Fi, a hostile ISP, a compromised router) reads them and can change the pages \
          served, including injecting scripts. A redirect makes browsers switch to HTTPS; together with HSTS \
          they never come back to HTTP.",
    example: "resource \"aws_lb_listener\" \"web\" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = \"HTTP\"\n  default_action {\n    type             = \"forward\"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}",
    remediation: "Serve the application over HTTPS and redirect HTTP to it.",
    fix: &[
        "Add an HTTPS listener (port 443, an ACM certificate, a TLS 1.2+ `ssl_policy`) that forwards to the target group.",
        "Change the HTTP listener's default action to `redirect { port = \"443\"  protocol = \"HTTPS\"  status_code = \"HTTP_301\" }` \
         (CloudFormation: `Type: redirect`, `RedirectConfig: {Protocol: HTTPS, Port: '443', StatusCode: HTTP_301}`).",
        "Send `Strict-Transport-Security` from the application.",
    ],
    verify: &["`curl -I http://HOST/` answers 301 with `Location: https://...`; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Listener rules (`aws_lb_listener_rule`) that redirect every path are not followed, and a \
                      listener of an internal load balancer carrying only non-sensitive traffic inside the VPC \
                      may be acceptable: accept the finding with the reason.",
    references: &[
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
        "https://repost.aws/knowledge-center/elb-redirect-http-to-https-using-alb",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: compliance::IN_TRANSIT,
};

impl Rule for LbHttpListener {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &LISTENERS)
            .filter(|listener| protocol(listener).is_some_and(|p| p.eq_ignore_ascii_case("HTTP")))
            .filter(|listener| !safe_default_action(listener))
            .map(|listener| {
                let path = if is_cloudformation(listener) {
                    "Protocol"
                } else {
                    "protocol"
                };
                iac::setting_hit(
                    listener,
                    path,
                    format!("{} serves plain HTTP without redirecting to HTTPS", listener.name),
                    "protocol HTTP and the default action does not redirect to HTTPS".into(),
                )
            })
            .collect()
    }
}

/// A listener's protocol; an Application Load Balancer listener without one (and without a certificate)
/// is HTTP.
pub(super) fn protocol(listener: &Asset) -> Option<&str> {
    let (path, certificate) = if is_cloudformation(listener) {
        ("Protocol", "Certificates")
    } else {
        ("protocol", "certificate_arn")
    };
    match iac::lookup(listener, path) {
        None if !iac::present(listener, certificate) && !is_cloudformation(listener) => Some("HTTP"),
        _ => iac::text(listener, path),
    }
}

/// Every default action redirects to HTTPS or returns a fixed response (which carries no application data).
fn safe_default_action(listener: &Asset) -> bool {
    let (actions, kind, redirect_protocol) = if is_cloudformation(listener) {
        ("DefaultActions", "Type", "RedirectConfig.Protocol")
    } else {
        ("default_action", "type", "redirect.protocol")
    };
    let actions: Vec<&Value> = match iac::lookup(listener, actions) {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => return false,
    };
    !actions.is_empty()
        && actions.iter().all(|action| {
            let kind = action.get(kind).and_then(Value::as_str).unwrap_or_default();
            let to_https = redirect_protocol
                .split('.')
                .try_fold(*action, |v, key| match v {
                    Value::Array(items) => items.first().and_then(|i| i.get(key)),
                    other => other.get(key),
                })
                .is_some_and(|p| {
                    iac::computed(p) || p.as_str().is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
                });
            (kind == "redirect" && to_https) || kind == "fixed-response"
        })
}

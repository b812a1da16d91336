//! `aws-lb-outdated-tls-policy`: an HTTPS or TLS load balancer listener that still accepts TLS 1.0 or 1.1.

use vigil_core::{FindingKind, Stride};

use super::aws_lb_http_listener::{LISTENERS, protocol};
use super::compliance;
use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LbOutdatedTls;

/// The API's policy for an HTTPS or TLS listener created without one.
const DEFAULT_POLICY: &str = "ELBSecurityPolicy-2016-08";

static META: RuleMeta = RuleMeta {
    id: "aws-lb-outdated-tls-policy",
    title: "Load balancer accepts TLS 1.0 or 1.1",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-326", "CWE-757"],
    capec: &["CAPEC-217", "CAPEC-620"],
    attack: &["T1557"],
    likelihood: 2,
    impact: 5,
    what: "An `aws_lb_listener` / `aws_alb_listener` or `AWS::ElasticLoadBalancingV2::Listener` with protocol \
           `HTTPS` or `TLS` whose `ssl_policy` / `SslPolicy` is not a TLS 1.2+ policy (its name has `-1-2-` or \
           `-1-3-`, as `ELBSecurityPolicy-TLS13-1-2-2021-06`), or is not set: listeners created through the API \
           without one get `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0 and 1.1. Checkov: CKV_AWS_103.",
    why: "TLS 1.0 and 1.1 rely on SHA-1 and CBC constructions with known weaknesses (BEAST, Lucky13, SLOTH) and \
          are deprecated by RFC 8996; a policy that still offers them lets an active attacker push old clients \
          down to them, and auditors fail any card-data flow that allows them.",
    example: "resource \"aws_lb_listener\" \"web\" {\n  port            = 443\n  protocol        = \"HTTPS\"\n  ssl_policy      = \"ELBSecurityPolicy-2016-08\"\n  certificate_arn = aws_acm_certificate.web.arn\n}",
    remediation: "Use a TLS 1.2+ security policy.",
    fix: &[
        "Set `ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"` (or a newer `TLS13-1-2` / `TLS13-1-3` policy; CloudFormation: `SslPolicy`).",
        "Check the load balancer's access logs (`ssl_protocol` field) for clients still on TLS 1.0/1.1 before the switch.",
    ],
    verify: &[
        "`aws elbv2 describe-listeners` shows the new `SslPolicy`; `nmap --script ssl-enum-ciphers -p 443 HOST` lists TLS 1.2+ only.",
    ],
    mitigated_by: &[],
    false_positives: "A listener that must serve very old clients (legacy devices) may need TLS 1.0 for a while: \
                      accept the finding with an end date.",
    references: &[
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        "https://datatracker.ietf.org/doc/html/rfc8996",
        "https://cwe.mitre.org/data/definitions/326.html",
    ],
    compliance: compliance::OUTDATED_TLS,
};

impl Rule for LbOutdatedTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &LISTENERS)
            .filter(|listener| {
                protocol(listener)
                    .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS"))
            })
            .filter_map(|listener| {
                let path = pick(listener, "ssl_policy", "SslPolicy");
                let (policy, written) = iac::text_or(listener, path, DEFAULT_POLICY)?;
                if policy.contains("-1-2-") || policy.contains("-1-3-") {
                    return None;
                }
                let detail = if written {
                    format!("{path} = {policy}, which accepts TLS versions below 1.2")
                } else {
                    format!("no {path}: the API default {DEFAULT_POLICY} accepts TLS 1.0")
                };
                let title = format!("{} accepts TLS 1.0/1.1 ({policy})", listener.name);
                Some(iac::setting_hit(listener, path, title, detail))
            })
            .collect()
    }
}

//! `missing-rate-limiting`: an application component facing the Internet with neither rate limiting nor a
//! WAF in front of it.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::{RATE_LIMITING, WAF};

use super::support::{cite, control_statement, is_application, is_direct};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct MissingRateLimiting;

static META: RuleMeta = RuleMeta {
    id: "missing-rate-limiting",
    title: "Internet-facing service without rate limiting or WAF",
    kind: FindingKind::Threat,
    stride: &[Stride::DenialOfService],
    cwe: &["CWE-770"],
    capec: &["CAPEC-469", "CAPEC-125"],
    attack: &["T1499.003", "T1499.002"],
    likelihood: 5,
    impact: 5,
    what: "An application component (a service found in the code, or a process added in vigil-model.yaml or a \
           design document) that faces the Internet itself (`internet_facing`, or a flow from the Internet), \
           with neither `rate-limiting` (express-rate-limit, rate-limiter-flexible, @nestjs/throttler, slowapi, \
           Flask-Limiter, django-ratelimit, rack-attack, x/time/rate, bucket4j, resilience4j) nor `waf` \
           (a WAF association in Terraform, or recorded). Components reached only through another service are \
           left to that service's limits.",
    why: "Without a per-client limit, one client can send as many requests as the service can take: an \
          expensive search, report or export endpoint, a login, a password reset that sends e-mail or an API \
          that calls a paid third party is enough to exhaust CPU, database connections or budget, and scraping \
          and enumeration run at full speed.",
    example: "# vigil.toml\n[[override]]\npath = \"svc/**\"\ninternet_facing = true\n\
              # svc/server.js: express() with routes and no rate limiter",
    remediation: "Limit requests per client at the edge (WAF or gateway rate rules) and in the service for expensive routes.",
    fix: &[
        "Add rate-based rules at the edge: an AWS WAF rate-based rule, Cloudflare/Cloud Armor rate limiting, API Gateway usage plans, or nginx `limit_req`.",
        "Add a limiter in the service for expensive and sensitive routes (login, search, export, e-mail sending), keyed by user or client, not only IP.",
        "Bound the work per request: pagination limits, query timeouts, body size limits, connection pool limits.",
        "Record `rate-limiting` or `waf` on the component in vigil-model.yaml when the limit lives in infrastructure vigil does not read.",
    ],
    verify: &[
        "A burst of requests from one client (`hey -n 2000 -c 50 <url>`) gets 429 responses after the configured threshold while another client is still served.",
        "The WAF or gateway metrics show the rate rule counting requests.",
    ],
    mitigated_by: &[RATE_LIMITING, WAF],
    false_positives: "Rate limits configured in a CDN, load balancer, API gateway or service mesh outside the \
                      repository are not seen: record `rate-limiting` or `waf` for the component. Static sites \
                      served from a CDN are not application components and are not reported.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html",
        "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
        "https://cwe.mitre.org/data/definitions/770.html",
        "https://attack.mitre.org/techniques/T1499/003/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V11.1.4"),
        (Objective::PciDss4, "6.4.2"),
        (Objective::Soc2, "A1.1"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

impl Rule for MissingRateLimiting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for component in ctx.model.components.iter().filter(|c| is_application(c)) {
            let Some(exposure) = graph::exposure(ctx.model, component).filter(is_direct) else {
                continue;
            };
            let name = &component.name;
            let how = ctx
                .model
                .flows
                .iter()
                .find(|f| f.source == graph::INTERNET && f.target == component.id)
                .map_or_else(|| "it is marked internet_facing".to_owned(), |f| f.label.clone());
            let mut hit = graph::component_hit(
                component,
                "internet",
                format!("Request flooding of {name}, which takes requests directly from the Internet"),
                format!(
                    "{name} faces the Internet directly ({how}; {}); {}",
                    cite(&exposure.evidence),
                    control_statement(&META, component),
                ),
                exposure.evidence.clone(),
            );
            // Downtime of the component that takes payments stops revenue.
            hit.impact = component.capability(CapabilityKind::ProcessesPayments).map(|_| {
                (
                    (META.impact + 2).min(10),
                    "it processes payments: an outage stops sales".to_owned(),
                )
            });
            hits.push(hit);
        }
        hits
    }
}

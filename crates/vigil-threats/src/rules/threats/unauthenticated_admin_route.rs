//! `unauthenticated-admin-route`: an operator route (admin, internal, debug, actuator) without
//! authentication on a service attacker input reaches.

use vigil_core::{FindingKind, Objective, Stride};

use super::GATEWAY_AUTHENTICATION;
use super::support::{
    ADMIN_WORDS, cite, control_statement, endpoints, has_word, is_application, method, path_likelihood,
    reach_phrase, route, unauthenticated,
};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnauthenticatedAdminRoute;

static META: RuleMeta = RuleMeta {
    id: "unauthenticated-admin-route",
    title: "Administrative or debug route without authentication",
    kind: FindingKind::Threat,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-306", "CWE-749"],
    capec: &["CAPEC-121", "CAPEC-36"],
    attack: &["T1190"],
    likelihood: 7,
    impact: 8,
    what: "An API endpoint whose route has an operator word as a whole segment (`admin`, `internal`, `debug`, \
           `actuator`, `console`, `management`, `superuser`) found without any authentication guard \
           (`authenticated: false`), on a service component input from the Internet reaches. Any method. One \
           finding per route.",
    why: "Operator routes are found by every scanner's wordlist (`/admin`, `/actuator/env`, `/debug/pprof`, \
          `/internal/...`) and do what users may not: change roles, read configuration and secrets, dump heap \
          memory, run jobs. \"Nobody knows the URL\" and \"the load balancer does not route it\" are not \
          authentication.",
    example: "# svc/app.py\n@app.post(\"/admin/users/<int:uid>/role\")\ndef set_role(uid):\n    \
              users.set_role(uid, request.json[\"role\"])",
    remediation: "Require authentication with an administrator role (and MFA) on every operator route, or take the route off the Internet-facing service.",
    fix: &[
        "Add the authentication guard with an administrator-role check to the route or the whole `/admin` router.",
        "Serve operator functions from a separate service or port that is not reachable from the Internet (an internal load balancer, VPN or identity-aware proxy).",
        "Disable debug routes and framework consoles in production builds (`/debug/pprof`, Werkzeug debugger, Spring Boot actuator endpoints other than health).",
        "Record `gateway-authentication` on the component in vigil-model.yaml if an identity-aware proxy authenticates every request to it.",
    ],
    verify: &[
        "Requesting the route from outside without credentials returns 401/403 (or does not connect).",
        "A signed-in user without the administrator role gets 403 on it.",
    ],
    mitigated_by: &[GATEWAY_AUTHENTICATION],
    false_positives: "Routes whose name contains an operator word but serve public content (`/internal-links` \
                      is not matched; `/internal/status` returning a static OK is harmless) can be accepted. \
                      Guards applied in another file, at the gateway or by network policy are not seen.",
    references: &[
        "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
        "https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.security",
        "https://cwe.mitre.org/data/definitions/306.html",
        "https://capec.mitre.org/data/definitions/121.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.3.1"),
        (Objective::OwaspAsvs, "V14.3.2"),
        (Objective::PciDss4, "8.4.2"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for UnauthenticatedAdminRoute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for component in ctx.model.components.iter().filter(|c| is_application(c)) {
            let Some(exposure) = graph::exposure(ctx.model, component) else {
                continue;
            };
            let name = &component.name;
            for endpoint in endpoints(ctx, component) {
                let path = route(endpoint);
                if !unauthenticated(endpoint) || !has_word(path, ADMIN_WORDS) {
                    continue;
                }
                let verb = method(endpoint);
                let mut evidence: Vec<_> = endpoint.evidence.iter().take(1).cloned().collect();
                evidence.extend(exposure.evidence.iter().take(2).cloned());
                let mut hit = graph::component_hit(
                    component,
                    &format!("{verb} {path}"),
                    format!("{verb} {path} on {name} is an operator route open without authentication"),
                    format!(
                        "{verb} {path} ({}) has no authentication guard and its route names an operator function; \
                         {name} is reachable {}; {}",
                        cite(&endpoint.evidence),
                        reach_phrase(&exposure),
                        control_statement(&META, component),
                    ),
                    evidence,
                );
                hit.assets.push(endpoint.id.clone());
                hit.likelihood = path_likelihood(&META, &exposure);
                hits.push(hit);
            }
        }
        hits
    }
}

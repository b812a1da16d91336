//! `unauthenticated-write-endpoint`: a route that changes state, with no authentication guard, on a service
//! attacker input reaches.

use vigil_core::{FindingKind, Objective, Stride};

use super::GATEWAY_AUTHENTICATION;
use super::support::{
    ADMIN_WORDS, SIGN_IN_WORDS, cite, control_statement, endpoints, has_word, is_application, is_write,
    method, path_likelihood, reach_phrase, route, unauthenticated,
};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnauthenticatedWriteEndpoint;

static META: RuleMeta = RuleMeta {
    id: "unauthenticated-write-endpoint",
    title: "State-changing route without authentication",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-306"],
    capec: &["CAPEC-1"],
    attack: &["T1190"],
    likelihood: 6,
    impact: 6,
    what: "An API endpoint (POST, PUT, PATCH, DELETE) that its framework's analysis found without any \
           authentication guard (`authenticated: false`, not unknown), on a service component input from the \
           Internet reaches. Routes that must work before sign-in (login, sign-up, password reset, OAuth \
           callbacks, webhooks, health) and operator routes (reported by `unauthenticated-admin-route`) are \
           left out. One finding per route.",
    why: "Anyone who finds the route (from the front end's JavaScript, an API description, or by guessing) can \
          create, change or delete data as no one in particular: place orders, overwrite records, trigger \
          e-mails or jobs, with no identity to hold to account.",
    example: "// svc/server.js\nconst app = require(\"express\")();\n\
              app.delete(\"/api/orders/:id\", (req, res) => { orders.remove(req.params.id); res.end(); });",
    remediation: "Put the route behind the service's authentication (and an authorization check on the object it changes), or document why it is public.",
    fix: &[
        "Add the authentication middleware or decorator to the route (`requireAuth`, `@login_required`, `Depends(get_current_user)`, `[Authorize]`, `@PreAuthorize`), or to its router so new routes inherit it.",
        "Check that the authenticated caller may change that object (owner or role), not only that someone is signed in.",
        "For routes that are public by design (guest checkout, contact form), add rate limiting and CAPTCHA, and accept the finding with the reason.",
        "If an API gateway or identity-aware proxy authenticates every request before the service, record `gateway-authentication` on the component in vigil-model.yaml.",
    ],
    verify: &[
        "Calling the route without credentials returns 401 (or 403), and with another user's credentials on someone else's object returns 403.",
        "Re-running vigil shows the route as authenticated.",
    ],
    mitigated_by: &[GATEWAY_AUTHENTICATION],
    false_positives: "Authentication applied where vigil cannot see it (a global middleware in another file, a \
                      gateway authorizer, a service mesh policy) makes the route safe: record \
                      `gateway-authentication` or accept with the reason. Public-by-design writes (guest \
                      checkout, newsletter sign-up, contact forms) are reported for a decision.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html",
        "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
        "https://cwe.mitre.org/data/definitions/306.html",
        "https://capec.mitre.org/data/definitions/1.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.1.1"),
        (Objective::OwaspAsvs, "V1.4.1"),
        (Objective::PciDss4, "8.3.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for UnauthenticatedWriteEndpoint {
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
                if !is_write(endpoint)
                    || !unauthenticated(endpoint)
                    || has_word(path, ADMIN_WORDS)
                    || has_word(path, SIGN_IN_WORDS)
                {
                    continue;
                }
                let verb = method(endpoint);
                let framework = endpoint.attr_str("framework").unwrap_or("its framework");
                let mut evidence: Vec<_> = endpoint.evidence.iter().take(1).cloned().collect();
                evidence.extend(exposure.evidence.iter().take(2).cloned());
                let mut hit = graph::component_hit(
                    component,
                    &format!("{verb} {path}"),
                    format!("{verb} {path} on {name} changes state without authentication"),
                    format!(
                        "{verb} {path} ({}) has no authentication guard in {framework}; {name} is reachable {}, \
                         so anyone can call it; {}",
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

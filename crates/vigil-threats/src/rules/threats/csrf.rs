//! `csrf`: a component that keeps sessions in cookies and has state-changing routes, reachable from the
//! Internet, without CSRF protection.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::CSRF_PROTECTION;

use super::support::{
    cite, control_statement, endpoints, evidence, is_write, method, path_likelihood, reach_phrase, reached,
    route,
};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct Csrf;

static META: RuleMeta = RuleMeta {
    id: "csrf",
    title: "Cross-site request forgery against cookie sessions",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::Tampering],
    cwe: &["CWE-352"],
    capec: &["CAPEC-62"],
    attack: &[],
    likelihood: 5,
    impact: 6,
    what: "A component with the `cookie-sessions` capability (express-session, cookie-session, Flask-Login, \
           Django sessions, servlet HttpSession) that input from the Internet reaches, with state-changing \
           routes (POST, PUT, PATCH, DELETE among its endpoints; for a component whose routes vigil does not \
           know, the capability alone), and no `csrf-protection` control (csurf, csrf-csrf, lusca, \
           Flask-WTF CSRF, Flask-SeaSurf, gorilla/csrf, or recorded).",
    why: "Browsers attach cookies to requests other sites trigger: a page the victim visits can submit a form \
          to the application, and with a cookie session the request runs as the victim: change the e-mail \
          address (then reset the password), transfer money, add an administrator. `SameSite=Lax` cookies stop \
          most but not all of it (top-level GETs that change state, same-site subdomains).",
    example: "// svc/server.js\nconst session = require(\"express-session\");\napp.use(session({ secret: process.env.S }));\n\
              app.post(\"/account/email\", (req, res) => { req.session.user.email = req.body.email; res.end(); });",
    remediation: "Require an anti-CSRF token (or a custom header on API calls) on every state-changing request and set session cookies `SameSite=Lax` or `Strict`.",
    fix: &[
        "Enable the framework's CSRF protection (Django `CsrfViewMiddleware`, Flask-WTF `CSRFProtect`, Spring Security CSRF, csrf-csrf double-submit for Express) on every state-changing route.",
        "For JSON APIs called by the application's own front end, require a custom header (`X-Requested-With`) or a token in a header, and reject form-encoded bodies.",
        "Set session cookies `SameSite=Lax` (or `Strict`), `Secure` and `HttpOnly`, and never change state on GET.",
        "Record `csrf-protection` on the component in vigil-model.yaml when the protection is in a gateway or framework default vigil does not detect.",
    ],
    verify: &[
        "An HTML form on another origin that posts to a state-changing route with the victim's session is rejected with 403.",
        "The session cookie's `Set-Cookie` header carries `SameSite=Lax` or `Strict`.",
    ],
    mitigated_by: &[CSRF_PROTECTION],
    false_positives: "Django and Rails enable CSRF protection by default and vigil does not read settings: \
                      record `csrf-protection` when it is on. APIs that authenticate with a bearer token in a \
                      header, not the session cookie, are not exposed even when a session library is imported.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/352.html",
        "https://capec.mitre.org/data/definitions/62.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.2.2"),
        (Objective::OwaspAsvs, "V3.4.3"),
        (Objective::PciDss4, "6.2.4"),
    ],
};

impl Rule for Csrf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for r in reached(ctx.model, CapabilityKind::CookieSessions) {
            let known = endpoints(ctx, r.component);
            let writes: Vec<_> = known.iter().copied().filter(|e| is_write(e)).collect();
            // Routes known and none changes state: nothing to forge.
            if !known.is_empty() && writes.is_empty() {
                continue;
            }
            let name = &r.component.name;
            let routes = match writes.as_slice() {
                [] => "vigil knows none of its routes, so any may change state".to_owned(),
                [only] => format!("it has the state-changing route {} {}", method(only), route(only)),
                [first, rest @ ..] => format!(
                    "it has {} state-changing routes, e.g. {} {}",
                    rest.len() + 1,
                    method(first),
                    route(first)
                ),
            };
            let mut items = evidence(r.capability, &r.exposure);
            items.extend(writes.iter().take(1).flat_map(|e| e.evidence.first().cloned()));
            let mut hit = graph::component_hit(
                r.component,
                "cookie-sessions",
                format!(
                    "Cross-site request forgery on {name}: cookie sessions, state-changing routes, reachable {}",
                    reach_phrase(&r.exposure)
                ),
                format!(
                    "{name} keeps sessions in cookies (cookie-sessions: {}); {routes}; input from the Internet \
                     reaches it {}; {}",
                    cite(r.capability),
                    r.exposure.path,
                    control_statement(&META, r.component),
                ),
                items,
            );
            hit.likelihood = path_likelihood(&META, &r.exposure);
            hits.push(hit);
        }
        hits
    }
}

//! `login-brute-force`: a login reachable from the Internet with neither rate limiting nor a CAPTCHA.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::controls::{CAPTCHA, RATE_LIMITING};

use super::support::{cite, control_statement, logins, path_likelihood, reach_phrase};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct LoginBruteForce;

static META: RuleMeta = RuleMeta {
    id: "login-brute-force",
    title: "Login open to credential stuffing and brute force",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing],
    cwe: &["CWE-307"],
    capec: &["CAPEC-600", "CAPEC-49", "CAPEC-16"],
    attack: &["T1110.004", "T1110.003", "T1110.001"],
    likelihood: 6,
    impact: 6,
    what: "A component with the `authenticates` capability that input from the Internet reaches, with a login \
           route among its endpoints (a POST to `login`, `signin`, `logon`, `authenticate`, `token`, `session`; \
           for a component whose routes vigil does not know, the capability alone), and neither \
           `rate-limiting` nor `captcha` among its controls.",
    why: "Billions of leaked username/password pairs are replayed against every login on the Internet \
          (credential stuffing); without a limit per account and per source, a botnet tests thousands of pairs \
          a minute and takes over every account whose owner reused a password, or sprays common passwords \
          across all accounts.",
    example: "# svc/app.py\nfrom flask import Flask, request\nfrom flask_login import login_user\n\
              @app.post(\"/login\")\ndef login():\n    user = check(request.form[\"email\"], request.form[\"password\"])",
    remediation: "Throttle failed logins per account and per source, add a CAPTCHA or proof of work after a few failures, and check passwords against breached lists.",
    fix: &[
        "Add rate limiting on the login route keyed by account and by client IP (express-rate-limit, Flask-Limiter, django-ratelimit, rack-attack, an API gateway or WAF rate rule).",
        "After a few failures for an account, require a CAPTCHA (reCAPTCHA, hCaptcha, Turnstile) or add increasing delays instead of a hard lockout attackers can abuse.",
        "Reject passwords found in breach corpora at sign-up and password change (Have I Been Pwned range API), and offer MFA.",
        "Alert on spikes of failed logins across accounts.",
    ],
    verify: &[
        "Sending 20 wrong passwords for one account within a minute gets 429 or a CAPTCHA challenge, and so do 100 attempts from one IP across accounts.",
        "Login failures are logged with account and source, and the alert fires in a test.",
    ],
    mitigated_by: &[RATE_LIMITING, CAPTCHA],
    false_positives: "Logins delegated to an identity provider (the route only redirects to Auth0, Cognito, \
                      Entra ID, Google) inherit the provider's protections: record `rate-limiting` with that \
                      reason. Throttling in a gateway or WAF in front of the service is not seen in its code.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Credential_Stuffing_Prevention_Cheat_Sheet.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks",
        "https://cwe.mitre.org/data/definitions/307.html",
        "https://attack.mitre.org/techniques/T1110/004/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V2.2.1"),
        (Objective::PciDss4, "8.3.4"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for LoginBruteForce {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        logins(ctx)
            .into_iter()
            .map(|login| {
                let component = login.reached.component;
                let name = &component.name;
                let mut hit = graph::component_hit(
                    component,
                    "login",
                    format!(
                        "Credential stuffing against {} on {name}, reachable {}",
                        login.at(),
                        reach_phrase(&login.reached.exposure)
                    ),
                    format!(
                        "{name} authenticates users (authenticates: {}); {}; input from the Internet reaches it \
                         {}; {}",
                        cite(login.reached.capability),
                        login.route_statement(),
                        login.reached.exposure.path,
                        control_statement(&META, component),
                    ),
                    login.evidence(),
                );
                hit.likelihood = path_likelihood(&META, &login.reached.exposure);
                hit
            })
            .collect()
    }
}

//! `missing-mfa`: a login reachable from the Internet, in front of sensitive data, with a single factor.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::controls::MFA;

use super::support::{cite, control_statement, logins, path_likelihood};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct MissingMfa;

static META: RuleMeta = RuleMeta {
    id: "missing-mfa",
    title: "Single-factor login in front of sensitive data",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-308"],
    capec: &["CAPEC-560"],
    attack: &["T1078"],
    likelihood: 4,
    impact: 6,
    what: "A component with the `authenticates` capability that input from the Internet reaches (with a login \
           route among its endpoints when vigil knows them), that handles PII, PCI, PHI or secrets, and has no \
           `mfa` control (otplib, speakeasy, pyotp, django-otp, rotp, or recorded).",
    why: "Passwords leak through phishing, reuse and malware; with one factor, any leaked password opens the \
          account and its data. A second factor (TOTP, WebAuthn passkeys) stops credential stuffing and most \
          phishing from turning into account takeover, and regulators expect it for access to card and health \
          data.",
    example: "# vigil.toml\n[[override]]\npath = \"svc/**\"\ninternet_facing = true\ndata_classes = [\"phi\"]\n\
              # svc/app.py: a Flask-Login password login and nothing else",
    remediation: "Offer (and for privileged or regulated access, require) a second factor: WebAuthn/passkeys or TOTP.",
    fix: &[
        "Add a second factor to the login flow: WebAuthn/passkeys first, TOTP (pyotp, otplib) as fallback; avoid SMS where possible.",
        "Require it for administrators, support staff and any account that reaches card or health data; offer it to every user.",
        "Protect the recovery flow as strongly as the login (recovery codes, re-verification), and notify users when factors change.",
        "If users sign in through an identity provider, enforce MFA in its policy and record `mfa` on the component in vigil-model.yaml.",
    ],
    verify: &[
        "Signing in with the correct password alone for an account with MFA enrolled does not yield a session.",
        "The identity provider's policy (or the application's settings) shows MFA required for privileged roles.",
    ],
    mitigated_by: &[MFA],
    false_positives: "Applications that delegate login to an identity provider enforcing MFA do not show it in \
                      their code: record `mfa` with that reason. Consumer services with low-value accounts may \
                      accept the risk with MFA offered but not required.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/308.html",
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V2.2.4"),
        (Objective::PciDss4, "8.4.2"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

impl Rule for MissingMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for login in logins(ctx) {
            let component = login.reached.component;
            let data = graph::sensitive_data(component);
            if data.is_empty() {
                continue;
            }
            let name = &component.name;
            let mut hit = graph::component_hit(
                component,
                "login",
                format!(
                    "Account takeover with a stolen password at {} on {name}, in front of {} data",
                    login.at(),
                    graph::class_names(&data)
                ),
                format!(
                    "{name} authenticates users (authenticates: {}); {}; it handles {} data; input from the \
                     Internet reaches it {}; {}",
                    cite(login.reached.capability),
                    login.route_statement(),
                    graph::class_names(&data),
                    login.reached.exposure.path,
                    control_statement(&META, component),
                ),
                login.evidence(),
            );
            hit.likelihood = path_likelihood(&META, &login.reached.exposure);
            hits.push(hit);
        }
        hits
    }
}

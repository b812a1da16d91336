//! `unauthenticated-sensitive-read`: a route without authentication that serves personal, card or health
//! records of a service attacker input reaches.

use vigil_core::{Asset, AssetKind, Component, DataClass, FindingKind, Objective, Stride};

use super::GATEWAY_AUTHENTICATION;
use super::support::{
    ADMIN_WORDS, SIGN_IN_WORDS, cite, control_statement, endpoints, has_word, is_application, is_write,
    method, path_likelihood, reach_phrase, route, unauthenticated, words,
};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnauthenticatedSensitiveRead;

/// Route words that name people's records whatever the data models are called.
const RECORD_WORDS: &[&str] = &[
    "user",
    "users",
    "customer",
    "customers",
    "account",
    "accounts",
    "patient",
    "patients",
    "member",
    "members",
    "employee",
    "employees",
    "person",
    "people",
    "profile",
    "profiles",
    "contact",
    "contacts",
    "me",
    "order",
    "orders",
    "invoice",
    "invoices",
    "payment",
    "payments",
    "card",
    "cards",
    "address",
    "addresses",
];

static META: RuleMeta = RuleMeta {
    id: "unauthenticated-sensitive-read",
    title: "Sensitive records readable without authentication",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &["CWE-284", "CWE-359"],
    capec: &["CAPEC-87", "CAPEC-1"],
    attack: &["T1190", "T1213"],
    likelihood: 6,
    impact: 7,
    what: "A read endpoint (GET, HEAD) found without any authentication guard (`authenticated: false`) on a \
           service component that handles PII, PCI or PHI and that input from the Internet reaches, whose route \
           names the records: a segment matching one of the service's data models with sensitive fields \
           (`/users/:id` and a `User` model with an e-mail field), or a word for people's records (`customers`, \
           `patients`, `accounts`, `orders`, `profile`, `me`). One finding per route.",
    why: "Records served without authentication are read by anyone who finds the route, and identifiers in the \
          path are enumerable: walking `/customers/1..N` copies the customer base. This is the most common \
          cause of reported data breaches from APIs, and each record is a notifiable personal data breach.",
    example: "# svc/app.py\n@app.get(\"/patients/<int:pid>\")\ndef patient(pid):\n    return db.get_patient(pid)\n\
              # vigil.toml\n[[override]]\npath = \"svc/**\"\ninternet_facing = true\ndata_classes = [\"phi\"]",
    remediation: "Require authentication on the route and check that the caller may read that record.",
    fix: &[
        "Add the authentication guard to the route or its router.",
        "Authorize per object: the record belongs to the caller, or the caller's role may read it; return 404 otherwise.",
        "Return only the fields the client needs (no e-mail, phone, card or health fields in list views) and paginate with limits.",
        "Use non-enumerable identifiers (UUIDs) for records exposed in URLs, in addition to the checks above.",
        "If a gateway or identity-aware proxy authenticates every request, record `gateway-authentication` on the component in vigil-model.yaml.",
    ],
    verify: &[
        "Requesting the route without credentials returns 401, and with another user's credentials for your record returns 403 or 404.",
        "Re-running vigil shows the route as authenticated.",
    ],
    mitigated_by: &[GATEWAY_AUTHENTICATION],
    false_positives: "Public profiles (author pages, public user directories) are meant to be read by anyone: \
                      accept the finding after checking the response carries only public fields. Guards applied \
                      outside the route's file or in a gateway are not seen.",
    references: &[
        "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
        "https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/359.html",
        "https://capec.mitre.org/data/definitions/87.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.2.1"),
        (Objective::OwaspAsvs, "V4.1.1"),
        (Objective::PciDss4, "7.2.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

/// The service's data model the route names, when it has sensitive fields.
fn named_model<'a>(ctx: &Context<'a>, component: &Component, path: &str) -> Option<&'a Asset> {
    let words = words(path);
    ctx.inventory
        .of_kind(AssetKind::DataModel)
        .filter(|m| {
            m.attr_str("service")
                .is_some_and(|s| format!("svc:{}", s.trim_start_matches("service:")) == component.id)
        })
        .filter(|m| m.data_classes.iter().any(|c| graph::is_sensitive(*c)))
        .find(|m| {
            let name = m.name.to_ascii_lowercase();
            let plural = match name.strip_suffix('y') {
                Some(stem) => format!("{stem}ies"),
                None if name.ends_with('s') => format!("{name}es"),
                None => format!("{name}s"),
            };
            words.iter().any(|w| *w == name || *w == plural)
        })
}

impl Rule for UnauthenticatedSensitiveRead {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for component in ctx.model.components.iter().filter(|c| is_application(c)) {
            let data: Vec<DataClass> = graph::sensitive_data(component)
                .into_iter()
                .filter(|c| *c != DataClass::Secrets)
                .collect();
            if data.is_empty() {
                continue;
            }
            let Some(exposure) = graph::exposure(ctx.model, component) else {
                continue;
            };
            let name = &component.name;
            for endpoint in endpoints(ctx, component) {
                let path = route(endpoint);
                if is_write(endpoint)
                    || !unauthenticated(endpoint)
                    || has_word(path, ADMIN_WORDS)
                    || has_word(path, SIGN_IN_WORDS)
                {
                    continue;
                }
                let model = named_model(ctx, component, path);
                let records = match model {
                    Some(m) => format!(
                        "it names the data model {} ({}: {})",
                        m.name,
                        graph::class_names(&m.data_classes),
                        cite(&m.evidence)
                    ),
                    None if has_word(path, RECORD_WORDS) => "it names people's records".to_owned(),
                    None => continue,
                };
                let verb = method(endpoint);
                let mut evidence: Vec<_> = endpoint.evidence.iter().take(1).cloned().collect();
                evidence.extend(model.iter().flat_map(|m| m.evidence.first().cloned()));
                evidence.extend(exposure.evidence.iter().take(2).cloned());
                let mut hit = graph::component_hit(
                    component,
                    &format!("{verb} {path}"),
                    format!(
                        "{verb} {path} on {name} serves {} records without authentication",
                        graph::class_names(&data)
                    ),
                    format!(
                        "{verb} {path} ({}) has no authentication guard; {records}; {name} handles {} data and is \
                         reachable {}; {}",
                        cite(&endpoint.evidence),
                        graph::class_names(&data),
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

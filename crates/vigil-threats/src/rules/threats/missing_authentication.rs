//! `missing-authentication`: an application component with sensitive data that attacker input reaches and
//! that shows no authentication at all, judged on the model for components whose routes vigil does not know.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::controls::AUTHENTICATION;

use super::GATEWAY_AUTHENTICATION;
use super::support::{control_statement, endpoints, is_application, path_likelihood, reach_phrase};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct MissingAuthentication;

static META: RuleMeta = RuleMeta {
    id: "missing-authentication",
    title: "Component with sensitive data and no authentication",
    kind: FindingKind::Threat,
    stride: &[
        Stride::Spoofing,
        Stride::InformationDisclosure,
        Stride::ElevationOfPrivilege,
    ],
    cwe: &["CWE-306"],
    capec: &["CAPEC-115"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 7,
    what: "An application component whose routes vigil does not know (planned in a design document, added in \
           vigil-model.yaml, or a service whose framework it does not read) that handles PII, PCI, PHI or \
           secrets, that input from the Internet reaches (directly, or through another process over flows not \
           all marked `authenticated: true`), and that has neither `authentication` (an auth library or \
           identity provider in its code, a guarded route, or recorded) nor `gateway-authentication`. Services \
           with known routes are judged route by route by the `unauthenticated-*` rules instead.",
    why: "A component that does not establish who is calling serves its data and functions to anyone who can \
          reach it; behind another service, it trusts that service never to forward an attacker's request, \
          which one SSRF or routing mistake breaks.",
    example: "# vigil-model.yaml\ncomponents:\n  - id: svc:records\n    kind: process\n    name: Records API\n    \
              internet_facing: true\n    data_classes: [phi]",
    remediation: "Authenticate every caller of the component (users with the identity provider, services with mTLS or signed tokens), and record the control.",
    fix: &[
        "Decide how callers authenticate: users through the identity provider (OIDC), services with mTLS or workload identity tokens.",
        "Enforce it in the component (a global middleware, deny by default) or in a gateway that every request must cross.",
        "Mark the flows into the component `authenticated: true` in vigil-model.yaml once callers authenticate, and record `authentication` (or `gateway-authentication`) on the component.",
    ],
    verify: &[
        "A request to the component without credentials, from outside and from inside the network, gets 401.",
        "The model shows `authentication` on the component and authenticated flows into it.",
    ],
    mitigated_by: &[AUTHENTICATION, GATEWAY_AUTHENTICATION],
    false_positives: "Authentication done by code vigil does not recognise (a home-grown middleware) or by the \
                      platform (Cloud Run IAM, API Gateway authorizers, Istio policies) is not seen: record \
                      `authentication` or `gateway-authentication` on the component.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Microservices_Security_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/306.html",
        "https://capec.mitre.org/data/definitions/115.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V1.2.2"),
        (Objective::PciDss4, "8.3.1"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for MissingAuthentication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for component in ctx.model.components.iter().filter(|c| is_application(c)) {
            let data = graph::sensitive_data(component);
            if data.is_empty() || !endpoints(ctx, component).is_empty() {
                continue;
            }
            let Some(exposure) = graph::exposure(ctx.model, component) else {
                continue;
            };
            let inbound: Vec<_> = ctx
                .model
                .flows
                .iter()
                .filter(|f| f.target == component.id)
                .collect();
            if !inbound.is_empty() && inbound.iter().all(|f| f.authenticated == Some(true)) {
                continue;
            }
            let name = &component.name;
            let mut hit = graph::component_hit(
                component,
                "authentication",
                format!(
                    "Anonymous access to {} data in {name}, reachable {}",
                    graph::class_names(&data),
                    reach_phrase(&exposure)
                ),
                format!(
                    "{name} handles {} data ({}); input from the Internet reaches it {}; vigil knows none of its \
                     routes and {}",
                    graph::class_names(&data),
                    component
                        .evidence
                        .first()
                        .map_or_else(|| "declared".to_owned(), |e| e.location()),
                    exposure.path,
                    control_statement(&META, component),
                ),
                exposure.evidence.clone(),
            );
            hit.likelihood = path_likelihood(&META, &exposure);
            hits.push(hit);
        }
        hits
    }
}

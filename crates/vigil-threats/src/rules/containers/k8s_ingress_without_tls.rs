//! `k8s-ingress-without-tls`: an Internet-facing Ingress that serves plain HTTP only.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IngressWithoutTls;

/// Annotations through which cloud ingress controllers terminate TLS without `spec.tls`.
const TLS_ANNOTATIONS: [&str; 4] = [
    "alb.ingress.kubernetes.io/certificate-arn",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
];

static META: RuleMeta = RuleMeta {
    id: "k8s-ingress-without-tls",
    title: "Kubernetes Ingress serves plain HTTP only",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-158", "CAPEC-94"],
    attack: &["T1557", "T1040"],
    likelihood: 4,
    impact: 6,
    what: "An Ingress without `spec.tls` and without a cloud TLS annotation (`alb.ingress.kubernetes.io/\
           certificate-arn`, `ingress.gcp.kubernetes.io/pre-shared-cert`, `networking.gke.io/\
           managed-certificates`, `appgw.ingress.kubernetes.io/appgw-ssl-certificate`). Ingresses made internal \
           by their cloud annotation, and GKE ingresses with `kubernetes.io/ingress.allow-http: \"false\"`, \
           are not reported. No Checkov equivalent.",
    why: "Everything the hosts serve crosses the Internet in clear: session cookies, credentials typed into \
          forms, API tokens and personal data can be read and modified by anyone on the path (public Wi-Fi, \
          a compromised router, an ISP), and browsers mark the site insecure.",
    example: "kind: Ingress\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths: [...]",
    remediation: "Add a `spec.tls` entry for the hosts with a certificate Secret (cert-manager can issue it).",
    fix: &[
        "Add `spec.tls: [{hosts: [shop.example.com], secretName: shop-tls}]` and have cert-manager (annotation `cert-manager.io/cluster-issuer`) issue the certificate.",
        "Redirect HTTP to HTTPS in the controller (ingress-nginx does it by default once TLS is set) and add HSTS.",
    ],
    verify: &[
        "`curl -sI http://HOST/` answers with a redirect to https, and `curl -sI https://HOST/` succeeds with a valid certificate; re-run `vigil assess`.",
    ],
    mitigated_by: &["tls-terminated-upstream"],
    false_positives: "TLS terminated in front of the cluster (a CDN, an external load balancer, a service mesh \
                      gateway) is not visible here: record it as the `tls-terminated-upstream` control. An \
                      ingress serving only an HTTP-01 ACME challenge is expected.",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
        "https://cert-manager.io/docs/usage/ingress/",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::Soc2, "CC6.7"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::OwaspAsvs, "V9.1.1"),
    ],
};

impl Rule for IngressWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for ingress in k8s::objects(ctx, "Ingress") {
            let Some(exposure) = ingress.attributes.get("exposure") else {
                continue;
            };
            let flag = |key: &str| exposure.get(key).and_then(Value::as_bool) == Some(true);
            if flag("tls") || flag("internal") {
                continue;
            }
            let annotations = config(ingress)
                .and_then(|c| c.get("metadata"))
                .and_then(|m| m.get("annotations"));
            let annotation = |key: &str| annotations.and_then(|m| m.get(key)).filter(|v| !v.is_null());
            // GKE serves no plain HTTP at all with `allow-http: "false"`.
            let http_off = annotation("kubernetes.io/ingress.allow-http")
                .is_some_and(|v| v.as_str() == Some("false") || v.as_bool() == Some(false));
            if http_off || TLS_ANNOTATIONS.iter().any(|a| annotation(a).is_some()) {
                continue;
            }
            let hosts: Vec<String> = exposure
                .get("hosts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|h| {
                    if h == "*" {
                        "any host".to_owned()
                    } else {
                        h.to_owned()
                    }
                })
                .collect();
            let hosts = if hosts.is_empty() {
                "any host".to_owned()
            } else {
                hosts.join(", ")
            };
            hits.push(
                Hit::new(
                    ingress.id.to_string(),
                    format!("{} serves {hosts} over plain HTTP", ingress.name),
                    "no spec.tls and no TLS annotation: port 80 only".to_owned(),
                    vec![ingress.id.clone()],
                    vec![k8s::evidence_at(
                        ingress,
                        &["spec.rules".to_owned(), "spec".to_owned()],
                    )],
                )
                .exposing(),
            );
        }
        hits
    }
}

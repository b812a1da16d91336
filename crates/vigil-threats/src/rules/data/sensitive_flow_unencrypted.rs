//! `sensitive-flow-unencrypted`: a flow carrying sensitive data is declared unencrypted, or crosses a trust
//! boundary over a plaintext protocol.

use vigil_core::{BoundaryKind, Component, ComponentKind, DataClass, FindingKind, Objective, Stride};

use super::support::{objectives_for, unseen_data_impact};
use crate::graph::{INTERNET, class_names, crosses_boundary, is_sensitive};
use crate::rule::{Context, Hit, Rule, RuleMeta, component_asset};

#[derive(Debug)]
pub struct SensitiveFlowUnencrypted;

const TRANSPORT_ENCRYPTION: &str = "transport-encryption";

/// Protocols that carry data in clear text unless wrapped (their TLS forms have their own names).
const PLAINTEXT: &[&str] = &[
    "http",
    "ws",
    "ftp",
    "tftp",
    "telnet",
    "ldap",
    "smtp",
    "pop3",
    "imap",
    "mqtt",
    "amqp",
    "nfs",
    "smb",
    "memcached",
];

static META: RuleMeta = RuleMeta {
    id: "sensitive-flow-unencrypted",
    title: "Sensitive data sent unencrypted",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-158", "CAPEC-94"],
    attack: &["T1040", "T1557"],
    likelihood: 4,
    impact: 6,
    what: "A flow carrying PII, PCI, PHI or secrets (its data classes) that is declared unencrypted \
           (`encrypted: false` in vigil-model.yaml or an imported threat model), or that crosses a trust \
           boundary over a plaintext protocol (http, ftp, telnet, ldap, smtp, mqtt, amqp...) with its \
           encryption unknown. Flows whose protocol vigil cannot tell are not reported.",
    why: "Anyone on the path (a shared network, a compromised host or router, a cloud neighbour, a proxy) can \
          read the data and change it in transit: session tokens and card numbers are captured, responses are \
          altered. Crossing a trust boundary means the path runs through networks the receiving side does not \
          control.",
    example: "# vigil-model.yaml\nflows:\n  - {source: svc:api, target: ext:crm, label: syncs customers, \
              protocol: http, data_classes: [pii]}",
    remediation: "Encrypt the flow with TLS 1.2+ (or mutual TLS between services) and verify certificates.",
    fix: &[
        "Switch the client to the TLS form of the protocol (https, wss, ldaps, smtps or STARTTLS required, amqps, mqtts) and verify the server certificate.",
        "Between internal services, use mutual TLS (a service mesh, or TLS with client certificates) and refuse plaintext connections on the server side.",
        "Set `encrypted: true` on the flow in vigil-model.yaml once fixed, or record `transport-encryption` on both ends when a tunnel (mesh, VPN, IPsec) encrypts a plaintext protocol.",
    ],
    verify: &[
        "Capture traffic on the path (tcpdump, a proxy): no readable payload; a plaintext connection attempt to the server is refused.",
        "Re-run `vigil assess`: the finding is gone or mitigated.",
    ],
    mitigated_by: &[TRANSPORT_ENCRYPTION],
    false_positives: "A plaintext protocol inside a tunnel (an IPsec VPN between sites, a service mesh doing \
                      mTLS transparently) is encrypted on the wire: record `transport-encryption` on both ends, \
                      or set `encrypted: true` on the flow.",
    references: &[
        "https://cwe.mitre.org/data/definitions/319.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::Soc2, "CC6.7"),
        (Objective::OwaspAsvs, "V9.2.2"),
        (Objective::OwaspAsvs, "V1.9.1"),
    ],
};

impl Rule for SensitiveFlowUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let boundary_kind = |component: &Component| {
            component
                .boundary
                .as_deref()
                .and_then(|id| model.boundaries.iter().find(|b| b.id == id))
                .map(|b| b.kind)
        };
        let mut hits = Vec::new();
        for flow in &model.flows {
            let (Some(source), Some(target)) = (model.component(&flow.source), model.component(&flow.target))
            else {
                continue;
            };
            if source.out_of_scope.is_some() || target.out_of_scope.is_some() {
                continue;
            }
            let mut data: Vec<DataClass> = flow
                .data_classes
                .iter()
                .copied()
                .filter(|c| is_sensitive(*c))
                .collect();
            data.sort();
            data.dedup();
            if data.is_empty() {
                continue;
            }
            let crosses = crosses_boundary(model, flow);
            let protocol = flow.protocol.as_deref().map(str::to_ascii_lowercase);
            let plaintext = protocol.as_deref().is_some_and(|p| PLAINTEXT.contains(&p));
            let why = match flow.encrypted {
                Some(false) => "is declared unencrypted".to_owned(),
                None if crosses && plaintext => format!(
                    "crosses a trust boundary over {} with no encryption declared",
                    protocol.as_deref().unwrap_or_default()
                ),
                _ => continue,
            };
            // Untrusted networks on the path: the Internet or a third party's side.
            let untrusted = [source, target].iter().any(|c| {
                c.id == INTERNET
                    || matches!(
                        boundary_kind(c),
                        Some(BoundaryKind::Internet | BoundaryKind::ThirdParty)
                    )
            });
            // The fix lands on the ends the team runs; an external entity cannot record a control.
            let ends: Vec<&Component> = [source, target]
                .into_iter()
                .filter(|c| c.kind != ComponentKind::ExternalEntity)
                .collect();
            let ends = if ends.is_empty() { vec![source] } else { ends };
            let regulated = objectives_for(ctx.scope, &data);
            let detail = format!(
                "flow `{}` from {} to {} carries {} data{} and {}{}",
                flow.label,
                source.name,
                target.name,
                class_names(&data),
                if regulated.is_empty() {
                    String::new()
                } else {
                    format!(" (in scope of {})", regulated.join(", "))
                },
                why,
                if untrusted {
                    "; its path runs over networks the team does not control"
                } else {
                    ""
                },
            );
            let mut evidence = flow.evidence.clone();
            if evidence.is_empty() {
                evidence.extend(source.evidence.iter().take(1).cloned());
            }
            let mut hit = Hit::new(
                format!("cleartext:{}->{}", flow.source, flow.target),
                format!(
                    "{} data flows unencrypted from {} to {}",
                    class_names(&data),
                    source.name,
                    target.name
                ),
                detail,
                ends.iter().map(|c| component_asset(c)).collect(),
                evidence,
            );
            hit.likelihood = if untrusted {
                Some((
                    6,
                    "the flow crosses the Internet or a third party's network".into(),
                ))
            } else if !crosses {
                Some((3, "the flow stays inside one trust boundary".into()))
            } else {
                None
            };
            hit.impact = unseen_data_impact(META.impact, &data, &ends, "the flow carries");
            hits.push(hit);
        }
        hits
    }
}

//! `k8s-service-exposes-database`: a Service that publishes a database or administration port outside
//! the cluster.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ServiceExposesDatabase;

static META: RuleMeta = RuleMeta {
    id: "k8s-service-exposes-database",
    title: "Kubernetes Service exposes a database or administration port outside the cluster",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-284", "CWE-668"],
    capec: &["CAPEC-169"],
    attack: &["T1190", "T1133"],
    likelihood: 6,
    impact: 8,
    what: "A Service of type `LoadBalancer` (not made internal by its cloud annotation, and without \
           `loadBalancerSourceRanges` narrower than the Internet), of type `NodePort`, or with \
           `externalIPs`, one of whose `port` or numeric `targetPort` is a database or administration port \
           (PostgreSQL, MySQL, Redis, MongoDB, Elasticsearch, SSH, the Docker API, etcd, the kubelet...). \
           NodePorts are reported with a lower likelihood: they open the port on every node's address, \
           which may or may not be public. No Checkov equivalent.",
    why: "Internet-wide scanners find open database and administration ports within minutes and try default \
          credentials, credential stuffing and known exploits; these services were built for a trusted \
          network, many without authentication by default (Redis, Elasticsearch, MongoDB in old versions).",
    example: "kind: Service\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 5432",
    remediation: "Use a ClusterIP Service for the database; reach it from outside only through a VPN, bastion or port-forward.",
    fix: &[
        "Change the Service type to `ClusterIP` (the default) so only pods reach it.",
        "If clients outside the cluster need it, use an internal load balancer annotation and `loadBalancerSourceRanges` listing their networks.",
        "For administration, use `kubectl port-forward` or a bastion instead of a published port.",
    ],
    verify: &[
        "`kubectl get svc -A -o wide` shows the service as `ClusterIP` (or with an internal address); re-run `vigil assess`.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "A load balancer on a private network with no route from the Internet, or nodes without \
                      public addresses for a NodePort, are not visible here: record it as the `no-public-route` \
                      control.",
    references: &[
        "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
        "https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(e)(1)"),
    ],
};

const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

impl Rule for ServiceExposesDatabase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for service in k8s::objects(ctx, "Service") {
            let Some(exposure) = service.attributes.get("exposure") else {
                continue;
            };
            if exposure.get("internal").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let via = exposure.get("via").and_then(Value::as_str).unwrap_or_default();
            let Some(manifest) = config(service) else { continue };
            let mut ranges: Vec<&str> = exposure
                .get("source_ranges")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            // The older annotation form of `loadBalancerSourceRanges`.
            if let Some(annotated) = manifest
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get("service.beta.kubernetes.io/load-balancer-source-ranges"))
                .and_then(Value::as_str)
                .filter(|_| ranges.is_empty())
            {
                ranges = annotated
                    .split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .collect();
            }
            let restricted = !ranges.is_empty() && !ranges.iter().any(|r| ANYWHERE.contains(r));
            if via == "LoadBalancer" && restricted {
                continue;
            }
            let ports = manifest
                .get("spec")
                .and_then(|s| s.get("ports"))
                .and_then(Value::as_array);
            for (index, port) in ports.into_iter().flatten().enumerate() {
                let numbers = ["port", "targetPort"]
                    .iter()
                    .filter_map(|k| port.get(*k).and_then(shared::port_number));
                let Some((number, what)) = numbers
                    .filter_map(|n| shared::sensitive_port(n).map(|w| (n, w)))
                    .next()
                else {
                    continue;
                };
                let exposed = match via {
                    "NodePort" => "on every node's address (NodePort)".to_owned(),
                    "ExternalIPs" => "on its external IPs".to_owned(),
                    _ if ranges.is_empty() => "through a public load balancer".to_owned(),
                    _ => format!("through a load balancer open to {}", ranges.join(", ")),
                };
                let mut hit = Hit::new(
                    format!("{}#port:{number}", service.id),
                    format!("{} exposes {what} (port {number}) {exposed}", service.name),
                    format!("spec.type {via}, spec.ports[{index}] targets {what} port {number}"),
                    vec![service.id.clone()],
                    vec![k8s::evidence_at(
                        service,
                        &[format!("spec.ports.{index}"), "spec.type".to_owned()],
                    )],
                );
                if via == "NodePort" {
                    hit.likelihood = Some((
                        3,
                        "a NodePort is public only when the nodes have public addresses".to_owned(),
                    ));
                } else {
                    hit = hit.exposing();
                }
                hits.push(hit);
            }
        }
        hits
    }
}

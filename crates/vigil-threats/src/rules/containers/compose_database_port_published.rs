//! `compose-database-port-published`: a Compose service that publishes a database or administration port
//! on every interface of the host.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeDatabasePortPublished;

static META: RuleMeta = RuleMeta {
    id: "compose-database-port-published",
    title: "Compose service publishes a database or administration port on all interfaces",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-284", "CWE-668"],
    capec: &["CAPEC-169"],
    attack: &["T1190", "T1133"],
    likelihood: 5,
    impact: 7,
    what: "A `ports` entry of a Docker Compose service whose container port is a database or administration \
           port (PostgreSQL, MySQL, Redis, MongoDB, Elasticsearch, SSH, the Docker API...) published without \
           a host address or on `0.0.0.0` / `::` (a random host port included). Ports bound to `127.0.0.1` \
           and services on `network_mode: host` (where `ports` are ignored) are not reported. No Checkov \
           equivalent (Checkov does not read Compose files).",
    why: "A published port listens on every address of the host, and Docker's own iptables rules take \
          effect before host firewalls such as ufw, so a host that looks closed is open. Internet-wide \
          scanners find exposed databases within minutes; many accept default or no credentials.",
    example: "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"",
    remediation: "Bind the port to the loopback (`127.0.0.1:5432:5432`) or do not publish it at all.",
    fix: &[
        "Remove the `ports` entry: other services of the project reach the database by its service name on the project network.",
        "If the host itself needs it, bind it to the loopback: `\"127.0.0.1:5432:5432\"`.",
    ],
    verify: &[
        "`docker compose ps` shows the port bound to `127.0.0.1` or not published; `ss -tlnp` on the host agrees; re-run `vigil assess`.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "On a developer machine behind a NAT the port is reachable from the local network only, \
                      still a risk on shared Wi-Fi. A host without a public route can be recorded as the \
                      `no-public-route` control.",
    references: &[
        "https://docs.docker.com/engine/network/packet-filtering-firewalls/",
        "https://docs.docker.com/reference/compose-file/services/#ports",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[(Objective::PciDss4, "1.3.1"), (Objective::Soc2, "CC6.6")],
};

const ALL_INTERFACES: [&str; 3] = ["0.0.0.0", "::", "[::]"];

impl Rule for ComposeDatabasePortPublished {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            if service.get("network_mode").and_then(Value::as_str) == Some("host") {
                continue;
            }
            let ports = service.get("ports").and_then(Value::as_array);
            for (index, port) in ports.into_iter().flatten().enumerate() {
                let host_ip = port.get("host_ip");
                let everywhere = match host_ip {
                    None | Some(Value::Null) => true,
                    Some(Value::String(ip)) => ALL_INTERFACES.contains(&ip.as_str()),
                    Some(_) => false,
                };
                let Some(target) = port.get("target").and_then(shared::port_number) else {
                    continue;
                };
                let Some(what) = shared::sensitive_port(target) else {
                    continue;
                };
                if !everywhere {
                    continue;
                }
                let published = match port.get("published") {
                    Some(Value::Null) | None => "a random host port".to_owned(),
                    Some(value) => shared::compose_text(value).map_or_else(
                        || "a host port set by a variable".to_owned(),
                        |p| format!("host port {p}"),
                    ),
                };
                hits.push(Hit::new(
                    format!("{}:port:{target}", asset.id),
                    format!(
                        "Compose service {} publishes {what} (port {target}) on all interfaces",
                        asset.name
                    ),
                    format!("ports[{index}]: container port {target} on {published} of every host address"),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for_first(&[&format!("ports.{index}"), "ports"])],
                ));
            }
        }
        hits
    }
}

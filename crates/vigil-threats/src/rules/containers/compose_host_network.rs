//! `compose-host-network`: a Compose service that uses the host's network stack.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeHostNetwork;

static META: RuleMeta = RuleMeta {
    id: "compose-host-network",
    title: "Compose service uses the host's network namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-158"],
    attack: &["T1040", "T1046"],
    likelihood: 4,
    impact: 6,
    what: "A service of a Docker Compose file with `network_mode: host`. No Checkov equivalent (Checkov does \
           not read Compose files).",
    why: "The container shares the host's interfaces: every port it opens listens on the host's addresses \
          (Compose `ports:` no longer apply, nor does the isolation between the project's networks), it \
          reaches services bound to the host's loopback (databases, admin consoles, the Docker API over TCP) \
          and, with NET_RAW, sees the host's traffic.",
    example: "services:\n  api:\n    image: api:2.3.1\n    network_mode: host",
    remediation: "Remove `network_mode: host`; publish the ports the service needs with `ports:`.",
    fix: &[
        "Remove `network_mode: host` and list the needed ports under `ports:`, bound to `127.0.0.1` when only the host uses them.",
        "Put services that talk to each other on a user-defined network instead of the host's.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.NetworkMode}}' CONTAINER` does not print `host`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Network tools (VPN clients, DHCP or mDNS services, some monitoring agents) need the host \
                      network by design; on a developer machine it is often a convenience. Accept those with \
                      the reason.",
    references: &[
        "https://docs.docker.com/engine/network/drivers/host/",
        "https://docs.docker.com/reference/compose-file/services/#network_mode",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "1.4.1"), (Objective::Soc2, "CC6.6")],
};

impl Rule for ComposeHostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        shared::compose_host_mode(ctx, "network_mode")
            .into_iter()
            .map(|asset| {
                Hit::new(
                    format!("{}:network_mode", asset.id),
                    format!("Compose service {} uses the host's network stack", asset.name),
                    "network_mode: host".into(),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for("network_mode")],
                )
            })
            .collect()
    }
}

//! `compose-dangerous-capabilities`: a Compose service that adds a Linux capability which hands it the host.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeDangerousCapabilities;

static META: RuleMeta = RuleMeta {
    id: "compose-dangerous-capabilities",
    title: "Compose service adds a dangerous Linux capability",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1068"],
    likelihood: 4,
    impact: 8,
    what: "A service of a Docker Compose file whose `cap_add` lists `ALL`, `SYS_ADMIN`, `SYS_MODULE`, \
           `SYS_RAWIO`, `SYS_PTRACE`, `DAC_READ_SEARCH`, `BPF`, `MAC_ADMIN`, `MAC_OVERRIDE` or `NET_ADMIN` \
           (with or without the `CAP_` prefix). No Checkov equivalent (Checkov does not read Compose files).",
    why: "These capabilities are what container escapes are built on: `SYS_ADMIN` mounts filesystems and \
          abuses cgroups, `SYS_MODULE` loads code into the host kernel, `DAC_READ_SEARCH` opens host files by \
          handle, `SYS_PTRACE` injects into processes. Code execution in such a container is a short step \
          from root on the host.",
    example: "services:\n  vpn:\n    image: vpn:3.0\n    cap_add: [SYS_ADMIN]",
    remediation: "Remove the capability; add `cap_drop: [ALL]` and only narrow ones back.",
    fix: &[
        "Remove the capability from `cap_add` and add `cap_drop: [ALL]`.",
        "Add back only what the process needs, usually nothing or `NET_BIND_SERVICE`.",
        "For a VPN client, `NET_ADMIN` plus the `/dev/net/tun` device is enough; never `SYS_ADMIN`.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.CapAdd}}' CONTAINER` lists none of them; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "VPN and network tools need `NET_ADMIN`, some FUSE or storage tools `SYS_ADMIN`, by \
                      design: accept them with the reason on hosts dedicated to them.",
    references: &[
        "https://docs.docker.com/reference/compose-file/services/#cap_add",
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComposeDangerousCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            let added: Vec<(usize, (&str, &str, u8))> = shared::compose_list(service, "cap_add")
                .into_iter()
                .filter_map(|(i, c)| shared::dangerous_capability(c).map(|d| (i, d)))
                .collect();
            let Some((first, _)) = added.first() else { continue };
            let names: Vec<&str> = added.iter().map(|(_, (name, _, _))| *name).collect();
            let Some((_, (worst, allows, impact))) =
                added.iter().max_by_key(|(_, (_, _, impact))| *impact).copied()
            else {
                continue;
            };
            let mut hit = Hit::new(
                format!("{}:cap_add", asset.id),
                format!("Compose service {} adds {}", asset.name, names.join(", ")),
                format!("cap_add: [{}]; {worst} allows {allows}", names.join(", ")),
                vec![asset.id.clone()],
                vec![asset.evidence_for_first(&[&format!("cap_add.{first}"), "cap_add"])],
            );
            if impact != META.impact {
                hit.impact = Some((impact, format!("{worst} allows {allows}")));
            }
            hits.push(hit);
        }
        hits
    }
}

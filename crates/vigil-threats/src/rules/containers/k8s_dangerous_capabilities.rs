//! `k8s-dangerous-capabilities`: a container that adds a Linux capability which hands it the node.

use vigil_core::{FindingKind, Objective, Stride};

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DangerousCapabilities;

static META: RuleMeta = RuleMeta {
    id: "k8s-dangerous-capabilities",
    title: "Kubernetes container adds a dangerous Linux capability",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1068"],
    likelihood: 4,
    impact: 8,
    what: "A container or init container whose `securityContext.capabilities.add` lists `ALL`, `SYS_ADMIN`, \
           `SYS_MODULE`, `SYS_RAWIO`, `SYS_PTRACE`, `DAC_READ_SEARCH`, `BPF`, `MAC_ADMIN`, `MAC_OVERRIDE` or \
           `NET_ADMIN` (with or without the `CAP_` prefix). Privileged containers are \
           k8s-privileged-container's. Checkov: CKV_K8S_39 (SYS_ADMIN; CKV_K8S_25 reports any added capability).",
    why: "These capabilities are the ones container escapes are built on: `SYS_ADMIN` mounts filesystems and \
          abuses cgroups, `SYS_MODULE` loads code into the host kernel, `DAC_READ_SEARCH` opens host files by \
          handle, `SYS_PTRACE` injects into processes, `BPF` loads kernel programs. Code execution in such a \
          container is a short step from root on the node.",
    example: "securityContext:\n  capabilities:\n    add: [\"SYS_ADMIN\"]",
    remediation: "Remove the capability; drop ALL and add back only narrow ones (`NET_BIND_SERVICE`).",
    fix: &[
        "Remove the capability from `capabilities.add` and set `capabilities: {drop: [ALL]}`.",
        "Add back only what the process needs, usually nothing or `NET_BIND_SERVICE`.",
        "If a tool needs `SYS_ADMIN` for FUSE or mounts, move that work to a node agent or use a CSI driver.",
    ],
    verify: &[
        "`kubectl get pod POD -o jsonpath='{.spec.containers[*].securityContext.capabilities.add}'` lists none of them; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Network and storage plugins (CNI daemons, VPN sidecars, CSI node drivers) need \
                      `NET_ADMIN` or `SYS_ADMIN` by design: accept the finding for them with the reason, and \
                      keep them in a dedicated namespace.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for DangerousCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for container in workload.containers().iter().filter(|c| !c.privileged()) {
                let added: Vec<(usize, (&str, &str, u8))> = container
                    .capabilities("add")
                    .into_iter()
                    .filter_map(|(i, c)| shared::dangerous_capability(&c).map(|d| (i, d)))
                    .collect();
                let Some((first, _)) = added.first() else { continue };
                let names: Vec<&str> = added.iter().map(|(_, (name, _, _))| *name).collect();
                let (_, (worst, allows, impact)) = added
                    .iter()
                    .max_by_key(|(_, (_, _, impact))| *impact)
                    .copied()
                    .unwrap_or((0, ("", "", 0)));
                let mut hit = Hit::new(
                    workload.subject(container),
                    format!(
                        "{}: {} adds {}",
                        workload.name(),
                        container.describe(),
                        names.join(", ")
                    ),
                    format!(
                        "securityContext.capabilities.add: [{}]; {worst} allows {allows}",
                        names.join(", ")
                    ),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        container.field(&format!("securityContext.capabilities.add.{first}")),
                        container.field("securityContext.capabilities.add"),
                    ])],
                );
                if impact != META.impact {
                    hit.impact = Some((impact, format!("{worst} allows {allows}")));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

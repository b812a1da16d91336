//! `compose-host-ipc`: a Compose service that shares the host's IPC namespace.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeHostIpc;

static META: RuleMeta = RuleMeta {
    id: "compose-host-ipc",
    title: "Compose service shares the host's IPC namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-545"],
    attack: &["T1005"],
    likelihood: 3,
    impact: 5,
    what: "A service of a Docker Compose file with `ipc: host`. No Checkov equivalent (Checkov does not read \
           Compose files).",
    why: "The container shares System V IPC objects and POSIX shared memory (`/dev/shm`) with every process \
          of the host: it can read and alter the shared memory, semaphores and message queues of host \
          services and other containers, leaking their data and corrupting their state.",
    example: "services:\n  worker:\n    image: worker:4.0\n    ipc: host",
    remediation: "Remove `ipc: host`; share memory with one service through `ipc: \"service:NAME\"` or `shareable`.",
    fix: &[
        "Remove `ipc: host`.",
        "For services that must share memory, set `ipc: shareable` on one and `ipc: \"service:that-one\"` on the other.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.IpcMode}}' CONTAINER` does not print `host`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Rare legitimate uses exist (a service sharing memory with a host daemon, some GPU or \
                      HPC setups): accept the finding for them with the reason.",
    references: &[
        "https://docs.docker.com/reference/compose-file/services/#ipc",
        "https://docs.docker.com/engine/containers/run/#ipc-settings---ipc",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6")],
};

impl Rule for ComposeHostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        shared::compose_host_mode(ctx, "ipc")
            .into_iter()
            .map(|asset| {
                Hit::new(
                    format!("{}:ipc", asset.id),
                    format!("Compose service {} shares the host's IPC namespace", asset.name),
                    "ipc: host".into(),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for("ipc")],
                )
            })
            .collect()
    }
}

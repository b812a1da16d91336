//! `k8s-runtime-socket-mount`: a pod that mounts the node's container runtime socket.

use vigil_core::{FindingKind, Objective, Stride};

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RuntimeSocketMount;

static META: RuleMeta = RuleMeta {
    id: "k8s-runtime-socket-mount",
    title: "Kubernetes pod mounts the container runtime socket",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-668"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1610"],
    likelihood: 5,
    impact: 9,
    what: "A workload with a `hostPath` volume on a container runtime socket (`docker.sock`, \
           `containerd.sock`, `crio.sock`, `podman.sock`, `cri-dockerd.sock`) that one of its containers \
           mounts. A volume no container mounts is not reported; a read-only mount is, because connecting to \
           a socket is not a write. Checkov: CKV_K8S_27.",
    why: "The runtime API behind the socket starts containers as the node's root: whoever runs code in the pod \
          can start a privileged container with the host's filesystem mounted and own the node, then read \
          every pod's secrets on it and reuse the kubelet's credentials against the cluster.",
    example: "volumes:\n  - name: docker\n    hostPath:\n      path: /var/run/docker.sock",
    remediation: "Remove the socket mount; build images with a daemonless builder and monitor through the kubelet API.",
    fix: &[
        "Remove the `hostPath` volume and its `volumeMounts`.",
        "For image builds in the cluster, use a rootless, daemonless builder (BuildKit rootless, Kaniko, Buildah) instead of the node's daemon.",
        "For monitoring agents, use the kubelet or CRI metrics endpoints, or an agent that reads the socket through a read-only, filtering proxy.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{..hostPath.path}'` lists no runtime socket; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Some node agents (log shippers, security sensors, CI runners that build with the node's \
                      daemon) mount the socket by design: keep them in a dedicated, tightly controlled \
                      namespace and accept the finding with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for RuntimeSocketMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for volume in workload.host_path_volumes() {
                let Some(socket) = shared::runtime_socket(&volume.path) else {
                    continue;
                };
                let access = if volume.read_only {
                    " (read-only, which does not stop connecting to it)"
                } else {
                    ""
                };
                hits.push(Hit::new(
                    format!("{}#volume:{}", workload.asset.id, volume.name),
                    format!(
                        "{}: pod mounts the runtime socket {socket} from the node",
                        workload.name()
                    ),
                    format!("volume `{}`: hostPath.path: {}{access}", volume.name, volume.path),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[volume.at])],
                ));
            }
        }
        hits
    }
}

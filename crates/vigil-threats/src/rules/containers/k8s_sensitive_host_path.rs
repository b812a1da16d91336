//! `k8s-sensitive-host-path`: a pod that mounts a sensitive directory of the node.

use vigil_core::{FindingKind, Objective, Stride};

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SensitiveHostPath;

static META: RuleMeta = RuleMeta {
    id: "k8s-sensitive-host-path",
    title: "Kubernetes pod mounts a sensitive directory of the node",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-668", "CWE-250"],
    capec: &["CAPEC-233", "CAPEC-639"],
    attack: &["T1611", "T1552.001"],
    likelihood: 4,
    impact: 8,
    what: "A workload with a `hostPath` volume on the node's root or one of its system directories (`/etc`, \
           `/root`, `/home`, `/proc`, `/sys`, `/dev`, `/boot`, `/var`, `/var/run`, `/run`, `/var/lib`, \
           `/var/lib/kubelet`, `/var/lib/docker`, `/var/lib/containerd`, `/etc/kubernetes`, `/var/log`, \
           `/usr`, `/bin`, `/sbin`, `/lib/modules`) that one of its containers mounts. Only the directories \
           themselves count (`/etc/ssl/certs` is fine); a mount read-only in every container is reported \
           with a lower impact; runtime sockets are k8s-runtime-socket-mount's. No Checkov equivalent \
           (CKV_K8S_27 covers the Docker socket only).",
    why: "The pod sees the node's files as the container's user (root by default): writing `/etc`, `/usr` or \
          `/root/.ssh` plants code or keys that run as root on the node; `/var/lib/kubelet` holds every \
          pod's Secrets and service account tokens; `/etc/kubernetes` the node's cluster credentials; \
          `/proc` the environment of every process. A writable `/var/log` lets a symlink make the kubelet \
          read any host file.",
    example: "volumes:\n  - name: host\n    hostPath:\n      path: /",
    remediation: "Remove the hostPath volume, or narrow it to the single file or directory needed, read-only.",
    fix: &[
        "Replace the `hostPath` with a `configMap`, `secret`, `emptyDir` or persistent volume where the data is the pod's own.",
        "If host data is really needed, mount the narrowest path (a single file) with `readOnly: true` in every `volumeMounts` entry.",
        "Run such agents as non-root with all capabilities dropped, and in a dedicated namespace.",
    ],
    verify: &[
        "`kubectl get pod POD -o jsonpath='{.spec.volumes[*].hostPath.path}'` lists no system directory; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Node agents read host directories by design (node-exporter `/proc` and `/sys`, log \
                      shippers `/var/log`, CNI plugins `/lib/modules`), usually read-only: those are reported \
                      with a lower impact; accept them with the reason once the mounts are read-only and the \
                      agent runs with the least privileges it can.",
    references: &[
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/668.html",
    ],
    compliance: &[
        (Objective::PciDss4, "2.2.6"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for SensitiveHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for volume in workload.host_path_volumes() {
                let Some(holds) = shared::sensitive_host_path(&volume.path) else {
                    continue;
                };
                let access = if volume.read_only { "read-only" } else { "writable" };
                let mut hit = Hit::new(
                    format!("{}#volume:{}", workload.asset.id, volume.name),
                    format!(
                        "{}: pod mounts the node's {} ({access})",
                        workload.name(),
                        volume.path
                    ),
                    format!(
                        "volume `{}`: hostPath.path: {}, {holds}, mounted {access}",
                        volume.name, volume.path
                    ),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[volume.at])],
                );
                if volume.read_only {
                    hit.impact = Some((
                        5,
                        "every mount is read-only: the host's data can be read, not changed".to_owned(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

//! `k8s-host-ipc`: a pod that shares the node's IPC namespace.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct HostIpc;

static META: RuleMeta = RuleMeta {
    id: "k8s-host-ipc",
    title: "Kubernetes pod shares the node's IPC namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-545"],
    attack: &["T1005"],
    likelihood: 3,
    impact: 5,
    what: "A Pod or the pod template of a workload with `hostIPC: true` (the default is `false`). \
           Checkov: CKV_K8S_18.",
    why: "The pod shares System V IPC objects and POSIX shared memory (`/dev/shm`) with every process of the \
          node: it can read and alter the shared memory segments, semaphores and message queues other \
          workloads and host services use, which leaks their data and can corrupt their state.",
    example: "spec:\n  hostIPC: true\n  containers:\n    - name: cache\n      image: cache:3.1",
    remediation: "Remove `hostIPC: true`; containers of one pod already share an IPC namespace.",
    fix: &[
        "Remove `hostIPC: true` from the pod spec.",
        "Put the processes that must share memory in containers of the same pod, which share its IPC namespace.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{range .items[?(@.spec.hostIPC==true)]}{.metadata.name}{\"\\n\"}{end}'` lists none of yours; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Rare legitimate uses exist (a workload sharing memory with a host daemon, some GPU or \
                      HPC setups): accept the finding for them with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        k8s::with_pod_flag(ctx, "hostIPC")
            .into_iter()
            .map(|(workload, evidence)| {
                Hit::new(
                    format!("{}#hostIPC", workload.asset.id),
                    format!("{}: pod shares the node's IPC namespace", workload.name()),
                    "hostIPC: true".into(),
                    vec![workload.asset.id.clone()],
                    vec![evidence],
                )
            })
            .collect()
    }
}

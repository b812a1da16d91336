//! `k8s-host-pid`: a pod that shares the node's process namespace.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct HostPid;

static META: RuleMeta = RuleMeta {
    id: "k8s-host-pid",
    title: "Kubernetes pod shares the node's process namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
    ],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-573", "CAPEC-233"],
    attack: &["T1057", "T1611"],
    likelihood: 4,
    impact: 8,
    what: "A Pod or the pod template of a workload with `hostPID: true` (the default is `false`). \
           Checkov: CKV_K8S_17.",
    why: "The pod sees every process of the node, its command line and, for processes of the same uid (root \
          in a root container), its environment (`/proc/<pid>/environ`, where secrets often sit) and open \
          files; it can signal or kill them, and with `SYS_PTRACE` or privileges `nsenter` into PID 1's \
          namespaces, which is root on the node.",
    example: "spec:\n  hostPID: true\n  containers:\n    - name: debug\n      image: busybox:1.36",
    remediation: "Remove `hostPID: true`; use `shareProcessNamespace` for sidecars that need the pod's processes.",
    fix: &[
        "Remove `hostPID: true` from the pod spec.",
        "For sidecars that need the other containers' processes, use `shareProcessNamespace: true` (the pod's own processes only).",
        "Debug nodes with `kubectl debug node/NAME` when needed instead of a standing hostPID workload.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{range .items[?(@.spec.hostPID==true)]}{.metadata.name}{\"\\n\"}{end}'` lists none of yours; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Node monitoring and security agents (process exporters, runtime security sensors) \
                      need the host's process view by design: accept the finding for them with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for HostPid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        k8s::with_pod_flag(ctx, "hostPID")
            .into_iter()
            .map(|(workload, evidence)| {
                Hit::new(
                    format!("{}#hostPID", workload.asset.id),
                    format!(
                        "{}: pod sees and can signal the node's processes",
                        workload.name()
                    ),
                    "hostPID: true".into(),
                    vec![workload.asset.id.clone()],
                    vec![evidence],
                )
            })
            .collect()
    }
}

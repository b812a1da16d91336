//! `k8s-privileged-container`: a Kubernetes workload with a privileged container.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PrivilegedContainer;

static META: RuleMeta = RuleMeta {
    id: "k8s-privileged-container",
    title: "Kubernetes container runs privileged",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1610"],
    likelihood: 5,
    impact: 9,
    what: "A Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob, with \
           a container or init container whose `securityContext.privileged` is `true`. Checkov: CKV_K8S_16.",
    why: "A privileged container has every capability and sees the host's devices: whoever runs code in it owns \
          the node, and through the node's credentials often the cluster.",
    example: "containers:\n  - name: agent\n    image: agent:1.0\n    securityContext:\n      privileged: true",
    remediation: "Drop `privileged: true`; grant only the capabilities the container needs.",
    fix: &[
        "Remove `privileged: true`, set `allowPrivilegeEscalation: false` and drop all capabilities (`capabilities: {drop: [ALL]}`).",
        "Add back only the specific capabilities required (`NET_BIND_SERVICE`...).",
        "Enforce the `restricted` Pod Security Standard on the namespace so privileged pods are refused.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{..securityContext.privileged}'` prints no `true`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Node agents (CNI plugins, storage drivers, some monitoring daemons) need privileges by design: \
                      accept the finding for them with the reason and keep them in a dedicated namespace.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for container in workload.containers().iter().filter(|c| c.privileged()) {
                hits.push(Hit::new(
                    workload.subject(container),
                    format!("{}: {} runs privileged", workload.name(), container.describe()),
                    "securityContext.privileged: true".into(),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        container.field("securityContext.privileged"),
                        container.path.clone(),
                    ])],
                ));
            }
        }
        hits
    }
}

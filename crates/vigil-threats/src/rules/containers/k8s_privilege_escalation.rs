//! `k8s-privilege-escalation`: a container whose processes may gain more privileges than they started with.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PrivilegeEscalation;

static META: RuleMeta = RuleMeta {
    id: "k8s-privilege-escalation",
    title: "Kubernetes container allows privilege escalation",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-269"],
    capec: &["CAPEC-69", "CAPEC-233"],
    attack: &["T1548.001", "T1068"],
    likelihood: 3,
    impact: 6,
    what: "A container or init container of a Pod or of the pod template of a Deployment, StatefulSet, \
           DaemonSet, ReplicaSet, ReplicationController, Job or CronJob whose \
           `securityContext.allowPrivilegeEscalation` is `true` or not set: Kubernetes then leaves the \
           process's `no_new_privs` flag off, which is the default. Privileged containers (reported by \
           k8s-privileged-container) and Windows pods are not reported. Checkov: CKV_K8S_20.",
    why: "Without `no_new_privs`, a process that an attacker controls inside the container can still gain \
          privileges by executing a setuid or setcap binary shipped in the image (`su`, `sudo`, `ping`, \
          `mount`...), or through a kernel flaw reachable that way: the step from an application \
          compromise to root in the container, and from there towards the node.",
    example: "containers:\n  - name: web\n    image: web:1.4.2\n    securityContext:\n      runAsNonRoot: true",
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    fix: &[
        "Add `allowPrivilegeEscalation: false` under `securityContext` of each container and init container.",
        "Drop all capabilities at the same time (`capabilities: {drop: [ALL]}`): escalation is then pointless too.",
        "Label the namespace `pod-security.kubernetes.io/enforce: restricted` so pods without it are refused.",
    ],
    verify: &[
        "`kubectl get pod POD -o jsonpath='{.spec.containers[*].securityContext.allowPrivilegeEscalation}'` prints `false` for every container; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "A container that really needs setuid binaries (rare: some legacy init scripts) must keep \
                      escalation; accept the finding with the reason. A cluster-wide admission policy \
                      (Kyverno, Gatekeeper, the restricted Pod Security level) that mutates the field in is not \
                      visible in the manifest: record it as the `pod-security-restricted` control.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx).iter().filter(|w| !w.is_windows()) {
            for container in workload.containers().iter().filter(|c| !c.privileged()) {
                let detail = match container.security("allowPrivilegeEscalation") {
                    Some(Value::Bool(false)) => continue,
                    Some(Value::Bool(true)) => "securityContext.allowPrivilegeEscalation: true".to_owned(),
                    Some(_) => continue, // an expression: cannot be judged
                    None if !workload.judges_absence() => continue,
                    None => "securityContext.allowPrivilegeEscalation is not set (Kubernetes defaults it to \
                             true)"
                        .to_owned(),
                };
                hits.push(Hit::new(
                    workload.subject(container),
                    format!(
                        "{}: {} may gain privileges (allowPrivilegeEscalation)",
                        workload.name(),
                        container.describe()
                    ),
                    detail,
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        container.field("securityContext.allowPrivilegeEscalation"),
                        container.field("securityContext"),
                        container.field("name"),
                        container.path.clone(),
                    ])],
                ));
            }
        }
        hits
    }
}

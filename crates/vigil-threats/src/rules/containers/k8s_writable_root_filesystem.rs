//! `k8s-writable-root-filesystem`: a container whose root filesystem is writable.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct WritableRootFilesystem;

static META: RuleMeta = RuleMeta {
    id: "k8s-writable-root-filesystem",
    title: "Kubernetes container has a writable root filesystem",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-732"],
    capec: &["CAPEC-17"],
    attack: &["T1105", "T1505.003"],
    likelihood: 3,
    impact: 4,
    what: "A container or init container whose `securityContext.readOnlyRootFilesystem` is `false` or not set \
           (the default is writable). Windows pods are not reported. Checkov: CKV_K8S_22.",
    why: "An attacker who gets code execution in a writable container can download tools, replace the \
          application's own files (a web shell in the served directory, a patched library) and persist across \
          process restarts in the container; a read-only root limits them to memory and the explicit \
          writable volumes.",
    example: "securityContext:\n  runAsNonRoot: true\n  allowPrivilegeEscalation: false",
    remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount `emptyDir` volumes where the app writes.",
    fix: &[
        "Set `readOnlyRootFilesystem: true` under each container's `securityContext`.",
        "Mount an `emptyDir` (with a `sizeLimit`) on the paths the process writes to: `/tmp`, caches, pid files.",
        "Run the container once and read its errors to find paths that still need a volume.",
    ],
    verify: &[
        "`kubectl exec POD -- touch /probe` fails with `Read-only file system`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Some software writes to its install directory and cannot be fixed with volumes (legacy \
                      servers, some JVM agents): accept the finding for those with the reason.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
        "https://cwe.mitre.org/data/definitions/732.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.8")],
};

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx).iter().filter(|w| !w.is_windows()) {
            for container in workload.containers() {
                let detail = match container.security("readOnlyRootFilesystem") {
                    Some(Value::Bool(true)) => continue,
                    Some(Value::Bool(false)) => "securityContext.readOnlyRootFilesystem: false".to_owned(),
                    Some(_) => continue,
                    None if !workload.judges_absence() => continue,
                    None => "securityContext.readOnlyRootFilesystem is not set (the default is writable)"
                        .to_owned(),
                };
                hits.push(Hit::new(
                    workload.subject(&container),
                    format!(
                        "{}: {} can write to its root filesystem",
                        workload.name(),
                        container.describe()
                    ),
                    detail,
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        container.field("securityContext.readOnlyRootFilesystem"),
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

//! `k8s-run-as-root`: a container that runs as root, or that nothing stops from running as root.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RunAsRoot;

static META: RuleMeta = RuleMeta {
    id: "k8s-run-as-root",
    title: "Kubernetes container may run as root",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611"],
    likelihood: 4,
    impact: 6,
    what: "A container or init container of a workload whose effective security context (the container's, \
           else the pod's) sets `runAsUser: 0`, or sets neither `runAsNonRoot: true` nor a non-zero \
           `runAsUser`: the image's `USER` then decides, and that is root unless the image says otherwise. \
           Windows pods are not reported. Checkov: CKV_K8S_23.",
    why: "Code execution in a root container (a vulnerable dependency, a deserialization bug) starts with uid \
          0: it can rewrite the image's files, read every mounted secret, and with a kernel or runtime flaw, a \
          writable host mount or an added capability, it is root on the node. The same process as an \
          unprivileged uid is stopped at each of those steps.",
    example: "spec:\n  containers:\n    - name: api\n      image: api:2.3.1",
    remediation: "Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`) on the pod or container.",
    fix: &[
        "Set `securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}` at the pod level.",
        "Make sure the image works as that uid: files it writes owned by the uid or group, no port below 1024.",
        "Enforce the `restricted` Pod Security Standard on the namespace so root pods are refused.",
    ],
    verify: &["`kubectl exec POD -c CONTAINER -- id -u` prints a non-zero uid; re-run `vigil assess`."],
    mitigated_by: &["run-as-non-root-enforced", "pod-security-restricted"],
    false_positives: "An image whose Dockerfile ends with a non-root `USER` runs unprivileged even without \
                      these fields; `runAsNonRoot: true` is still what guarantees it when the image changes. \
                      Node agents that need root (CNI plugins, storage drivers) should be accepted with the reason.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for RunAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx).iter().filter(|w| !w.is_windows()) {
            for container in workload.containers() {
                let non_root = workload.effective(&container, "runAsNonRoot");
                let user = workload.effective(&container, "runAsUser");
                if non_root.iter().chain(&user).any(|(v, _)| k8s::computed(v)) {
                    continue;
                }
                // With runAsNonRoot the kubelet refuses to start a container as uid 0.
                if non_root.as_ref().is_some_and(|(v, _)| v.as_bool() == Some(true)) {
                    continue;
                }
                let (detail, at, runs) = match &user {
                    Some((value, _)) if value.as_i64().is_some_and(|uid| uid > 0) => continue,
                    Some((value, path)) if value.as_i64() == Some(0) => {
                        ("runAsUser: 0".to_owned(), path.clone(), "runs")
                    }
                    Some(_) => continue,
                    None if !workload.judges_absence() => continue,
                    None => {
                        let stated = match &non_root {
                            Some((Value::Bool(false), _)) => "runAsNonRoot: false",
                            _ => "no runAsNonRoot: true",
                        };
                        (
                            format!("{stated} and no runAsUser: the image's USER decides (root by default)"),
                            non_root
                                .map(|(_, path)| path)
                                .unwrap_or_else(|| container.field("name")),
                            "may run",
                        )
                    }
                };
                hits.push(Hit::new(
                    workload.subject(&container),
                    format!("{}: {} {runs} as root", workload.name(), container.describe()),
                    detail,
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[at, container.path.clone()])],
                ));
            }
        }
        hits
    }
}

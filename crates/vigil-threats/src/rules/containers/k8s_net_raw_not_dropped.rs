//! `k8s-net-raw-not-dropped`: a container that keeps the NET_RAW capability.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct NetRawNotDropped;

static META: RuleMeta = RuleMeta {
    id: "k8s-net-raw-not-dropped",
    title: "Kubernetes container keeps the NET_RAW capability",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &["CWE-250"],
    capec: &["CAPEC-94", "CAPEC-158"],
    attack: &["T1557", "T1040"],
    likelihood: 3,
    impact: 5,
    what: "A container or init container whose `securityContext.capabilities.drop` lists neither `NET_RAW` \
           nor `ALL`, or that adds `NET_RAW` back. The default capability sets of Docker and containerd \
           include NET_RAW. Privileged containers (k8s-privileged-container) and Windows pods are not \
           reported. Checkov: CKV_K8S_28.",
    why: "Raw sockets let a compromised container forge packets on the pod network: ARP and DNS spoofing \
          against neighbouring pods on the node, traffic interception, and the kernel's raw-socket code as \
          an attack surface (CVE-2020-14386 needed exactly this capability). Almost no application needs it.",
    example: "securityContext:\n  allowPrivilegeEscalation: false\n  runAsNonRoot: true",
    remediation: "Drop all capabilities: `securityContext.capabilities.drop: [ALL]`.",
    fix: &[
        "Add `capabilities: {drop: [ALL]}` under each container's `securityContext`.",
        "Add back only what the process needs (`NET_BIND_SERVICE` for a port below 1024); `ping` can do without NET_RAW through unprivileged ICMP sockets (the safe sysctl `net.ipv4.ping_group_range`).",
    ],
    verify: &[
        "`kubectl get pod POD -o jsonpath='{.spec.containers[*].securityContext.capabilities.drop}'` lists `ALL` for every container; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Runtimes that do not grant NET_RAW by default (CRI-O since 1.18) already remove it; \
                      network diagnostics and some CNI or service mesh init containers need it and should be \
                      accepted with the reason.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6")],
};

impl Rule for NetRawNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx).iter().filter(|w| !w.is_windows()) {
            for container in workload.containers().iter().filter(|c| !c.privileged()) {
                let added = container
                    .capabilities("add")
                    .into_iter()
                    .find(|(_, c)| c == "NET_RAW" || c == "ALL");
                let dropped = container
                    .capabilities("drop")
                    .iter()
                    .any(|(_, c)| c == "NET_RAW" || c == "ALL");
                let capabilities = container.security("capabilities");
                let (detail, at) = match added {
                    // ALL added is k8s-dangerous-capabilities'.
                    Some((_, c)) if c == "ALL" => continue,
                    Some((index, _)) => (
                        "securityContext.capabilities.add lists NET_RAW".to_owned(),
                        container.field(&format!("securityContext.capabilities.add.{index}")),
                    ),
                    None if dropped => continue,
                    None if !workload.judges_absence()
                        || capabilities.is_some_and(|c| k8s::computed(c) || !c.is_object()) =>
                    {
                        continue;
                    }
                    None => (
                        "securityContext.capabilities.drop lists neither NET_RAW nor ALL (the runtime grants \
                         NET_RAW by default)"
                            .to_owned(),
                        container.field("securityContext.capabilities.drop"),
                    ),
                };
                hits.push(Hit::new(
                    workload.subject(container),
                    format!(
                        "{}: {} can forge packets (NET_RAW not dropped)",
                        workload.name(),
                        container.describe()
                    ),
                    detail,
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        at,
                        container.field("securityContext.capabilities"),
                        container.field("securityContext"),
                        container.field("name"),
                    ])],
                ));
            }
        }
        hits
    }
}

//! `k8s-host-network`: a pod that shares the node's network namespace.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct HostNetwork;

static META: RuleMeta = RuleMeta {
    id: "k8s-host-network",
    title: "Kubernetes pod shares the node's network namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::InformationDisclosure,
        Stride::ElevationOfPrivilege,
        Stride::Tampering,
    ],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-158"],
    attack: &["T1040", "T1046"],
    likelihood: 4,
    impact: 7,
    what: "A Pod or the pod template of a workload with `hostNetwork: true` (the default is `false`). \
           Checkov: CKV_K8S_19.",
    why: "The pod uses the node's interfaces: it reaches every service listening on the node's loopback (the \
          kubelet, a local etcd or metadata proxy), can bind any node port, sees and with NET_RAW sniffs the \
          node's traffic, and escapes NetworkPolicies, which do not apply to host-network pods.",
    example: "spec:\n  hostNetwork: true\n  containers:\n    - name: proxy\n      image: proxy:1.0",
    remediation: "Remove `hostNetwork: true`; expose ports through a Service (or `hostPort` for the one port needed).",
    fix: &[
        "Remove `hostNetwork: true` from the pod spec.",
        "Publish the ports through a Service; if the node's port itself is needed, use a single `hostPort`.",
        "Keep the few node agents that need it (CNI, kube-proxy) in a dedicated namespace with a Pod Security exemption.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{range .items[?(@.spec.hostNetwork==true)]}{.metadata.name}{\"\\n\"}{end}'` lists none of yours; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "CNI plugins, kube-proxy, ingress controllers on bare metal and some monitoring agents \
                      need the host network by design: accept the finding for them with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "1.4.1"), (Objective::Soc2, "CC6.6")],
};

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        k8s::with_pod_flag(ctx, "hostNetwork")
            .into_iter()
            .map(|(workload, evidence)| {
                Hit::new(
                    format!("{}#hostNetwork", workload.asset.id),
                    format!("{}: pod uses the node's network namespace", workload.name()),
                    "hostNetwork: true".into(),
                    vec![workload.asset.id.clone()],
                    vec![evidence],
                )
            })
            .collect()
    }
}

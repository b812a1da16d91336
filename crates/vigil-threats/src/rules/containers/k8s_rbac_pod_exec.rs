//! `k8s-rbac-pod-exec`: a role that can run commands in other pods.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RbacPodExec;

static META: RuleMeta = RuleMeta {
    id: "k8s-rbac-pod-exec",
    title: "Kubernetes role can run commands in pods",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Tampering],
    cwe: &["CWE-269"],
    capec: &["CAPEC-122"],
    attack: &["T1609"],
    likelihood: 3,
    impact: 8,
    what: "A rule of a Role or ClusterRole granting `create` or `get` on `pods/exec` or `pods/attach`, \
           `patch` or `update` on `pods/ephemeralcontainers`, or `get` or `create` on `nodes/proxy` (the \
           kubelet API), without `resourceNames`. `get` counts for exec and attach because Kubernetes \
           before 1.31 authorised WebSocket exec with it. Rules with `*` verbs or resources are k8s-rbac-wildcard's. \
           Checkov: CKV2_K8S_2.",
    why: "Running a command in a pod gives the holder that pod's identity: its mounted Secrets and service \
          account token, its network position and its privileges. Through `nodes/proxy` the kubelet runs \
          commands in any pod of the node. One such grant lets a compromised CI job or operator hop into \
          the most privileged workload in its scope.",
    example: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods/exec\"]\n    verbs: [\"create\"]",
    remediation: "Remove exec, attach, ephemeral container and node proxy rights from workload and CI roles.",
    fix: &[
        "Remove `pods/exec`, `pods/attach`, `pods/ephemeralcontainers` and `nodes/proxy` from the role.",
        "Give humans debugging access through a separate, time-limited role bound on demand (and audited), not to service accounts.",
    ],
    verify: &[
        "`kubectl auth can-i create pods/exec --as=system:serviceaccount:NS:NAME -n NS` answers `no`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Tools built around exec (some backup agents, debugging platforms, CI runners that exec \
                      into build pods) need it in their own namespace: accept the finding for them with the \
                      reason and keep the role namespaced.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[(Objective::PciDss4, "7.2.2"), (Objective::Soc2, "CC6.3")],
};

/// (API group, resource, verbs that grant it, what it allows).
const GRANTS: [(&str, &str, &[&str], &str); 4] = [
    ("", "pods/exec", &["create", "get"], "run commands in pods"),
    ("", "pods/attach", &["create", "get"], "attach to pods' processes"),
    (
        "",
        "pods/ephemeralcontainers",
        &["patch", "update"],
        "add debug containers to running pods",
    ),
    (
        "",
        "nodes/proxy",
        &["get", "create"],
        "call the kubelet API of nodes",
    ),
];

impl Rule for RbacPodExec {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for rule in k8s::rbac_rules(ctx).iter().filter(|r| !r.has_wildcard()) {
            let granted: Vec<(&str, &str)> = GRANTS
                .iter()
                .filter(|(group, resource, verbs, _)| rule.grants(group, resource, verbs))
                .map(|(_, resource, _, allows)| (*resource, *allows))
                .collect();
            let Some((first, _)) = granted.first() else {
                continue;
            };
            let allows: Vec<&str> = granted.iter().map(|(_, a)| *a).collect();
            hits.push(Hit::new(
                rule.subject(),
                format!("{} can {}", rule.role.name, allows.join(" and ")),
                format!("{}; applies {}", rule.describe(), rule.scope()),
                vec![rule.role.id.clone()],
                vec![rule.evidence(&format!(
                    "resources.{}",
                    rule.resources.iter().position(|r| r == first).unwrap_or(0)
                ))],
            ));
        }
        hits
    }
}

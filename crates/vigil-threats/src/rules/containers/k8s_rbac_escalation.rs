//! `k8s-rbac-escalation`: a role that can grant itself, or act as, more privileged identities.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RbacEscalation;

static META: RuleMeta = RuleMeta {
    id: "k8s-rbac-escalation",
    title: "Kubernetes role can escalate its own privileges",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-269"],
    capec: &["CAPEC-122", "CAPEC-233"],
    attack: &["T1098.006", "T1134"],
    likelihood: 3,
    impact: 9,
    what: "A rule of a Role or ClusterRole granting, without `resourceNames`: `escalate` on roles or \
           clusterroles (edit a role beyond one's own permissions), `bind` on roles or clusterroles (bind any \
           role, cluster-admin included), `impersonate` on users, groups, service accounts or uids (act as \
           anyone), or `create` on `serviceaccounts/token` (mint tokens for any service account in scope). \
           Rules with `*` verbs or resources are k8s-rbac-wildcard's. Checkov: CKV_K8S_157 (bind), \
           CKV_K8S_158 (escalate), CKV2_K8S_3 (impersonate).",
    why: "RBAC normally stops a subject from granting more than it holds; these verbs are the documented \
          exceptions. A token stolen from a workload with one of them is one API call away from cluster-admin: \
          bind `cluster-admin` to itself, rewrite its own role, impersonate `system:masters`, or mint a token \
          for a more privileged service account.",
    example: "rules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"clusterroles\"]\n    verbs: [\"bind\", \"escalate\"]",
    remediation: "Remove these verbs, or restrict them to named roles and identities with `resourceNames`.",
    fix: &[
        "Remove `escalate`, `bind`, `impersonate` and `serviceaccounts/token` creation from roles of workloads and CI.",
        "When delegating role management is the point, restrict `bind` to the roles that may be handed out (`resourceNames: [view, edit]`).",
        "Review who is bound to the role: `kubectl get rolebindings,clusterrolebindings -A -o wide | grep ROLE`.",
    ],
    verify: &[
        "`kubectl auth can-i bind clusterroles --as=system:serviceaccount:NS:NAME` and `kubectl auth can-i impersonate users --as=...` answer `no`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Identity and access tooling (an RBAC manager, an operator that provisions tenants, a \
                      GitOps controller) needs to bind roles by design: restrict it with `resourceNames` where \
                      possible and accept the finding with the reason.",
    references: &[
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

const RBAC: &str = "rbac.authorization.k8s.io";

/// (API group, resource, verb, what it allows).
const GRANTS: [(&str, &str, &str, &str); 9] = [
    (RBAC, "clusterroles", "escalate", "escalate cluster roles"),
    (RBAC, "roles", "escalate", "escalate roles"),
    (RBAC, "clusterroles", "bind", "bind any cluster role"),
    (RBAC, "roles", "bind", "bind any role"),
    ("", "users", "impersonate", "impersonate users"),
    ("", "groups", "impersonate", "impersonate groups"),
    (
        "",
        "serviceaccounts",
        "impersonate",
        "impersonate service accounts",
    ),
    ("authentication.k8s.io", "uids", "impersonate", "impersonate uids"),
    (
        "",
        "serviceaccounts/token",
        "create",
        "mint service account tokens",
    ),
];

impl Rule for RbacEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for rule in k8s::rbac_rules(ctx).iter().filter(|r| !r.has_wildcard()) {
            let granted: Vec<(&str, &str)> = GRANTS
                .iter()
                .filter(|(group, resource, verb, _)| rule.grants(group, resource, &[verb]))
                .map(|(_, _, verb, allows)| (*verb, *allows))
                .collect();
            let Some((verb, _)) = granted.first() else {
                continue;
            };
            let allows: Vec<&str> = granted.iter().map(|(_, a)| *a).collect();
            hits.push(Hit::new(
                rule.subject(),
                format!("{} can {}", rule.role.name, allows.join(", ")),
                format!("{}; applies {}", rule.describe(), rule.scope()),
                vec![rule.role.id.clone()],
                vec![rule.evidence(&format!(
                    "verbs.{}",
                    rule.verbs.iter().position(|v| v == verb).unwrap_or(0)
                ))],
            ));
        }
        hits
    }
}

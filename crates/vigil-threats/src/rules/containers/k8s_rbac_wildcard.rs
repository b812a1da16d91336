//! `k8s-rbac-wildcard`: a Role or ClusterRole rule granting `*` verbs or `*` resources.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RbacWildcard;

static META: RuleMeta = RuleMeta {
    id: "k8s-rbac-wildcard",
    title: "Kubernetes role grants wildcard verbs or resources",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-269"],
    capec: &["CAPEC-122"],
    attack: &["T1098.006", "T1552.007"],
    likelihood: 4,
    impact: 7,
    what: "A rule of a Role or ClusterRole whose `verbs` or `resources` contain `*`. Aggregated ClusterRoles \
           (filled in by the control plane) are not reported. The impact depends on the rule: every verb on \
           every resource is cluster-admin; `*` resources with read-only verbs in an API group without \
           Secrets is the mildest. Checkov: CKV_K8S_49.",
    why: "A wildcard grants today's permissions and every one added later: `*` verbs include `escalate`, \
          `bind` and `impersonate`, `*` resources include Secrets, `pods/exec` and the RBAC objects \
          themselves, so the holder of such a role can usually make itself cluster-admin.",
    example: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]",
    remediation: "List the exact verbs and resources the subject needs instead of `*`.",
    fix: &[
        "Replace `*` by the verbs (`get`, `list`, `watch`, `create`...) and resources the workload really uses (audit logs or `kubectl auth can-i --list` help).",
        "Split read-only and write permissions into separate rules, and leave out Secrets, `pods/exec` and RBAC objects unless required.",
    ],
    verify: &[
        "`kubectl get roles,clusterroles -A -o json | grep -n '\"\\*\"'` finds no wildcard in your roles; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Operators managing their own custom resources sometimes use `*` on their API group only \
                      (`apiGroups: [example.com]`): narrower, still better listed explicitly; accept it with \
                      the reason if the group holds nothing sensitive.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

const READ_ONLY: [&str; 3] = ["get", "list", "watch"];

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for rule in k8s::rbac_rules(ctx).iter().filter(|r| r.has_wildcard()) {
            let all_verbs = rule.verbs.contains(&"*");
            let all_resources = rule.resources.contains(&"*");
            let any_group = rule.api_groups.iter().any(|g| *g == "*" || g.is_empty());
            let (what, impact, why) = match (all_verbs, all_resources) {
                (true, true) if rule.api_groups.contains(&"*") => (
                    "every verb on every resource",
                    9,
                    "the equivalent of cluster-admin",
                ),
                (true, true) => (
                    "every verb on every resource of its API groups",
                    8,
                    "full control of those groups",
                ),
                (true, false) => (
                    "every verb",
                    7,
                    "every verb, escalate, bind and impersonate included",
                ),
                (false, true) if rule.verbs.iter().all(|v| READ_ONLY.contains(v)) && !any_group => (
                    "read access to every resource of its API groups",
                    4,
                    "read-only, and the groups hold no Secrets",
                ),
                (false, true) if rule.verbs.iter().all(|v| READ_ONLY.contains(v)) => (
                    "read access to every resource",
                    7,
                    "read access to every resource includes Secrets",
                ),
                (false, _) => ("its verbs on every resource", 7, "write access to every resource"),
            };
            let field = if all_verbs { "verbs" } else { "resources" };
            let mut hit = Hit::new(
                rule.subject(),
                format!("{} grants {what}", rule.role.name),
                format!("{}; applies {}", rule.describe(), rule.scope()),
                vec![rule.role.id.clone()],
                vec![rule.evidence(field)],
            );
            if impact != META.impact {
                hit.impact = Some((impact, why.to_owned()));
            }
            hits.push(hit);
        }
        hits
    }
}

//! `k8s-rbac-secrets-access`: a role that can read every Secret in its scope.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RbacSecretsAccess;

static META: RuleMeta = RuleMeta {
    id: "k8s-rbac-secrets-access",
    title: "Kubernetes role can read Secrets",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-269", "CWE-200"],
    capec: &["CAPEC-122"],
    attack: &["T1552.007"],
    likelihood: 4,
    impact: 7,
    what: "A rule of a Role or ClusterRole granting `get`, `list` or `watch` on `secrets` (core API group) \
           without `resourceNames`. Rules with `*` verbs or resources are k8s-rbac-wildcard's. A ClusterRole \
           is reported with a higher impact than a Role, since a ClusterRoleBinding opens every namespace. \
           Checkov: CKV2_K8S_5 (which checks the bindings of service accounts and nodes to such roles).",
    why: "Secrets hold database passwords, API keys, TLS keys and other service accounts' tokens. `list` and \
          `watch` return the values, not just the names, so the holder of this role (or of a token stolen \
          from a pod using it) reads every credential in its scope, which usually leads to other systems and \
          to more privileged accounts.",
    example: "rules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"list\", \"watch\"]",
    remediation: "Limit the rule to the named Secrets the workload uses (`resourceNames`) with `get` only.",
    fix: &[
        "Replace the rule by `verbs: [get]` with `resourceNames: [the-secret]` listing the Secrets actually read.",
        "Better, mount the Secret into the pod as a volume or variable: the workload then needs no RBAC on Secrets at all.",
        "For controllers that must watch Secrets, use a Role per namespace rather than a ClusterRole, and label-select what they process.",
    ],
    verify: &[
        "`kubectl auth can-i list secrets --as=system:serviceaccount:NS:NAME -n NS` answers `no`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Controllers whose job is Secrets (cert-manager, External Secrets, ingress controllers \
                      reading TLS Secrets) need this access: accept the finding for them with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

const READ: [&str; 3] = ["get", "list", "watch"];

impl Rule for RbacSecretsAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for rule in k8s::rbac_rules(ctx)
            .iter()
            .filter(|r| !r.has_wildcard() && r.grants("", "secrets", &READ))
        {
            let verbs = rule.verbs_among(&READ).join(", ");
            let mut hit = Hit::new(
                rule.subject(),
                format!("{} can read every Secret ({verbs})", rule.role.name),
                format!("{}; applies {}", rule.describe(), rule.scope()),
                vec![rule.role.id.clone()],
                vec![rule.evidence("resources")],
            );
            if rule.cluster_wide() {
                hit.impact = Some((
                    8,
                    "a ClusterRole reads Secrets of every namespace once bound cluster-wide".to_owned(),
                ));
            }
            hits.push(hit);
        }
        hits
    }
}

//! `k8s-cluster-admin-binding`: a binding that grants the `cluster-admin` role.

use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ClusterAdminBinding;

static META: RuleMeta = RuleMeta {
    id: "k8s-cluster-admin-binding",
    title: "Kubernetes binding grants cluster-admin",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-269", "CWE-250"],
    capec: &["CAPEC-122"],
    attack: &["T1078", "T1610"],
    likelihood: 4,
    impact: 9,
    what: "A ClusterRoleBinding or RoleBinding whose `roleRef` is the ClusterRole `cluster-admin`. A \
           ClusterRoleBinding makes its subjects superusers of the whole cluster; a RoleBinding gives them \
           every permission in its namespace, RBAC and Secrets included. No Checkov equivalent.",
    why: "`cluster-admin` allows every verb on every resource: whoever holds the credentials of a subject (a \
          service account token read from a compromised pod, a CI job's kubeconfig, a user's laptop) can \
          read every Secret, run privileged pods on any node and grant themselves anything, with nothing \
          left to escalate to.",
    example: "kind: ClusterRoleBinding\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: deployer\n    namespace: ci",
    remediation: "Bind a role holding only the verbs and resources the subject uses, in the namespaces it works in.",
    fix: &[
        "List what the subject actually does (`kubectl auth can-i --list --as=system:serviceaccount:NS:NAME`, audit logs).",
        "Write a Role (or ClusterRole) with exactly those verbs and resources and bind it with a RoleBinding per namespace.",
        "Keep cluster-admin for break-glass human access through your identity provider, not for service accounts.",
    ],
    verify: &[
        "`kubectl get clusterrolebindings,rolebindings -A -o wide | grep cluster-admin` lists only the built-in bindings; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Cluster bootstrap tooling (a GitOps controller managing the whole cluster, an installer) \
                      may need cluster-admin by design: accept the finding with the reason and protect its \
                      credentials accordingly.",
    references: &[
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for binding in ["ClusterRoleBinding", "RoleBinding"]
            .into_iter()
            .flat_map(|kind| k8s::objects(ctx, kind))
        {
            if k8s::role_ref(binding) != Some(("ClusterRole", "cluster-admin")) {
                continue;
            }
            let subjects = k8s::subjects(binding);
            // The control plane's own binding of `system:masters`, found in cluster dumps.
            if subjects
                .iter()
                .all(|(kind, name, _)| kind == "Group" && name == "system:masters")
            {
                continue;
            }
            let subjects: Vec<String> = subjects
                .into_iter()
                .map(|(kind, name, namespace)| match namespace {
                    Some(namespace) => format!("{kind} {namespace}/{name}"),
                    None => format!("{kind} {name}"),
                })
                .collect();
            let cluster_wide = binding.attr_str("resource_type") == Some("ClusterRoleBinding");
            let scope = if cluster_wide {
                "the whole cluster".to_owned()
            } else {
                format!("namespace {}", binding.attr_str("namespace").unwrap_or("default"))
            };
            let mut hit = Hit::new(
                binding.id.to_string(),
                format!(
                    "{} makes {} cluster-admin of {scope}",
                    binding.name,
                    subjects.join(", ")
                ),
                format!(
                    "roleRef: ClusterRole cluster-admin, subjects: {}",
                    subjects.join(", ")
                ),
                vec![binding.id.clone()],
                vec![k8s::evidence_at(
                    binding,
                    &["roleRef.name".to_owned(), "roleRef".to_owned()],
                )],
            );
            if !cluster_wide {
                hit.impact = Some((
                    7,
                    "a RoleBinding limits cluster-admin to one namespace".to_owned(),
                ));
            }
            hits.push(hit);
        }
        hits
    }
}

//! `k8s-service-account-token`: a pod that gets its service account's API token mounted.

use serde_json::Value;
use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ServiceAccountToken;

static META: RuleMeta = RuleMeta {
    id: "k8s-service-account-token",
    title: "Kubernetes pod mounts a service account token it may not need",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-250", "CWE-522"],
    capec: &["CAPEC-560"],
    attack: &["T1528", "T1552.007"],
    likelihood: 3,
    impact: 4,
    what: "A workload whose pod spec does not set `automountServiceAccountToken: false` (or sets it `true`), \
           and whose service account (`serviceAccountName`, else `default`) is not declared in the \
           repository with `automountServiceAccountToken: false`: Kubernetes then mounts an API token into \
           every container. The impact is raised when a RoleBinding or ClusterRoleBinding of the repository \
           grants that service account a role. Checkov: CKV_K8S_38.",
    why: "The token at `/var/run/secrets/kubernetes.io/serviceaccount/token` authenticates to the API server \
          as the pod's service account: code execution in any container hands the attacker whatever RBAC \
          grants that account (listing Secrets, creating pods), and a path traversal or SSRF that reads files \
          is enough to steal it.",
    example: "spec:\n  serviceAccountName: api\n  containers:\n    - name: api\n      image: api:2.3.1",
    remediation: "Set `automountServiceAccountToken: false` on the pod (or its ServiceAccount) unless it calls the API.",
    fix: &[
        "Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount for every pod using it.",
        "For pods that do call the API, give them their own ServiceAccount with the narrowest Role, and keep the token mounted only there.",
        "Use a projected token volume with a short `expirationSeconds` and an `audience` when another service needs a token.",
    ],
    verify: &[
        "`kubectl exec POD -- ls /var/run/secrets/kubernetes.io/serviceaccount` fails; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Controllers, operators and any workload calling the Kubernetes API need the token: \
                      accept the finding for them, after checking their service account's RBAC is narrow. A \
                      ServiceAccount declared outside this repository with automounting off is not seen.",
    references: &[
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
        "https://kubernetes.io/docs/concepts/security/service-accounts/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "7.2.2"), (Objective::Soc2, "CC6.3")],
};

impl Rule for ServiceAccountToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let accounts = k8s::objects(ctx, "ServiceAccount");
        let bindings: Vec<&Asset> = ["RoleBinding", "ClusterRoleBinding"]
            .into_iter()
            .flat_map(|kind| k8s::objects(ctx, kind))
            .collect();
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            let namespace = workload.asset.attr_str("namespace").unwrap_or("default");
            let name = workload
                .spec
                .get("serviceAccountName")
                .or_else(|| workload.spec.get("serviceAccount"))
                .and_then(Value::as_str)
                .unwrap_or("default");
            if k8s::computed_str(name) {
                continue;
            }
            let detail = match workload.spec.get("automountServiceAccountToken") {
                Some(Value::Bool(false)) => continue,
                Some(Value::Bool(true)) => "automountServiceAccountToken: true".to_owned(),
                Some(other) if !other.is_null() => continue,
                _ if !workload.judges_absence() => continue,
                _ => {
                    let account = accounts.iter().find(|a| {
                        a.attr_str("resource_name") == Some(name)
                            && a.attr_str("namespace").unwrap_or("default") == namespace
                    });
                    let automount = account
                        .and_then(|a| config(a))
                        .and_then(|c| c.get("automountServiceAccountToken"));
                    match automount {
                        Some(Value::Bool(false)) => continue,
                        Some(value) if k8s::computed(value) => continue,
                        _ => format!(
                            "automountServiceAccountToken is not set on the pod nor false on ServiceAccount \
                             {name} (the default mounts the token)"
                        ),
                    }
                }
            };
            let roles = granted_roles(&bindings, name, namespace);
            let mut hit = Hit::new(
                format!("{}#serviceaccount", workload.asset.id),
                format!(
                    "{}: pod gets the API token of service account {name}",
                    workload.name()
                ),
                detail,
                vec![workload.asset.id.clone()],
                vec![workload.evidence(&[
                    workload.field("automountServiceAccountToken"),
                    workload.field("serviceAccountName"),
                    workload.field("serviceAccount"),
                    workload.path.to_owned(),
                ])],
            );
            if !roles.is_empty() {
                hit.impact = Some((
                    7,
                    format!(
                        "service account {name} is granted {} in this repository",
                        roles.join(", ")
                    ),
                ));
            }
            hits.push(hit);
        }
        hits
    }
}

/// The roles (`ClusterRole/edit`) that bindings of the repository grant to a service account.
fn granted_roles(bindings: &[&Asset], account: &str, namespace: &str) -> Vec<String> {
    let mut roles = Vec::new();
    for binding in bindings {
        let bound = k8s::subjects(binding)
            .iter()
            .any(|(kind, name, subject_namespace)| {
                kind == "ServiceAccount"
                    && name == account
                    && subject_namespace
                        .as_deref()
                        .or(binding.attr_str("namespace"))
                        .unwrap_or("default")
                        == namespace
            });
        if let (true, Some((kind, role))) = (bound, k8s::role_ref(binding)) {
            let role = format!("{kind}/{role}");
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    roles
}

//! `azure-aks-rbac-disabled`: an AKS cluster created without Kubernetes RBAC.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AksRbacDisabled;

static META: RuleMeta = RuleMeta {
    id: "azure-aks-rbac-disabled",
    title: "AKS cluster has Kubernetes RBAC disabled",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-862", "CWE-269"],
    capec: &["CAPEC-122"],
    attack: &["T1078.004", "T1610", "T1613"],
    likelihood: 5,
    impact: 9,
    what: "An `azurerm_kubernetes_cluster` with `role_based_access_control_enabled = false` (azurerm 3.x and later; \
           the default is `true`) or `role_based_access_control { enabled = false }` (azurerm 2.x). Checkov: \
           CKV_AZURE_5.",
    why: "Without RBAC the API server authorises every authenticated request: any user, and any pod's service \
          account token, can read every Secret, create privileged pods and take over the nodes. A single \
          compromised workload becomes the whole cluster. RBAC cannot be switched on later; the cluster must be \
          recreated.",
    example: "resource \"azurerm_kubernetes_cluster\" \"main\" {\n  name                              = \"shop-aks\"\n  role_based_access_control_enabled = false\n}",
    remediation: "Recreate the cluster with RBAC enabled (the default), ideally with Entra ID integration.",
    fix: &[
        "Remove `role_based_access_control_enabled = false` (or set it to `true`) and plan the cluster replacement it forces.",
        "Add `azure_active_directory_role_based_access_control { azure_rbac_enabled = true }` and set `local_account_disabled = true` so access goes through Entra ID.",
        "Grant namespaces' service accounts only the Roles their workloads need.",
    ],
    verify: &[
        "`az aks show --name <cluster> -g <rg> --query enableRbac` prints `true`.",
        "`kubectl auth can-i get secrets --all-namespaces --as system:serviceaccount:default:default` answers `no`.",
    ],
    mitigated_by: &[],
    false_positives: "There is no safe cluster without RBAC; a disposable lab cluster with nothing sensitive in it \
                      and no network path to other systems is the only case to accept, with a deletion date.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/aks/concepts-identity#kubernetes-rbac",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/kubernetes_cluster#role_based_access_control_enabled",
        "https://cwe.mitre.org/data/definitions/862.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for AksRbacDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_kubernetes_cluster")
            .filter_map(|cluster| {
                let cfg = config(cluster)?;
                let (key, place) = if literal_bool(cfg, "role_based_access_control_enabled") == Some(false) {
                    (
                        "role_based_access_control_enabled",
                        "role_based_access_control_enabled",
                    )
                } else if blocks(cfg, "role_based_access_control")
                    .iter()
                    .any(|b| literal_bool(b, "enabled") == Some(false))
                {
                    (
                        "role_based_access_control.enabled",
                        "role_based_access_control.0.enabled",
                    )
                } else {
                    return None;
                };
                Some(Hit::new(
                    cluster.id.0.clone(),
                    format!(
                        "{} authorises every authenticated request (RBAC disabled)",
                        cluster.name
                    ),
                    format!("{key} = false"),
                    vec![cluster.id.clone()],
                    vec![cluster.evidence_for(place)],
                ))
            })
            .collect()
    }
}

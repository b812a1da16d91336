//! `azure-acr-admin-user`: a container registry with its shared admin account enabled.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AcrAdminUser;

static META: RuleMeta = RuleMeta {
    id: "azure-acr-admin-user",
    title: "Azure Container Registry has its admin user enabled",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::Tampering, Stride::Repudiation],
    cwe: &["CWE-798", "CWE-250"],
    capec: &["CAPEC-560"],
    attack: &["T1078.004", "T1525"],
    likelihood: 4,
    impact: 8,
    what: "An `azurerm_container_registry` with `admin_enabled = true` (the provider default is `false`). \
           Checkov: CKV_AZURE_137.",
    why: "The admin user is one shared username with two static passwords that can push, pull and delete every \
          image. It tends to be copied into CI variables, kubeconfigs and scripts, never expires, and every use \
          is logged as the same account: whoever finds it can replace a production image with a backdoored one, \
          and nobody can tell who did.",
    example: "resource \"azurerm_container_registry\" \"main\" {\n  name          = \"shopacr\"\n  sku           = \"Standard\"\n  admin_enabled = true\n}",
    remediation: "Disable the admin user and use Entra ID identities with scoped roles.",
    fix: &[
        "Set `admin_enabled = false`.",
        "Let AKS pull with its kubelet identity (`AcrPull` role assignment), CI push with a workload-identity federated service principal (`AcrPush`), and people use `az acr login`.",
        "Rotate both admin passwords (`az acr credential renew`) before disabling, in case they leaked.",
    ],
    verify: &["`az acr show --name <registry> --query adminUserEnabled` prints `false`."],
    mitigated_by: &[],
    false_positives: "Some services still need the admin credentials (older Azure Container Instances or App Service \
                      deployments without managed identity): accept the finding until they move to a managed \
                      identity, and rotate the passwords regularly.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.2.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.1"),
    ],
};

impl Rule for AcrAdminUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_container_registry")
            .filter(|registry| config(registry).and_then(|c| literal_bool(c, "admin_enabled")) == Some(true))
            .map(|registry| {
                Hit::new(
                    registry.id.0.clone(),
                    format!(
                        "{} has a shared admin account that can push any image",
                        registry.name
                    ),
                    "admin_enabled = true".to_owned(),
                    vec![registry.id.clone()],
                    vec![registry.evidence_for("admin_enabled")],
                )
            })
            .collect()
    }
}

//! `azure-key-vault-purge-protection`: a Key Vault whose deleted keys and secrets can be purged at once.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::common::{describe_flag, flag};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct KeyVaultPurgeProtection;

static META: RuleMeta = RuleMeta {
    id: "azure-key-vault-purge-protection",
    title: "Azure Key Vault has no purge protection",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::DenialOfService, Stride::Tampering],
    cwe: &["CWE-693"],
    capec: &[],
    attack: &["T1485", "T1490"],
    likelihood: 3,
    impact: 7,
    what: "An `azurerm_key_vault` whose `purge_protection_enabled` is `false` or not set (the provider default is \
           `false`). Soft delete is always on, but without purge protection a deleted vault, key or secret can be \
           purged, destroyed for good, before its retention period ends. Checkov: CKV_AZURE_110.",
    why: "Keys in a vault often encrypt other data (customer-managed keys of storage, disks, SQL TDE). An attacker \
          or a malicious insider with the vault's management rights can delete and immediately purge a key, \
          making everything encrypted with it unrecoverable; a mistaken `terraform destroy` with the provider's \
          purge-on-destroy feature does the same. Purge protection makes the soft-deleted copy survive the \
          retention period no matter who asks.",
    example: "resource \"azurerm_key_vault\" \"app\" {\n  name                       = \"shop-app-kv\"\n  sku_name                   = \"standard\"\n  soft_delete_retention_days = 7\n}",
    remediation: "Enable purge protection: `purge_protection_enabled = true`.",
    fix: &[
        "Set `purge_protection_enabled = true` on the `azurerm_key_vault` (it cannot be turned off again, by design).",
        "Keep `soft_delete_retention_days` at a period long enough to notice a deletion (90 days, the maximum, for vaults holding encryption keys).",
        "Restrict the `Microsoft.KeyVault/locations/deletedVaults/purge/action` permission and alert on vault, key and secret deletions.",
    ],
    verify: &["`az keyvault show --name <vault> --query properties.enablePurgeProtection` prints `true`."],
    mitigated_by: &["azure-policy-key-vault-purge-protection"],
    false_positives: "Short-lived vaults of test environments are often left without purge protection so they can be \
                      recreated under the same name at once; accept the finding there when the vault holds no key \
                      that encrypts lasting data.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/key_vault#purge_protection_enabled",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[
        (Objective::PciDss4, "3.6.1"),
        (Objective::Hipaa, "164.308(a)(7)(ii)(A)"),
        (Objective::Gdpr, "Art. 32(1)(c)"),
        (Objective::Soc2, "A1.2"),
    ],
};

impl Rule for KeyVaultPurgeProtection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_key_vault")
            .filter_map(|vault| {
                let cfg = config(vault)?;
                let key = "purge_protection_enabled";
                (!flag(cfg, key, false)?).then(|| {
                    Hit::new(
                        vault.id.0.clone(),
                        format!("{}: deleted keys and secrets can be purged at once", vault.name),
                        describe_flag(cfg, key, false),
                        vec![vault.id.clone()],
                        vec![vault.evidence_for_first(&[key, "name"])],
                    )
                })
            })
            .collect()
    }
}

//! `azure-key-vault-network-open`: a Key Vault that accepts connections from any network.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str};

use super::common::flag;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct KeyVaultNetworkOpen;

static META: RuleMeta = RuleMeta {
    id: "azure-key-vault-network-open",
    title: "Azure Key Vault accepts connections from any network",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-560"],
    attack: &["T1555.006", "T1078.004"],
    likelihood: 4,
    impact: 8,
    what: "An `azurerm_key_vault` whose `public_network_access_enabled` is not `false` and whose `network_acls` \
           block is missing (Azure then admits all networks) or has `default_action = \"Allow\"`. Checkov: \
           CKV_AZURE_109.",
    why: "A vault holds the secrets that open everything else. Reachable from any network, a stolen token of an \
          identity with vault access (a leaked service principal secret, a token taken from a developer machine) \
          can read every secret from anywhere on the Internet; a network boundary would have confined its use to \
          your own networks.",
    example: "resource \"azurerm_key_vault\" \"app\" {\n  name     = \"shop-app-kv\"\n  sku_name = \"standard\"\n}",
    remediation: "Deny by default: `network_acls { default_action = \"Deny\"  bypass = \"AzureServices\" }`, or a private endpoint.",
    fix: &[
        "Add `network_acls { default_action = \"Deny\"  bypass = \"AzureServices\"  ip_rules = [...]  virtual_network_subnet_ids = [...] }` with the networks that need the vault.",
        "Better, reach the vault through an `azurerm_private_endpoint` (sub-resource `vault`) and set `public_network_access_enabled = false`.",
        "Review the vault's diagnostic logs (`AuditEvent`) for callers outside those networks before switching.",
    ],
    verify: &[
        "`az keyvault show --name <vault> --query \"[properties.publicNetworkAccess, properties.networkAcls.defaultAction]\"` prints `Disabled` or `Deny`.",
        "`az keyvault secret list --vault-name <vault>` from an address outside the rules fails with `ForbiddenByFirewall`.",
    ],
    mitigated_by: &["private-endpoint-only"],
    false_positives: "Vaults read by clients without fixed addresses (developer laptops outside a VPN, some SaaS \
                      integrations) cannot be restricted by network: accept the finding and make sure access is \
                      granted through Azure RBAC to a few identities, with Conditional Access for people.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/key-vault/general/network-security",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::OwaspAsvs, "V6.4.1"),
    ],
};

impl Rule for KeyVaultNetworkOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_key_vault")
            .filter_map(|vault| {
                let cfg = config(vault)?;
                if !flag(cfg, "public_network_access_enabled", true)? {
                    return None;
                }
                let (detail, evidence) = match blocks(cfg, "network_acls").first() {
                    Some(acls) => {
                        let action = literal_str(acls, "default_action")?;
                        if action.eq_ignore_ascii_case("Deny") {
                            return None;
                        }
                        (
                            format!("network_acls.default_action = \"{action}\""),
                            vault.evidence_for("network_acls.0.default_action"),
                        )
                    }
                    None => (
                        "no network_acls block, so every network is admitted, and public_network_access_enabled \
                         is not false"
                            .to_owned(),
                        vault.evidence_for_first(&["public_network_access_enabled", "name"]),
                    ),
                };
                Some(
                    Hit::new(
                        vault.id.0.clone(),
                        format!("{} accepts connections from any network", vault.name),
                        detail,
                        vec![vault.id.clone()],
                        vec![evidence],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

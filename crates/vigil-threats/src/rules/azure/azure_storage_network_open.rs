//! `azure-storage-network-open`: a storage account that accepts connections from any network.

use vigil_core::{FindingKind, Objective, Stride};

use super::common::{StorageNetwork, storage_network};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageNetworkOpen;

static META: RuleMeta = RuleMeta {
    id: "azure-storage-network-open",
    title: "Azure storage account accepts connections from any network",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-560"],
    attack: &["T1530", "T1078.004"],
    likelihood: 4,
    impact: 6,
    what: "An `azurerm_storage_account` whose public endpoint admits every network: `network_rules { \
           default_action = \"Allow\" }` inline or in an `azurerm_storage_account_network_rules` resource, or no \
           network rules at all (Azure's default is Allow), while `public_network_access_enabled` is not `false`. \
           Checkov: CKV_AZURE_35.",
    why: "Without a network boundary, the storage endpoints accept any request from the Internet that carries a \
          valid credential. Account keys and SAS tokens leak through code, logs, CI variables and browser \
          traffic; a leaked one is then usable from anywhere, and the firewall that would have stopped its use \
          outside your networks is not there.",
    example: "resource \"azurerm_storage_account\" \"data\" {\n  name = \"shopdata\"\n  network_rules {\n    default_action = \"Allow\"\n  }\n}",
    remediation: "Deny by default and allow only your networks, or disable public network access.",
    fix: &[
        "Add `network_rules { default_action = \"Deny\"  bypass = [\"AzureServices\"]  virtual_network_subnet_ids = [...]  ip_rules = [...] }` listing the subnets and egress IPs that need access.",
        "Better, set `public_network_access_enabled = false` and reach the account through an `azurerm_private_endpoint`.",
        "Check the storage diagnostic logs for callers outside the allowed ranges before switching, so nothing breaks unannounced.",
    ],
    verify: &[
        "`az storage account show --name <account> --query \"[publicNetworkAccess, networkRuleSet.defaultAction]\"` prints `Disabled` or `Deny`.",
        "A request from an address outside the rules answers 403 (AuthorizationFailure) even with a valid SAS.",
    ],
    mitigated_by: &["private-endpoint-only"],
    false_positives: "Accounts that must be reachable by clients with no fixed address (a mobile app uploading with \
                      short-lived SAS tokens, a public static website) cannot restrict by network: accept the finding \
                      and make sure access is through short-lived, narrowly scoped SAS or Entra ID, with Shared Key \
                      disabled.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account#network_rules",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for StorageNetworkOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_storage_account")
            .filter_map(|account| {
                let StorageNetwork::Open(explicit) = storage_network(&ctx.tf, account) else {
                    return None;
                };
                let (detail, evidence) = match explicit {
                    Some(explicit) => explicit,
                    None => (
                        "no network_rules block and no azurerm_storage_account_network_rules resource: the \
                         default action is Allow, and public_network_access_enabled is not false"
                            .to_owned(),
                        account.evidence_for_first(&["public_network_access_enabled", "name"]),
                    ),
                };
                Some(
                    Hit::new(
                        account.id.0.clone(),
                        format!("{} accepts connections from any network", account.name),
                        detail,
                        vec![account.id.clone()],
                        vec![evidence],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

//! `azure-storage-public-blobs-allowed`: a storage account that lets its containers be made public.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_str};

use super::common::{describe_flag, public_containers_allowed};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StoragePublicBlobsAllowed;

static META: RuleMeta = RuleMeta {
    id: "azure-storage-public-blobs-allowed",
    title: "Azure storage account allows public containers",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-284", "CWE-1188"],
    capec: &["CAPEC-1"],
    attack: &["T1530"],
    likelihood: 3,
    impact: 6,
    what: "An `azurerm_storage_account` (other than a `FileStorage` account, which has no blob service) whose \
           `allow_nested_items_to_be_public` is `true` or not set: azurerm 3.x and later default it to `true`, so \
           any container in the account can be switched to anonymous access by whoever can change it. \
           `allow_blob_public_access`, the azurerm 2.x name, is read too. A container that is public already is \
           reported by `azure-storage-container-public`. Checkov: CKV_AZURE_190.",
    why: "The account-level setting is the guardrail Microsoft recommends against accidental exposure: with it \
          off, a container cannot be made anonymous by a portal click, a script or a later Terraform change. \
          With it on, one mistaken `container_access_type` exposes data to the Internet without any other \
          control noticing.",
    example: "resource \"azurerm_storage_account\" \"data\" {\n  name                     = \"shopdata\"\n  account_tier             = \"Standard\"\n  account_replication_type = \"GRS\"\n}",
    remediation: "Set `allow_nested_items_to_be_public = false` on the account.",
    fix: &[
        "Add `allow_nested_items_to_be_public = false` to the `azurerm_storage_account` (`allow_blob_public_access = false` on azurerm 2.x).",
        "Before applying, list containers that are public today (`az storage container list --account-name <account> --auth-mode login --query \"[?properties.publicAccess]\"`): they stop being anonymous.",
        "Assign the built-in Azure Policy \"Storage account public access should be disallowed\" with the Deny effect to keep new accounts closed.",
    ],
    verify: &[
        "`az storage account show --name <account> --query allowBlobPublicAccess` prints `false`; re-run `vigil assess`.",
    ],
    mitigated_by: &["azure-policy-deny-blob-public-access"],
    false_positives: "An account dedicated to content that is public on purpose (a static website's assets, public \
                      downloads) needs the setting on: accept the finding for it and keep no private data there. On \
                      azurerm 2.x an unset `allow_blob_public_access` defaulted to false; pin the provider version or \
                      set the argument explicitly.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_account#allow_nested_items_to_be_public",
        "https://cwe.mitre.org/data/definitions/1188.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Gdpr, "Art. 25(2)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for StoragePublicBlobsAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_storage_account")
            .filter_map(|account| {
                let cfg = config(account)?;
                if literal_str(cfg, "account_kind") == Some("FileStorage") {
                    return None;
                }
                let (allowed, key) = public_containers_allowed(cfg)?;
                allowed.then(|| {
                    Hit::new(
                        account.id.0.clone(),
                        format!("{} lets its containers be made public", account.name),
                        describe_flag(cfg, key, true),
                        vec![account.id.clone()],
                        vec![account.evidence_for_first(&[key, "name"])],
                    )
                })
            })
            .collect()
    }
}

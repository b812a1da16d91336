//! `azure-storage-container-public`: a blob container whose blobs anyone can read without credentials.

use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_str};

use super::common::{StorageNetwork, describe_flag, public_containers_allowed, storage_network};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageContainerPublic;

static META: RuleMeta = RuleMeta {
    id: "azure-storage-container-public",
    title: "Azure blob container allows anonymous read access",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-284", "CWE-200"],
    capec: &["CAPEC-1"],
    attack: &["T1530", "T1619"],
    likelihood: 8,
    impact: 6,
    what: "An `azurerm_storage_container` with `container_access_type = \"blob\"` (anyone can read a blob whose \
           URL they know) or `\"container\"` (anyone can also list the container), in a storage account that does \
           not forbid it with `allow_nested_items_to_be_public = false`. The provider default is `private`. \
           Checkov: CKV_AZURE_34.",
    why: "Anonymous blob access needs no key, SAS or Entra ID identity, and nothing records who read what. \
          Storage account names are guessable DNS names (`<name>.blob.core.windows.net`), and scanners enumerate \
          them and their common container names; a `container`-level container lets them list and download \
          everything in it.",
    example: "resource \"azurerm_storage_container\" \"exports\" {\n  name                  = \"exports\"\n  storage_account_id    = azurerm_storage_account.data.id\n  container_access_type = \"container\"\n}",
    remediation: "Make the container private and forbid public containers on the account.",
    fix: &[
        "Set `container_access_type = \"private\"` (or remove the argument) on the container.",
        "Set `allow_nested_items_to_be_public = false` on the storage account so no container can be made public again.",
        "Give readers a short-lived user delegation SAS or an Entra ID role (`Storage Blob Data Reader`) instead.",
        "If the content is meant to be public, serve it through Azure Front Door or a CDN from a dedicated account that holds nothing else.",
    ],
    verify: &[
        "`az storage container show --name <container> --account-name <account> --auth-mode login --query properties.publicAccess` prints `null`.",
        "`curl -I \"https://<account>.blob.core.windows.net/<container>?restype=container&comp=list\"` answers 404 or 409 (PublicAccessNotPermitted), not 200.",
    ],
    mitigated_by: &["azure-policy-deny-blob-public-access"],
    false_positives: "A container that deliberately serves public files (a static download area, public images) is \
                      public by design: accept the finding for that container and keep everything else in another \
                      account. A container in an account whose network rules deny the Internet is still anonymous, \
                      but only reachable from the allowed networks.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/storage_container",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for StorageContainerPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_storage_container")
            .filter_map(|container| {
                let cfg = config(container)?;
                let access = literal_str(cfg, "container_access_type")?;
                let what = match access {
                    "blob" => "anyone can read its blobs",
                    "container" => "anyone can list and read its blobs",
                    _ => return None,
                };
                let account = parent_account(ctx, container);
                let account_cfg = account.and_then(config);
                // An account that forbids public containers makes Azure refuse this one.
                let allowance = match account_cfg.map(public_containers_allowed) {
                    Some(Some((true, key))) => account_cfg.map(|c| describe_flag(c, key, true)),
                    Some(_) => return None,
                    None => None,
                };
                let mut assets = vec![container.id.clone()];
                let mut detail = format!("container_access_type = \"{access}\"");
                let mut restricted = false;
                if let (Some(account), Some(allowance)) = (account, allowance) {
                    assets.push(account.id.clone());
                    detail.push_str(&format!(
                        "; its account {} allows public containers: {allowance}",
                        account.name
                    ));
                    restricted = matches!(storage_network(&ctx.tf, account), StorageNetwork::Restricted);
                    if restricted {
                        detail.push_str("; the account's network rules limit who can reach it");
                    }
                }
                let hit = Hit::new(
                    container.id.0.clone(),
                    format!("{}: {what} without credentials", container.name),
                    detail,
                    assets,
                    vec![container.evidence_for("container_access_type")],
                );
                Some(if restricted { hit } else { hit.exposing() })
            })
            .collect()
    }
}

/// The storage account a container belongs to: referenced by id or name, or named by the same literal.
fn parent_account<'a>(ctx: &Context<'a>, container: &Asset) -> Option<&'a Asset> {
    if let Some(account) = ctx
        .tf
        .referenced_by(container, "azurerm_storage_account")
        .into_iter()
        .next()
    {
        return Some(account);
    }
    let name = config(container).and_then(|c| literal_str(c, "storage_account_name"))?;
    ctx.tf
        .of_type("azurerm_storage_account")
        .find(|a| config(a).and_then(|c| literal_str(c, "name")) == Some(name))
}

//! `azure-storage-http-allowed`: a storage account that accepts plain HTTP requests.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageHttpAllowed;

/// The argument's azurerm 4.x name, then its 3.x name.
const KEYS: [&str; 2] = ["https_traffic_only_enabled", "enable_https_traffic_only"];

static META: RuleMeta = RuleMeta {
    id: "azure-storage-http-allowed",
    title: "Azure storage account accepts unencrypted HTTP",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-157", "CAPEC-94"],
    attack: &["T1040", "T1557"],
    likelihood: 4,
    impact: 6,
    what: "An `azurerm_storage_account` with `https_traffic_only_enabled = false` (azurerm 4.x) or \
           `enable_https_traffic_only = false` (azurerm 3.x): \"secure transfer required\" is off and the blob, \
           file, queue and table endpoints answer plain HTTP. The provider default is `true`. Checkov: CKV_AZURE_3.",
    why: "Over HTTP, Shared Key signatures, SAS tokens in query strings and the data itself cross the network in \
          clear text: anyone on the path (a shared Wi-Fi, a compromised proxy, a peered network) can read them and \
          replay or alter requests. A SAS token captured this way keeps working until it expires.",
    example: "resource \"azurerm_storage_account\" \"data\" {\n  name                       = \"shopdata\"\n  https_traffic_only_enabled = false\n}",
    remediation: "Require secure transfer: `https_traffic_only_enabled = true`.",
    fix: &[
        "Set `https_traffic_only_enabled = true` (azurerm 4.x) or `enable_https_traffic_only = true` (3.x), or remove the argument.",
        "Change any client or SAS URL that uses `http://` to `https://`; generate SAS tokens with `--https-only` (`spr=https`).",
        "Assign the built-in Azure Policy \"Secure transfer to storage accounts should be enabled\" with the Deny effect.",
    ],
    verify: &[
        "`az storage account show --name <account> --query enableHttpsTrafficOnly` prints `true`.",
        "`curl -I http://<account>.blob.core.windows.net/` answers 400 (AccountRequiresHttps).",
    ],
    mitigated_by: &["azure-policy-storage-secure-transfer"],
    false_positives: "Azure Files over NFS 3.0 needs secure transfer off, because NFS does not use TLS: such an \
                      account is correct if it is reachable only from a private endpoint or a restricted virtual \
                      network. Custom domains over HTTP on a static website are better served through Front Door \
                      with HTTPS.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::OwaspAsvs, "V9.2.2"),
    ],
};

impl Rule for StorageHttpAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_storage_account")
            .filter_map(|account| {
                let cfg = config(account)?;
                let key = KEYS.into_iter().find(|k| cfg.contains_key(*k))?;
                (literal_bool(cfg, key) == Some(false)).then(|| {
                    Hit::new(
                        account.id.0.clone(),
                        format!("{} accepts unencrypted HTTP requests", account.name),
                        format!("{key} = false"),
                        vec![account.id.clone()],
                        vec![account.evidence_for(key)],
                    )
                })
            })
            .collect()
    }
}

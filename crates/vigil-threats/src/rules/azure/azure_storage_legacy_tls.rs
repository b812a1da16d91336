//! `azure-storage-legacy-tls`: a storage account that still accepts TLS 1.0 or 1.1.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_str};

use super::common::allows_legacy_tls;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageLegacyTls;

static META: RuleMeta = RuleMeta {
    id: "azure-storage-legacy-tls",
    title: "Azure storage account accepts TLS 1.0 or 1.1",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-326", "CWE-757"],
    capec: &["CAPEC-620", "CAPEC-217"],
    attack: &["T1557", "T1040"],
    likelihood: 3,
    impact: 5,
    what: "An `azurerm_storage_account` with `min_tls_version = \"TLS1_0\"` or `\"TLS1_1\"`. Unset, azurerm 3.x and \
           later use `TLS1_2`, which is not reported. Checkov: CKV_AZURE_44.",
    why: "TLS 1.0 and 1.1 rely on constructions with known weaknesses (CBC padding oracles, SHA-1 in the handshake) \
          and are deprecated by RFC 8996. A client that can be pushed down to them, or an old client that only \
          speaks them, sends account keys, SAS tokens and data over a channel an on-path attacker has a real chance \
          to break. Microsoft is retiring both versions for Azure Storage; the setting only keeps legacy \
          clients working.",
    example: "resource \"azurerm_storage_account\" \"data\" {\n  name            = \"shopdata\"\n  min_tls_version = \"TLS1_0\"\n}",
    remediation: "Require TLS 1.2: `min_tls_version = \"TLS1_2\"`.",
    fix: &[
        "Set `min_tls_version = \"TLS1_2\"` on the storage account (or remove the argument on azurerm 3.x and later).",
        "Find clients that still negotiate TLS 1.0/1.1 first: enable the `StorageRead`/`StorageWrite` diagnostic logs and query the `TlsVersion` field.",
        "Update or reconfigure those clients (.NET Framework before 4.7 needs `SchUseStrongCrypto`).",
    ],
    verify: &[
        "`az storage account show --name <account> --query minimumTlsVersion` prints `TLS1_2`.",
        "`openssl s_client -connect <account>.blob.core.windows.net:443 -tls1_1` fails the handshake.",
    ],
    mitigated_by: &["azure-policy-storage-min-tls"],
    false_positives: "Accounts that must serve a legacy device or integration which cannot speak TLS 1.2 need the \
                      old protocols until that client is replaced: accept the finding with the client's name and a \
                      date, and keep sensitive data out of that account.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version",
        "https://www.rfc-editor.org/rfc/rfc8996",
        "https://cwe.mitre.org/data/definitions/326.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(2)(ii)"),
        (Objective::OwaspAsvs, "V9.1.3"),
        (Objective::Soc2, "CC6.7"),
    ],
};

impl Rule for StorageLegacyTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_storage_account")
            .filter_map(|account| {
                let version = literal_str(config(account)?, "min_tls_version")?;
                allows_legacy_tls(version).then(|| {
                    Hit::new(
                        account.id.0.clone(),
                        format!("{} accepts {version} connections", account.name),
                        format!("min_tls_version = \"{version}\""),
                        vec![account.id.clone()],
                        vec![account.evidence_for("min_tls_version")],
                    )
                })
            })
            .collect()
    }
}

//! What several Azure rules need: arguments read with the azurerm provider's defaults, TLS version names, the
//! App Service resource types, and a storage account's network default; and the remote administration ports
//! that the NSG rule and the Google Cloud firewall rule both look for.

use serde_json::{Map, Value};
use vigil_core::{Asset, Evidence};
use vigil_model::terraform::{Terraform, blocks, config, literal_bool, literal_str};

/// A boolean argument as Terraform would deploy it: the literal, `default` when the argument is absent or
/// `null`, `None` when it is computed and cannot be judged from the code.
pub(super) fn flag(cfg: &Map<String, Value>, key: &str, default: bool) -> Option<bool> {
    match cfg.get(key) {
        None | Some(Value::Null) => Some(default),
        Some(_) => literal_bool(cfg, key),
    }
}

/// How a detail names a boolean argument that holds `value`: as written, or as the provider default.
pub(super) fn describe_flag(cfg: &Map<String, Value>, key: &str, value: bool) -> String {
    match cfg.get(key) {
        None | Some(Value::Null) => format!("{key} not set (the azurerm default is {value})"),
        Some(_) => format!("{key} = {value}"),
    }
}

/// Whether a storage account lets its containers be made public, and the argument that decides it
/// (`allow_blob_public_access` is the azurerm 2.x name); absent, azurerm 3.x and later default to allowing
/// it. `None` when the value is computed.
pub(super) fn public_containers_allowed(account: &Map<String, Value>) -> Option<(bool, &'static str)> {
    let key = if account.contains_key("allow_blob_public_access") {
        "allow_blob_public_access"
    } else {
        "allow_nested_items_to_be_public"
    };
    flag(account, key, true).map(|allowed| (allowed, key))
}

/// Whether a minimum TLS version, as spelled by the azurerm arguments (`TLS1_0`, `1.1`, `TLSv1`,
/// `TLSEnforcementDisabled`, `Disabled`), lets clients negotiate TLS 1.0 or 1.1.
pub(super) fn allows_legacy_tls(version: &str) -> bool {
    let digits: String = version.chars().filter(char::is_ascii_digit).collect();
    matches!(digits.as_str(), "1" | "10" | "11")
        || version.eq_ignore_ascii_case("Disabled")
        || version.eq_ignore_ascii_case("TLSEnforcementDisabled")
}

/// Remote administration services, by TCP port: a shell or a desktop for whoever logs in.
pub(crate) const REMOTE_ADMIN_SERVICES: [(u32, &str); 4] = [
    (22, "SSH"),
    (3389, "RDP"),
    (5985, "WinRM"),
    (5986, "WinRM over HTTPS"),
];

/// Whether a port specification of a firewall rule (`*`, `22`, `1000-2000`) includes `port`.
pub(crate) fn port_spec_includes(spec: &str, port: u32) -> bool {
    let spec = spec.trim();
    if spec == "*" {
        return true;
    }
    let (low, high) = spec.split_once('-').unwrap_or((spec, spec));
    match (low.trim().parse::<u32>(), high.trim().parse::<u32>()) {
        (Ok(low), Ok(high)) => (low..=high).contains(&port),
        _ => false,
    }
}

/// App Service web apps, function apps and their deployment slots, classic and current resource types.
pub(super) const APP_SERVICE_TYPES: [&str; 12] = [
    "azurerm_app_service",
    "azurerm_app_service_slot",
    "azurerm_linux_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app",
    "azurerm_windows_web_app_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
    "azurerm_linux_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app",
    "azurerm_windows_function_app_slot",
];

/// Who may connect to a storage account's endpoints.
#[derive(Debug)]
pub(super) enum StorageNetwork {
    /// `public_network_access_enabled = false`, or network rules whose default action is `Deny`.
    Restricted,
    /// Every network: an explicit `default_action = "Allow"` (what says so, and where), or no network rules.
    Open(Option<(String, Evidence)>),
    /// Decided by a computed value.
    Unknown,
}

/// The network default of an `azurerm_storage_account`: its `public_network_access_enabled` (default `true`),
/// its inline `network_rules` block or an `azurerm_storage_account_network_rules` resource pointing at it.
pub(super) fn storage_network(tf: &Terraform<'_>, account: &Asset) -> StorageNetwork {
    let Some(cfg) = config(account) else {
        return StorageNetwork::Unknown;
    };
    match flag(cfg, "public_network_access_enabled", true) {
        Some(false) => return StorageNetwork::Restricted,
        None => return StorageNetwork::Unknown,
        Some(true) => {}
    }
    let inline = blocks(cfg, "network_rules")
        .into_iter()
        .next()
        .map(|rules| (account, rules, "network_rules.0.default_action"));
    // The standalone resource names its account by id (`storage_account_id`) or, before azurerm 3.0, by name.
    let standalone = ["storage_account_id", "storage_account_name"]
        .into_iter()
        .flat_map(|key| tf.companions(account, "azurerm_storage_account_network_rules", key))
        .find_map(|r| config(r).map(|c| (r, c, "default_action")));
    let Some((holder, rules, path)) = inline.or(standalone) else {
        return StorageNetwork::Open(None);
    };
    match literal_str(rules, "default_action") {
        Some(action) if action.eq_ignore_ascii_case("Deny") => StorageNetwork::Restricted,
        Some(action) => {
            let setting = if holder.id == account.id {
                format!("network_rules.default_action = \"{action}\"")
            } else {
                format!("{} sets default_action = \"{action}\"", holder.name)
            };
            StorageNetwork::Open(Some((setting, holder.evidence_for(path))))
        }
        None => StorageNetwork::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_specifications() {
        assert!(port_spec_includes("*", 22));
        assert!(port_spec_includes("22", 22));
        assert!(port_spec_includes(" 3000-4000 ", 3389));
        assert!(!port_spec_includes("2200", 22));
        assert!(!port_spec_includes("23-3388", 3389));
        assert!(!port_spec_includes("${var.port}", 22));
    }

    #[test]
    fn legacy_tls_spellings() {
        for legacy in [
            "TLS1_0",
            "TLS1_1",
            "1.0",
            "1.1",
            "TLSv1",
            "TLSv1.1",
            "Disabled",
            "TLSEnforcementDisabled",
        ] {
            assert!(allows_legacy_tls(legacy), "{legacy}");
        }
        for modern in ["TLS1_2", "TLS1_3", "1.2", "1.3", "TLSv1.2"] {
            assert!(!allows_legacy_tls(modern), "{modern}");
        }
    }
}

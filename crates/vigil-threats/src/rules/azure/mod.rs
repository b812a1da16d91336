//! Terraform checks for Azure (azurerm).

use crate::rule::Rule;

// Shared with the Google Cloud rules for the remote administration ports.
pub(crate) mod common;

pub mod azure_acr_admin_user;
pub mod azure_acr_anonymous_pull;
pub mod azure_aks_public_api_server;
pub mod azure_aks_rbac_disabled;
pub mod azure_app_service_http_allowed;
pub mod azure_app_service_legacy_tls;
pub mod azure_db_firewall_open;
pub mod azure_db_public_network;
pub mod azure_db_tls_not_enforced;
pub mod azure_key_vault_network_open;
pub mod azure_key_vault_purge_protection;
pub mod azure_nsg_open_remote_admin;
pub mod azure_storage_container_public;
pub mod azure_storage_http_allowed;
pub mod azure_storage_legacy_tls;
pub mod azure_storage_network_open;
pub mod azure_storage_public_blobs_allowed;
pub mod azure_vm_password_authentication;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &azure_storage_container_public::StorageContainerPublic,
        &azure_storage_public_blobs_allowed::StoragePublicBlobsAllowed,
        &azure_storage_network_open::StorageNetworkOpen,
        &azure_storage_http_allowed::StorageHttpAllowed,
        &azure_storage_legacy_tls::StorageLegacyTls,
        &azure_db_firewall_open::DbFirewallOpen,
        &azure_db_public_network::DbPublicNetwork,
        &azure_db_tls_not_enforced::DbTlsNotEnforced,
        &azure_nsg_open_remote_admin::NsgOpenRemoteAdmin,
        &azure_vm_password_authentication::VmPasswordAuthentication,
        &azure_key_vault_purge_protection::KeyVaultPurgeProtection,
        &azure_key_vault_network_open::KeyVaultNetworkOpen,
        &azure_app_service_http_allowed::AppServiceHttpAllowed,
        &azure_app_service_legacy_tls::AppServiceLegacyTls,
        &azure_aks_rbac_disabled::AksRbacDisabled,
        &azure_aks_public_api_server::AksPublicApiServer,
        &azure_acr_admin_user::AcrAdminUser,
        &azure_acr_anonymous_pull::AcrAnonymousPull,
    ]
}

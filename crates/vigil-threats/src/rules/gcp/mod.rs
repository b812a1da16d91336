//! Terraform checks for Google Cloud.

use crate::rule::Rule;

mod common;

pub mod gcp_bigquery_dataset_public;
pub mod gcp_compute_oslogin_disabled;
pub mod gcp_compute_serial_port;
pub mod gcp_firewall_open_remote_admin;
pub mod gcp_gke_control_plane_open;
pub mod gcp_gke_legacy_abac;
pub mod gcp_gke_node_metadata_exposed;
pub mod gcp_gke_public_nodes;
pub mod gcp_iam_basic_role;
pub mod gcp_instance_default_sa_full_scope;
pub mod gcp_kms_key_rotation;
pub mod gcp_serverless_public_invoker;
pub mod gcp_service_account_key;
pub mod gcp_sql_open_authorized_network;
pub mod gcp_sql_ssl_not_required;
pub mod gcp_storage_bucket_public;
pub mod gcp_storage_uniform_access;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &gcp_storage_bucket_public::StorageBucketPublic,
        &gcp_storage_uniform_access::StorageUniformAccess,
        &gcp_bigquery_dataset_public::BigQueryDatasetPublic,
        &gcp_serverless_public_invoker::ServerlessPublicInvoker,
        &gcp_sql_open_authorized_network::SqlOpenAuthorizedNetwork,
        &gcp_sql_ssl_not_required::SqlSslNotRequired,
        &gcp_firewall_open_remote_admin::FirewallOpenRemoteAdmin,
        &gcp_instance_default_sa_full_scope::InstanceDefaultSaFullScope,
        &gcp_iam_basic_role::IamBasicRole,
        &gcp_service_account_key::ServiceAccountKey,
        &gcp_gke_legacy_abac::GkeLegacyAbac,
        &gcp_gke_control_plane_open::GkeControlPlaneOpen,
        &gcp_gke_public_nodes::GkePublicNodes,
        &gcp_gke_node_metadata_exposed::GkeNodeMetadataExposed,
        &gcp_kms_key_rotation::KmsKeyRotation,
        &gcp_compute_serial_port::ComputeSerialPort,
        &gcp_compute_oslogin_disabled::ComputeOsLoginDisabled,
    ]
}

//! Threats to data and trust boundaries over the system model: repudiation, encryption in transit and at rest, disclosure to third parties, segmentation.

use crate::rule::Rule;

pub mod ci_untrusted_component_deploys;
pub mod cloud_account_no_audit_trail;
pub mod missing_audit_log;
pub mod missing_network_segmentation;
pub mod secrets_without_vault;
pub mod sensitive_data_to_third_party;
pub mod sensitive_datastore_unencrypted;
pub mod sensitive_flow_unencrypted;
pub mod shared_datastore;
mod support;
pub mod unauthenticated_datastore_access;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &missing_audit_log::MissingAuditLog,
        &cloud_account_no_audit_trail::CloudAccountNoAuditTrail,
        &sensitive_flow_unencrypted::SensitiveFlowUnencrypted,
        &sensitive_datastore_unencrypted::SensitiveDatastoreUnencrypted,
        &sensitive_data_to_third_party::SensitiveDataToThirdParty,
        &shared_datastore::SharedDatastore,
        &missing_network_segmentation::MissingNetworkSegmentation,
        &unauthenticated_datastore_access::UnauthenticatedDatastoreAccess,
        &secrets_without_vault::SecretsWithoutVault,
        &ci_untrusted_component_deploys::CiUntrustedComponentDeploys,
    ]
}

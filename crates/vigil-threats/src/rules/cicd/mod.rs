//! CI/CD pipeline checks and the flows of pipelines in the system model.

use crate::rule::Rule;

pub mod ci_static_cloud_credentials;
pub mod gha_pull_request_target_checkout;
pub mod gha_script_injection;
pub mod gha_unpinned_action;
pub mod gha_write_all_permissions;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &gha_pull_request_target_checkout::PullRequestTargetCheckout,
        &gha_script_injection::ScriptInjection,
        &gha_unpinned_action::UnpinnedAction,
        &gha_write_all_permissions::WriteAllPermissions,
        &ci_static_cloud_credentials::StaticCloudCredentials,
    ]
}

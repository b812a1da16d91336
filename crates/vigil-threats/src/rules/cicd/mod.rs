//! CI/CD pipeline checks and the flows of pipelines in the system model.

use crate::rule::Rule;

pub mod ci_circleci_orb_unpinned;
pub mod ci_image_latest_tag;
pub mod ci_image_not_pinned_by_digest;
pub mod ci_plaintext_secret;
pub mod ci_remote_script_piped_to_shell;
pub mod ci_static_cloud_credentials;
pub mod gha_checkout_token_in_artifact;
pub mod gha_default_token_permissions;
pub mod gha_issue_comment_checkout;
pub mod gha_pull_request_target_checkout;
pub mod gha_reusable_workflow_secrets_inherit;
pub mod gha_script_injection;
pub mod gha_secret_in_run;
pub mod gha_self_hosted_pull_request;
pub mod gha_unpinned_action;
pub mod gha_unsecure_commands;
pub mod gha_workflow_run_artifact_poisoning;
pub mod gha_write_all_permissions;
pub mod gitlab_include_unpinned;
pub mod supply_chain_ci_npm_install;
mod support;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &gha_pull_request_target_checkout::PullRequestTargetCheckout,
        &gha_script_injection::ScriptInjection,
        &gha_unpinned_action::UnpinnedAction,
        &gha_write_all_permissions::WriteAllPermissions,
        &ci_static_cloud_credentials::StaticCloudCredentials,
        &gha_unsecure_commands::UnsecureCommands,
        &gha_default_token_permissions::DefaultTokenPermissions,
        &gha_secret_in_run::SecretInRunCommand,
        &gha_workflow_run_artifact_poisoning::WorkflowRunArtifactPoisoning,
        &gha_issue_comment_checkout::IssueCommentCheckout,
        &gha_self_hosted_pull_request::SelfHostedPullRequest,
        &gha_reusable_workflow_secrets_inherit::ReusableWorkflowSecretsInherit,
        &gha_checkout_token_in_artifact::CheckoutTokenInArtifact,
        &gitlab_include_unpinned::IncludeUnpinned,
        &ci_remote_script_piped_to_shell::RemoteScriptPipedToShell,
        &ci_image_latest_tag::ImageLatestTag,
        &ci_image_not_pinned_by_digest::ImageNotPinnedByDigest,
        &ci_circleci_orb_unpinned::CircleciOrbUnpinned,
        &ci_plaintext_secret::PlaintextSecret,
        &supply_chain_ci_npm_install::CiNpmInstall,
    ]
}

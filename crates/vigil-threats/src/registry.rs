//! The list of rules, grouped by what they look at. Adding a rule is one file in `rules/` and one line
//! here.

use crate::rule::Rule;
use crate::rules::{
    aws_iam_wildcard::IamWildcardAction, aws_lambda_plaintext_secret::LambdaPlaintextSecret,
    aws_rds_public::RdsPublic, aws_rds_unencrypted::RdsUnencrypted, aws_s3_public_access::S3PublicAccess,
    aws_sg_open_ingress::SgOpenIngress, ci_static_cloud_credentials::StaticCloudCredentials,
    gha_pull_request_target_checkout::PullRequestTargetCheckout, gha_script_injection::ScriptInjection,
    gha_unpinned_action::UnpinnedAction, gha_write_all_permissions::WriteAllPermissions,
    secret_in_code::SecretInCode, terraform_provider_credentials::ProviderCredentials,
};

/// Renamed rule ids: old id -> new id. Suppressions and history that name an old id keep working.
pub const RENAMED: &[(&str, &str)] = &[];

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        // AWS infrastructure as code
        &S3PublicAccess,
        &RdsPublic,
        &RdsUnencrypted,
        &SgOpenIngress,
        &IamWildcardAction,
        &LambdaPlaintextSecret,
        &ProviderCredentials,
        // CI/CD
        &PullRequestTargetCheckout,
        &ScriptInjection,
        &UnpinnedAction,
        &WriteAllPermissions,
        // Secrets anywhere in the repository
        &SecretInCode,
        // Data flows of the system model
        &StaticCloudCredentials,
    ]
}

/// A rule by id (following renames).
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    let id = RENAMED
        .iter()
        .find(|(old, _)| *old == id)
        .map_or(id, |(_, new)| new);
    rules().into_iter().find(|r| r.meta().id == id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = super::rules().iter().map(|r| r.meta().id).collect();
        assert!(ids.iter().all(|id| {
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn scores_are_in_range_and_docs_complete() {
        for rule in super::rules() {
            let meta = rule.meta();
            assert!(
                (1..=10).contains(&meta.likelihood) && (1..=10).contains(&meta.impact),
                "{}",
                meta.id
            );
            assert!(
                !meta.fix.is_empty() && !meta.verify.is_empty() && !meta.references.is_empty(),
                "{}",
                meta.id
            );
            assert!(!meta.stride.is_empty() && !meta.cwe.is_empty(), "{}", meta.id);
        }
    }
}

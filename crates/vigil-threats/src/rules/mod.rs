//! One file per rule; [`crate::registry`] lists them.

pub mod aws_ebs_unencrypted;
pub mod aws_ec2_imdsv1;
pub mod aws_iam_wildcard;
pub mod aws_lambda_plaintext_secret;
pub mod aws_rds_public;
pub mod aws_rds_unencrypted;
pub mod aws_s3_public_access;
pub mod aws_s3_versioning;
pub mod aws_sg_open_ingress;
pub mod ci_static_cloud_credentials;
pub mod dockerfile_root_user;
pub mod gha_pull_request_target_checkout;
pub mod gha_script_injection;
pub mod gha_unpinned_action;
pub mod gha_write_all_permissions;
pub mod k8s_privileged_container;
pub mod secret_in_code;
pub mod terraform_provider_credentials;

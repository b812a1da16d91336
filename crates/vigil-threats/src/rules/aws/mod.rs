//! Terraform and CloudFormation checks for AWS.

use crate::rule::Rule;

pub mod aws_ebs_unencrypted;
pub mod aws_ec2_imdsv1;
pub mod aws_iam_wildcard;
pub mod aws_lambda_plaintext_secret;
pub mod aws_rds_public;
pub mod aws_rds_unencrypted;
pub mod aws_s3_public_access;
pub mod aws_s3_versioning;
pub mod aws_sg_open_ingress;
pub mod terraform_provider_credentials;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &aws_s3_public_access::S3PublicAccess,
        &aws_rds_public::RdsPublic,
        &aws_rds_unencrypted::RdsUnencrypted,
        &aws_sg_open_ingress::SgOpenIngress,
        &aws_iam_wildcard::IamWildcardAction,
        &aws_lambda_plaintext_secret::LambdaPlaintextSecret,
        &terraform_provider_credentials::ProviderCredentials,
        &aws_ec2_imdsv1::Imdsv1,
        &aws_ebs_unencrypted::EbsUnencrypted,
        &aws_s3_versioning::S3Versioning,
    ]
}

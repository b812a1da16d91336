//! Terraform and CloudFormation checks for AWS. [`iac`] reads both formats for the rules.

use crate::rule::Rule;

pub mod aws_alb_invalid_headers;
pub mod aws_apigw_access_logging;
pub mod aws_apigw_method_unauthenticated;
pub mod aws_cloudfront_http_allowed;
pub mod aws_cloudfront_no_waf;
pub mod aws_cloudfront_outdated_tls;
pub mod aws_cloudtrail_log_validation;
pub mod aws_cloudtrail_not_kms_encrypted;
pub mod aws_cloudtrail_single_region;
pub mod aws_default_sg_allows_traffic;
pub mod aws_dynamodb_pitr;
pub mod aws_ebs_unencrypted;
pub mod aws_ec2_imdsv1;
pub mod aws_ecr_mutable_tags;
pub mod aws_ecr_scan_on_push;
pub mod aws_efs_unencrypted;
pub mod aws_eks_control_plane_logging;
pub mod aws_eks_public_endpoint;
pub mod aws_elasticache_unencrypted;
pub mod aws_iam_policy_on_user;
pub mod aws_iam_privilege_escalation;
pub mod aws_iam_role_trusts_anyone;
pub mod aws_iam_user_access_key;
pub mod aws_iam_wildcard;
pub mod aws_kms_key_rotation;
pub mod aws_lambda_plaintext_secret;
pub mod aws_lb_http_listener;
pub mod aws_lb_outdated_tls;
pub mod aws_opensearch_encryption;
pub mod aws_rds_backup_retention;
pub mod aws_rds_deletion_protection;
pub mod aws_rds_iam_auth;
pub mod aws_rds_public;
pub mod aws_rds_unencrypted;
pub mod aws_redshift_public;
pub mod aws_s3_access_logging;
pub mod aws_s3_insecure_transport;
pub mod aws_s3_no_kms_encryption;
pub mod aws_s3_public_access;
pub mod aws_s3_versioning;
pub mod aws_secret_rotation;
pub mod aws_sg_open_ingress;
pub mod aws_sns_topic_unencrypted;
pub mod aws_sqs_queue_unencrypted;
pub mod aws_vpc_flow_logs;
pub mod compliance;
pub mod iac;
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
        // S3
        &aws_s3_access_logging::S3AccessLogging,
        &aws_s3_insecure_transport::S3InsecureTransport,
        &aws_s3_no_kms_encryption::S3NoKmsEncryption,
        // Logging and keys
        &aws_cloudtrail_single_region::CloudTrailSingleRegion,
        &aws_cloudtrail_log_validation::CloudTrailLogValidation,
        &aws_cloudtrail_not_kms_encrypted::CloudTrailNotKmsEncrypted,
        &aws_kms_key_rotation::KmsKeyRotation,
        &aws_vpc_flow_logs::VpcFlowLogs,
        // Databases and data stores
        &aws_rds_backup_retention::RdsBackupRetention,
        &aws_rds_deletion_protection::RdsDeletionProtection,
        &aws_rds_iam_auth::RdsIamAuth,
        &aws_elasticache_unencrypted::ElastiCacheUnencrypted,
        &aws_dynamodb_pitr::DynamoDbPitr,
        &aws_efs_unencrypted::EfsUnencrypted,
        &aws_redshift_public::RedshiftPublic,
        &aws_opensearch_encryption::OpenSearchEncryption,
        &aws_sqs_queue_unencrypted::SqsQueueUnencrypted,
        &aws_sns_topic_unencrypted::SnsTopicUnencrypted,
        // Edge and APIs
        &aws_lb_http_listener::LbHttpListener,
        &aws_lb_outdated_tls::LbOutdatedTls,
        &aws_alb_invalid_headers::AlbInvalidHeaders,
        &aws_cloudfront_http_allowed::CloudFrontHttpAllowed,
        &aws_cloudfront_outdated_tls::CloudFrontOutdatedTls,
        &aws_cloudfront_no_waf::CloudFrontNoWaf,
        &aws_apigw_access_logging::ApiGatewayAccessLogging,
        &aws_apigw_method_unauthenticated::ApiGatewayMethodUnauthenticated,
        // Containers and networks
        &aws_eks_public_endpoint::EksPublicEndpoint,
        &aws_eks_control_plane_logging::EksControlPlaneLogging,
        &aws_ecr_mutable_tags::EcrMutableTags,
        &aws_ecr_scan_on_push::EcrScanOnPush,
        &aws_default_sg_allows_traffic::DefaultSgAllowsTraffic,
        // Identities and secrets
        &aws_iam_privilege_escalation::IamPrivilegeEscalation,
        &aws_iam_policy_on_user::IamPolicyOnUser,
        &aws_iam_role_trusts_anyone::IamRoleTrustsAnyone,
        &aws_iam_user_access_key::IamUserAccessKey,
        &aws_secret_rotation::SecretRotation,
    ]
}

//! Which Terraform resource types are datastores and which run code. Everything else (security groups,
//! IAM, companions) configures a component rather than being one.

const DATASTORES: [&str; 24] = [
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kinesis_stream",
    "aws_efs_file_system",
    "aws_redshift_cluster",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    "aws_ebs_volume",
    "google_storage_bucket",
    "google_sql_database_instance",
    "google_bigquery_dataset",
    "azurerm_storage_account",
    "azurerm_mssql_server",
    "azurerm_cosmosdb_account",
];

const PROCESSES: [&str; 14] = [
    "aws_lambda_function",
    "aws_instance",
    "aws_ecs_service",
    "aws_eks_cluster",
    "aws_autoscaling_group",
    "aws_apprunner_service",
    "aws_elastic_beanstalk_environment",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "google_cloudfunctions_function",
    "google_cloud_run_service",
    "google_compute_instance",
    "azurerm_linux_web_app",
    "azurerm_function_app",
];

pub fn is_datastore(resource_type: &str) -> bool {
    DATASTORES.contains(&resource_type)
}

pub fn is_process(resource_type: &str) -> bool {
    PROCESSES.contains(&resource_type)
}

//! Which Terraform resource types of AWS, Azure and Google Cloud are datastores and which run code. Everything
//! else (networks, security groups, IAM, companions such as bucket policies) configures a component rather
//! than being one. The model builder turns managed resources of these types into datastore and process
//! components; the classifier guesses the data a datastore holds from its name.
//!
//! Queues, topics and streams count as datastores: they hold data at rest, and a flow into one is a flow
//! of data. Parents and their children are both listed where Terraform declares them apart and each can
//! be exposed on its own (an Azure storage account and its blob containers, a Service Bus namespace and
//! its queues).

const DATASTORES: &[&str] = &[
    // AWS: object, file and block storage
    "aws_s3_bucket",
    "aws_s3_directory_bucket",
    "aws_efs_file_system",
    "aws_ebs_volume",
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "aws_glacier_vault",
    "aws_backup_vault",
    // AWS: databases and caches
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache",
    "aws_memorydb_cluster",
    "aws_dax_cluster",
    "aws_redshift_cluster",
    "aws_redshiftserverless_namespace",
    "aws_docdb_cluster",
    "aws_docdb_elastic_cluster",
    "aws_neptune_cluster",
    "aws_keyspaces_keyspace",
    "aws_qldb_ledger",
    "aws_timestreamwrite_database",
    "aws_timestreamwrite_table",
    "aws_lightsail_database",
    // AWS: search and analytics
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_opensearchserverless_collection",
    "aws_glue_catalog_database",
    "aws_glue_catalog_table",
    "aws_athena_workgroup",
    "aws_athena_database",
    // AWS: messaging and streaming
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kinesis_stream",
    "aws_kinesis_firehose_delivery_stream",
    "aws_msk_cluster",
    "aws_msk_serverless_cluster",
    "aws_mq_broker",
    // AWS: secrets
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    // Azure: storage
    "azurerm_storage_account",
    "azurerm_storage_container",
    "azurerm_storage_share",
    "azurerm_storage_queue",
    "azurerm_storage_table",
    "azurerm_storage_data_lake_gen2_filesystem",
    "azurerm_managed_disk",
    // Azure: databases and caches
    "azurerm_mssql_server",
    "azurerm_mssql_database",
    "azurerm_mssql_managed_instance",
    "azurerm_sql_server",
    "azurerm_sql_database",
    "azurerm_postgresql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_server",
    "azurerm_mysql_flexible_server",
    "azurerm_mariadb_server",
    "azurerm_cosmosdb_account",
    "azurerm_cosmosdb_sql_database",
    "azurerm_cosmosdb_mongo_database",
    "azurerm_cosmosdb_cassandra_keyspace",
    "azurerm_cosmosdb_gremlin_database",
    "azurerm_cosmosdb_table",
    "azurerm_redis_cache",
    "azurerm_redis_enterprise_cluster",
    "azurerm_kusto_cluster",
    "azurerm_synapse_workspace",
    "azurerm_search_service",
    // Azure: messaging
    "azurerm_servicebus_namespace",
    "azurerm_servicebus_queue",
    "azurerm_servicebus_topic",
    "azurerm_eventhub_namespace",
    "azurerm_eventhub",
    "azurerm_eventgrid_topic",
    // Azure: secrets
    "azurerm_key_vault",
    "azurerm_key_vault_secret",
    "azurerm_app_configuration",
    // Google Cloud: storage
    "google_storage_bucket",
    "google_filestore_instance",
    "google_compute_disk",
    // Google Cloud: databases and caches
    "google_sql_database_instance",
    "google_sql_database",
    "google_alloydb_cluster",
    "google_firestore_database",
    "google_spanner_instance",
    "google_spanner_database",
    "google_bigtable_instance",
    "google_bigtable_table",
    "google_redis_instance",
    "google_redis_cluster",
    "google_memcache_instance",
    // Google Cloud: analytics
    "google_bigquery_dataset",
    "google_bigquery_table",
    // Google Cloud: messaging
    "google_pubsub_topic",
    "google_pubsub_subscription",
    // Google Cloud: secrets
    "google_secret_manager_secret",
];

const PROCESSES: &[&str] = &[
    // AWS: functions, containers and machines
    "aws_lambda_function",
    "aws_instance",
    "aws_spot_instance_request",
    "aws_autoscaling_group",
    "aws_lightsail_instance",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_eks_fargate_profile",
    "aws_apprunner_service",
    "aws_elastic_beanstalk_environment",
    "aws_batch_compute_environment",
    "aws_batch_job_definition",
    "aws_sfn_state_machine",
    "aws_glue_job",
    "aws_emr_cluster",
    "aws_emrserverless_application",
    "aws_sagemaker_endpoint",
    "aws_sagemaker_notebook_instance",
    // AWS: API front doors, load balancers and CDNs
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_cloudfront_distribution",
    // Azure: functions, apps, containers and machines
    "azurerm_function_app",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_app_service",
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_static_web_app",
    "azurerm_container_app",
    "azurerm_container_app_job",
    "azurerm_container_group",
    "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool",
    "azurerm_virtual_machine",
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_batch_pool",
    "azurerm_logic_app_workflow",
    "azurerm_spring_cloud_app",
    "azurerm_databricks_workspace",
    // Azure: API front doors
    "azurerm_api_management",
    // Google Cloud: functions, containers and machines
    "google_cloudfunctions_function",
    "google_cloudfunctions2_function",
    "google_cloud_run_service",
    "google_cloud_run_v2_service",
    "google_cloud_run_v2_job",
    "google_container_cluster",
    "google_container_node_pool",
    "google_compute_instance",
    "google_compute_instance_group_manager",
    "google_compute_region_instance_group_manager",
    "google_app_engine_standard_app_version",
    "google_app_engine_flexible_app_version",
    "google_dataflow_job",
    "google_dataproc_cluster",
    "google_composer_environment",
    "google_workflows_workflow",
    "google_workbench_instance",
    "google_notebooks_instance",
    "google_vertex_ai_endpoint",
    // Google Cloud: API front doors
    "google_api_gateway_gateway",
];

pub fn is_datastore(resource_type: &str) -> bool {
    DATASTORES.contains(&resource_type)
}

pub fn is_process(resource_type: &str) -> bool {
    PROCESSES.contains(&resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_type_is_both_and_none_repeats() {
        let mut all: Vec<&str> = DATASTORES.iter().chain(PROCESSES).copied().collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }

    #[test]
    fn the_three_clouds_are_covered() {
        for datastore in [
            "azurerm_storage_container",
            "google_spanner_database",
            "aws_msk_cluster",
        ] {
            assert!(is_datastore(datastore), "{datastore}");
        }
        for process in [
            "azurerm_container_app",
            "google_cloud_run_v2_service",
            "aws_sfn_state_machine",
        ] {
            assert!(is_process(process), "{process}");
        }
        assert!(!is_datastore("aws_security_group") && !is_process("google_project_iam_member"));
    }
}

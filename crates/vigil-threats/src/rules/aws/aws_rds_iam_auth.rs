//! `aws-rds-iam-auth-disabled`: a MySQL, MariaDB or PostgreSQL database reachable only with passwords.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RdsIamAuth;

/// Engines with IAM database authentication (`aurora` is Aurora MySQL, the default of `aws_rds_cluster`).
const ENGINES: [&str; 4] = ["mysql", "mariadb", "postgres", "aurora"];

static META: RuleMeta = RuleMeta {
    id: "aws-rds-iam-auth-disabled",
    title: "Database does not accept IAM authentication",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing],
    cwe: &["CWE-309"],
    capec: &["CAPEC-560"],
    attack: &["T1078.004", "T1110"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_db_instance` / `aws_rds_cluster` whose `iam_database_authentication_enabled`, or an \
           `AWS::RDS::DBInstance` / `AWS::RDS::DBCluster` whose `EnableIAMDatabaseAuthentication`, is not `true` \
           (the default is false), for the engines that support it: MySQL, MariaDB, PostgreSQL and Aurora. \
           Database instances without an engine written, read replicas and the instances of an Aurora cluster \
           are skipped. Checkov: CKV_AWS_161 (instances), CKV_AWS_162 (clusters).",
    why: "Without IAM authentication every application and person connects with a long-lived database password, \
          which ends up in configuration files, environment variables and CI secrets, is rarely rotated, and \
          keeps working after the person or workload that held it is gone. IAM authentication issues 15-minute \
          tokens to principals that IAM already governs and CloudTrail already records.",
    example: "resource \"aws_db_instance\" \"orders\" {\n  engine = \"postgres\"\n}",
    remediation: "Enable IAM database authentication and move applications to IAM tokens.",
    fix: &[
        "Set `iam_database_authentication_enabled = true` (CloudFormation: `EnableIAMDatabaseAuthentication: true`).",
        "Create database users mapped to IAM (`GRANT rds_iam TO app_user` for PostgreSQL, `AWSAuthenticationPlugin` for MySQL) and grant `rds-db:connect` to the application roles.",
        "Keep the master password in Secrets Manager (`manage_master_user_password = true`) for break-glass use only.",
    ],
    verify: &[
        "`aws rds describe-db-instances` shows `IAMDatabaseAuthenticationEnabled: true`; re-run `vigil assess`.",
    ],
    mitigated_by: &["secrets-manager"],
    false_positives: "Databases whose passwords are managed and rotated by Secrets Manager (recorded or detected as \
                      the `secrets-manager` control), or whose workloads cannot use IAM tokens (more than a few \
                      hundred new connections per second), are reasonably protected without it.",
    references: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
        "https://cwe.mitre.org/data/definitions/309.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.3"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(d)"),
    ],
};

impl Rule for RdsIamAuth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::rds_databases(ctx)
            .filter(|db| {
                let cluster = matches!(
                    db.attr_str("resource_type"),
                    Some("aws_rds_cluster" | "AWS::RDS::DBCluster")
                );
                match iac::text(db, pick(db, "engine", "Engine")) {
                    Some(engine) => ENGINES.iter().any(|e| engine.to_ascii_lowercase().starts_with(e)),
                    // A cluster without an engine is Aurora MySQL; an instance's engine must be known.
                    None => {
                        cluster && !iac::lookup(db, pick(db, "engine", "Engine")).is_some_and(iac::computed)
                    }
                }
            })
            .filter_map(|db| {
                iac::off(
                    db,
                    pick(
                        db,
                        "iam_database_authentication_enabled",
                        "EnableIAMDatabaseAuthentication",
                    ),
                )
            })
            .map(|off| off.hit(format!("{} accepts only password logins", off.resource.name)))
            .collect()
    }
}

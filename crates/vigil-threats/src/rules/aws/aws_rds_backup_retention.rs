//! `aws-rds-backup-retention-short`: an RDS database with automated backups off or kept less than a week.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RdsBackupRetention;

/// Days of automated backups below which a database is reported.
const MINIMUM_DAYS: i64 = 7;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-backup-retention-short",
    title: "Database keeps automated backups less than a week",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::DenialOfService, Stride::Tampering],
    cwe: &["CWE-693"],
    capec: &[],
    attack: &["T1485", "T1490"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_db_instance`, `aws_rds_cluster`, `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster` whose \
           `backup_retention_period` / `BackupRetentionPeriod` is below 7 days: 0 turns automated backups (and \
           point-in-time restore) off, and when it is not set the service keeps them 1 day. Read replicas and \
           the instances of an Aurora cluster follow their source or cluster and are skipped. Checkov: \
           CKV_AWS_133 reports only 0.",
    why: "Corruption, a bad migration or an intruder deleting rows is often noticed days later. With one day (or \
          no) automated backups, the last good state is already gone by then, and the only way back is a manual \
          snapshot, if anyone took one.",
    example: "resource \"aws_db_instance\" \"orders\" {\n  engine                  = \"postgres\"\n  backup_retention_period = 0\n}",
    remediation: "Keep automated backups at least 7 days (longer for data you must be able to restore).",
    fix: &[
        "Set `backup_retention_period = 7` or more (up to 35); CloudFormation: `BackupRetentionPeriod: 7`.",
        "For longer retention or a copy in another account or region, add an AWS Backup plan for the database.",
    ],
    verify: &[
        "`aws rds describe-db-instances` shows `BackupRetentionPeriod` of 7 or more; re-run `vigil assess`.",
    ],
    mitigated_by: &["aws-backup-plan"],
    false_positives: "Databases backed up by an AWS Backup plan or another tool (recorded as the `aws-backup-plan` \
                      control) and disposable databases (test, cache) do not need longer automated backups.",
    references: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: compliance::BACKUP,
};

impl Rule for RdsBackupRetention {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::rds_databases(ctx)
            .filter_map(|db| {
                let path = pick(db, "backup_retention_period", "BackupRetentionPeriod");
                let (days, title) = match iac::lookup(db, path) {
                    None => (1, "keeps automated backups for 1 day (the default)".to_owned()),
                    Some(value) if iac::computed(value) => return None,
                    Some(_) => match iac::number(db, path)? {
                        0 => (0, "has automated backups turned off".to_owned()),
                        days => (days, format!("keeps automated backups for only {days} days")),
                    },
                };
                (days < MINIMUM_DAYS).then(|| {
                    iac::setting_hit(
                        db,
                        path,
                        format!("{} {title}", db.name),
                        format!("{path} = {days}, below {MINIMUM_DAYS} days"),
                    )
                })
            })
            .collect()
    }
}

//! `aws-rds-storage-unencrypted`: an RDS instance or Aurora cluster without storage encryption.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RdsUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-storage-unencrypted",
    title: "Database storage is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1537"],
    likelihood: 3,
    impact: 7,
    what: "An `aws_db_instance` or `aws_rds_cluster` whose `storage_encrypted` is not `true` (it defaults to \
           false). Read replicas (`replicate_source_db`) inherit their source's setting and are skipped.",
    why: "Unencrypted storage exposes every row to anyone who obtains a snapshot, a backup or the underlying \
          volume: a snapshot shared by mistake, a compromised backup account, or decommissioned media. \
          Encryption at rest cannot be turned on later without a snapshot-and-restore migration.",
    example: "resource \"aws_db_instance\" \"orders\" {\n  engine            = \"postgres\"\n  storage_encrypted = false\n}",
    remediation: "Enable storage encryption with a customer-managed KMS key.",
    fix: &[
        "Set `storage_encrypted = true` and `kms_key_id` to a customer-managed key.",
        "For an existing database: snapshot it, copy the snapshot with encryption, restore from the copy, switch over.",
    ],
    verify: &["`aws rds describe-db-instances` shows `StorageEncrypted: true` and the expected `KmsKeyId`."],
    mitigated_by: &[],
    false_positives: "Storage encrypted by a different mechanism outside Terraform (an imported instance, a restore from an encrypted snapshot) is reported from the declared configuration; compare with the live resource.",
    references: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: &[
        (Objective::PciDss4, "3.5.1"),
        (Objective::Hipaa, "164.312(a)(2)(iv)"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for RdsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ["aws_db_instance", "aws_rds_cluster"]
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|db| {
                let cfg = config(db)?;
                if cfg.contains_key("replicate_source_db") || cfg.contains_key("snapshot_identifier") {
                    return None;
                }
                let encrypted = literal_bool(cfg, "storage_encrypted");
                if encrypted == Some(true)
                    || cfg
                        .get("storage_encrypted")
                        .is_some_and(|v| v.as_str().is_some_and(|s| s.contains("${")))
                {
                    return None;
                }
                let detail = match encrypted {
                    Some(false) => "storage_encrypted = false".to_owned(),
                    _ => "storage_encrypted is not set (the default is false)".to_owned(),
                };
                Some(Hit {
                    subject: db.id.0.clone(),
                    title: format!("{} stores its data unencrypted", db.name),
                    detail,
                    assets: vec![db.id.clone()],
                    evidence: vec![db.evidence_for("storage_encrypted")],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}

//! `aws-rds-deletion-protection-disabled`: an RDS database that one API call can delete.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RdsDeletionProtection;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-deletion-protection-disabled",
    title: "Database has no deletion protection",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::DenialOfService],
    cwe: &["CWE-693"],
    capec: &[],
    attack: &["T1485"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_db_instance`, `aws_rds_cluster`, `AWS::RDS::DBInstance` or `AWS::RDS::DBCluster` whose \
           `deletion_protection` / `DeletionProtection` is not `true` (the default is false). Read replicas are \
           skipped, and so are the instances of an Aurora cluster, whose protection is the cluster's. Checkov: \
           CKV_AWS_293 (instances), CKV_AWS_139 (clusters).",
    why: "Without deletion protection the database disappears on one `DeleteDBInstance` call: an intruder with \
          RDS permissions, a mistaken `terraform destroy`, a renamed resource that Terraform replaces, or a \
          deleted CloudFormation stack. Protection forces a deliberate change of the setting first.",
    example: "resource \"aws_db_instance\" \"orders\" {\n  engine = \"postgres\"\n}",
    remediation: "Turn on deletion protection for databases that hold data you keep.",
    fix: &[
        "Set `deletion_protection = true` (CloudFormation: `DeletionProtection: true`, and `DeletionPolicy: Snapshot` or `Retain` on the resource).",
        "In Terraform, also consider `lifecycle { prevent_destroy = true }` and `skip_final_snapshot = false`.",
    ],
    verify: &["`aws rds describe-db-instances` shows `DeletionProtection: true`; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Disposable databases (test environments, ephemeral previews) are meant to be deleted: accept \
                      the finding for them.",
    references: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[
        (Objective::Soc2, "A1.2"),
        (Objective::Hipaa, "164.308(a)(7)(i)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

impl Rule for RdsDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::rds_databases(ctx)
            .filter_map(|db| iac::off(db, pick(db, "deletion_protection", "DeletionProtection")))
            .map(|off| off.hit(format!("{} can be deleted in one call", off.resource.name)))
            .collect()
    }
}

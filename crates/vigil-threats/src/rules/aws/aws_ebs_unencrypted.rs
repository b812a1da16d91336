//! `aws-ebs-volume-unencrypted`: an EBS volume, or an instance's root or attached volume, without
//! encryption.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EbsUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-ebs-volume-unencrypted",
    title: "EBS volume is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1537"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_ebs_volume` whose `encrypted` is not `true`, or an `aws_instance` whose `root_block_device` or \
           `ebs_block_device` is not encrypted. Volumes created from a snapshot (`snapshot_id`) take the \
           snapshot's encryption and are skipped. Checkov: CKV_AWS_3, CKV_AWS_8.",
    why: "Snapshots of an unencrypted volume can be shared with, or copied to, another account, and the data on \
          them read without any key; encryption cannot be switched on for an existing volume without copying it.",
    example: "resource \"aws_ebs_volume\" \"data\" {\n  availability_zone = \"eu-west-1a\"\n  size              = 100\n}",
    remediation: "Set `encrypted = true` (and a customer-managed `kms_key_id` where key control matters).",
    fix: &[
        "Set `encrypted = true` on the volume or block device; for instances, in `root_block_device` and each `ebs_block_device`.",
        "Enable EBS encryption by default in the region (`aws_ebs_encryption_by_default`) so new volumes are covered.",
        "Migrate existing volumes: snapshot, copy the snapshot with encryption, create a volume from the copy, swap.",
    ],
    verify: &[
        "`aws ec2 describe-volumes --query 'Volumes[].Encrypted'` shows only `true`; re-run `vigil assess`.",
    ],
    mitigated_by: &["ebs-encryption-by-default"],
    false_positives: "With `aws_ebs_encryption_by_default` enabled in the account and region, new volumes are encrypted \
                      whatever the resource says; record that as accepted risk for these resources.",
    references: &[
        "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: &[
        (Objective::PciDss4, "3.5.1"),
        (Objective::Hipaa, "164.312(a)(2)(iv)"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for EbsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for volume in ctx.tf.of_type("aws_ebs_volume") {
            let Some(cfg) = config(volume) else { continue };
            if cfg.contains_key("snapshot_id")
                || literal_bool(cfg, "encrypted") == Some(true)
                || computed(cfg)
            {
                continue;
            }
            hits.push(hit(volume, "the volume", "encrypted"));
        }
        for instance in ctx.tf.of_type("aws_instance") {
            let Some(cfg) = config(instance) else { continue };
            for block in ["root_block_device", "ebs_block_device"] {
                let devices = blocks(cfg, block);
                let plain = devices.iter().any(|d| {
                    !d.contains_key("snapshot_id")
                        && literal_bool(d, "encrypted") != Some(true)
                        && !computed(d)
                });
                if plain {
                    hits.push(hit(instance, block, block));
                }
            }
        }
        hits
    }
}

fn computed(cfg: &serde_json::Map<String, serde_json::Value>) -> bool {
    cfg.get("encrypted")
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.contains("${"))
}

fn hit(resource: &vigil_core::Asset, what: &str, attribute: &str) -> Hit {
    Hit {
        subject: format!("{}#{attribute}", resource.id.0),
        title: format!("{}: {what} is not encrypted", resource.name),
        detail: "encrypted is not true (the default is false unless encryption by default is enabled)".into(),
        assets: vec![resource.id.clone()],
        evidence: vec![resource.evidence_for_first(&[attribute, &format!("{attribute}.0")])],
        exposes_to_internet: false,
        likelihood: None,
        impact: None,
    }
}

//! `aws-kms-key-rotation-disabled`: a symmetric customer-managed KMS key without automatic rotation.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct KmsKeyRotation;

static META: RuleMeta = RuleMeta {
    id: "aws-kms-key-rotation-disabled",
    title: "KMS key is never rotated",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-324"],
    capec: &[],
    attack: &["T1552.004"],
    likelihood: 2,
    impact: 4,
    what: "An `aws_kms_key` whose `enable_key_rotation` is not `true`, or an `AWS::KMS::Key` whose \
           `EnableKeyRotation` is not `true` (both default to false). Only symmetric encryption keys are \
           reported: asymmetric and HMAC keys (`customer_master_key_spec` / `KeySpec` other than \
           `SYMMETRIC_DEFAULT`) and keys with imported material (`Origin: EXTERNAL`) cannot be rotated \
           automatically. Checkov: CKV_AWS_7.",
    why: "Without rotation the same key material protects every piece of data the key ever encrypted, for as \
          long as the key lives: the more it has encrypted, the more any exposure of it costs, and key-management \
          standards cap a key's cryptoperiod. Automatic rotation is free of downtime: old material stays \
          available for decryption.",
    example: "resource \"aws_kms_key\" \"data\" {\n  description = \"data key\"\n}",
    remediation: "Enable automatic key rotation.",
    fix: &[
        "Set `enable_key_rotation = true` (CloudFormation: `EnableKeyRotation: true`); `rotation_period_in_days` / `RotationPeriodInDays` sets the period (default 365).",
    ],
    verify: &[
        "`aws kms get-key-rotation-status --key-id KEY` prints `KeyRotationEnabled: true`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Keys rotated by hand on a documented schedule (a new key and re-encryption) meet the same \
                      goal; accept the finding for them with the procedure as the reason.",
    references: &[
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        "https://cwe.mitre.org/data/definitions/324.html",
    ],
    compliance: &[
        (Objective::PciDss4, "3.7.4"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(a)(2)(iv)"),
    ],
};

impl Rule for KmsKeyRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::not_enabled(
            ctx,
            &[
                ("aws_kms_key", "enable_key_rotation"),
                ("AWS::KMS::Key", "EnableKeyRotation"),
            ],
        )
        .iter()
        .filter(|off| {
            let key = off.resource;
            let spec = iac::lookup(key, pick(key, "customer_master_key_spec", "KeySpec"));
            let symmetric = spec.is_none_or(|s| s.as_str() == Some("SYMMETRIC_DEFAULT"));
            symmetric && iac::text(key, "Origin") != Some("EXTERNAL")
        })
        .map(|off| {
            off.hit(format!(
                "{} keeps the same key material forever",
                off.resource.name
            ))
        })
        .collect()
    }
}

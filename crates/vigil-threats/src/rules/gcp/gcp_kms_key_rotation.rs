//! `gcp-kms-key-rotation`: a Cloud KMS encryption key that is not rotated at least every 90 days.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct KmsKeyRotation;

/// 90 days, in seconds.
const MAX_ROTATION_SECONDS: f64 = 90.0 * 24.0 * 3600.0;

static META: RuleMeta = RuleMeta {
    id: "gcp-kms-key-rotation",
    title: "Cloud KMS key is not rotated within 90 days",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-324"],
    capec: &[],
    attack: &[],
    likelihood: 2,
    impact: 5,
    what: "A symmetric `google_kms_crypto_key` (`purpose` `ENCRYPT_DECRYPT`, the default) with no `rotation_period` \
           (Cloud KMS then never rotates it) or one longer than 90 days (`7776000s`). Asymmetric and MAC keys, \
           which Cloud KMS cannot rotate automatically, are not reported. Checkov: CKV_GCP_43.",
    why: "A key version used for years encrypts an ever larger amount of data, so a leaked or broken version \
          exposes all of it, and there is no natural point where old versions are retired. Automatic rotation \
          bounds the data under each version and is what most compliance regimes expect of data-encryption keys.",
    example: "resource \"google_kms_crypto_key\" \"data\" {\n  name     = \"data\"\n  key_ring = google_kms_key_ring.main.id\n}",
    remediation: "Set `rotation_period = \"7776000s\"` (90 days) or shorter.",
    fix: &[
        "Add `rotation_period = \"7776000s\"` to the `google_kms_crypto_key` (Terraform sets the first rotation time for you).",
        "Re-encrypt long-lived data (or rely on services that re-wrap their data keys) if old key versions must eventually be destroyed.",
    ],
    verify: &[
        "`gcloud kms keys describe <key> --keyring <ring> --location <location> --format=\"value(rotationPeriod, nextRotationTime)\"` prints a period of at most `7776000s`.",
    ],
    mitigated_by: &[],
    false_positives: "Keys rotated by an external process (a scheduled job creating new versions, or an imported key \
                      managed elsewhere) satisfy the intent without `rotation_period`: record that process as a \
                      control. Keys protecting data re-encrypted less often than they rotate gain little.",
    references: &[
        "https://cloud.google.com/kms/docs/key-rotation",
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
        ctx.tf
            .of_type("google_kms_crypto_key")
            .filter_map(|key| {
                let cfg = config(key)?;
                let purpose = match cfg.get("purpose") {
                    None | Some(serde_json::Value::Null) => "ENCRYPT_DECRYPT",
                    Some(_) => literal_str(cfg, "purpose")?,
                };
                if purpose != "ENCRYPT_DECRYPT" {
                    return None;
                }
                let detail = match cfg.get("rotation_period") {
                    None | Some(serde_json::Value::Null) => {
                        "no rotation_period: the key is never rotated automatically".to_owned()
                    }
                    Some(_) => {
                        let period = literal_str(cfg, "rotation_period")?;
                        let seconds: f64 = period.strip_suffix('s')?.parse().ok()?;
                        if seconds <= MAX_ROTATION_SECONDS {
                            return None;
                        }
                        format!(
                            "rotation_period = \"{period}\" ({:.0} days, more than 90)",
                            seconds / 86_400.0
                        )
                    }
                };
                Some(Hit::new(
                    key.id.0.clone(),
                    format!("{} is not rotated within 90 days", key.name),
                    detail,
                    vec![key.id.clone()],
                    vec![key.evidence_for_first(&["rotation_period", "name"])],
                ))
            })
            .collect()
    }
}

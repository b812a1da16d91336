//! `gcp-storage-uniform-access-disabled`: a Cloud Storage bucket that still honours per-object ACLs.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageUniformAccess;

static META: RuleMeta = RuleMeta {
    id: "gcp-storage-uniform-access-disabled",
    title: "Cloud Storage bucket does not use uniform bucket-level access",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-732", "CWE-1188"],
    capec: &["CAPEC-1"],
    attack: &["T1530"],
    likelihood: 3,
    impact: 5,
    what: "A `google_storage_bucket` whose `uniform_bucket_level_access` is `false` or not set (the provider \
           default is `false`), so object ACLs stay in force next to IAM. Checkov: CKV_GCP_29.",
    why: "With fine-grained access, any object can carry its own ACL, set by whoever uploads or rewrites it \
          (`gsutil cp -a public-read`, a library default, an old script): one object can become public while the \
          bucket's IAM policy looks private, and reviewing access means reading every object's ACL. Uniform \
          access makes IAM the only source of truth.",
    example: "resource \"google_storage_bucket\" \"exports\" {\n  name     = \"shop-exports\"\n  location = \"EU\"\n}",
    remediation: "Set `uniform_bucket_level_access = true`.",
    fix: &[
        "List objects with ACLs that grant more than the bucket's IAM before switching (`gcloud storage objects list gs://<bucket> --format=\"json(name,acl)\"`) and move those grants to IAM.",
        "Set `uniform_bucket_level_access = true` on the bucket (it can be reverted only within 90 days).",
        "Enforce `constraints/storage.uniformBucketLevelAccess` as an organization policy.",
    ],
    verify: &[
        "`gcloud storage buckets describe gs://<bucket> --format=\"value(uniform_bucket_level_access)\"` prints `True`.",
    ],
    mitigated_by: &["gcp-org-policy-uniform-bucket-level-access"],
    false_positives: "Buckets that must grant access per object to different principals (some legacy sharing \
                      setups, cross-project log sinks on old configurations) need ACLs; accept the finding for \
                      them and audit their ACLs. Projects under the organization policy \
                      `storage.uniformBucketLevelAccess` get uniform access whatever the code says.",
    references: &[
        "https://cloud.google.com/storage/docs/uniform-bucket-level-access",
        "https://cwe.mitre.org/data/definitions/732.html",
    ],
    compliance: &[(Objective::PciDss4, "7.2.1"), (Objective::Soc2, "CC6.1")],
};

impl Rule for StorageUniformAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_storage_bucket")
            .filter_map(|bucket| {
                let cfg = config(bucket)?;
                let key = "uniform_bucket_level_access";
                let detail = match cfg.get(key) {
                    None => format!("{key} not set (the provider default is false)"),
                    Some(_) if literal_bool(cfg, key) == Some(false) => format!("{key} = false"),
                    Some(_) => return None,
                };
                Some(Hit::new(
                    bucket.id.0.clone(),
                    format!("{} honours per-object ACLs next to IAM", bucket.name),
                    detail,
                    vec![bucket.id.clone()],
                    vec![bucket.evidence_for_first(&[key, "name"])],
                ))
            })
            .collect()
    }
}

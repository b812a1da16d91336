//! `gcp-storage-bucket-public`: a Cloud Storage bucket granted to `allUsers` or `allAuthenticatedUsers`.

use vigil_core::{Asset, Evidence, FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool, literal_str, strings};

use super::common::{grants, is_public_member, target};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct StorageBucketPublic;

/// ACL resources and the argument naming their grantees (`READER:allUsers` entries, or one entity).
const ACLS: [(&str, &str); 4] = [
    ("google_storage_bucket_acl", "role_entity"),
    ("google_storage_default_object_acl", "role_entity"),
    ("google_storage_bucket_access_control", "entity"),
    ("google_storage_default_object_access_control", "entity"),
];

static META: RuleMeta = RuleMeta {
    id: "gcp-storage-bucket-public",
    title: "Cloud Storage bucket is public",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-284", "CWE-732"],
    capec: &["CAPEC-1"],
    attack: &["T1530", "T1619"],
    likelihood: 8,
    impact: 6,
    what: "A `google_storage_bucket_iam_member`, `_iam_binding` or `_iam_policy` (through its \
           `data.google_iam_policy`) granting any role to `allUsers` or `allAuthenticatedUsers`, or an ACL resource \
           (`google_storage_bucket_acl` with a `publicRead`/`publicReadWrite` predefined ACL or such a \
           `role_entity`, `google_storage_default_object_acl`, `google_storage_*_access_control`) naming those \
           entities, unless the bucket enforces public access prevention (or, for ACLs, uniform bucket-level \
           access). Checkov: CKV_GCP_28.",
    why: "`allUsers` is anyone on the Internet without signing in; `allAuthenticatedUsers` is anyone with any Google \
          account, which is the same thing. Bucket names are global and guessable, and public buckets are \
          harvested by scanners: every object the role covers can be downloaded (or, with write roles, replaced, \
          which turns the bucket into a malware host for whatever loads from it).",
    example: "resource \"google_storage_bucket_iam_member\" \"public\" {\n  bucket = google_storage_bucket.exports.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"allUsers\"\n}",
    remediation: "Remove the public grant and enforce public access prevention.",
    fix: &[
        "Delete the `allUsers` / `allAuthenticatedUsers` grant (IAM member, binding member or ACL entity).",
        "Set `public_access_prevention = \"enforced\"` and `uniform_bucket_level_access = true` on the `google_storage_bucket`.",
        "Give readers a group or service account, or hand out signed URLs for individual objects.",
        "Enforce `constraints/storage.publicAccessPrevention` (and `constraints/iam.allowedPolicyMemberDomains`) as organization policies.",
    ],
    verify: &[
        "`gcloud storage buckets get-iam-policy gs://<bucket>` lists neither `allUsers` nor `allAuthenticatedUsers`.",
        "`curl -I https://storage.googleapis.com/<bucket>/<object>` without credentials answers 401 or 403.",
    ],
    mitigated_by: &["gcp-org-policy-public-access-prevention"],
    false_positives: "A bucket that serves a public website or public downloads is public by design: accept the \
                      finding for it and keep nothing private in it. A bucket in a project where the organization \
                      policy `storage.publicAccessPrevention` is enforced cannot actually be made public; record \
                      that as a control.",
    references: &[
        "https://cloud.google.com/storage/docs/public-access-prevention",
        "https://cloud.google.com/storage/docs/access-control/making-data-public",
        "https://cwe.mitre.org/data/definitions/732.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.1"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for StorageBucketPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for grant in grants(&ctx.tf, "google_storage_bucket") {
            if !is_public_member(&grant.member) {
                continue;
            }
            let bucket = target(&ctx.tf, grant.holder, "google_storage_bucket", "bucket", "name");
            if bucket.is_some_and(prevents_public_access) {
                continue;
            }
            let what = format!("{} to {}", grant.role, grant.member);
            hits.push(public_hit(
                grant.holder,
                bucket,
                &what,
                &grant.member,
                grant.evidence,
            ));
        }
        for (resource_type, key) in ACLS {
            for acl in ctx.tf.of_type(resource_type) {
                let Some(cfg) = config(acl) else { continue };
                let bucket = target(&ctx.tf, acl, "google_storage_bucket", "bucket", "name");
                // Uniform bucket-level access disables ACLs; public access prevention blocks them too.
                if bucket.is_some_and(|b| prevents_public_access(b) || uniform_access(b)) {
                    continue;
                }
                let predefined = literal_str(cfg, "predefined_acl").filter(|p| p.starts_with("public"));
                if let Some(predefined) = predefined {
                    let what = format!("the predefined ACL {predefined}");
                    let evidence = acl.evidence_for("predefined_acl");
                    hits.push(public_hit(acl, bucket, &what, "allUsers", evidence));
                    continue;
                }
                for (index, entry) in strings(cfg, key).into_iter().enumerate() {
                    let entity = entry.rsplit(':').next().unwrap_or(entry);
                    if is_public_member(entity) {
                        let what = format!("{key} {entry}");
                        let evidence = acl.evidence_for_first(&[&format!("{key}.{index}"), key]);
                        hits.push(public_hit(acl, bucket, &what, entity, evidence));
                    }
                }
            }
        }
        hits
    }
}

fn public_hit(holder: &Asset, bucket: Option<&Asset>, what: &str, member: &str, evidence: Evidence) -> Hit {
    let name = bucket.map_or_else(|| "a bucket".to_owned(), |b| b.name.clone());
    let audience = if member == "allUsers" {
        "anyone on the Internet"
    } else {
        "anyone with a Google account"
    };
    let mut assets = vec![holder.id.clone()];
    assets.extend(bucket.map(|b| b.id.clone()));
    Hit::new(
        format!("{}:{what}", holder.id),
        format!("{name} is open to {audience} through {}", holder.name),
        format!("{} grants {what}", holder.name),
        assets,
        vec![evidence],
    )
    .exposing()
}

fn prevents_public_access(bucket: &Asset) -> bool {
    config(bucket).and_then(|c| literal_str(c, "public_access_prevention")) == Some("enforced")
}

fn uniform_access(bucket: &Asset) -> bool {
    config(bucket).and_then(|c| literal_bool(c, "uniform_bucket_level_access")) == Some(true)
}

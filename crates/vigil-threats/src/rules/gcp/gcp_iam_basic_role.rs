//! `gcp-iam-basic-role`: a project, folder or organization IAM grant of Owner, Editor or Viewer.

use vigil_core::{FindingKind, Objective, Stride};

use super::common::grants;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IamBasicRole;

/// IAM resource families that grant on a whole resource hierarchy node, and what the node is called.
const LEVELS: [(&str, &str); 3] = [
    ("google_project", "project"),
    ("google_folder", "folder"),
    ("google_organization", "organization"),
];

static META: RuleMeta = RuleMeta {
    id: "gcp-iam-basic-role",
    title: "IAM grants a basic role (Owner, Editor, Viewer)",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-269", "CWE-250"],
    capec: &["CAPEC-122"],
    attack: &["T1078.004", "T1098.003"],
    likelihood: 4,
    impact: 9,
    what: "A `google_project_iam_member`, `_iam_binding` or `_iam_policy` (and the `google_folder_*` and \
           `google_organization_*` equivalents) granting `roles/owner`, `roles/editor` or `roles/viewer` to any \
           principal. Checkov: CKV_GCP_117 (project), CKV_GCP_116 (folder), CKV_GCP_115 (organization).",
    why: "Basic roles predate IAM's fine-grained roles and span every service: Editor can change almost any \
          resource and read most data, Owner can additionally grant itself anything, Viewer reads the \
          configuration of everything. One phished user or leaked service account key with such a role is a \
          project-wide (or folder- or organization-wide) compromise, and the grant says nothing about what the \
          principal actually needs.",
    example: "resource \"google_project_iam_member\" \"dev\" {\n  project = \"shop-prod\"\n  role    = \"roles/editor\"\n  member  = \"user:dev@example.com\"\n}",
    remediation: "Replace the basic role with predefined or custom roles scoped to the job.",
    fix: &[
        "Find what the principal uses (IAM Recommender: `gcloud recommender recommendations list --recommender=google.iam.policy.Recommender --project <project> --location global`) and grant those predefined roles instead.",
        "Keep Owner for a break-glass group with MFA and alerting, not for individual users or service accounts.",
        "Grant to groups rather than users, and at the narrowest level (a bucket, a dataset) where possible.",
    ],
    verify: &[
        "`gcloud projects get-iam-policy <project> --flatten=bindings --filter=\"bindings.role:(roles/owner roles/editor roles/viewer)\" --format=\"table(bindings.role, bindings.members)\"` lists only the break-glass group.",
    ],
    mitigated_by: &[],
    false_positives: "A break-glass Owner group, protected by MFA and alerting, is a deliberate exception: accept the \
                      finding for that grant. `roles/viewer` is much less dangerous than the other two (its impact is \
                      lowered) but still exposes the configuration of every service.",
    references: &[
        "https://cloud.google.com/iam/docs/understanding-roles#basic",
        "https://cloud.google.com/iam/docs/using-iam-securely",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.2"),
        (Objective::Soc2, "CC6.3"),
        (Objective::Hipaa, "164.308(a)(4)(ii)(B)"),
    ],
};

impl Rule for IamBasicRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (base, level) in LEVELS {
            for grant in grants(&ctx.tf, base) {
                if !matches!(
                    grant.role.as_str(),
                    "roles/owner" | "roles/editor" | "roles/viewer"
                ) {
                    continue;
                }
                let mut hit = Hit::new(
                    format!("{}:{}:{}", grant.holder.id, grant.role, grant.member),
                    format!(
                        "{} grants {} on the {level} to {}",
                        grant.holder.name, grant.role, grant.member
                    ),
                    format!("basic role {} for {} at {level} level", grant.role, grant.member),
                    vec![grant.holder.id.clone()],
                    vec![grant.evidence],
                );
                if grant.role == "roles/viewer" {
                    hit.impact = Some((
                        5,
                        "roles/viewer reads configuration, it does not change it".to_owned(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

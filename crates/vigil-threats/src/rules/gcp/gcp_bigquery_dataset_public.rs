//! `gcp-bigquery-dataset-public`: a BigQuery dataset or table readable by anyone.

use vigil_core::{Asset, Evidence, FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str};

use super::common::{grants, is_public_member, target};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct BigQueryDatasetPublic;

static META: RuleMeta = RuleMeta {
    id: "gcp-bigquery-dataset-public",
    title: "BigQuery dataset or table is public",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-284", "CWE-732"],
    capec: &["CAPEC-1"],
    attack: &["T1530", "T1213"],
    likelihood: 6,
    impact: 8,
    what: "A BigQuery dataset shared with `allUsers` or `allAuthenticatedUsers`: an `access` block of a \
           `google_bigquery_dataset` or a `google_bigquery_dataset_access` with `special_group = \
           \"allAuthenticatedUsers\"` or `iam_member = \"allUsers\"`, or a `google_bigquery_dataset_iam_*` / \
           `google_bigquery_table_iam_*` resource granting a role to them. Checkov: CKV_GCP_15 (datasets), \
           CKV_GCP_100 (tables).",
    why: "Datasets hold the analytical copy of production data, often the least curated one (events, customer \
          tables, exports). Shared with `allAuthenticatedUsers`, every Google account holder can query it, and the \
          queries are billed to them, not to you, so nothing in your billing shows it happening.",
    example: "resource \"google_bigquery_dataset\" \"events\" {\n  dataset_id = \"events\"\n  access {\n    role          = \"READER\"\n    special_group = \"allAuthenticatedUsers\"\n  }\n}",
    remediation: "Remove the public access entry; share with groups or authorized views instead.",
    fix: &[
        "Delete the `access` entry, `google_bigquery_dataset_access` or IAM member that names `allUsers` / `allAuthenticatedUsers`.",
        "Share with a Google group, or publish a curated subset through an authorized view or Analytics Hub listing.",
        "Enforce `constraints/iam.allowedPolicyMemberDomains` so only your organization's identities can be granted access.",
    ],
    verify: &[
        "`bq show --format=prettyjson <project>:<dataset>` lists no `allUsers` or `allAuthenticatedUsers` in `access`.",
    ],
    mitigated_by: &["gcp-org-policy-domain-restricted-sharing"],
    false_positives: "Public open-data datasets (like those of the Google Cloud public datasets program) are meant to \
                      be queryable by anyone: accept the finding for them and keep nothing private in the project.",
    references: &[
        "https://cloud.google.com/bigquery/docs/control-access-to-resources-iam",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::Gdpr, "Art. 32(1)(b)"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::PciDss4, "7.2.1"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for BigQueryDatasetPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for dataset in ctx.tf.of_type("google_bigquery_dataset") {
            let Some(cfg) = config(dataset) else { continue };
            for (index, access) in blocks(cfg, "access").into_iter().enumerate() {
                if let Some((key, member)) = public_entry(access) {
                    let evidence = dataset
                        .evidence_for_first(&[&format!("access.{index}.{key}"), &format!("access.{index}")]);
                    let role = literal_str(access, "role").unwrap_or("a role");
                    hits.push(public_hit(dataset, None, role, member, evidence));
                }
            }
        }
        for access in ctx.tf.of_type("google_bigquery_dataset_access") {
            let Some(cfg) = config(access) else { continue };
            if let Some((key, member)) = public_entry(cfg) {
                let dataset = target(
                    &ctx.tf,
                    access,
                    "google_bigquery_dataset",
                    "dataset_id",
                    "dataset_id",
                );
                let role = literal_str(cfg, "role").unwrap_or("a role");
                hits.push(public_hit(
                    access,
                    dataset,
                    role,
                    member,
                    access.evidence_for(key),
                ));
            }
        }
        for (base, target_type, key) in [
            ("google_bigquery_dataset", "google_bigquery_dataset", "dataset_id"),
            ("google_bigquery_table", "google_bigquery_table", "table_id"),
        ] {
            for grant in grants(&ctx.tf, base)
                .into_iter()
                .filter(|g| is_public_member(&g.member))
            {
                let resource = target(&ctx.tf, grant.holder, target_type, key, key);
                hits.push(public_hit(
                    grant.holder,
                    resource,
                    &grant.role,
                    &grant.member,
                    grant.evidence,
                ));
            }
        }
        hits
    }
}

/// The argument and principal of a dataset access entry that opens it to everyone.
fn public_entry(access: &serde_json::Map<String, serde_json::Value>) -> Option<(&'static str, &str)> {
    ["special_group", "iam_member"].into_iter().find_map(|key| {
        literal_str(access, key)
            .filter(|m| is_public_member(m))
            .map(|m| (key, m))
    })
}

fn public_hit(holder: &Asset, resource: Option<&Asset>, role: &str, member: &str, evidence: Evidence) -> Hit {
    let name = resource.unwrap_or(holder).name.clone();
    let mut assets = vec![holder.id.clone()];
    assets.extend(resource.map(|r| r.id.clone()));
    Hit::new(
        format!("{}:{role}:{member}", holder.id),
        format!("{name} is shared with {member} ({role})"),
        format!("{} grants {role} to {member}", holder.name),
        assets,
        vec![evidence],
    )
    .exposing()
}

//! `sensitive-datastore-unencrypted`: a datastore holding sensitive data shows no encryption at rest,
//! where no platform rule already judges it.

use vigil_core::{AssetKind, Component, ComponentKind, FindingKind, Objective, Stride};
use vigil_model::controls::ENCRYPTION_AT_REST;

use super::support::{missing_controls, objectives_for};
use crate::graph::{class_names, component_hit, sensitive_data};
use crate::registry;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SensitiveDatastoreUnencrypted;

/// Terraform datastore types whose encryption at rest is off unless configured, and which the model's
/// `encryption-at-rest` control can see (`storage_encrypted`, `encrypted`, a KMS key), with the platform
/// rule that already reports them unencrypted. A type with such a rule is left to it (its verdict is the
/// precise one); the others, and any whose rule is missing from the registry, are judged here. Types
/// encrypted by the platform by default (S3, DynamoDB, SQS, Azure, Google Cloud) are never reported.
const OPT_IN: &[(&str, Option<&str>)] = &[
    ("aws_db_instance", Some("aws-rds-storage-unencrypted")),
    ("aws_rds_cluster", Some("aws-rds-storage-unencrypted")),
    ("aws_ebs_volume", Some("aws-ebs-volume-unencrypted")),
    ("aws_efs_file_system", Some("aws-efs-unencrypted")),
    ("aws_sns_topic", Some("aws-sns-topic-unencrypted")),
    ("aws_docdb_cluster", None),
    ("aws_neptune_cluster", None),
];

/// Datastore categories that are managed services encrypting at rest by default.
const MANAGED: &[&str] = &["vector-database", "object-storage"];

static META: RuleMeta = RuleMeta {
    id: "sensitive-datastore-unencrypted",
    title: "Sensitive datastore without encryption at rest",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311", "CWE-312"],
    capec: &["CAPEC-675"],
    attack: &["T1530"],
    likelihood: 3,
    impact: 6,
    what: "A datastore component holding PII, PCI, PHI or secrets without the `encryption-at-rest` control, \
           where the model can judge it: a Terraform DocumentDB or Neptune cluster without `storage_encrypted` \
           or a KMS key (RDS, EBS, EFS and SNS are left to their own rules, platform-encrypted types are \
           skipped), a database the code connects to, or one added in vigil-model.yaml. For the last two the \
           code cannot show how the server stores data, so the finding asks to verify and record it.",
    why: "Unencrypted storage leaks through everything that copies it: snapshots and backups shared or left \
          public, decommissioned disks, a stolen host volume, a misconfigured replica. Encryption at rest \
          with a managed key limits the damage to whoever can use the key, and key access is logged.",
    example: "resource \"aws_docdb_cluster\" \"patients\" {\n  cluster_identifier = \"patients\"\n  \
              # storage_encrypted defaults to false\n}",
    remediation: "Enable encryption at rest with a managed key, and record it for datastores vigil cannot inspect.",
    fix: &[
        "For DocumentDB and Neptune: set `storage_encrypted = true` and `kms_key_id`; an existing cluster must be restored from a snapshot into an encrypted one.",
        "For self-managed databases: encrypt the volume (LUKS, an encrypted cloud disk) or use the engine's transparent data encryption; encrypt backups too.",
        "Encrypt the most sensitive fields (card numbers, health data) at the application level as well, with keys in a KMS.",
        "Record `encryption-at-rest` on the datastore in vigil-model.yaml once verified, with how it is done.",
    ],
    verify: &[
        "The datastore's storage and backups report encryption enabled (`aws docdb describe-db-clusters` shows `StorageEncrypted: true`; the disk or TDE status for self-managed ones).",
        "Re-run `vigil assess`: the finding is gone or mitigated by `encryption-at-rest`.",
    ],
    mitigated_by: &[ENCRYPTION_AT_REST],
    false_positives: "A database the code connects to is usually a managed service encrypted by its \
                      platform (RDS with encryption on, Cloud SQL, Atlas): the code cannot show it, so the \
                      finding stays until `encryption-at-rest` is recorded on the datastore in \
                      vigil-model.yaml.",
    references: &[
        "https://cwe.mitre.org/data/definitions/311.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html",
        "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
    ],
    compliance: &[
        (Objective::PciDss4, "3.5.1"),
        (Objective::Hipaa, "164.312(a)(2)(iv)"),
        (Objective::Gdpr, "Art. 32(1)(a)"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V6.1.1"),
    ],
};

/// How the model knows the datastore, and whether this rule judges it.
enum Origin {
    /// A Terraform resource of an opt-in type no platform rule covers.
    Infrastructure(String),
    /// A database the code connects to, or one the threat model file adds.
    Unverifiable(&'static str),
}

fn origin(ctx: &Context<'_>, component: &Component) -> Option<Origin> {
    let Some(asset) = component.assets.first().and_then(|id| ctx.inventory.get(id)) else {
        return (!component.assumed).then_some(Origin::Unverifiable("declared in the threat model"));
    };
    match asset.kind {
        AssetKind::CloudResource => {
            let kind = asset.attr_str("resource_type")?;
            let (_, rule) = OPT_IN.iter().find(|(t, _)| *t == kind)?;
            match rule {
                Some(id) if registry::find(id).is_some() => None,
                _ => Some(Origin::Infrastructure(kind.to_owned())),
            }
        }
        AssetKind::Datastore => {
            let managed = asset.attr_str("category").is_some_and(|c| MANAGED.contains(&c));
            (!managed).then_some(Origin::Unverifiable("found in the code"))
        }
        _ => None,
    }
}

impl Rule for SensitiveDatastoreUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for component in ctx
            .model
            .components
            .iter()
            .filter(|c| c.kind == ComponentKind::Datastore && c.out_of_scope.is_none())
        {
            let data = sensitive_data(component);
            if data.is_empty() {
                continue;
            }
            let Some(origin) = origin(ctx, component) else {
                continue;
            };
            let regulated = objectives_for(ctx.scope, &data);
            let how = match &origin {
                Origin::Infrastructure(kind) => {
                    format!("its {kind} declares neither `storage_encrypted` nor a KMS key")
                }
                Origin::Unverifiable(source) => {
                    format!("it is {source}, which cannot show how the server stores data")
                }
            };
            let detail = format!(
                "{} holds {} data{}; {how}{}",
                component.name,
                class_names(&data),
                if regulated.is_empty() {
                    String::new()
                } else {
                    format!(" (in scope of {})", regulated.join(", "))
                },
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "encryption-at-rest",
                format!(
                    "{}: {} data with no encryption at rest shown",
                    component.name,
                    class_names(&data)
                ),
                detail,
                component.evidence.iter().take(1).cloned().collect(),
            );
            if matches!(origin, Origin::Infrastructure(_)) {
                hit.likelihood = Some((4, "the declared configuration leaves storage unencrypted".into()));
            }
            hits.push(hit);
        }
        hits
    }
}

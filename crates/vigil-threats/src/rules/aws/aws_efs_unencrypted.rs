//! `aws-efs-unencrypted`: an EFS file system without encryption at rest.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EfsUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-efs-unencrypted",
    title: "EFS file system is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-311"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 2,
    impact: 6,
    what: "An `aws_efs_file_system` whose `encrypted`, or an `AWS::EFS::FileSystem` whose `Encrypted`, is not \
           `true`: through the API, Terraform and CloudFormation the default is unencrypted (only the console \
           turns it on). Checkov: CKV_AWS_42.",
    why: "Shared file systems collect uploads, exports, application state and credentials files of every \
          instance that mounts them. Encryption at rest cannot be added to an existing file system: the data has \
          to be copied to a new one.",
    example: "resource \"aws_efs_file_system\" \"shared\" {\n  creation_token = \"shared\"\n}",
    remediation: "Create the file system encrypted (with a customer-managed key where key control matters).",
    fix: &[
        "Set `encrypted = true` and optionally `kms_key_id` (CloudFormation: `Encrypted: true`, `KmsKeyId`).",
        "For an existing file system: create an encrypted one, copy the data (AWS DataSync), switch the mounts.",
        "Mount with TLS (`-o tls` with amazon-efs-utils) for encryption in transit.",
    ],
    verify: &["`aws efs describe-file-systems` shows `Encrypted: true`; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "A file system created outside this code, or an account-level policy that denies \
                      `elasticfilesystem:CreateFileSystem` without encryption, is not seen: the finding reports the \
                      declared configuration; compare with the live file system.",
    references: &[
        "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST,
};

impl Rule for EfsUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::not_enabled(
            ctx,
            &[
                ("aws_efs_file_system", "encrypted"),
                ("AWS::EFS::FileSystem", "Encrypted"),
            ],
        )
        .iter()
        .map(|off| off.hit(format!("{} stores files unencrypted", off.resource.name)))
        .collect()
    }
}

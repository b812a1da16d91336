//! `aws-elasticache-unencrypted`: an ElastiCache (Redis OSS / Valkey) replication group without encryption
//! at rest or in transit.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, Flag, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ElastiCacheUnencrypted;

static META: RuleMeta = RuleMeta {
    id: "aws-elasticache-unencrypted",
    title: "ElastiCache replication group is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-311", "CWE-319"],
    capec: &["CAPEC-157"],
    attack: &["T1040", "T1530"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_elasticache_replication_group` or `AWS::ElastiCache::ReplicationGroup` whose \
           `at_rest_encryption_enabled` / `AtRestEncryptionEnabled` or `transit_encryption_enabled` / \
           `TransitEncryptionEnabled` is not `true`; one finding per missing setting. Both default to false \
           for Redis OSS; at-rest encryption is on by default for the `valkey` engine. Checkov: CKV_AWS_29 \
           (at rest), CKV_AWS_30 (in transit).",
    why: "Caches hold what was worth caching: sessions, tokens, personal data, rendered pages. Without in-transit \
          encryption anyone who can capture VPC traffic (a compromised host, a mirrored interface) reads and can \
          alter it, and Redis AUTH tokens cross the wire in clear; without at-rest encryption backups and \
          snapshots carry the data unprotected.",
    example: "resource \"aws_elasticache_replication_group\" \"sessions\" {\n  replication_group_id = \"sessions\"\n  description          = \"sessions\"\n  node_type            = \"cache.t4g.small\"\n}",
    remediation: "Enable encryption at rest and in transit (and Redis AUTH or RBAC).",
    fix: &[
        "Set `at_rest_encryption_enabled = true` (with `kms_key_id` for a customer-managed key) and `transit_encryption_enabled = true`; CloudFormation: `AtRestEncryptionEnabled: true`, `TransitEncryptionEnabled: true`.",
        "At-rest encryption needs a new replication group: create one, migrate with a backup or online migration, switch the endpoint.",
        "Enable TLS in the clients (`rediss://`) and require AUTH or user groups.",
    ],
    verify: &[
        "`aws elasticache describe-replication-groups` shows `AtRestEncryptionEnabled: true` and `TransitEncryptionEnabled: true`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A cache of public, non-sensitive data (rendered public pages) gains little from encryption; \
                      accept the finding for it with the reason.",
    references: &[
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST_AND_IN_TRANSIT,
};

impl Rule for ElastiCacheUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for group in iac::resources(
            ctx,
            &[
                "aws_elasticache_replication_group",
                "AWS::ElastiCache::ReplicationGroup",
            ],
        ) {
            let valkey = iac::text(group, pick(group, "engine", "Engine"))
                .is_some_and(|e| e.eq_ignore_ascii_case("valkey"));
            let settings = [
                (
                    pick(group, "at_rest_encryption_enabled", "AtRestEncryptionEnabled"),
                    "at rest",
                ),
                (
                    pick(group, "transit_encryption_enabled", "TransitEncryptionEnabled"),
                    "in transit",
                ),
            ];
            for (path, what) in settings {
                let Some(off) = iac::off(group, path) else {
                    continue;
                };
                if valkey && what == "at rest" && off.flag == Flag::Unset {
                    continue;
                }
                hits.push(off.setting_hit(format!("{} does not encrypt its data {what}", group.name)));
            }
        }
        hits
    }
}

//! `aws-opensearch-encryption-disabled`: an OpenSearch (or Elasticsearch) domain without encryption at rest,
//! node-to-node encryption or enforced HTTPS.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, Flag, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct OpenSearchEncryption;

/// (what is wrong, Terraform path, CloudFormation path, whether a missing setting is reported).
const SETTINGS: [(&str, &str, &str, bool); 3] = [
    (
        "stores its data unencrypted",
        "encrypt_at_rest.0.enabled",
        "EncryptionAtRestOptions.Enabled",
        true,
    ),
    (
        "sends data between its nodes unencrypted",
        "node_to_node_encryption.0.enabled",
        "NodeToNodeEncryptionOptions.Enabled",
        true,
    ),
    // Left out, the provider and the service pick the value: only an explicit false is certain.
    (
        "accepts clients over plain HTTP",
        "domain_endpoint_options.0.enforce_https",
        "DomainEndpointOptions.EnforceHTTPS",
        false,
    ),
];

static META: RuleMeta = RuleMeta {
    id: "aws-opensearch-encryption-disabled",
    title: "OpenSearch domain is not encrypted",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-311", "CWE-319"],
    capec: &["CAPEC-157"],
    attack: &["T1530", "T1040"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_opensearch_domain` / `aws_elasticsearch_domain` or `AWS::OpenSearchService::Domain` / \
           `AWS::Elasticsearch::Domain` without encryption at rest (`encrypt_at_rest` / \
           `EncryptionAtRestOptions`) or node-to-node encryption (`node_to_node_encryption` / \
           `NodeToNodeEncryptionOptions`), both off unless enabled, or with HTTPS explicitly not enforced \
           (`enforce_https = false` / `EnforceHTTPS: false`); one finding per setting. Checkov: CKV_AWS_5, \
           CKV_AWS_6, CKV_AWS_83.",
    why: "Search clusters index the application's data, often with personal data and logs full of tokens. \
          Without encryption at rest its disks and snapshots are readable to whoever gets them; without \
          node-to-node encryption or HTTPS the documents and the credentials of every query cross the network \
          in clear.",
    example: "resource \"aws_opensearch_domain\" \"search\" {\n  domain_name = \"search\"\n}",
    remediation: "Enable encryption at rest, node-to-node encryption and enforced HTTPS (TLS 1.2+).",
    fix: &[
        "Add `encrypt_at_rest { enabled = true }`, `node_to_node_encryption { enabled = true }` and `domain_endpoint_options { enforce_https = true  tls_security_policy = \"Policy-Min-TLS-1-2-2019-07\" }`.",
        "CloudFormation: `EncryptionAtRestOptions: {Enabled: true}`, `NodeToNodeEncryptionOptions: {Enabled: true}`, `DomainEndpointOptions: {EnforceHTTPS: true}`.",
        "Enabling encryption at rest on an existing domain needs OpenSearch 1.x+ / Elasticsearch 6.7+; older domains must be migrated.",
    ],
    verify: &[
        "`aws opensearch describe-domain --domain-name NAME` shows the three options enabled; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Domains holding only public or synthetic data gain little; accept the finding for them with \
                      the reason.",
    references: &[
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
        "https://cwe.mitre.org/data/definitions/311.html",
    ],
    compliance: compliance::AT_REST_AND_IN_TRANSIT,
};

impl Rule for OpenSearchEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for domain in iac::resources(
            ctx,
            &[
                "aws_opensearch_domain",
                "aws_elasticsearch_domain",
                "AWS::OpenSearchService::Domain",
                "AWS::Elasticsearch::Domain",
            ],
        ) {
            for (what, terraform, cloudformation, unset_reported) in SETTINGS {
                let path = if is_cloudformation(domain) {
                    cloudformation
                } else {
                    terraform
                };
                let Some(off) = iac::off(domain, path) else {
                    continue;
                };
                if off.flag == Flag::Unset && !unset_reported {
                    continue;
                }
                hits.push(off.setting_hit(format!("{} {what}", domain.name)));
            }
        }
        hits
    }
}

//! `terraform-provider-credentials`: cloud credentials written into a Terraform provider block.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use crate::rule::{Context, Hit, Rule, RuleMeta};
use crate::secrets::{is_literal_secret, redact};

#[derive(Debug)]
pub struct ProviderCredentials;

/// Provider attributes that hold credentials.
const CREDENTIAL_ATTRIBUTES: [&str; 6] = [
    "access_key",
    "secret_key",
    "token",
    "client_secret",
    "password",
    "credentials",
];

static META: RuleMeta = RuleMeta {
    id: "terraform-provider-credentials",
    title: "Cloud credentials hard-coded in a Terraform provider",
    kind: FindingKind::Secret,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-798"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 7,
    impact: 9,
    what: "A `provider` block (AWS, Azure, Google...) with a literal `access_key`, `secret_key`, `token`, \
           `client_secret`, `password` or `credentials`.",
    why: "Provider credentials are usually powerful enough to create, change and destroy the whole environment. \
          In code they leak through every clone, fork, CI log and backup of the repository.",
    example: "provider \"aws\" {\n  access_key = \"AKIA...\"\n  secret_key = \"...\"\n}",
    remediation: "Remove the credentials from code, revoke them, and use the provider's default credential chain.",
    fix: &[
        "Deactivate and delete the key at the cloud provider now.",
        "Remove the attributes; let the provider read credentials from the environment, a profile, or an assumed role.",
        "In CI, use OIDC federation (e.g. `aws-actions/configure-aws-credentials` with `role-to-assume`).",
    ],
    verify: &[
        "The old key shows as inactive/deleted; `terraform plan` still works with the new credential source.",
    ],
    mitigated_by: &[],
    false_positives: "Values taken from variables or the environment are not reported; a literal that is a placeholder for a local emulator (LocalStack) is harmless but still better kept out of code.",
    references: &[
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
    ],
};

impl Rule for ProviderCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for provider in ctx
            .tf
            .resources()
            .iter()
            .filter(|r| r.attr_str("mode") == Some("provider"))
        {
            let Some(cfg) = config(provider) else { continue };
            for attribute in CREDENTIAL_ATTRIBUTES {
                let Some(text) = cfg.get(attribute).and_then(|v| v.as_str()) else {
                    continue;
                };
                if !is_literal_secret(text) {
                    continue;
                }
                hits.push(Hit {
                    subject: format!("{}:{attribute}", provider.id),
                    title: format!("{} has a hard-coded {attribute}", provider.name),
                    detail: format!("{attribute} = {}", redact(text)),
                    assets: vec![provider.id.clone()],
                    evidence: vec![
                        provider
                            .evidence_for(attribute)
                            .with_note(format!("{attribute} = {}", redact(text))),
                    ],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                });
            }
        }
        hits
    }
}

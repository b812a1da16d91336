//! `aws-lambda-plaintext-secret`: a secret written as a literal into a Lambda function's environment.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config};

use crate::rule::{Context, Hit, Rule, RuleMeta};
use crate::secrets::{is_aws_access_key_id, is_literal_secret, is_secret_name, redact};

#[derive(Debug)]
pub struct LambdaPlaintextSecret;

static META: RuleMeta = RuleMeta {
    id: "aws-lambda-plaintext-secret",
    title: "Secret in plain text in a Lambda environment",
    kind: FindingKind::Secret,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-798", "CWE-312"],
    capec: &["CAPEC-37"],
    attack: &["T1552"],
    likelihood: 6,
    impact: 8,
    what: "A literal value in `environment { variables = {...} }` of an `aws_lambda_function` whose name says it \
           is a secret (`*_PASSWORD`, `*_TOKEN`, `*_API_KEY`, `*SECRET*`...) or whose value is an AWS access key id. \
           Values computed from variables or other resources are not reported.",
    why: "The value sits in the repository's history forever, in the Terraform state, and in the function \
          configuration readable by anyone with `lambda:GetFunctionConfiguration`. Leaked credentials are the most \
          common initial access in cloud breaches.",
    example: "environment {\n  variables = { STRIPE_API_KEY = \"sk_live_...\" }\n}",
    remediation: "Move the secret to Secrets Manager or SSM Parameter Store, rotate it, and read it at runtime.",
    fix: &[
        "Rotate the secret now: it is in the git history and must be considered leaked.",
        "Store it in AWS Secrets Manager (or SSM SecureString) and pass only its ARN in the environment.",
        "Grant the function's role `secretsmanager:GetSecretValue` on that secret alone and read it at start-up.",
        "Remove the literal from the code; purge it from history if the repository is shared widely.",
    ],
    verify: &[
        "`aws lambda get-function-configuration` shows no secret values in `Environment.Variables`.",
        "The old credential is revoked at its issuer.",
    ],
    mitigated_by: &[],
    false_positives: "A variable named like a secret may hold a non-secret (a key id, a public endpoint) or a reference to a secret manager entry; check the value before rotating.",
    references: &[
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.3.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::OwaspAsvs, "V2.10.4"),
    ],
};

impl Rule for LambdaPlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for function in ctx.tf.of_type("aws_lambda_function") {
            let Some(cfg) = config(function) else { continue };
            for (index, environment) in blocks(cfg, "environment").into_iter().enumerate() {
                let Some(variables) = environment.get("variables").and_then(Value::as_object) else {
                    continue;
                };
                for (name, value) in variables {
                    let Some(text) = value.as_str() else { continue };
                    let secret =
                        (is_secret_name(name) && is_literal_secret(text)) || is_aws_access_key_id(text);
                    if !secret {
                        continue;
                    }
                    let attribute = format!("environment.{index}.variables");
                    hits.push(Hit {
                        subject: format!("{}:{name}", function.id),
                        title: format!("{} has the secret {name} in plain text", function.name),
                        detail: format!("{name} = {}", redact(text)),
                        assets: vec![function.id.clone()],
                        evidence: vec![
                            function
                                .evidence_for_first(&[&format!("{attribute}.{name}"), &attribute])
                                .with_note(format!("{name} = {}", redact(text))),
                        ],
                        exposes_to_internet: false,
                        likelihood: None,
                        impact: None,
                    });
                }
            }
        }
        hits
    }
}

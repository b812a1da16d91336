//! `k8s-plaintext-secret-env`: a secret written as a literal value into a container's environment.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};
use crate::secrets::{is_aws_access_key_id, is_literal_secret, redact};

#[derive(Debug)]
pub struct PlaintextSecretEnv;

static META: RuleMeta = RuleMeta {
    id: "k8s-plaintext-secret-env",
    title: "Secret in plain text in a Kubernetes container's environment",
    kind: FindingKind::Secret,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-798", "CWE-312"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 6,
    impact: 7,
    what: "An `env` entry of a container or init container with a literal `value` whose name says it is a \
           secret (`*_PASSWORD`, `*_TOKEN`, `*_API_KEY`, `*SECRET*`..., but not `*_FILE`, `*_URL`, \
           `*_NAME`...) or whose value is an AWS access key id. `valueFrom` references, `$(VAR)` expansions, \
           template expressions and placeholders (`changeme`, values under 6 characters) are not reported. \
           No exact Checkov equivalent (CKV_K8S_35 is about Secrets passed as variables, not literals).",
    why: "The value sits in the repository and its history, in every rendered manifest and CI log, in etcd \
          unencrypted as part of the pod spec, and is readable by anyone who can `get` the Deployment (a far \
          wider audience than who can read Secrets). Leaked credentials are the most common initial access.",
    example: "env:\n  - name: DB_PASSWORD\n    value: s3cr3t-prod-pw",
    remediation: "Move the value to a Secret (or an external secret manager) and reference it with `valueFrom.secretKeyRef`.",
    fix: &[
        "Rotate the credential now: it is in the git history and must be considered leaked.",
        "Create a Secret (through External Secrets, Sealed Secrets or SOPS so the repository never holds the value) and reference it with `valueFrom.secretKeyRef`, or mount it as a file.",
        "Remove the literal from the manifest; purge it from history if the repository is widely shared.",
    ],
    verify: &[
        "`kubectl get deploy NAME -o yaml` shows `valueFrom.secretKeyRef` for the variable, and the old credential is revoked at its issuer; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A variable named like a secret may hold a non-secret (a key id, a public key, a \
                      reference to a vault path) and a local or test manifest may use a throwaway value: \
                      check the value before rotating, and accept test fixtures with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

impl Rule for PlaintextSecretEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for container in workload.containers() {
                let env = container.value.get("env").and_then(Value::as_array);
                for (index, variable) in env.into_iter().flatten().enumerate() {
                    let (Some(name), Some(value)) = (
                        variable.get("name").and_then(Value::as_str),
                        variable.get("value").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    if k8s::computed_str(value) {
                        continue;
                    }
                    let secret = (shared::secret_variable(name) && is_literal_secret(value))
                        || is_aws_access_key_id(value);
                    if !secret {
                        continue;
                    }
                    let shown = redact(value);
                    let at = container.field(&format!("env.{index}"));
                    hits.push(Hit::new(
                        format!("{}:{name}", workload.subject(&container)),
                        format!(
                            "{}: {} has the secret {name} in plain text",
                            workload.name(),
                            container.describe()
                        ),
                        format!("env {name} = {shown}"),
                        vec![workload.asset.id.clone()],
                        vec![
                            workload
                                .evidence(&[format!("{at}.value"), at])
                                .with_note(format!("{name} = {shown}")),
                        ],
                    ));
                }
            }
        }
        hits
    }
}

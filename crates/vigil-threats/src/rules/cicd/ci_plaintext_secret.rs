//! `ci-plaintext-secret`: a pipeline file gives a secret-named variable a literal value, so the secret is
//! in the repository instead of the CI platform's secret store.

use std::collections::BTreeMap;

use serde_json::Value;
use vigil_core::{Asset, Evidence, FindingKind, Objective, Stride};

use super::support::{images, parse_image, pipelines};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PlaintextSecret;

/// Variables that set the password of a database or broker container started for the job's tests, with
/// the images they configure: the credential dies with the job and protects nothing else.
const SERVICE_PASSWORDS: [(&str, &[&str]); 13] = [
    ("POSTGRES_PASSWORD", &["postgres", "postgis", "timescaledb"]),
    ("POSTGRESQL_PASSWORD", &["postgresql", "postgres"]),
    (
        "PGPASSWORD",
        &["postgres", "postgis", "timescaledb", "postgresql"],
    ),
    ("MYSQL_PASSWORD", &["mysql", "mariadb", "percona"]),
    ("MYSQL_ROOT_PASSWORD", &["mysql", "mariadb", "percona"]),
    ("MARIADB_PASSWORD", &["mariadb"]),
    ("MARIADB_ROOT_PASSWORD", &["mariadb"]),
    ("MONGO_INITDB_ROOT_PASSWORD", &["mongo"]),
    ("REDIS_PASSWORD", &["redis"]),
    ("MSSQL_SA_PASSWORD", &["mssql", "mssql-server", "azure-sql-edge"]),
    ("SA_PASSWORD", &["mssql", "mssql-server", "azure-sql-edge"]),
    ("ELASTIC_PASSWORD", &["elasticsearch"]),
    ("MINIO_ROOT_PASSWORD", &["minio"]),
];

static META: RuleMeta = RuleMeta {
    id: "ci-plaintext-secret",
    title: "Secret written in plain text in a pipeline file",
    kind: FindingKind::Secret,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-798", "CWE-256"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 6,
    impact: 7,
    what: "A variable with a secret's name (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`...) given a literal \
           value in a GitLab CI, CircleCI, Jenkins, Azure Pipelines or Bitbucket Pipelines file (variables, \
           `environment`, `withEnv`, task inputs, pipe variables). References to the platform's variables or \
           secret store (`$X`, `$(x)`, `credentials('id')`, `<< x >>`), placeholders and values under six \
           characters are not reported, nor is the password of a database or broker container the same \
           pipeline starts for its tests (`POSTGRES_PASSWORD` next to a `postgres` service). GitHub Actions \
           workflows are covered by `secret-in-code`. The value is never shown. No Checkov equivalent (its \
           secret scanning matches known key formats, not variable names).",
    why: "A value in the pipeline file is readable by everyone who can read the repository, its forks and \
          clones, and stays in the git history after it is removed. It also bypasses what the platform's secret \
          store gives: masking in job logs, protection to protected branches, and rotation without a commit.",
    example: "variables:\n  DEPLOY_TOKEN: \"f3c9a1d2e4b5...\"",
    remediation: "Move the value to the platform's secret store, then revoke and rotate it.",
    fix: &[
        "Revoke the credential at its issuer and create a new one: the old value is in the git history.",
        "Store the new value as a masked, protected CI/CD variable (GitLab), a context or project variable (CircleCI), a Jenkins credential (`credentials('id')`), a secret variable or variable group (Azure), a secured repository or deployment variable (Bitbucket).",
        "Reference it by name in the pipeline file and remove the literal.",
    ],
    verify: &[
        "The variable no longer has a literal value in the pipeline file; the old credential is rejected by its issuer.",
    ],
    mitigated_by: &[],
    false_positives: "Test-only values (a password for a container other than the database services the rule recognises, a dummy token for a mock server) are flagged; rename them so the name does not say secret, or keep them as masked variables anyway.",
    references: &[
        "https://docs.gitlab.com/ci/variables/#cicd-variable-security",
        "https://learn.microsoft.com/en-us/azure/devops/pipelines/process/set-secret-variables",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
    ],
};

impl Rule for PlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx) {
            let mut found: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
            for entry in pipeline
                .attributes
                .get("plaintext_secrets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(name), Some(line)) = (
                    entry.get("name").and_then(Value::as_str),
                    entry
                        .get("line")
                        .and_then(Value::as_u64)
                        .and_then(|l| u32::try_from(l).ok()),
                ) else {
                    continue;
                };
                if throwaway_service_password(pipeline, name) {
                    continue;
                }
                found.entry(name).or_default().push(line);
            }
            for (name, lines) in found {
                hits.push(Hit::new(
                    format!("{}:{name}", pipeline.id),
                    format!("{}: {name} has a literal secret value", pipeline.name),
                    format!(
                        "{name} is set to a literal in the pipeline file ({} place(s)); the value is not shown",
                        lines.len()
                    ),
                    vec![pipeline.id.clone()],
                    lines
                        .into_iter()
                        .map(|line| {
                            Evidence::at(pipeline.path(), Some(line)).with_note(format!("{name}: [redacted]"))
                        })
                        .collect(),
                ));
            }
        }
        hits
    }
}

/// A variable that only sets the password of a service container the same pipeline starts.
fn throwaway_service_password(pipeline: &Asset, name: &str) -> bool {
    let Some((_, products)) = SERVICE_PASSWORDS.iter().find(|(n, _)| *n == name) else {
        return false;
    };
    images(pipeline).iter().any(|(_, image, _, _)| {
        parse_image(image).is_some_and(|parsed| {
            let last = parsed.repository.rsplit('/').next().unwrap_or(parsed.repository);
            products.contains(&last)
        })
    })
}

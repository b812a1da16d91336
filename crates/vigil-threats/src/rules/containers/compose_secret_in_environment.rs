//! `compose-secret-in-environment`: a secret written as a literal value in a Compose service's environment.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeSecretInEnvironment;

/// File name parts of Compose files meant for a developer machine or a test run.
const LOCAL_FILES: [&str; 6] = [".dev.", ".local.", ".test.", ".ci.", ".override.", ".e2e."];

static META: RuleMeta = RuleMeta {
    id: "compose-secret-in-environment",
    title: "Secret in plain text in a Compose service's environment",
    kind: FindingKind::Secret,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-798", "CWE-312"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 5,
    impact: 7,
    what: "An `environment` entry of a Docker Compose service whose name says it is a secret (password, \
           secret, token, key, credential...) and whose value is written out in the file rather than \
           interpolated (`${DB_PASSWORD}`) or passed through from the shell (`- DB_PASSWORD`). Files named \
           for local or test use (`compose.dev.yml`, `docker-compose.override.yml`, `.test.`, `.ci.`) are \
           reported with a lower likelihood. No Checkov equivalent (Checkov does not read Compose files).",
    why: "The value is in the repository and its history, readable by everyone with access to the code, and \
          in the container's configuration (`docker inspect`) on every host that runs it. A password written \
          for local use tends to end up on a shared server unchanged.",
    example: "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-prod-pw",
    remediation: "Interpolate the value from an untracked `.env` file or use Compose `secrets:`.",
    fix: &[
        "Rotate the credential if it was ever used outside a developer machine: it is in the git history.",
        "Write `POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}` and keep `.env` out of git, or use `secrets:` with a file and the image's `*_FILE` variable (`POSTGRES_PASSWORD_FILE: /run/secrets/db_password`).",
    ],
    verify: &[
        "`docker compose config` shows the value coming from the environment or a secret, and the file in git holds none; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Throwaway credentials of a local development stack (a database that never leaves the \
                      developer's machine) are a low risk: accept them with the reason, but keep them \
                      different from any real environment's.",
    references: &[
        "https://docs.docker.com/compose/how-tos/use-secrets/",
        "https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
    ],
};

impl Rule for ComposeSecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            let file = asset
                .path()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let local = LOCAL_FILES.iter().any(|part| file.contains(part));
            let names = asset
                .attributes
                .get("secrets_in_environment")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            for name in names {
                let shown = service
                    .get("environment")
                    .and_then(|e| e.get(name))
                    .and_then(Value::as_str)
                    .unwrap_or("<redacted>");
                let mut hit = Hit::new(
                    format!("{}:{name}", asset.id),
                    format!(
                        "Compose service {} has the secret {name} in plain text",
                        asset.name
                    ),
                    format!("environment {name} = {shown}"),
                    vec![asset.id.clone()],
                    vec![
                        asset
                            .evidence_for_first(&[&format!("environment.{name}"), "environment"])
                            .with_note(format!("{name} = {shown}")),
                    ],
                );
                if local {
                    hit.likelihood = Some((3, format!("{file} is named for local or test use")));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

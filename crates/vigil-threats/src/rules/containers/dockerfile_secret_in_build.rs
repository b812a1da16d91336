//! `dockerfile-secret-in-build`: a secret written as a literal `ENV` or `ARG` value.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SecretInBuild;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-secret-in-build",
    title: "Secret in plain text in a Dockerfile ENV or ARG",
    kind: FindingKind::Secret,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-798", "CWE-538"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 6,
    impact: 7,
    what: "An `ENV` or `ARG` (in any stage) whose name says it holds a secret (password, secret, token, key, \
           credential...) and whose value is written out in the Dockerfile rather than taken from a build \
           variable (`$X`). An `ARG` without a default is not reported. No Checkov equivalent (its secrets \
           scanner looks for known key formats only).",
    why: "An `ENV` value is stored in the image configuration: anyone who can pull the image reads it with \
          `docker inspect`, and so does every process in the container. An `ARG` value shows in `docker \
          history` when a later `RUN` uses it, and both sit in the repository's history for good.",
    example: "ENV DATABASE_PASSWORD=hunter2hunter2",
    remediation: "Pass build secrets with `RUN --mount=type=secret` and runtime secrets through the orchestrator.",
    fix: &[
        "Rotate the credential: it is in the repository history and in every image built from it.",
        "For build-time use, replace the ARG/ENV by `RUN --mount=type=secret,id=npm_token ...` and `docker build --secret id=npm_token,...`.",
        "For runtime use, remove the ENV and inject the value at run time (a Kubernetes Secret, the Compose `secrets:` key, a secret manager).",
    ],
    verify: &[
        "`docker inspect --format '{{.Config.Env}}' IMAGE` and `docker history --no-trunc IMAGE` show no secret; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A name that merely mentions a secret may hold something public (a key id, a public \
                      key, a placeholder such as `changeme` for local builds): check the value before rotating, \
                      and accept test images with the reason.",
    references: &[
        "https://docs.docker.com/build/building/secrets/",
        "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.2"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
    ],
};

impl Rule for SecretInBuild {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            let names = image
                .attributes
                .get("secrets_in_build")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            for name in names {
                // The extractor already redacted the value; ENV wins when both declare the name.
                let Some((instruction, key, shown)) = ["env", "args"].into_iter().find_map(|key| {
                    image
                        .attributes
                        .get(key)
                        .and_then(|m| m.get(name))
                        .and_then(Value::as_str)
                        .map(|v| (if key == "env" { "ENV" } else { "ARG" }, key, v))
                }) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}:{name}", image.id),
                    format!(
                        "{} bakes the secret {name} into the image ({instruction})",
                        image.name
                    ),
                    format!("{instruction} {name}={shown}"),
                    vec![image.id.clone()],
                    vec![
                        image
                            .evidence_for(&format!("{key}.{name}"))
                            .with_note(format!("{name} = {shown}")),
                    ],
                ));
            }
        }
        hits
    }
}

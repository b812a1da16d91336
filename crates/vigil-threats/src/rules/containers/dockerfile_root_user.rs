//! `dockerfile-root-user`: an image whose final stage runs as root.

use vigil_core::{FindingKind, Objective, Stride};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DockerfileRootUser;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-root-user",
    title: "Container image runs as root",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611"],
    likelihood: 4,
    impact: 6,
    what: "A Dockerfile whose final stage has no `USER` instruction, or sets `USER root` / `USER 0`: the \
           container's process runs as root. Checkov: CKV_DOCKER_3 (and CKV_DOCKER_8 for an explicit root user).",
    why: "Code execution inside a root container (a deserialization bug, a vulnerable dependency) starts with \
          full privileges in the container: writing to any file in the image, installing tools, and with a \
          kernel or runtime flaw or a mounted socket, escaping to the host.",
    example: "FROM node:22\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]",
    remediation: "Create an unprivileged user and end the Dockerfile with `USER <name>`.",
    fix: &[
        "Add `RUN useradd --uid 10001 --create-home app` (or use the image's existing non-root user, e.g. `node`).",
        "End the final stage with `USER app` (or `USER 10001`) after the steps that need root.",
        "In Kubernetes, also set `securityContext.runAsNonRoot: true` so a root image is refused at start.",
    ],
    verify: &["`docker run --rm <image> id -u` prints a non-zero uid; re-run `vigil assess`."],
    mitigated_by: &["run-as-non-root-enforced"],
    false_positives: "Base images that already switch to a non-root user (distroless `nonroot` tags, `USER` in the \
                      parent image) are reported because the parent is not read; an orchestrator that forces \
                      a non-root uid at runtime mitigates it.",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.8")],
};

impl Rule for DockerfileRootUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("dockerfile")
            .filter_map(|image| {
                let user = image.attr_str("final_user");
                let root = match user {
                    None => true,
                    Some(user) => {
                        let name = user.split(':').next().unwrap_or(user);
                        name == "root" || name == "0"
                    }
                };
                root.then(|| Hit {
                    subject: image.id.0.clone(),
                    title: format!("{} runs its container as root", image.name),
                    detail: match user {
                        Some(user) => format!("USER {user}"),
                        None => "no USER instruction in the final stage".into(),
                    },
                    assets: vec![image.id.clone()],
                    evidence: vec![image.evidence_for("final_user")],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}

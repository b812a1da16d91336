//! `dockerfile-sudo`: an image that uses sudo or grants passwordless sudo to its user.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct Sudo;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-sudo",
    title: "Dockerfile uses sudo or grants passwordless sudo",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-269"],
    capec: &["CAPEC-233"],
    attack: &["T1548.003"],
    likelihood: 4,
    impact: 4,
    what: "A `RUN` that writes a `NOPASSWD` sudoers rule (reported with a higher impact), or that invokes \
           `sudo` as a command. `sudo` only installed or mentioned (`apt-get install sudo`, `echo sudo`) is \
           not reported. Checkov: CKV2_DOCKER_1.",
    why: "A passwordless sudo rule turns the image's non-root `USER` into root for anyone who runs code as \
          that user: the privilege drop the Dockerfile seems to make is undone by one `sudo`. A `RUN sudo` \
          means the build relies on the image shipping sudo set up for its user, and build steps run as root \
          are better written as such, followed by `USER` for the runtime.",
    example: "RUN echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\nUSER app\nRUN sudo apt-get install -y jq",
    remediation: "Run build steps that need root before `USER`, and ship no sudo configuration in the image.",
    fix: &[
        "Move the privileged steps before the `USER` instruction (or switch with `USER root` ... `USER app`) instead of `sudo`.",
        "Remove the sudoers rule and, where possible, the sudo package from the final image.",
    ],
    verify: &["`docker run --rm IMAGE sudo -n true` fails; re-run `vigil assess`."],
    mitigated_by: &["no-new-privileges-enforced"],
    false_positives: "Development images (devcontainers, CI toolboxes) often give their user sudo on purpose: \
                      accept those with the reason, and keep them out of production. Running with \
                      `no-new-privileges` makes sudo fail at runtime.",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://www.sudo.ws/docs/man/sudoers.man/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for Sudo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            if let Some((index, _)) = shared::dockerfile_entries(image, "sudoers_nopasswd").first() {
                let mut hit = Hit::new(
                    format!("{}:sudoers-nopasswd", image.id),
                    format!("{} grants passwordless sudo", image.name),
                    "a RUN writes a NOPASSWD sudoers rule: the image's user can become root".to_owned(),
                    vec![image.id.clone()],
                    vec![image.evidence_for(&format!("sudoers_nopasswd.{index}"))],
                );
                hit.impact = Some((7, "passwordless sudo undoes the image's non-root user".to_owned()));
                hits.push(hit);
            }
            let mut seen = Vec::new();
            for (index, run) in shared::dockerfile_entries(image, "sudo_in_run") {
                let program = run.get("program").and_then(Value::as_str);
                if seen.contains(&program) {
                    continue;
                }
                seen.push(program);
                let what = program.map_or_else(|| "a root shell".to_owned(), |p| format!("`{p}`"));
                hits.push(Hit::new(
                    format!("{}:sudo:{}", image.id, program.unwrap_or("-")),
                    format!("{} runs {what} through sudo", image.name),
                    format!("RUN sudo {}", program.unwrap_or("(no command: a shell)")),
                    vec![image.id.clone()],
                    vec![image.evidence_for(&format!("sudo_in_run.{index}"))],
                ));
            }
        }
        hits
    }
}

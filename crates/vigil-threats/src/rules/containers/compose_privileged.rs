//! `compose-privileged`: a Compose service that runs privileged.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposePrivileged;

static META: RuleMeta = RuleMeta {
    id: "compose-privileged",
    title: "Compose service runs privileged",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611"],
    likelihood: 5,
    impact: 9,
    what: "A service of a Docker Compose file with `privileged: true`. No Checkov equivalent (Checkov does \
           not read Compose files).",
    why: "A privileged container gets every capability, every host device and no seccomp or AppArmor \
          confinement: code execution in it is root on the host, one `mount /dev/sda1` away from the host's \
          filesystem.",
    example: "services:\n  agent:\n    image: agent:1.0\n    privileged: true",
    remediation: "Remove `privileged: true`; add only the specific capability or device the service needs.",
    fix: &[
        "Remove `privileged: true`.",
        "Grant what is actually needed: one device with `devices:`, one capability with `cap_add:` (never SYS_ADMIN or ALL).",
        "Add `cap_drop: [ALL]` and `security_opt: [no-new-privileges:true]` to the service.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.Privileged}}' CONTAINER` prints `false`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Docker-in-Docker CI runners, hardware agents and some system tools need privileges by \
                      design: accept the finding for them with the reason, on hosts dedicated to them.",
    references: &[
        "https://docs.docker.com/reference/compose-file/services/#privileged",
        "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComposePrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        shared::compose_services(ctx)
            .into_iter()
            .filter(|(_, service)| match service.get("privileged") {
                Some(Value::Bool(on)) => *on,
                Some(Value::String(on)) => on == "true",
                _ => false,
            })
            .map(|(asset, _)| {
                Hit::new(
                    asset.id.to_string(),
                    format!("Compose service {} runs privileged", asset.name),
                    "privileged: true".into(),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for("privileged")],
                )
            })
            .collect()
    }
}

//! `compose-security-opt-unconfined`: a Compose service that switches off seccomp, AppArmor or SELinux.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeSecurityOptUnconfined;

static META: RuleMeta = RuleMeta {
    id: "compose-security-opt-unconfined",
    title: "Compose service runs without seccomp, AppArmor or SELinux confinement",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-693", "CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1068"],
    likelihood: 3,
    impact: 7,
    what: "A service of a Docker Compose file whose `security_opt` has `seccomp:unconfined`, \
           `apparmor:unconfined`, `label:disable` or `systempaths=unconfined` (either `:` or `=` form). No \
           Checkov equivalent (Checkov does not read Compose files).",
    why: "Docker's default seccomp profile blocks the system calls most kernel exploits and escapes rely on, \
          AppArmor and SELinux confine the files and mounts a process may touch, and masked system paths \
          hide `/proc` and `/sys` entries that write to the host kernel. Switching them off turns the next \
          kernel vulnerability into a host compromise from any code execution in the container.",
    example: "services:\n  app:\n    image: app:1.0\n    security_opt:\n      - seccomp:unconfined",
    remediation: "Remove the option; if one system call is missing, use a custom seccomp profile that adds it.",
    fix: &[
        "Remove `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` and `systempaths=unconfined` from `security_opt`.",
        "If the service needs a blocked system call, copy Docker's default profile, add only that call, and use `seccomp:./profile.json`.",
        "Add `no-new-privileges:true` to `security_opt` while there.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.SecurityOpt}}' CONTAINER` lists no `unconfined` or `disable`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Debugging and tracing tools (strace, perf, eBPF profilers) need system calls the default \
                      profile blocks: prefer a custom profile, or accept them with the reason outside production.",
    references: &[
        "https://docs.docker.com/engine/security/seccomp/",
        "https://docs.docker.com/engine/security/apparmor/",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.8")],
};

/// (option, value) pairs that switch a confinement off, and what it was.
const OFF: [(&str, &str, &str); 4] = [
    ("seccomp", "unconfined", "seccomp"),
    ("apparmor", "unconfined", "AppArmor"),
    ("label", "disable", "SELinux labels"),
    ("systempaths", "unconfined", "masked system paths"),
];

impl Rule for ComposeSecurityOptUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            for (index, option) in shared::compose_list(service, "security_opt") {
                let Some((key, value)) = option.split_once([':', '=']) else {
                    continue;
                };
                let Some((_, _, what)) = OFF.iter().find(|(k, v, _)| {
                    key.trim().eq_ignore_ascii_case(k) && value.trim().eq_ignore_ascii_case(v)
                }) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}:security_opt:{}", asset.id, key.trim().to_ascii_lowercase()),
                    format!("Compose service {} runs without {what}", asset.name),
                    format!("security_opt: {option}"),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for_first(&[&format!("security_opt.{index}"), "security_opt"])],
                ));
            }
        }
        hits
    }
}

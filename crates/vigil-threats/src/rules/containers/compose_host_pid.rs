//! `compose-host-pid`: a Compose service that shares the host's process namespace.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeHostPid;

static META: RuleMeta = RuleMeta {
    id: "compose-host-pid",
    title: "Compose service shares the host's process namespace",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::ElevationOfPrivilege,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
    ],
    cwe: &["CWE-653", "CWE-668"],
    capec: &["CAPEC-573", "CAPEC-233"],
    attack: &["T1057", "T1611"],
    likelihood: 4,
    impact: 8,
    what: "A service of a Docker Compose file with `pid: host`. No Checkov equivalent (Checkov does not read \
           Compose files).",
    why: "The container sees every process of the host with its command line and, for processes of the same \
          uid (root in a root container), its environment and open files; it can signal or kill them, and \
          with `SYS_PTRACE` or privileges `nsenter` into PID 1, which is root on the host.",
    example: "services:\n  monitor:\n    image: monitor:1.2\n    pid: host",
    remediation: "Remove `pid: host`; share another container's processes with `pid: \"service:NAME\"` if needed.",
    fix: &[
        "Remove `pid: host`.",
        "If the service needs to see one other service's processes, use `pid: \"service:other\"` instead.",
    ],
    verify: &[
        "`docker inspect --format '{{.HostConfig.PidMode}}' CONTAINER` does not print `host`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Host monitoring and security agents need the host's process view by design: accept \
                      the finding for them with the reason.",
    references: &[
        "https://docs.docker.com/reference/compose-file/services/#pid",
        "https://docs.docker.com/engine/containers/run/#pid-settings---pid",
        "https://cwe.mitre.org/data/definitions/653.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComposeHostPid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        shared::compose_host_mode(ctx, "pid")
            .into_iter()
            .map(|asset| {
                Hit::new(
                    format!("{}:pid", asset.id),
                    format!(
                        "Compose service {} sees and can signal the host's processes",
                        asset.name
                    ),
                    "pid: host".into(),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for("pid")],
                )
            })
            .collect()
    }
}

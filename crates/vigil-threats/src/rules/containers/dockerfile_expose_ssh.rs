//! `dockerfile-expose-ssh`: an image that exposes the SSH port.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ExposeSsh;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-expose-ssh",
    title: "Dockerfile exposes the SSH port",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-284"],
    capec: &["CAPEC-555"],
    attack: &["T1021.004", "T1133"],
    likelihood: 3,
    impact: 6,
    what: "An `EXPOSE 22` (or `22/tcp`) in the final image or the stages it is built on. Checkov: CKV_DOCKER_1.",
    why: "An SSH server inside a container is a second, long-lived way in: its keys or passwords are baked \
          into the image or managed by hand, it is rarely patched with the application, and once the port is \
          published it invites credential stuffing. Containers are meant to be entered with `docker exec` or \
          `kubectl exec`, which go through the platform's access control and audit.",
    example: "RUN apt-get install -y openssh-server\nEXPOSE 22\nCMD [\"/usr/sbin/sshd\", \"-D\"]",
    remediation: "Remove the SSH server and `EXPOSE 22`; use `docker exec` / `kubectl exec` for access.",
    fix: &[
        "Remove `EXPOSE 22`, the SSH server package and its keys from the image.",
        "Use `docker exec` or `kubectl exec` (or `kubectl debug`) for interactive access, granted through RBAC.",
        "If SSH is the product (a bastion, a git server), keep it in a dedicated, hardened image with key-only authentication.",
    ],
    verify: &[
        "`docker inspect --format '{{.Config.ExposedPorts}}' IMAGE` lists no `22/tcp`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Images whose purpose is SSH (bastions, SFTP or git servers) expose it by design: accept \
                      the finding for them with the reason.",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#expose",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.4"), (Objective::Soc2, "CC6.6")],
};

impl Rule for ExposeSsh {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            let ports = image.attributes.get("exposed_ports").and_then(Value::as_array);
            let ssh = ports.into_iter().flatten().enumerate().find(|(_, port)| {
                port.as_u64() == Some(22) || port.as_str().is_some_and(|p| p.eq_ignore_ascii_case("22/tcp"))
            });
            if let Some((index, port)) = ssh {
                let written = port.as_str().map_or_else(|| port.to_string(), str::to_owned);
                hits.push(Hit::new(
                    format!("{}:expose:22", image.id),
                    format!("{} exposes SSH (port 22)", image.name),
                    format!("EXPOSE {written}"),
                    vec![image.id.clone()],
                    vec![image.evidence_for_first(&[&format!("exposed_ports.{index}"), "exposed_ports"])],
                ));
            }
        }
        hits
    }
}

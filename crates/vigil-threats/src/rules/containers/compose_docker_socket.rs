//! `compose-docker-socket`: a Compose service that mounts the container runtime socket.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeDockerSocket;

static META: RuleMeta = RuleMeta {
    id: "compose-docker-socket",
    title: "Compose service mounts the Docker socket",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-668"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1610"],
    likelihood: 5,
    impact: 9,
    what: "A service of a Docker Compose file with a bind mount of a container runtime socket \
           (`docker.sock`, `podman.sock`, `containerd.sock`), read-only or not: a read-only mount does not \
           stop connecting to the socket. No Checkov equivalent (Checkov does not read Compose files).",
    why: "The Docker API is root on the host: whoever runs code in the service (a vulnerable web UI, a \
          compromised dependency) can start a privileged container with the host's filesystem mounted, read \
          every other container's secrets, and stay on the host.",
    example: "services:\n  ui:\n    image: portainer/portainer-ce:2.21.4\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock",
    remediation: "Remove the socket mount; if the API is needed, put a filtering proxy in front of it.",
    fix: &[
        "Remove the socket from `volumes:`.",
        "If the service only needs to read container state, mount a socket proxy that allows only those endpoints (e.g. `tecnativa/docker-socket-proxy` with `CONTAINERS=1`, everything else off).",
        "For builds, use rootless BuildKit or a remote builder instead of the host daemon.",
    ],
    verify: &[
        "`docker inspect --format '{{json .Mounts}}' CONTAINER` lists no `docker.sock`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Container management tools (Portainer, Traefik's Docker provider, Watchtower, CI runners) \
                      need the API by design: accept them with the reason, behind a filtering socket proxy \
                      where possible, and keep their UI off the Internet.",
    references: &[
        "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
        "https://docs.docker.com/reference/compose-file/services/#volumes",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComposeDockerSocket {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            let volumes = service.get("volumes").and_then(Value::as_array);
            for (index, volume) in volumes.into_iter().flatten().enumerate() {
                if volume.get("sensitive").and_then(Value::as_str) != Some("docker-socket") {
                    continue;
                }
                let source = volume.get("source").and_then(Value::as_str).unwrap_or_default();
                hits.push(Hit::new(
                    format!("{}:{source}", asset.id),
                    format!(
                        "Compose service {} mounts the runtime socket {source}",
                        asset.name
                    ),
                    format!(
                        "volumes[{index}]: {source} -> {}",
                        volume.get("target").and_then(Value::as_str).unwrap_or_default()
                    ),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for(&format!("volumes.{index}"))],
                ));
            }
        }
        hits
    }
}

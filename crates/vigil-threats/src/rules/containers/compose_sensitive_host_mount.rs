//! `compose-sensitive-host-mount`: a Compose service that bind-mounts the host's root or a system directory.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeSensitiveHostMount;

static META: RuleMeta = RuleMeta {
    id: "compose-sensitive-host-mount",
    title: "Compose service mounts the host's root or a system directory",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-668", "CWE-250"],
    capec: &["CAPEC-233", "CAPEC-639"],
    attack: &["T1611", "T1552.001"],
    likelihood: 4,
    impact: 8,
    what: "A service of a Docker Compose file with a bind mount of the host's `/` or a whole system \
           directory (`/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/home`, `/var/lib/docker`, \
           `/lib/modules`, `/var/run`, `/run`). Read-only mounts are reported with a lower impact; runtime \
           sockets are compose-docker-socket's. No Checkov equivalent (Checkov does not read Compose files).",
    why: "The container sees the host's files as its user (root by default): a writable `/`, `/etc` or \
          `/root` lets it plant cron jobs, SSH keys or binaries that run as root on the host; even read-only, \
          `/etc/shadow`, other users' keys and `/proc/<pid>/environ` leak credentials.",
    example: "services:\n  backup:\n    image: backup:2.0\n    volumes:\n      - /:/host",
    remediation: "Mount only the directory the service needs, read-only when it does not write.",
    fix: &[
        "Replace the mount by the narrowest path the service uses (a data directory, a single file) or a named volume.",
        "Add `:ro` (or `read_only: true` in the long syntax) when the service only reads.",
        "Run the service as a non-root `user:` so host files owned by root stay out of reach.",
    ],
    verify: &[
        "`docker inspect --format '{{json .Mounts}}' CONTAINER` shows no system directory; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Monitoring agents (node-exporter, cAdvisor) read `/proc`, `/sys` or `/` by design, \
                      read-only: those are reported with a lower impact; accept them with the reason.",
    references: &[
        "https://docs.docker.com/engine/storage/bind-mounts/",
        "https://docs.docker.com/reference/compose-file/services/#volumes",
        "https://cwe.mitre.org/data/definitions/668.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComposeSensitiveHostMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            let volumes = service.get("volumes").and_then(Value::as_array);
            for (index, volume) in volumes.into_iter().flatten().enumerate() {
                let sensitive = volume.get("sensitive").and_then(Value::as_str);
                if !matches!(sensitive, Some("host-root" | "host-system")) {
                    continue;
                }
                let source = volume.get("source").and_then(Value::as_str).unwrap_or_default();
                let target = volume.get("target").and_then(Value::as_str).unwrap_or_default();
                let read_only = volume.get("read_only").and_then(Value::as_bool) == Some(true);
                let access = if read_only { "read-only" } else { "writable" };
                let holds = shared::sensitive_host_path(source).unwrap_or("a system directory");
                let mut hit = Hit::new(
                    format!("{}:{source}", asset.id),
                    format!(
                        "Compose service {} mounts the host's {source} ({access})",
                        asset.name
                    ),
                    format!("volumes[{index}]: {source} -> {target}, {holds}, mounted {access}"),
                    vec![asset.id.clone()],
                    vec![asset.evidence_for(&format!("volumes.{index}"))],
                );
                if read_only {
                    hit.impact = Some((
                        5,
                        "a read-only mount lets the host's data be read, not changed".to_owned(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

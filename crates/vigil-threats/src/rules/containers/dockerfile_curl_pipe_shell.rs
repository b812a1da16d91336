//! `dockerfile-curl-pipe-shell`: a `RUN` that pipes a download straight into a shell.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CurlPipeShell;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-curl-pipe-shell",
    title: "Dockerfile pipes a downloaded script into a shell",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494"],
    capec: &["CAPEC-185"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 7,
    what: "A `RUN` (heredocs included) that pipes `curl` or `wget` output into a shell (`curl ... | sh`, \
           `| sudo bash`), or runs it through `sh -c \"$(curl ...)\"` or `bash <(curl ...)`. A download \
           piped into another program (`| gpg --dearmor`, `| tar x`) is not reported. No Checkov equivalent.",
    why: "The script runs as the build user (root by default) the moment it arrives, unreviewed and \
          unverified: whoever controls the server or the domain (a compromised project, an expired domain \
          re-registered) controls the image, and the server can even serve a different script to `curl` than \
          to a browser. A truncated download runs half a script.",
    example: "RUN curl -fsSL https://get.example.com/install.sh | sh",
    remediation: "Download the script or artefact, verify its checksum or signature, then run it.",
    fix: &[
        "Prefer the distribution's package or a released binary with a published checksum.",
        "Otherwise download to a file, check it (`echo \"<sha256>  install.sh\" | sha256sum -c -`), then run it.",
        "Pin the script to a versioned URL rather than a moving `latest` endpoint.",
    ],
    verify: &["No `RUN` pipes curl or wget into a shell; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "A script from your own, access-controlled artifact store is a smaller risk; it is \
                      still unverified, so prefer a checksum even there.",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#run",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[(Objective::OwaspAsvs, "V10.3.2"), (Objective::Soc2, "CC8.1")],
};

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            let mut seen = Vec::new();
            for (index, run) in shared::dockerfile_entries(image, "curl_pipe_shell") {
                let command = run.get("command").and_then(Value::as_str).unwrap_or_default();
                let source = downloaded_url(command).unwrap_or("a downloaded script");
                if seen.contains(&source) {
                    continue;
                }
                seen.push(source);
                hits.push(Hit::new(
                    format!("{}:pipe:{source}", image.id),
                    format!("{} runs {source} unverified (piped into a shell)", image.name),
                    format!("RUN {command}"),
                    vec![image.id.clone()],
                    vec![image.evidence_for(&format!("curl_pipe_shell.{index}"))],
                ));
            }
        }
        hits
    }
}

/// The first URL of a command, quotes trimmed.
fn downloaded_url(command: &str) -> Option<&str> {
    command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '|'))
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
}

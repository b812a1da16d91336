//! `dockerfile-add-remote-url`: an `ADD` that downloads from a URL without verifying what it gets.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AddRemoteUrl;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-add-remote-url",
    title: "Dockerfile ADDs a remote file without a checksum",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494"],
    capec: &["CAPEC-185"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 7,
    what: "An `ADD` whose source is an `http(s)://` URL or a git repository, without `--checksum=` and, for \
           git, not pinned to a full commit id (`#<40 hex>`). A plain-`http://` source is reported with a \
           higher likelihood. Checkov: CKV_DOCKER_4 (which reports every ADD).",
    why: "The file is fetched at each build and copied into the image as-is: whoever controls the server, \
          the DNS name, or (over plain HTTP) the network path, decides what ends up in the image, and the \
          build cannot tell. A moved git tag or branch does the same.",
    example: "ADD https://example.com/tool.tar.gz /opt/",
    remediation: "Pin the download: `ADD --checksum=sha256:<digest> https://...`, or pin git sources to a commit.",
    fix: &[
        "Add `--checksum=sha256:<digest>` (Dockerfile syntax 1.6+) with the digest of the file you reviewed.",
        "For git sources, reference a full commit id (`ADD https://github.com/org/repo.git#<commit> /src`).",
        "Or download in a `RUN` step and check the published signature or checksum before use.",
    ],
    verify: &["Every `ADD` of a URL carries `--checksum=` or a commit id; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "Downloads from your own artifact store over HTTPS are a smaller risk, still not \
                      reproducible; a file verified by a later `RUN sha256sum -c` step is safe and can be \
                      accepted with the reason.",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#add---checksum",
        "https://docs.docker.com/build/building/best-practices/#add-or-copy",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[(Objective::OwaspAsvs, "V10.3.2"), (Objective::Soc2, "CC8.1")],
};

impl Rule for AddRemoteUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            for (index, add) in shared::dockerfile_entries(image, "add_remote") {
                let Some(url) = add.get("url").and_then(Value::as_str) else {
                    continue;
                };
                if add.get("checksum").and_then(Value::as_bool) == Some(true)
                    || pinned_git_commit(url)
                    || url.contains('$')
                {
                    continue;
                }
                let plain = url.to_ascii_lowercase().starts_with("http://");
                let mut hit = Hit::new(
                    format!("{}:ADD {url}", image.id),
                    format!("{} ADDs {url} without verifying it", image.name),
                    format!(
                        "ADD {url}: no --checksum{}",
                        if plain { ", over plain HTTP" } else { "" }
                    ),
                    vec![image.id.clone()],
                    vec![image.evidence_for(&format!("add_remote.{index}"))],
                );
                if plain {
                    hit.likelihood = Some((
                        5,
                        "over plain HTTP anyone on the network path can replace the file".to_owned(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

/// A git source pinned to a full commit id: `https://github.com/org/repo.git#<40 hex>[:subdir]`.
fn pinned_git_commit(url: &str) -> bool {
    url.split_once('#').is_some_and(|(_, fragment)| {
        let reference = fragment.split(':').next().unwrap_or_default();
        reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit())
    })
}

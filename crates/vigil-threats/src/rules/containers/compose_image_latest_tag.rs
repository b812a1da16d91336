//! `compose-image-latest-tag`: a Compose service that pulls a floating image (`latest` or no tag).

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComposeImageLatestTag;

static META: RuleMeta = RuleMeta {
    id: "compose-image-latest-tag",
    title: "Compose service image is not pinned (latest or no tag)",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494", "CWE-829"],
    capec: &["CAPEC-186"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 5,
    what: "A service of a Docker Compose file whose `image` has no tag or the tag `latest` and no digest. A \
           service that also has `build:` is not reported (its `image` names the image it builds), nor is an \
           image holding a `${...}` variable. No Checkov equivalent (Checkov does not read Compose files).",
    why: "`docker compose pull` or a fresh host fetches whatever the tag points to that day: the stack \
          changes without a change in the repository, a breaking or compromised release lands unreviewed, \
          and two hosts run different code under the same file.",
    example: "services:\n  cache:\n    image: redis",
    remediation: "Pin the image to a version tag and, ideally, its digest (`redis:7.4.1@sha256:...`).",
    fix: &[
        "Replace the image by a released version tag plus its digest (`docker buildx imagetools inspect redis:7.4.1` prints it).",
        "Let Renovate or Dependabot (docker-compose) bump the tag and digest through reviewed pull requests.",
    ],
    verify: &[
        "`docker compose config --images` lists no untagged or `:latest` image; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A local development stack that deliberately tracks `latest` of your own images is a \
                      smaller risk: accept it with the reason; anything deployed should be pinned.",
    references: &[
        "https://docs.docker.com/reference/compose-file/services/#image",
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[(Objective::PciDss4, "6.3.2"), (Objective::Soc2, "CC8.1")],
};

impl Rule for ComposeImageLatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (asset, service) in shared::compose_services(ctx) {
            if service.get("build").is_some_and(|b| !b.is_null()) {
                continue;
            }
            let Some(image) = service.get("image").and_then(Value::as_str) else {
                continue;
            };
            let image = image.trim();
            if image.is_empty() || image.contains('$') {
                continue;
            }
            let Some(why) = shared::floating_tag(&shared::image_ref(image)) else {
                continue;
            };
            hits.push(Hit::new(
                format!("{}:image", asset.id),
                format!("Compose service {} runs {image}, a moving image", asset.name),
                format!("image: {image} ({why}, no digest)"),
                vec![asset.id.clone()],
                vec![asset.evidence_for("image")],
            ));
        }
        hits
    }
}

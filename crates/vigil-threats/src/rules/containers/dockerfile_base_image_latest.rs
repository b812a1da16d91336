//! `dockerfile-base-image-latest`: a `FROM` whose base image floats (`latest` or no tag) and has no digest.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct BaseImageLatest;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-base-image-latest",
    title: "Dockerfile base image is not pinned (latest or no tag)",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494", "CWE-829"],
    capec: &["CAPEC-186"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 6,
    what: "A `FROM` of any stage whose image (after substituting the defaults of global `ARG`s) has no tag or \
           the tag `latest`, and no `@sha256:` digest. `scratch`, stages built on an earlier stage, and \
           images still holding an unresolved variable are not reported. Checkov: CKV_DOCKER_7.",
    why: "Each build pulls whatever the tag points to that day: builds stop being reproducible, a \
          compromised or hijacked upstream image (or a typosquatted one) is picked up silently, and a \
          breaking release lands without review. Builder stages matter as much as the final one: they \
          produce what the final image ships.",
    example: "FROM node\nCOPY . /app\nRUN npm ci",
    remediation: "Pin the base image to a version tag and its digest (`FROM node:22.11-slim@sha256:...`).",
    fix: &[
        "Replace `FROM image` by a version tag plus digest: `docker buildx imagetools inspect node:22.11-slim` prints the digest.",
        "Let Renovate or Dependabot (docker ecosystem) bump the tag and digest through reviewed pull requests.",
    ],
    verify: &["Every `FROM` line names a version tag or a digest; re-run `vigil assess`."],
    mitigated_by: &[],
    false_positives: "An image whose tag is passed at build time through an `ARG` without default is not \
                      reported; a private base image that your own pipeline rebuilds and scans under \
                      `latest` is a smaller risk, still not reproducible.",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
        "https://docs.docker.com/reference/dockerfile/#from",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::OwaspAsvs, "V14.2.4"),
    ],
};

impl Rule for BaseImageLatest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            let mut seen = Vec::new();
            for (index, stage) in shared::dockerfile_entries(image, "stages") {
                let text = |key: &str| stage.get(key).and_then(Value::as_str);
                let Some(base) = text("base_image") else { continue };
                if stage.get("internal").and_then(Value::as_bool) == Some(true)
                    || base.eq_ignore_ascii_case("scratch")
                    || base.contains('$')
                    || text("tag").is_some_and(|t| t.contains('$'))
                    || seen.contains(&base)
                {
                    continue;
                }
                let reference = shared::ImageRef {
                    name: base,
                    tag: text("tag"),
                    digest: text("digest"),
                };
                let Some(why) = shared::floating_tag(&reference) else {
                    continue;
                };
                seen.push(base);
                let written = text("image").unwrap_or(base);
                let resolved = match reference.tag {
                    Some(tag) => format!("{base}:{tag}"),
                    None => base.to_owned(),
                };
                let detail = if written == resolved {
                    format!("FROM {written}: {why}, no digest")
                } else {
                    format!("FROM {written}, which resolves to {resolved}: {why}, no digest")
                };
                hits.push(Hit::new(
                    format!("{}:{base}", image.id),
                    format!("{} builds FROM {resolved}, a moving image", image.name),
                    detail,
                    vec![image.id.clone()],
                    vec![image.evidence_for(&format!("stages.{index}"))],
                ));
            }
        }
        hits
    }
}

//! `ci-image-not-pinned-by-digest`: a CI job image named by a version tag only; tags can be re-pushed.

use std::collections::BTreeMap;

use vigil_core::{Evidence, FindingKind, Objective, Stride};

use super::support::{images, parse_image, pipelines};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ImageNotPinnedByDigest;

static META: RuleMeta = RuleMeta {
    id: "ci-image-not-pinned-by-digest",
    title: "CI job image is pinned by tag, not by digest",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494", "CWE-1357"],
    capec: &["CAPEC-538"],
    attack: &["T1195.002", "T1204.003"],
    likelihood: 2,
    impact: 7,
    what: "A container image a pipeline runs its jobs or services in (the same places as `ci-image-latest-tag`) \
           with a version tag other than `latest` but no `@sha256:` digest. Untagged and `latest` images are left \
           to `ci-image-latest-tag`; images whose name or tag is a variable are not reported. One finding per \
           pipeline lists its images. Checkov: \
           CKV_CIRCLECIPIPELINES_2, CKV_AZUREPIPELINES_2.",
    why: "A tag is a movable name: whoever can push to the repository of the image (its publisher, or an attacker \
          with the publisher's registry credentials) can point `node:20` or even `node:20.11.1` at different \
          content, and the next build runs it with the pipeline's secrets. A digest names the content itself.",
    example: "build:\n  docker:\n    - image: cimg/node:20.11",
    remediation: "Add the digest to the tag (`cimg/node:20.11@sha256:...`) and update it through reviewed merge requests.",
    fix: &[
        "Look up the digest of the tag you use (`docker buildx imagetools inspect cimg/node:20.11`) and write `cimg/node:20.11@sha256:<digest>` (the tag stays for readability; the digest is what is pulled).",
        "Let Renovate (`pinDigests: true`) or Dependabot keep digests current through reviewed merge requests.",
    ],
    verify: &["Every image of the pipeline ends with `@sha256:` and 64 hex digits; the pipeline still runs."],
    mitigated_by: &["registry-tag-immutability"],
    false_positives: "Images from a registry of your own with immutable tags (ECR tag immutability, Artifactory, Harbor immutable tag rules) cannot be re-pointed; record the `registry-tag-immutability` control on the pipeline component.",
    references: &[
        "https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier",
        "https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::Soc2, "CC9.2"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for ImageNotPinnedByDigest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx) {
            let mut found: BTreeMap<String, (Vec<String>, Option<u32>)> = BTreeMap::new();
            for (job_id, image, _, line) in images(pipeline) {
                let Some(parsed) = parse_image(&image) else {
                    continue;
                };
                // A malformed digest is not a tag pin; `latest` is ci-image-latest-tag's.
                if parsed.digest.is_some() || parsed.floats_on_latest() {
                    continue;
                }
                let entry = found.entry(image.clone()).or_insert_with(|| (Vec::new(), line));
                if !entry.0.iter().any(|j| j == job_id) {
                    entry.0.push(job_id.to_owned());
                }
            }
            // One finding per pipeline: pinning digests is one change, usually made by one bot.
            let Some((first, _)) = found.first_key_value() else {
                continue;
            };
            let title = match found.len() {
                1 => format!("{}: image `{first}` is pinned by tag only", pipeline.name),
                n => format!("{}: {n} images are pinned by tag only", pipeline.name),
            };
            let detail: Vec<String> = found
                .iter()
                .map(|(image, (jobs, _))| {
                    let jobs: Vec<String> = jobs.iter().map(|j| format!("`{j}`")).collect();
                    format!("`{image}` ({})", jobs.join(", "))
                })
                .collect();
            let mut evidence: Vec<Evidence> = found
                .iter()
                .map(|(image, (_, line))| {
                    Evidence::at(pipeline.path(), *line).with_note(format!("image {image}"))
                })
                .collect();
            evidence.sort_by_key(|e| e.line);
            hits.push(Hit::new(
                format!("{}:images-by-tag", pipeline.id),
                title,
                format!("no `@sha256:` digest on {}", detail.join(", ")),
                vec![pipeline.id.clone()],
                evidence,
            ));
        }
        hits
    }
}

//! `ci-image-latest-tag`: a CI job runs in (or next to) a container image that has no tag or the `latest`
//! tag, so each run may pull different software.

use std::collections::BTreeMap;

use vigil_core::{Evidence, FindingKind, Objective, Stride};

use super::support::{images, parse_image, pipelines};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ImageLatestTag;

static META: RuleMeta = RuleMeta {
    id: "ci-image-latest-tag",
    title: "CI job image floats on the latest tag",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-829", "CWE-1357"],
    capec: &["CAPEC-538"],
    attack: &["T1195.002", "T1204.003"],
    likelihood: 3,
    impact: 7,
    what: "A container image a pipeline runs its jobs or services in, referenced without a tag or with `:latest` \
           and without a digest: GitLab `image:`/`services:` (job and default), CircleCI `docker:` images (jobs \
           and executors), Azure Pipelines `container:` and container resources, Bitbucket step and service \
           images, Jenkins Docker agents, GitHub Actions `container:`, `services:` and `docker://` steps. Images \
           whose name or tag is a variable are not reported. Checkov: CKV_CIRCLECIPIPELINES_1, \
           CKV_AZUREPIPELINES_1, CKV_BITBUCKETPIPELINES_1.",
    why: "`latest` (also what Docker pulls when no tag is given) is whatever was pushed last: a build can change \
          behaviour between two runs without any change in the repository, and a compromised or typo-squatted \
          publisher reaches the build, with its secrets, on the next pull. Builds are not reproducible, so an \
          incident cannot be traced to the image that ran.",
    example: "test:\n  image: node:latest\n  script: npm test",
    remediation: "Pin a version tag, and preferably the digest (`node:20.11.1@sha256:...`).",
    fix: &[
        "Replace `image: name` / `name:latest` by the version you tested, e.g. `node:20.11.1`.",
        "Better, add its digest (`docker buildx imagetools inspect node:20.11.1` prints it) and let Renovate or Dependabot update the pin through reviewed merge requests.",
    ],
    verify: &[
        "Every `image:` of the pipeline has an explicit version tag or digest; the pipeline still runs.",
    ],
    mitigated_by: &[],
    false_positives: "Images built and pushed by the same pipeline (an internal builder image updated on purpose) float by design; they still make runs unreproducible, so a version or commit tag is preferable.",
    references: &[
        "https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier",
        "https://docs.gitlab.com/ci/yaml/#image",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[(Objective::PciDss4, "6.3.2"), (Objective::Soc2, "CC8.1")],
};

impl Rule for ImageLatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx) {
            let mut found: BTreeMap<String, (Vec<String>, Option<u32>, bool)> = BTreeMap::new();
            for (job_id, image, _, line) in images(pipeline) {
                let Some(parsed) = parse_image(&image) else {
                    continue;
                };
                if !parsed.floats_on_latest() {
                    continue;
                }
                let entry = found
                    .entry(image.clone())
                    .or_insert_with(|| (Vec::new(), line, parsed.tag.is_none()));
                if !entry.0.iter().any(|j| j == job_id) {
                    entry.0.push(job_id.to_owned());
                }
            }
            for (image, (jobs, line, untagged)) in found {
                let jobs: Vec<String> = jobs.iter().map(|j| format!("`{j}`")).collect();
                let why = if untagged {
                    "has no tag, so Docker pulls `latest`"
                } else {
                    "uses the `latest` tag"
                };
                hits.push(Hit::new(
                    format!("{}:{image}", pipeline.id),
                    format!("{}: image `{image}` floats on latest", pipeline.name),
                    format!("`{image}` {why} and no digest; used by {}", jobs.join(", ")),
                    vec![pipeline.id.clone()],
                    vec![Evidence::at(pipeline.path(), line).with_note(format!("image {image}"))],
                ));
            }
        }
        hits
    }
}

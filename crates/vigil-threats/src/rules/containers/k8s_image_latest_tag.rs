//! `k8s-image-latest-tag`: a container image that floats (`latest` or no tag) and has no digest.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::{k8s, shared};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ImageLatestTag;

static META: RuleMeta = RuleMeta {
    id: "k8s-image-latest-tag",
    title: "Kubernetes container image is not pinned (latest or no tag)",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494", "CWE-829"],
    capec: &["CAPEC-186"],
    attack: &["T1195.002", "T1525"],
    likelihood: 3,
    impact: 6,
    what: "A container or init container whose `image` has no tag or the tag `latest`, and no `@sha256:` \
           digest. An image that a kustomization of the repository pins (`images:` with `newTag` or `digest` \
           for that name) is not reported, nor is an image written as a template expression. Version tags \
           without a digest are not reported either (Checkov's CKV_K8S_43 asks for digests everywhere). \
           Checkov: CKV_K8S_14.",
    why: "`latest` is whatever was pushed last: each node pulls it on its own schedule, so replicas run \
          different code, a rollback redeploys the same moving tag, and an attacker who can push to the \
          repository (a leaked CI token, a compromised upstream image) gets their image run on the next pod \
          start without any change to the manifests.",
    example: "containers:\n  - name: web\n    image: nginx",
    remediation: "Pin the image to a version tag and, ideally, its digest (`nginx:1.27.3@sha256:...`).",
    fix: &[
        "Replace the image by a released version tag plus its digest: `docker buildx imagetools inspect nginx:1.27.3` prints the digest.",
        "Let Renovate or Dependabot bump the tag and digest through reviewed pull requests.",
        "With kustomize, pin it once in `images:` (`newTag`, `digest`) of the kustomization.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{..image}'` shows no `:latest` nor untagged image of yours; re-run `vigil assess`.",
    ],
    mitigated_by: &["image-digest-enforced"],
    false_positives: "Images whose tag is set at deploy time (a CI `kubectl set image`, an Argo CD or Flux \
                      image updater) look untagged in the repository; record the tool that pins them, or \
                      accept the finding with the reason.",
    references: &[
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::OwaspAsvs, "V14.2.4"),
    ],
};

impl Rule for ImageLatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let pinned = kustomize_pins(ctx);
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            for container in workload.containers() {
                let Some(image) = container.value.get("image").and_then(Value::as_str) else {
                    continue;
                };
                if image.trim().is_empty() || k8s::computed_str(image) {
                    continue;
                }
                let reference = shared::image_ref(image.trim());
                let Some(why) = shared::floating_tag(&reference) else {
                    continue;
                };
                if pinned.iter().any(|name| name == reference.name) {
                    continue;
                }
                hits.push(Hit::new(
                    workload.subject(&container),
                    format!(
                        "{}: {} runs {image}, a moving image",
                        workload.name(),
                        container.describe()
                    ),
                    format!("image: {image} ({why}, no digest)"),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[container.field("image"), container.path.clone()])],
                ));
            }
        }
        hits
    }
}

/// Image names that a kustomization of the repository pins to a version tag or a digest.
fn kustomize_pins(ctx: &Context<'_>) -> Vec<String> {
    k8s::objects(ctx, "kustomization")
        .into_iter()
        .flat_map(|k| {
            k.attributes
                .get("images")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter(|entry| {
            // `newTag: 1.2` is a number in YAML.
            let tag = match entry.get("newTag") {
                Some(Value::String(t)) => Some(t.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            entry.get("digest").is_some_and(Value::is_string)
                || tag.is_some_and(|t| !t.is_empty() && !t.eq_ignore_ascii_case("latest"))
        })
        .filter_map(|entry| entry.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

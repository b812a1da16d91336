//! `aws-ecr-mutable-tags`: an ECR repository whose image tags can be moved to other images.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac::{self, pick};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EcrMutableTags;

pub(super) const REPOSITORIES: [&str; 2] = ["aws_ecr_repository", "AWS::ECR::Repository"];

static META: RuleMeta = RuleMeta {
    id: "aws-ecr-mutable-tags",
    title: "ECR repository allows image tags to be overwritten",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-494"],
    capec: &[],
    attack: &["T1525", "T1195.002"],
    likelihood: 3,
    impact: 6,
    what: "An `aws_ecr_repository` whose `image_tag_mutability`, or an `AWS::ECR::Repository` whose \
           `ImageTagMutability`, is not `IMMUTABLE` (or `IMMUTABLE_WITH_EXCLUSION`); the default is `MUTABLE`. \
           Checkov: CKV_AWS_51.",
    why: "With mutable tags anyone who can push (a leaked CI credential, a compromised build) can replace \
          `app:1.4.2` with a backdoored image, and every deployment, rollback and autoscaling event that pulls \
          the tag runs it with nothing in the deployment manifests changed. Immutable tags make a released tag \
          mean one image forever.",
    example: "resource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}",
    remediation: "Make the repository's tags immutable and deploy by digest.",
    fix: &[
        "Set `image_tag_mutability = \"IMMUTABLE\"` (CloudFormation: `ImageTagMutability: IMMUTABLE`); if a moving tag such as `latest` is needed, use `IMMUTABLE_WITH_EXCLUSION` with a filter for it.",
        "Pin deployments to image digests (`app@sha256:...`) and sign images (AWS Signer / cosign).",
    ],
    verify: &[
        "`aws ecr describe-repositories` shows `imageTagMutability: IMMUTABLE`; pushing an existing tag fails; re-run `vigil assess`.",
    ],
    mitigated_by: &["deploy-by-digest"],
    false_positives: "Repositories used only as caches or for development images, and deployments that always pin \
                      digests (recorded as the `deploy-by-digest` control), are not exposed to a moved tag.",
    references: &[
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.5.1"),
        (Objective::PciDss4, "11.5.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for EcrMutableTags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &REPOSITORIES)
            .filter_map(|repository| {
                let path = pick(repository, "image_tag_mutability", "ImageTagMutability");
                let (setting, written) = iac::text_or(repository, path, "MUTABLE")?;
                if setting.starts_with("IMMUTABLE") {
                    return None;
                }
                let detail = if written {
                    format!("{path} = {setting}")
                } else {
                    format!("{path} is not set (the default is MUTABLE)")
                };
                let title = format!(
                    "{} lets a pushed tag be replaced by another image",
                    repository.name
                );
                Some(iac::setting_hit(repository, path, title, detail))
            })
            .collect()
    }
}

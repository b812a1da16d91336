//! `aws-ecr-scan-on-push-disabled`: an ECR repository whose images are not scanned for vulnerabilities.

use vigil_core::{FindingKind, Objective, Stride};

use super::aws_ecr_mutable_tags::REPOSITORIES;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EcrScanOnPush;

static META: RuleMeta = RuleMeta {
    id: "aws-ecr-scan-on-push-disabled",
    title: "ECR repository does not scan images on push",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-1104"],
    capec: &[],
    attack: &["T1190", "T1525"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_ecr_repository` whose `image_scanning_configuration.scan_on_push`, or an \
           `AWS::ECR::Repository` whose `ImageScanningConfiguration.ScanOnPush`, is not `true` (the default is \
           false), when the code declares no registry-wide scanning (`aws_ecr_registry_scanning_configuration` \
           / `AWS::ECR::RegistryScanningConfiguration`, which takes precedence). Checkov: CKV_AWS_163.",
    why: "Images carry an operating system and libraries that were current when they were built. Without \
          scanning, a base image with a known exploitable vulnerability ships and keeps running, and nobody \
          learns about it from the registry that stores it.",
    example: "resource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}",
    remediation: "Scan images when they are pushed (or turn on enhanced scanning for the registry).",
    fix: &[
        "Set `image_scanning_configuration { scan_on_push = true }` (CloudFormation: `ImageScanningConfiguration: {ScanOnPush: true}`).",
        "Better: an `aws_ecr_registry_scanning_configuration` with `scan_type = \"ENHANCED\"` and a `CONTINUOUS_SCAN` rule (Amazon Inspector), which also rescans when new vulnerabilities are published.",
        "Fail the pipeline or alert on critical findings (EventBridge `ECR Image Scan` events).",
    ],
    verify: &[
        "`aws ecr describe-image-scan-findings --repository-name NAME --image-id imageTag=TAG` returns results; re-run `vigil assess`.",
    ],
    mitigated_by: &["image-scanning-in-ci"],
    false_positives: "Images scanned before the push (in CI, recorded as the `image-scanning-in-ci` control) or by \
                      enhanced scanning configured outside this code are covered; only new vulnerabilities in \
                      already-pushed images go unnoticed then.",
    references: &[
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
        "https://cwe.mitre.org/data/definitions/1104.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.1"),
        (Objective::Soc2, "CC7.1"),
        (Objective::Hipaa, "164.308(a)(1)(ii)(A)"),
    ],
};

impl Rule for EcrScanOnPush {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let registry_scanning = iac::resources(
            ctx,
            &[
                "aws_ecr_registry_scanning_configuration",
                "AWS::ECR::RegistryScanningConfiguration",
            ],
        )
        .next()
        .is_some();
        if registry_scanning {
            return Vec::new();
        }
        iac::resources(ctx, &REPOSITORIES)
            .filter_map(|repository| {
                let path = if is_cloudformation(repository) {
                    "ImageScanningConfiguration.ScanOnPush"
                } else {
                    "image_scanning_configuration.0.scan_on_push"
                };
                iac::off(repository, path)
            })
            .map(|off| {
                off.hit(format!(
                    "{} stores images without scanning them",
                    off.resource.name
                ))
            })
            .collect()
    }
}

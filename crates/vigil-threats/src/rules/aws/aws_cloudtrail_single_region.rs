//! `aws-cloudtrail-single-region`: a CloudTrail trail that records only the region it was created in.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudTrailSingleRegion;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-single-region",
    title: "CloudTrail trail records a single region",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1535", "T1562.008"],
    likelihood: 4,
    impact: 5,
    what: "An `aws_cloudtrail` whose `is_multi_region_trail` is not `true`, or an `AWS::CloudTrail::Trail` whose \
           `IsMultiRegionTrail` is not `true` (both default to false). Checkov: CKV_AWS_67.",
    why: "Attackers with stolen keys routinely work in regions nobody uses (launching miners, staging \
          exfiltration, creating persistence) precisely because single-region trails do not see them. A \
          multi-region trail also records global services (IAM, STS, CloudFront) once, wherever they are called.",
    example: "resource \"aws_cloudtrail\" \"main\" {\n  name           = \"main\"\n  s3_bucket_name = aws_s3_bucket.trail.id\n}",
    remediation: "Make the trail multi-region.",
    fix: &[
        "Set `is_multi_region_trail = true` (CloudFormation: `IsMultiRegionTrail: true`) and keep `include_global_service_events = true`.",
        "Better still, use one organisation trail (`is_organization_trail = true`) from the management or delegated administrator account.",
    ],
    verify: &[
        "`aws cloudtrail describe-trails` shows `IsMultiRegionTrail: true` for the trail; re-run `vigil assess`.",
    ],
    mitigated_by: &["organization-trail"],
    false_positives: "An account covered by a multi-region organisation trail defined elsewhere (recorded as the \
                      `organization-trail` control) keeps a record even when this trail is regional; a regional \
                      trail kept on purpose next to a multi-region one is not a gap.",
    references: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: compliance::AUDIT_LOGGING,
};

impl Rule for CloudTrailSingleRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::not_enabled(
            ctx,
            &[
                ("aws_cloudtrail", "is_multi_region_trail"),
                ("AWS::CloudTrail::Trail", "IsMultiRegionTrail"),
            ],
        )
        .iter()
        .map(|off| off.hit(format!("{} records only its own region", off.resource.name)))
        .collect()
    }
}

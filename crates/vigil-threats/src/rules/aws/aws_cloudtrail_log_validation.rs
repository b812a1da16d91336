//! `aws-cloudtrail-log-validation-disabled`: a CloudTrail trail whose log files can be altered undetected.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CloudTrailLogValidation;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-log-validation-disabled",
    title: "CloudTrail log file validation is off",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation, Stride::Tampering],
    cwe: &["CWE-354"],
    capec: &["CAPEC-268"],
    attack: &["T1070", "T1562.008"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_cloudtrail` whose `enable_log_file_validation` is not `true`, or an `AWS::CloudTrail::Trail` \
           whose `EnableLogFileValidation` is not `true` (both default to false). Checkov: CKV_AWS_36.",
    why: "Without digest files nobody can prove that the delivered log files are complete and unchanged: an \
          intruder with write access to the trail bucket can delete or edit the entries that show what they \
          did, and the investigation (or a court) has to take the remaining logs on trust.",
    example: "resource \"aws_cloudtrail\" \"main\" {\n  name                       = \"main\"\n  enable_log_file_validation = false\n}",
    remediation: "Turn on log file integrity validation.",
    fix: &[
        "Set `enable_log_file_validation = true` (CloudFormation: `EnableLogFileValidation: true`).",
        "Protect the trail bucket too: versioning, Object Lock or MFA delete, and no write access for workload roles.",
    ],
    verify: &[
        "`aws cloudtrail describe-trails` shows `LogFileValidationEnabled: true`; `aws cloudtrail validate-logs --trail-arn ARN --start-time ...` reports the files valid.",
    ],
    mitigated_by: &["log-archive-object-lock"],
    false_positives: "Logs delivered to an immutable archive (S3 Object Lock in compliance mode in a separate log \
                      account, recorded as the `log-archive-object-lock` control) cannot be altered even without \
                      digest files.",
    references: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
        "https://cwe.mitre.org/data/definitions/354.html",
    ],
    compliance: &[
        (Objective::PciDss4, "10.3.4"),
        (Objective::Hipaa, "164.312(c)(1)"),
        (Objective::Soc2, "CC7.2"),
    ],
};

impl Rule for CloudTrailLogValidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::not_enabled(
            ctx,
            &[
                ("aws_cloudtrail", "enable_log_file_validation"),
                ("AWS::CloudTrail::Trail", "EnableLogFileValidation"),
            ],
        )
        .iter()
        .map(|off| {
            off.hit(format!(
                "{} writes log files that can be altered undetected",
                off.resource.name
            ))
        })
        .collect()
    }
}

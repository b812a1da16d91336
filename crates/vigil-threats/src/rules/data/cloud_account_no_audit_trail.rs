//! `cloud-account-no-audit-trail`: an AWS account holds sensitive datastores and its infrastructure code
//! declares no CloudTrail trail recording what is done to them.

use vigil_core::{BoundaryKind, Component, ComponentKind, DataClass, FindingKind, Objective, Stride};
use vigil_model::controls::AUDIT_LOGGING;

use crate::graph::{class_names, sensitive_data};
use crate::rule::{Context, Hit, Rule, RuleMeta, component_asset};

#[derive(Debug)]
pub struct CloudAccountNoAuditTrail;

/// Accounts whose audit trail vigil can see in infrastructure code: the model records CloudTrail trails
/// as `audit-logging` on AWS resources. Azure activity logs and Google Cloud admin activity logs are always
/// on, so their accounts are not judged by the absence of a declaration.
const AUDITED_BY_CODE: &[&str] = &["cloud:aws"];

static META: RuleMeta = RuleMeta {
    id: "cloud-account-no-audit-trail",
    title: "Cloud account with sensitive datastores has no audit trail",
    kind: FindingKind::Threat,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1530"],
    likelihood: 4,
    impact: 6,
    what: "An AWS account boundary (built from Terraform or CloudFormation) holding datastores with PII, PCI, \
           PHI or secrets, where no datastore has the `audit-logging` control: no `aws_cloudtrail` / \
           `AWS::CloudTrail::Trail` in the infrastructure code, and none recorded in vigil-model.yaml. One \
           finding per account, on its sensitive datastores. Azure and Google Cloud accounts are not judged: \
           their control-plane activity logs are always on.",
    why: "Without a trail, nobody can tell who read a bucket, snapshotted a database, changed a key policy or \
          disabled encryption: an intruder's actions and a data exfiltration leave no record beyond the 90 days \
          of management events in the console's event history, and data events (object reads) are not \
          recorded at all.",
    example: "resource \"aws_s3_bucket\" \"patient_records\" {\n  bucket = \"patient-records\"\n}\n\
              # no aws_cloudtrail anywhere in the configuration",
    remediation: "Record a multi-region CloudTrail trail, with data events for the sensitive datastores, to a protected bucket.",
    fix: &[
        "Declare an `aws_cloudtrail` with `is_multi_region_trail = true`, `include_global_service_events = true` and `enable_log_file_validation = true`, delivering to a bucket in a separate log account.",
        "Add data event selectors (`event_selector { data_resource { type = \"AWS::S3::Object\" ... } }`) for buckets and tables holding sensitive data.",
        "Encrypt the trail with a KMS key and alert on `StopLogging` and `DeleteTrail`.",
        "If an organisation trail in another account covers this one, record `audit-logging` on the datastores in vigil-model.yaml with where it lives.",
    ],
    verify: &[
        "`aws cloudtrail describe-trails` lists a multi-region trail that is logging; a test read of the sensitive bucket appears in it.",
        "Re-run `vigil assess`: the finding is mitigated by `audit-logging`.",
    ],
    mitigated_by: &[AUDIT_LOGGING],
    false_positives: "An AWS Organizations trail managed by a platform team in another repository covers every \
                      member account without appearing in this code: record `audit-logging` on the \
                      datastores, or put them out of scope with that reason.",
    references: &[
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: &[
        (Objective::PciDss4, "10.2.1"),
        (Objective::Hipaa, "164.312(b)"),
        (Objective::Soc2, "CC7.2"),
        (Objective::Gdpr, "Art. 33"),
        (Objective::OwaspAsvs, "V7.1.4"),
    ],
};

impl Rule for CloudAccountNoAuditTrail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for boundary in ctx
            .model
            .boundaries
            .iter()
            .filter(|b| b.kind == BoundaryKind::CloudAccount && AUDITED_BY_CODE.contains(&b.id.as_str()))
        {
            let stores: Vec<&Component> = ctx
                .model
                .components
                .iter()
                .filter(|c| c.boundary.as_deref() == Some(boundary.id.as_str()))
                .filter(|c| c.kind == ComponentKind::Datastore && c.out_of_scope.is_none() && !c.assumed)
                .filter(|c| !sensitive_data(c).is_empty())
                .collect();
            if stores.is_empty() {
                continue;
            }
            let mut data: Vec<DataClass> = stores.iter().flat_map(|c| sensitive_data(c)).collect();
            data.sort();
            data.dedup();
            let unaudited: Vec<&str> = stores
                .iter()
                .filter(|c| c.control(&[AUDIT_LOGGING]).is_none())
                .map(|c| c.name.as_str())
                .collect();
            let names: Vec<&str> = stores.iter().map(|c| c.name.as_str()).collect();
            let detail = format!(
                "{} holds {} data in {}{}",
                boundary.name,
                class_names(&data),
                names.join(", "),
                if unaudited.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; no CloudTrail trail in the infrastructure code and no `audit-logging` recorded on {}",
                        unaudited.join(", ")
                    )
                }
            );
            let evidence: Vec<_> = stores
                .iter()
                .take(3)
                .flat_map(|c| c.evidence.iter().take(1).cloned())
                .collect();
            let hit = Hit::new(
                format!("audit-trail@{}", boundary.id),
                format!(
                    "{}: no audit trail over its {} datastores",
                    boundary.name,
                    class_names(&data)
                ),
                detail,
                stores.iter().map(|c| component_asset(c)).collect(),
                evidence,
            );
            hits.push(hit);
        }
        hits
    }
}

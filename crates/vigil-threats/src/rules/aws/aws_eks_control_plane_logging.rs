//! `aws-eks-control-plane-logging-disabled`: an EKS cluster that does not keep its API server audit and
//! authenticator logs.

use serde_json::Value;
use vigil_core::{FindingKind, Stride};

use super::aws_eks_public_endpoint::CLUSTERS;
use super::compliance;
use super::iac::{self, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EksControlPlaneLogging;

/// Control plane log types that record who did what.
const REQUIRED: [&str; 3] = ["api", "audit", "authenticator"];

static META: RuleMeta = RuleMeta {
    id: "aws-eks-control-plane-logging-disabled",
    title: "EKS control plane audit logging is off",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778"],
    capec: &[],
    attack: &["T1562.008", "T1609"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_eks_cluster` whose `enabled_cluster_log_types`, or an `AWS::EKS::Cluster` whose \
           `Logging.ClusterLogging.EnabledTypes`, does not include `api`, `audit` and `authenticator` (none are on \
           by default). Checkov: CKV_AWS_37 asks for all five types; the `controllerManager` and `scheduler` logs \
           are operational and not required here.",
    why: "Kubernetes audit logs are the only record of who read which secret, exec'd into which pod or created \
          which privileged workload, and the authenticator log ties each request to an IAM principal. Without \
          them a cluster compromise cannot be detected or reconstructed.",
    example: "resource \"aws_eks_cluster\" \"main\" {\n  name = \"main\"\n  # no enabled_cluster_log_types\n}",
    remediation: "Send the API, audit and authenticator logs to CloudWatch Logs.",
    fix: &[
        "Set `enabled_cluster_log_types = [\"api\", \"audit\", \"authenticator\"]` (CloudFormation: `Logging: {ClusterLogging: {EnabledTypes: [{Type: api}, {Type: audit}, {Type: authenticator}]}}`).",
        "Give the `/aws/eks/NAME/cluster` log group a retention period and alerting (GuardDuty EKS protection reads the audit log too).",
    ],
    verify: &[
        "`aws eks describe-cluster --name NAME --query cluster.logging` shows the types enabled; re-run `vigil assess`.",
    ],
    mitigated_by: &["audit-logging"],
    false_positives: "GuardDuty EKS audit log monitoring reads the audit stream without this setting, but keeps no \
                      searchable record; clusters with another audit pipeline (a webhook backend) can record the \
                      `audit-logging` control.",
    references: &[
        "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        "https://cwe.mitre.org/data/definitions/778.html",
    ],
    compliance: compliance::AUDIT_LOGGING,
};

impl Rule for EksControlPlaneLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &CLUSTERS)
            .filter_map(|cluster| {
                let path = if is_cloudformation(cluster) {
                    "Logging.ClusterLogging.EnabledTypes"
                } else {
                    "enabled_cluster_log_types"
                };
                let enabled: Vec<&str> = match iac::lookup(cluster, path) {
                    Some(value) if iac::computed(value) => return None,
                    Some(Value::Array(items)) => items
                        .iter()
                        .filter_map(|item| item.get("Type").unwrap_or(item).as_str())
                        .collect(),
                    _ => Vec::new(),
                };
                let missing: Vec<&str> = REQUIRED.into_iter().filter(|t| !enabled.contains(t)).collect();
                (!missing.is_empty()).then(|| {
                    Hit::new(
                        cluster.id.0.clone(),
                        format!(
                            "{} keeps no {} log of its control plane",
                            cluster.name,
                            missing.join("/")
                        ),
                        format!("{path} lacks {}", missing.join(", ")),
                        vec![cluster.id.clone()],
                        vec![iac::evidence_at(cluster, path)],
                    )
                })
            })
            .collect()
    }
}

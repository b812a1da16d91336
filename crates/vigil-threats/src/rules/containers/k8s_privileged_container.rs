//! `k8s-privileged-container`: a Kubernetes workload with a privileged container.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PrivilegedContainer;

static META: RuleMeta = RuleMeta {
    id: "k8s-privileged-container",
    title: "Kubernetes container runs privileged",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1610"],
    likelihood: 5,
    impact: 9,
    what: "A Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob, with \
           a container or init container whose `securityContext.privileged` is `true`. Checkov: CKV_K8S_16.",
    why: "A privileged container has every capability and sees the host's devices: whoever runs code in it owns \
          the node, and through the node's credentials often the cluster.",
    example: "containers:\n  - name: agent\n    image: agent:1.0\n    securityContext:\n      privileged: true",
    remediation: "Drop `privileged: true`; grant only the capabilities the container needs.",
    fix: &[
        "Remove `privileged: true`, set `allowPrivilegeEscalation: false` and drop all capabilities (`capabilities: {drop: [ALL]}`).",
        "Add back only the specific capabilities required (`NET_BIND_SERVICE`...).",
        "Enforce the `restricted` Pod Security Standard on the namespace so privileged pods are refused.",
    ],
    verify: &[
        "`kubectl get pods -A -o jsonpath='{..securityContext.privileged}'` prints no `true`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Node agents (CNI plugins, storage drivers, some monitoring daemons) need privileges by design: \
                      accept the finding for them with the reason and keep them in a dedicated namespace.",
    references: &[
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[
        (
            Objective::PciDss4,
            "2.2.6 system security parameters are configured to prevent misuse",
        ),
        (Objective::Soc2, "CC6.1 logical access security"),
    ],
};

const WORKLOADS: [&str; 7] = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
];

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        WORKLOADS
            .into_iter()
            .flat_map(|kind| ctx.tf.of_type(kind))
            .filter(|w| w.attr_str("provider") == Some("kubernetes"))
            .flat_map(|workload| {
                let spec = config(workload)
                    .and_then(|c| pod_spec(c))
                    .cloned()
                    .unwrap_or(Value::Null);
                ["containers", "initContainers"]
                    .into_iter()
                    .flat_map(|key| {
                        spec.get(key)
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .filter(|c| {
                        c.pointer("/securityContext/privileged").and_then(Value::as_bool) == Some(true)
                    })
                    .map(|container| {
                        let name = container
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_owned();
                        Hit {
                            subject: format!("{}#{name}", workload.id.0),
                            title: format!("{}: container `{name}` runs privileged", workload.name),
                            detail: "securityContext.privileged: true".into(),
                            assets: vec![workload.id.clone()],
                            evidence: vec![workload.evidence.first().cloned().unwrap_or_default()],
                            exposes_to_internet: false,
                            likelihood: None,
                            impact: None,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// The pod spec of a workload manifest: `spec` for a Pod, `spec.template.spec` for controllers,
/// `spec.jobTemplate.spec.template.spec` for a CronJob.
fn pod_spec(manifest: &serde_json::Map<String, Value>) -> Option<&Value> {
    let spec = manifest.get("spec")?;
    spec.pointer("/jobTemplate/spec/template/spec")
        .or_else(|| spec.pointer("/template/spec"))
        .or(Some(spec))
}

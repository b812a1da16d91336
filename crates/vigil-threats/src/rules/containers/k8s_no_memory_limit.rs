//! `k8s-no-memory-limit`: a container without a memory limit, in a namespace with no default one.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct NoMemoryLimit;

static META: RuleMeta = RuleMeta {
    id: "k8s-no-memory-limit",
    title: "Kubernetes container has no memory limit",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::DenialOfService],
    cwe: &["CWE-770"],
    capec: &["CAPEC-130"],
    attack: &["T1499", "T1496.001"],
    likelihood: 3,
    impact: 4,
    what: "A container or init container without `resources.limits.memory`, in a namespace where no \
           LimitRange of the repository sets a default container memory limit. CPU limits are not required \
           (CPU is throttled, not exhausted: many teams deliberately run with CPU requests only). \
           Checkov: CKV_K8S_13 (CKV_K8S_11 for CPU is deliberately not followed).",
    why: "Without a limit a container may use all the node's memory: a leak, a request that inflates a \
          payload, or an attacker's cryptominer puts the node under memory pressure, where the kubelet \
          evicts and the kernel OOM-kills pods by QoS class and usage, well-behaved neighbours included, and \
          the node can stop responding before eviction catches up.",
    example: "containers:\n  - name: api\n    image: api:2.3.1\n    resources:\n      requests:\n        memory: 256Mi",
    remediation: "Set `resources.limits.memory` on every container (or a LimitRange default for the namespace).",
    fix: &[
        "Measure the container's peak memory (`kubectl top pod`, your metrics) and set `resources.limits.memory` a margin above it, with `requests.memory` at the typical use.",
        "Add a LimitRange with `default.memory` to each namespace so containers without limits get one.",
    ],
    verify: &[
        "`kubectl get pod POD -o jsonpath='{.spec.containers[*].resources.limits.memory}'` prints a limit for every container; re-run `vigil assess`.",
    ],
    mitigated_by: &["namespace-limit-range"],
    false_positives: "A LimitRange or a ResourceQuota applied outside this repository (by a platform team, a \
                      policy engine) gives the containers a limit the manifest does not show: record it as the \
                      `namespace-limit-range` control.",
    references: &[
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
        "https://cwe.mitre.org/data/definitions/770.html",
    ],
    compliance: &[(Objective::Soc2, "A1.1"), (Objective::PciDss4, "2.2.6")],
};

impl Rule for NoMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let defaulted = namespaces_with_default_limit(ctx);
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx) {
            if !workload.judges_absence() {
                continue;
            }
            let namespace = workload.asset.attr_str("namespace").unwrap_or("default");
            if defaulted.iter().any(|n| n == namespace) {
                continue;
            }
            for container in workload.containers() {
                let resources = container.value.get("resources");
                let limits = resources.and_then(|r| r.get("limits"));
                let limit = limits.and_then(|l| l.get("memory")).filter(|m| !m.is_null());
                if limit.is_some() || resources.into_iter().chain(limits).any(k8s::computed) {
                    continue;
                }
                hits.push(Hit::new(
                    workload.subject(&container),
                    format!(
                        "{}: {} has no memory limit",
                        workload.name(),
                        container.describe()
                    ),
                    format!(
                        "no resources.limits.memory, and no LimitRange default for namespace {namespace}"
                    ),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&[
                        container.field("resources.limits"),
                        container.field("resources"),
                        container.field("name"),
                        container.path.clone(),
                    ])],
                ));
            }
        }
        hits
    }
}

/// Namespaces where a LimitRange of the repository gives containers a default memory limit.
fn namespaces_with_default_limit(ctx: &Context<'_>) -> Vec<String> {
    k8s::objects(ctx, "LimitRange")
        .into_iter()
        .filter(|range| {
            config(range)
                .and_then(|c| c.get("spec"))
                .and_then(|s| s.get("limits"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|limit| {
                    let kind = limit.get("type").and_then(Value::as_str);
                    kind == Some("Container")
                        && limit
                            .get("default")
                            .and_then(|d| d.get("memory"))
                            .is_some_and(|m| !m.is_null())
                })
        })
        .filter_map(|range| range.attr_str("namespace").map(str::to_owned))
        .collect()
}

//! `gcp-gke-public-nodes`: a GKE cluster whose nodes get external IP addresses.

use serde_json::{Map, Value};
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct GkePublicNodes;

static META: RuleMeta = RuleMeta {
    id: "gcp-gke-public-nodes",
    title: "GKE cluster nodes have public IP addresses",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-668"],
    capec: &["CAPEC-169"],
    attack: &["T1190", "T1133"],
    likelihood: 3,
    impact: 7,
    what: "A `google_container_cluster` with no `enable_private_nodes = true` anywhere in its configuration \
           (`private_cluster_config`, or the cluster-wide network defaults of newer providers): GKE's default is \
           to give every node an external IP. Checkov: CKV_GCP_64.",
    why: "Nodes with external addresses are directly routable from the Internet: a NodePort or hostPort service, \
          a kubelet or node agent port, or an SSH daemon is one permissive firewall rule away from exposure, and \
          outbound traffic leaves with the node's own address instead of a controlled NAT. Private nodes make the \
          load balancer the only way in.",
    example: "resource \"google_container_cluster\" \"main\" {\n  name     = \"shop\"\n  location = \"europe-west1\"\n}",
    remediation: "Create the cluster with private nodes and Cloud NAT for egress.",
    fix: &[
        "Add `private_cluster_config { enable_private_nodes = true  master_ipv4_cidr_block = \"172.16.0.0/28\" }` (node pools can also be switched individually with `network_config { enable_private_nodes = true }` on recent GKE versions).",
        "Give the nodes egress through Cloud NAT (`google_compute_router_nat`) if they pull images or call APIs outside Google.",
        "Expose services through load balancers or Ingress/Gateway only.",
    ],
    verify: &[
        "`gcloud container clusters describe <cluster> --location <location> --format=\"value(privateClusterConfig.enablePrivateNodes)\"` prints `True`.",
        "`gcloud compute instances list --filter=\"name~^gke-<cluster>\" --format=\"value(networkInterfaces[0].accessConfigs[0].natIP)\"` prints nothing.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "Node pools switched to private nodes one by one (`network_config` of `google_container_node_pool`) \
                      are private even though the cluster is not: accept the finding when every pool is. A cluster \
                      whose setting comes from a variable is not judged.",
    references: &[
        "https://cloud.google.com/kubernetes-engine/docs/concepts/private-cluster-concept",
        "https://cwe.mitre.org/data/definitions/668.html",
    ],
    compliance: &[(Objective::PciDss4, "1.4.4"), (Objective::Soc2, "CC6.6")],
};

impl Rule for GkePublicNodes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_container_cluster")
            .filter_map(|cluster| {
                let cfg = config(cluster)?;
                let settings = private_node_settings(cfg);
                // Private somewhere, or decided by a computed value: not judged as public.
                if settings
                    .iter()
                    .any(|v| !matches!(v, Value::Bool(false)) && v.as_str() != Some("false"))
                {
                    return None;
                }
                let detail = if settings.is_empty() {
                    "no enable_private_nodes: nodes get external IP addresses by default"
                } else {
                    "enable_private_nodes = false: nodes get external IP addresses"
                };
                Some(Hit::new(
                    cluster.id.0.clone(),
                    format!("{}: nodes are reachable at public IP addresses", cluster.name),
                    detail.to_owned(),
                    vec![cluster.id.clone()],
                    vec![
                        cluster
                            .evidence_for_first(&["private_cluster_config.0.enable_private_nodes", "name"]),
                    ],
                ))
            })
            .collect()
    }
}

/// Every `enable_private_nodes` value in a cluster configuration, in whichever block the provider version
/// puts it.
fn private_node_settings(cfg: &Map<String, Value>) -> Vec<&Value> {
    let mut found = Vec::new();
    let mut pending: Vec<&Map<String, Value>> = vec![cfg];
    while let Some(map) = pending.pop() {
        for (key, value) in map {
            if key == "enable_private_nodes" && !value.is_null() {
                found.push(value);
            }
            match value {
                Value::Object(inner) => pending.push(inner),
                Value::Array(items) => pending.extend(items.iter().filter_map(Value::as_object)),
                _ => {}
            }
        }
    }
    found
}

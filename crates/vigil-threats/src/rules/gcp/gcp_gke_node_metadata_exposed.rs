//! `gcp-gke-node-metadata-exposed`: GKE pods that can read the node's service account credentials.

use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct GkeNodeMetadataExposed;

static META: RuleMeta = RuleMeta {
    id: "gcp-gke-node-metadata-exposed",
    title: "GKE pods can read the node's service account credentials",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-522", "CWE-250"],
    capec: &["CAPEC-664"],
    attack: &["T1552.005", "T1078.004"],
    likelihood: 5,
    impact: 8,
    what: "A Standard `google_container_cluster` (not Autopilot) without `workload_identity_config`, so its node \
           pools expose the Compute Engine metadata server to pods; or a node pool (`node_config` of the cluster, a \
           `node_pool` block, or a `google_container_node_pool`) that sets `workload_metadata_config { mode = \
           \"GCE_METADATA\" }` (or the older `node_metadata = \"EXPOSE\"`). Node pools of a cluster with Workload \
           Identity default to `GKE_METADATA` and are not reported. Checkov: CKV_GCP_69.",
    why: "Any pod, and so any compromised container or server-side request forgery in one, can fetch an OAuth token \
          of the node's service account from `metadata.google.internal`, and the kubelet's bootstrap credentials \
          with it. Every workload on the node shares that identity, often the default compute account with Editor \
          on the project. Workload Identity's GKE metadata server hands each pod only its own Kubernetes service \
          account's identity.",
    example: "resource \"google_container_cluster\" \"main\" {\n  name               = \"shop\"\n  location           = \"europe-west1\"\n  initial_node_count = 3\n}",
    remediation: "Enable Workload Identity and run node pools with the GKE metadata server.",
    fix: &[
        "Add `workload_identity_config { workload_pool = \"<project>.svc.id.goog\" }` to the cluster.",
        "Set `workload_metadata_config { mode = \"GKE_METADATA\" }` in every `node_config` (existing node pools keep GCE_METADATA until changed).",
        "Bind each Kubernetes service account to a dedicated Google service account (or grant IAM to its principal directly), and give the nodes a minimal service account.",
    ],
    verify: &[
        "`gcloud container node-pools describe <pool> --cluster <cluster> --location <location> --format=\"value(config.workloadMetadataConfig.mode)\"` prints `GKE_METADATA`.",
        "From a pod, `curl -s -H 'Metadata-Flavor: Google' http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/email` returns the pod's workload identity, not the node's account.",
    ],
    mitigated_by: &["gke-metadata-blocked-by-network-policy"],
    false_positives: "Pools running only host-level system agents that need the node identity can keep \
                      GCE_METADATA; accept the finding for those pools when nothing else is scheduled on them. A \
                      NetworkPolicy that blocks egress to 169.254.169.254 from every namespace also protects the \
                      credentials; record it as a control.",
    references: &[
        "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata",
        "https://cwe.mitre.org/data/definitions/522.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.5"),
        (Objective::Soc2, "CC6.3"),
        (Objective::OwaspAsvs, "V12.6.1"),
    ],
};

impl Rule for GkeNodeMetadataExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for cluster in ctx.tf.of_type("google_container_cluster") {
            let Some(cfg) = config(cluster) else { continue };
            if literal_bool(cfg, "enable_autopilot") == Some(true) {
                continue;
            }
            let identity = blocks(cfg, "workload_identity_config");
            if identity.is_empty() {
                hits.push(Hit::new(
                    cluster.id.0.clone(),
                    format!("{}: pods can take the node's service account credentials", cluster.name),
                    "no workload_identity_config: node pools serve the Compute Engine metadata server to pods"
                        .to_owned(),
                    vec![cluster.id.clone()],
                    vec![cluster.evidence_for_first(&["name"])],
                ));
                continue;
            }
            hits.extend(exposing_pool(cluster, cfg, "default-pool", "node_config.0"));
            for (index, pool) in blocks(cfg, "node_pool").into_iter().enumerate() {
                let name = literal_str(pool, "name").unwrap_or("node_pool");
                hits.extend(exposing_pool(
                    cluster,
                    pool,
                    name,
                    &format!("node_pool.{index}.node_config.0"),
                ));
            }
        }
        for pool in ctx.tf.of_type("google_container_node_pool") {
            if let Some(cfg) = config(pool) {
                let name = literal_str(cfg, "name").unwrap_or(&pool.name);
                hits.extend(exposing_pool(pool, cfg, name, "node_config.0"));
            }
        }
        hits
    }
}

/// A hit when the `node_config` of node pool `pool` (read from `parent`, written at `place` in `holder`) opts
/// out of the GKE metadata server.
fn exposing_pool(
    holder: &Asset,
    parent: &serde_json::Map<String, serde_json::Value>,
    pool: &str,
    place: &str,
) -> Option<Hit> {
    let node_config = blocks(parent, "node_config").into_iter().next()?;
    let metadata = blocks(node_config, "workload_metadata_config")
        .into_iter()
        .next()?;
    let (key, value) = ["mode", "node_metadata"]
        .into_iter()
        .find_map(|k| literal_str(metadata, k).map(|v| (k, v)))
        .filter(|(_, v)| matches!(*v, "GCE_METADATA" | "EXPOSE"))?;
    Some(Hit::new(
        format!("{}:{place}", holder.id),
        format!(
            "{}: pods in node pool `{pool}` can take the node's service account credentials",
            holder.name
        ),
        format!("workload_metadata_config.{key} = \"{value}\""),
        vec![holder.id.clone()],
        vec![holder.evidence_for_first(&[&format!("{place}.workload_metadata_config.0.{key}"), place])],
    ))
}

//! `gcp-gke-control-plane-open`: a GKE cluster whose public control plane endpoint any address can reach.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct GkeControlPlaneOpen;

static META: RuleMeta = RuleMeta {
    id: "gcp-gke-control-plane-open",
    title: "GKE control plane is reachable from the whole Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-284"],
    capec: &["CAPEC-560"],
    attack: &["T1133", "T1078.004", "T1190"],
    likelihood: 5,
    impact: 8,
    what: "A `google_container_cluster` with a public endpoint (`private_cluster_config.enable_private_endpoint` \
           not `true`) and no `master_authorized_networks_config` block, or one whose `cidr_blocks` include a `/0` \
           range or that sets `gcp_public_cidrs_access_enabled = true` (every Google Cloud address, any \
           customer's). Checkov: CKV_GCP_20.",
    why: "The Kubernetes API server is the cluster's control plane. Open to every address, any leaked kubeconfig \
          credential or service account token works from anywhere, and every API server vulnerability can be tried \
          from the Internet. Authorized networks confine the endpoint to the ranges that administer the cluster.",
    example: "resource \"google_container_cluster\" \"main\" {\n  name     = \"shop\"\n  location = \"europe-west1\"\n}",
    remediation: "Enable master authorized networks with your admin ranges, or use a private endpoint.",
    fix: &[
        "Add `master_authorized_networks_config { cidr_blocks { cidr_block = \"<VPN or CI egress>/32\"  display_name = \"vpn\" } }`.",
        "Or set `private_cluster_config { enable_private_endpoint = true }` and administer from inside the VPC (or through the DNS-based endpoint with IAM).",
        "Do not enable `gcp_public_cidrs_access_enabled`: it admits every Google Cloud customer's addresses.",
    ],
    verify: &[
        "`gcloud container clusters describe <cluster> --location <location> --format=\"yaml(masterAuthorizedNetworksConfig, privateClusterConfig.enablePrivateEndpoint)\"` shows `enabled: true` with your ranges only, or a private endpoint.",
    ],
    mitigated_by: &[],
    false_positives: "Clusters administered from places without fixed egress addresses cannot list them; accept the \
                      finding only with short-lived credentials and Google groups for RBAC. Ranges given by a \
                      variable or a dynamic block are not judged.",
    references: &[
        "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[(Objective::PciDss4, "1.3.1"), (Objective::Soc2, "CC6.6")],
};

impl Rule for GkeControlPlaneOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_container_cluster")
            .filter_map(|cluster| {
                let cfg = config(cluster)?;
                // A private endpoint, or one decided by a computed value.
                if let Some(private) = blocks(cfg, "private_cluster_config").first()
                    && private
                        .get("enable_private_endpoint")
                        .is_some_and(|v| !v.is_null())
                    && literal_bool(private, "enable_private_endpoint") != Some(false)
                {
                    return None;
                }
                let (detail, place) = match blocks(cfg, "master_authorized_networks_config").first() {
                    None => (
                        "no master_authorized_networks_config and no private endpoint".to_owned(),
                        "name".to_owned(),
                    ),
                    Some(networks) => open_networks(networks)?,
                };
                Some(
                    Hit::new(
                        cluster.id.0.clone(),
                        format!(
                            "{}: the control plane accepts connections from any address",
                            cluster.name
                        ),
                        detail,
                        vec![cluster.id.clone()],
                        vec![cluster.evidence_for_first(&[
                            &place,
                            "master_authorized_networks_config.0",
                            "name",
                        ])],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

/// What opens an authorized networks configuration to everyone, and where; `None` when it is restricted.
fn open_networks(networks: &serde_json::Map<String, Value>) -> Option<(String, String)> {
    if literal_bool(networks, "gcp_public_cidrs_access_enabled") == Some(true) {
        return Some((
            "gcp_public_cidrs_access_enabled = true: every Google Cloud public address is authorized"
                .to_owned(),
            "master_authorized_networks_config.0.gcp_public_cidrs_access_enabled".to_owned(),
        ));
    }
    blocks(networks, "cidr_blocks")
        .into_iter()
        .enumerate()
        .find_map(|(index, block)| {
            let cidr = literal_str(block, "cidr_block").filter(|c| c.ends_with("/0"))?;
            Some((
                format!("master_authorized_networks_config authorizes {cidr}"),
                format!("master_authorized_networks_config.0.cidr_blocks.{index}.cidr_block"),
            ))
        })
}

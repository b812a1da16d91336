//! `azure-aks-public-api-server`: an AKS cluster whose API server any address on the Internet can reach.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config};

use super::common::flag;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AksPublicApiServer;

static META: RuleMeta = RuleMeta {
    id: "azure-aks-public-api-server",
    title: "AKS API server is reachable from the whole Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-284"],
    capec: &["CAPEC-560"],
    attack: &["T1133", "T1078.004", "T1190"],
    likelihood: 5,
    impact: 8,
    what: "An `azurerm_kubernetes_cluster` that is not private (`private_cluster_enabled` is not `true`; the default \
           is `false`) and has no authorized IP ranges (`api_server_access_profile { authorized_ip_ranges }`, or \
           `api_server_authorized_ip_ranges` before azurerm 4.0), or lists `0.0.0.0/0` among them. Checkov: \
           CKV_AZURE_6 (authorized IP ranges), CKV_AZURE_115 (private cluster).",
    why: "The API server is the cluster's control plane: with a public endpoint open to all, any leaked kubeconfig, \
          service account token or client certificate works from anywhere, and every Kubernetes API \
          vulnerability is exploitable from the Internet. Authorized ranges or a private cluster confine it to \
          the networks that administer the cluster.",
    example: "resource \"azurerm_kubernetes_cluster\" \"main\" {\n  name       = \"shop-aks\"\n  dns_prefix = \"shop\"\n}",
    remediation: "Make the cluster private, or restrict the API server to authorized IP ranges.",
    fix: &[
        "Set `private_cluster_enabled = true` (a new cluster) and administer it from a peered network, a jump host or `az aks command invoke`.",
        "Or add `api_server_access_profile { authorized_ip_ranges = [\"<office or VPN egress>/32\", \"<CI egress>/32\"] }` to an existing cluster.",
        "Disable local accounts (`local_account_disabled = true`) so every access goes through Entra ID.",
    ],
    verify: &[
        "`az aks show --name <cluster> -g <rg> --query \"[apiServerAccessProfile.enablePrivateCluster, apiServerAccessProfile.authorizedIpRanges]\"` shows `true` or a list of your ranges.",
        "`curl -k https://<api-server-fqdn>/version` from an address outside the ranges times out.",
    ],
    mitigated_by: &[],
    false_positives: "Clusters administered from runners or laptops without fixed egress addresses cannot list \
                      them; accept the finding only with Entra ID authentication, local accounts disabled and \
                      short-lived credentials. A cluster whose authorized ranges are computed (`var.ranges`) is not \
                      reported.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges",
        "https://learn.microsoft.com/en-us/azure/aks/private-clusters",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[(Objective::PciDss4, "1.3.1"), (Objective::Soc2, "CC6.6")],
};

impl Rule for AksPublicApiServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_kubernetes_cluster")
            .filter_map(|cluster| {
                let cfg = config(cluster)?;
                if flag(cfg, "private_cluster_enabled", false)? {
                    return None;
                }
                let (holder, key, place) = match blocks(cfg, "api_server_access_profile").into_iter().next() {
                    Some(profile) if profile.contains_key("authorized_ip_ranges") => (
                        profile,
                        "authorized_ip_ranges",
                        "api_server_access_profile.0.authorized_ip_ranges",
                    ),
                    _ => (
                        cfg,
                        "api_server_authorized_ip_ranges",
                        "api_server_authorized_ip_ranges",
                    ),
                };
                let detail = match holder.get(key) {
                    None | Some(Value::Null) => {
                        "not private (private_cluster_enabled is not true) and no authorized IP ranges"
                            .to_owned()
                    }
                    Some(Value::Array(items)) => {
                        // `[var.office]` or a computed element cannot be judged.
                        if items.iter().any(|v| v.as_str().is_none_or(|s| s.contains("${"))) {
                            return None;
                        }
                        match items.iter().filter_map(Value::as_str).find(|r| r.ends_with("/0")) {
                            Some(open) => format!("not private and {key} includes {open}"),
                            None if items.is_empty() => format!("not private and {key} is empty"),
                            None => return None,
                        }
                    }
                    // A computed list (`var.ranges`).
                    Some(_) => return None,
                };
                Some(
                    Hit::new(
                        cluster.id.0.clone(),
                        format!(
                            "{}: the API server accepts connections from any address",
                            cluster.name
                        ),
                        detail,
                        vec![cluster.id.clone()],
                        vec![cluster.evidence_for_first(&[place, "private_cluster_enabled", "name"])],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

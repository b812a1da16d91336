//! `gcp-firewall-open-remote-admin`: a VPC firewall rule that admits the Internet to SSH, RDP or WinRM.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str, strings};

use crate::rule::{Context, Hit, Rule, RuleMeta};
use crate::rules::azure::common::{REMOTE_ADMIN_SERVICES, port_spec_includes};

#[derive(Debug)]
pub struct FirewallOpenRemoteAdmin;

static META: RuleMeta = RuleMeta {
    id: "gcp-firewall-open-remote-admin",
    title: "VPC firewall opens SSH, RDP or WinRM to the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-49", "CAPEC-555"],
    attack: &["T1133", "T1021.004", "T1021.001", "T1110"],
    likelihood: 7,
    impact: 8,
    what: "An enabled ingress `google_compute_firewall` whose sources include `0.0.0.0/0` or `::/0`, explicitly in \
           `source_ranges` or implicitly (no `source_ranges`, `source_tags` or `source_service_accounts`: Google \
           Cloud then uses `0.0.0.0/0`), with an `allow` block for TCP or all protocols whose ports include SSH \
           (22), RDP (3389) or WinRM (5985, 5986), or that lists no ports (all of them). Checkov: CKV_GCP_2 (SSH), \
           CKV_GCP_3 (RDP).",
    why: "Every VM the rule targets with an external IP answers on its administration port to the whole Internet, \
          where mass scanners find it within minutes and start password spraying, key guessing and exploit \
          attempts. The `default-allow-ssh` and `default-allow-rdp` rules of the default network do exactly this.",
    example: "resource \"google_compute_firewall\" \"ssh\" {\n  name    = \"allow-ssh\"\n  network = \"default\"\n  allow {\n    protocol = \"tcp\"\n    ports    = [\"22\"]\n  }\n  source_ranges = [\"0.0.0.0/0\"]\n}",
    remediation: "Allow administration only from Identity-Aware Proxy or known ranges.",
    fix: &[
        "Replace `0.0.0.0/0` with `35.235.240.0/20` (Identity-Aware Proxy TCP forwarding) and connect with `gcloud compute ssh --tunnel-through-iap`.",
        "Or list the fixed egress ranges of your VPN or bastion; never leave `source_ranges` empty on an ingress rule.",
        "Delete the default network's `default-allow-ssh` / `default-allow-rdp` rules, and use OS Login for SSH access.",
    ],
    verify: &[
        "`gcloud compute firewall-rules list --filter=\"direction=INGRESS AND disabled=false AND sourceRanges:0.0.0.0/0\" --format=\"table(name,allowed[].map().firewall_rule().list())\"` shows no rule allowing 22, 3389, 5985 or 5986.",
        "`nc -vz <external-ip> 22` from outside your networks times out.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "The rule matters only for targeted VMs with an external IP (or behind a passthrough load \
                      balancer): in a network whose VMs have no external address it is dormant, until one gets \
                      one. A higher-priority deny rule for the same traffic also neutralises it; this rule does not \
                      evaluate priorities.",
    references: &[
        "https://cloud.google.com/firewall/docs/firewalls",
        "https://cloud.google.com/iap/docs/using-tcp-forwarding",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for FirewallOpenRemoteAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_compute_firewall")
            .filter_map(|firewall| {
                let cfg = config(firewall)?;
                // Disabled, or switched by a computed value.
                if !matches!(cfg.get("disabled"), None | Some(Value::Null))
                    && literal_bool(cfg, "disabled") != Some(false)
                {
                    return None;
                }
                let direction = match cfg.get("direction") {
                    None | Some(Value::Null) => "INGRESS",
                    Some(_) => literal_str(cfg, "direction")?,
                };
                if !direction.eq_ignore_ascii_case("INGRESS") {
                    return None;
                }
                let (source, source_place, source_detail) = match internet_source(cfg)? {
                    Source::Listed { range, index } => (
                        range,
                        format!("source_ranges.{index}"),
                        format!("ingress allowed from {range} (source_ranges)"),
                    ),
                    Source::Implicit => (
                        "0.0.0.0/0",
                        String::new(),
                        "ingress allowed from 0.0.0.0/0: no source_ranges, source_tags or \
                         source_service_accounts, so Google Cloud applies 0.0.0.0/0"
                            .to_owned(),
                    ),
                };
                let mut exposed: Vec<String> = Vec::new();
                let mut ports_place = None;
                for (index, allow) in blocks(cfg, "allow").into_iter().enumerate() {
                    let protocol = literal_str(allow, "protocol").unwrap_or_default();
                    if !matches!(protocol.to_ascii_lowercase().as_str(), "tcp" | "all" | "6") {
                        continue;
                    }
                    let ports = strings(allow, "ports");
                    if ports.iter().any(|p| p.contains("${")) {
                        continue;
                    }
                    for (port, name) in REMOTE_ADMIN_SERVICES {
                        let open =
                            ports.is_empty() || ports.iter().any(|spec| port_spec_includes(spec, port));
                        let label = format!("{name} ({port})");
                        if open && !exposed.contains(&label) {
                            exposed.push(label);
                            ports_place.get_or_insert_with(|| {
                                if ports.is_empty() {
                                    format!("allow.{index}")
                                } else {
                                    format!("allow.{index}.ports")
                                }
                            });
                        }
                    }
                }
                if exposed.is_empty() {
                    return None;
                }
                Some(
                    Hit::new(
                        firewall.id.0.clone(),
                        format!("{} opens {} to {source}", firewall.name, exposed.join(", ")),
                        source_detail,
                        vec![firewall.id.clone()],
                        vec![firewall.evidence_for_first(&[
                            &source_place,
                            ports_place.as_deref().unwrap_or_default(),
                            "name",
                        ])],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

/// How an ingress rule admits the whole Internet.
#[derive(Debug)]
enum Source<'c> {
    /// A `/0` range at `index` of `source_ranges`.
    Listed { range: &'c str, index: usize },
    /// No source at all: Google Cloud then applies `0.0.0.0/0`.
    Implicit,
}

/// `None` when the rule's sources are narrower than the Internet, or computed.
fn internet_source(cfg: &serde_json::Map<String, Value>) -> Option<Source<'_>> {
    match cfg.get("source_ranges") {
        Some(Value::Array(ranges)) if !ranges.is_empty() => {
            ranges.iter().enumerate().find_map(|(index, r)| {
                let range = r.as_str().filter(|r| *r == "0.0.0.0/0" || *r == "::/0")?;
                Some(Source::Listed { range, index })
            })
        }
        Some(Value::String(_)) => None,
        _ => {
            let other_sources = ["source_tags", "source_service_accounts"].iter().any(|k| {
                cfg.get(*k)
                    .is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
            });
            (!other_sources).then_some(Source::Implicit)
        }
    }
}

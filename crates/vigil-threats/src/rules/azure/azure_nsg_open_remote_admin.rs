//! `azure-nsg-open-remote-admin`: a network security group rule admitting the Internet to SSH, RDP or WinRM.

use serde_json::{Map, Value};
use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str, strings};

use super::common::{REMOTE_ADMIN_SERVICES, port_spec_includes};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct NsgOpenRemoteAdmin;

/// Source prefixes meaning any address: the wildcard, the `Internet` and `Any` service tags, default routes.
const ANYWHERE: [&str; 6] = ["*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"];

static META: RuleMeta = RuleMeta {
    id: "azure-nsg-open-remote-admin",
    title: "Network security group opens SSH, RDP or WinRM to the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-49", "CAPEC-555"],
    attack: &["T1133", "T1021.004", "T1021.001", "T1110"],
    likelihood: 7,
    impact: 8,
    what: "An inbound `Allow` rule, inline (`security_rule`) in an `azurerm_network_security_group` or an \
           `azurerm_network_security_rule`, for TCP (or any protocol) from `*`, `Internet`, `Any`, `0.0.0.0/0` or \
           `::/0` to a destination port range that includes SSH (22), RDP (3389) or WinRM (5985, 5986). Checkov: \
           CKV_AZURE_10 (SSH), CKV_AZURE_9 (RDP).",
    why: "Remote administration ports facing the Internet are found within minutes by mass scanners and then \
          receive continuous password spraying and exploit attempts (BlueKeep-class RDP bugs, SSH daemon \
          vulnerabilities). One weak or reused password, or one unpatched service, gives an interactive session on \
          the VM.",
    example: "security_rule {\n  name                       = \"ssh\"\n  priority                   = 100\n  direction                  = \"Inbound\"\n  access                     = \"Allow\"\n  protocol                   = \"Tcp\"\n  source_port_range          = \"*\"\n  destination_port_range     = \"22\"\n  source_address_prefix      = \"*\"\n  destination_address_prefix = \"*\"\n}",
    remediation: "Remove the rule and administer through Azure Bastion or just-in-time access, or restrict the source.",
    fix: &[
        "Delete the rule and connect through Azure Bastion (`azurerm_bastion_host`), or enable Defender for Cloud just-in-time VM access, which opens the port to one address for a limited time.",
        "If a fixed source must connect, set `source_address_prefix` to that address or range (a VPN or office egress), never `*` or `Internet`.",
        "For Linux, use key-only SSH (`disable_password_authentication = true`); for Windows, Entra ID login and Network Level Authentication.",
    ],
    verify: &[
        "`az network nsg rule list --nsg-name <nsg> -g <rg> --query \"[?direction=='Inbound' && access=='Allow'].[name, sourceAddressPrefix, destinationPortRange]\" -o table` shows no `*`/`Internet` source on 22, 3389, 5985 or 5986.",
        "`nc -vz <public-ip> 22` from outside your networks times out.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "The rule only matters for VMs with a public IP (or behind a load balancer forwarding the port): \
                      an NSG attached to a subnet without public addresses is not reachable from the Internet today, \
                      but becomes so as soon as a public IP is added. A higher-priority Deny rule for the same port \
                      and source in the same group also neutralises it; this rule does not evaluate priorities.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview",
        "https://learn.microsoft.com/en-us/azure/bastion/bastion-overview",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for NsgOpenRemoteAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for group in ctx.tf.of_type("azurerm_network_security_group") {
            let Some(cfg) = config(group) else { continue };
            for (index, rule) in blocks(cfg, "security_rule").into_iter().enumerate() {
                hits.extend(open_rule(group, rule, &format!("security_rule.{index}.")));
            }
        }
        for rule in ctx.tf.of_type("azurerm_network_security_rule") {
            if let Some(cfg) = config(rule) {
                hits.extend(open_rule(rule, cfg, ""));
            }
        }
        hits
    }
}

/// A hit when `rule` (a config of `holder` whose attribute paths start with `prefix`) admits the Internet
/// to a remote administration port.
fn open_rule(holder: &Asset, rule: &Map<String, Value>, prefix: &str) -> Option<Hit> {
    let is = |key: &str, expected: &[&str]| {
        literal_str(rule, key).is_some_and(|v| expected.iter().any(|e| v.eq_ignore_ascii_case(e)))
    };
    if !(is("direction", &["Inbound"])
        && is("access", &["Allow"])
        && is("protocol", &["Tcp", "*", "Asterisk"]))
    {
        return None;
    }
    let source = ["source_address_prefix", "source_address_prefixes"]
        .into_iter()
        .flat_map(|key| strings(rule, key))
        .find(|s| ANYWHERE.iter().any(|a| s.eq_ignore_ascii_case(a)))?;
    let ranges: Vec<&str> = ["destination_port_range", "destination_port_ranges"]
        .into_iter()
        .flat_map(|key| strings(rule, key))
        .collect();
    let exposed: Vec<String> = REMOTE_ADMIN_SERVICES
        .iter()
        .filter(|(port, _)| ranges.iter().any(|r| port_spec_includes(r, *port)))
        .map(|(port, name)| format!("{name} ({port})"))
        .collect();
    if exposed.is_empty() {
        return None;
    }
    let name = literal_str(rule, "name").unwrap_or(prefix.trim_end_matches('.'));
    let evidence = holder.evidence_for_first(&[
        &format!("{prefix}destination_port_range"),
        &format!("{prefix}destination_port_ranges"),
        prefix.trim_end_matches('.'),
    ]);
    Some(
        Hit::new(
            format!("{}:{name}", holder.id),
            format!(
                "{}: rule `{name}` opens {} to the Internet",
                holder.name,
                exposed.join(", ")
            ),
            format!(
                "inbound Allow from \"{source}\" to destination ports {}",
                ranges.join(", ")
            ),
            vec![holder.id.clone()],
            vec![evidence],
        )
        .exposing(),
    )
}

//! `azure-db-firewall-open`: a database server firewall rule that admits the whole Internet.

use std::net::Ipv4Addr;

use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DbFirewallOpen;

/// Server-level firewall rules of Azure SQL, PostgreSQL, MySQL and MariaDB (single and flexible servers).
const FIREWALL_RULES: [&str; 7] = [
    "azurerm_mssql_firewall_rule",
    "azurerm_sql_firewall_rule",
    "azurerm_postgresql_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_mariadb_firewall_rule",
];

/// Wider than a /8, a range is no longer anyone's network: it is a slice of the Internet.
const MAX_ADDRESSES: u64 = 1 << 24;

static META: RuleMeta = RuleMeta {
    id: "azure-db-firewall-open",
    title: "Azure database firewall admits the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-49", "CAPEC-600"],
    attack: &["T1190", "T1110"],
    likelihood: 7,
    impact: 8,
    what: "A server firewall rule of Azure SQL (`azurerm_mssql_firewall_rule`, `azurerm_sql_firewall_rule`), \
           PostgreSQL, MySQL or MariaDB (single or flexible server) whose `start_ip_address`..`end_ip_address` \
           range covers more than a /8, typically `0.0.0.0`-`255.255.255.255`. The `0.0.0.0`-`0.0.0.0` rule \
           (\"allow Azure services\") is not reported here. Checkov: CKV_AZURE_11.",
    why: "The rule opens the database's login endpoint to every address on the Internet. Database ports are \
          scanned continuously; what stands between an attacker and the data is then only the SQL login, exposed \
          to password spraying and credential stuffing, and any pre-authentication flaw in the engine.",
    example: "resource \"azurerm_mssql_firewall_rule\" \"all\" {\n  name             = \"all\"\n  server_id        = azurerm_mssql_server.orders.id\n  start_ip_address = \"0.0.0.0\"\n  end_ip_address   = \"255.255.255.255\"\n}",
    remediation: "Replace the range with the addresses that need access, or use a private endpoint.",
    fix: &[
        "Replace the rule with one rule per known egress address or range (office, VPN, CI runners).",
        "For applications in Azure, use a private endpoint or virtual network rules and set `public_network_access_enabled = false` on the server.",
        "Use Entra ID authentication for people, so no shared SQL password can be sprayed.",
    ],
    verify: &[
        "`az sql server firewall-rule list --resource-group <rg> --server <server> -o table` (or `az postgres server firewall-rule list`, ...) shows no rule spanning the Internet.",
        "A connection attempt from an address outside the rules is refused with a firewall error.",
    ],
    mitigated_by: &["private-endpoint-only"],
    false_positives: "A wide range can be intended for a short-lived test server holding no real data; delete the \
                      rule with the server. A server whose `public_network_access_enabled` is `false` ignores its \
                      firewall rules, so the rule is dormant there (but becomes live if public access is enabled).",
    references: &[
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

impl Rule for DbFirewallOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        FIREWALL_RULES
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|rule| {
                let cfg = config(rule)?;
                let start = literal_str(cfg, "start_ip_address")?;
                let end = literal_str(cfg, "end_ip_address")?;
                let (first, last) = (start.parse::<Ipv4Addr>().ok()?, end.parse::<Ipv4Addr>().ok()?);
                let count = u64::from(u32::from(last)).checked_sub(u64::from(u32::from(first)))? + 1;
                if count <= MAX_ADDRESSES {
                    return None;
                }
                let server = target(ctx, rule);
                // A server defined elsewhere is named as the rule names it (`server_name`, or the reference).
                let server_name = server.map(|s| s.name.clone()).or_else(|| {
                    ["server_name", "server_id"].into_iter().find_map(|key| {
                        let written = cfg.get(key)?.as_str()?;
                        let reference = written.strip_prefix("${").and_then(|r| r.strip_suffix('}'));
                        Some(
                            reference
                                .map_or(written, |r| r.trim_end_matches(".id"))
                                .to_owned(),
                        )
                    })
                });
                let server_name = server_name.unwrap_or_else(|| "its server".to_owned());
                let mut assets = vec![rule.id.clone()];
                assets.extend(server.map(|s| s.id.clone()));
                Some(
                    Hit::new(
                        rule.id.0.clone(),
                        format!("{} opens {server_name} to {start}-{end}", rule.name),
                        format!(
                            "start_ip_address = \"{start}\", end_ip_address = \"{end}\" ({count} addresses)"
                        ),
                        assets,
                        vec![rule.evidence_for_first(&["end_ip_address", "start_ip_address"])],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}

/// The server resource a rule refers to (`server_id = azurerm_mssql_server.x.id`).
fn target<'a>(ctx: &Context<'a>, rule: &Asset) -> Option<&'a Asset> {
    [
        "azurerm_mssql_server",
        "azurerm_sql_server",
        "azurerm_postgresql_server",
        "azurerm_postgresql_flexible_server",
        "azurerm_mysql_server",
        "azurerm_mysql_flexible_server",
        "azurerm_mariadb_server",
    ]
    .into_iter()
    .find_map(|t| ctx.tf.referenced_by(rule, t).into_iter().next())
}

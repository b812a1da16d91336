//! `azure-db-public-network`: a managed database server that listens on a public endpoint.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::common::{describe_flag, flag};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DbPublicNetwork;

/// Servers whose `public_network_access_enabled` defaults to `true`.
const SERVERS: [&str; 5] = [
    "azurerm_mssql_server",
    "azurerm_postgresql_server",
    "azurerm_mysql_server",
    "azurerm_mariadb_server",
    "azurerm_postgresql_flexible_server",
];

static META: RuleMeta = RuleMeta {
    id: "azure-db-public-network",
    title: "Azure database server accepts connections on its public endpoint",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284", "CWE-1188"],
    capec: &["CAPEC-49"],
    attack: &["T1190", "T1110"],
    likelihood: 4,
    impact: 7,
    what: "An `azurerm_mssql_server`, `azurerm_postgresql_server`, `azurerm_mysql_server`, `azurerm_mariadb_server` \
           or `azurerm_postgresql_flexible_server` (without `delegated_subnet_id`) whose \
           `public_network_access_enabled` is `true` or not set (the provider default is `true`). Checkov: \
           CKV_AZURE_113 (SQL), CKV_AZURE_68 (PostgreSQL), CKV_AZURE_53 (MySQL), CKV_AZURE_48 (MariaDB).",
    why: "With public network access on, the server's Internet-facing endpoint accepts connections from whatever \
          its firewall rules admit, and a single over-wide rule (added in the portal, by a script, or the \"allow \
          Azure services\" switch that admits every tenant's Azure resources) exposes the login to the Internet. \
          Turning public access off makes private endpoints the only way in, whatever the firewall says.",
    example: "resource \"azurerm_mssql_server\" \"orders\" {\n  name    = \"orders-sql\"\n  version = \"12.0\"\n}",
    remediation: "Disable public network access and connect through a private endpoint.",
    fix: &[
        "Create an `azurerm_private_endpoint` for the server (sub-resource `sqlServer`, `postgresqlServer`, `mysqlServer` or `mariadbServer`) and its private DNS zone.",
        "Set `public_network_access_enabled = false` once the clients resolve the private address.",
        "For a flexible server, deploy it into a delegated subnet (`delegated_subnet_id`) instead.",
    ],
    verify: &[
        "`az sql server show --name <server> --resource-group <rg> --query publicNetworkAccess` (or `az postgres server show`, `az mysql server show`...) prints `Disabled`.",
        "The server name resolves to a private address from inside the virtual network.",
    ],
    mitigated_by: &["private-endpoint-only"],
    false_positives: "A server reached by clients outside Azure with fixed addresses (a partner, an on-premises site \
                      without VPN) may need its public endpoint, restricted by firewall rules to those addresses: \
                      accept the finding and keep `azure-db-firewall-open` clean. A server with no firewall rule at all \
                      refuses every public connection today, but one rule added outside the code opens it.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#deny-public-network-access",
        "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-networking-private",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for DbPublicNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        SERVERS
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|server| {
                let cfg = config(server)?;
                // A flexible server injected into a subnet has no public endpoint at all.
                if cfg.contains_key("delegated_subnet_id") {
                    return None;
                }
                let key = "public_network_access_enabled";
                flag(cfg, key, true)?.then(|| {
                    Hit::new(
                        server.id.0.clone(),
                        format!("{} accepts connections on its public endpoint", server.name),
                        format!(
                            "{}; access is then limited only by its firewall rules",
                            describe_flag(cfg, key, true)
                        ),
                        vec![server.id.clone()],
                        vec![server.evidence_for_first(&[key, "name"])],
                    )
                })
            })
            .collect()
    }
}

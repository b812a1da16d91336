//! `azure-db-tls-not-enforced`: a managed database that accepts unencrypted or TLS 1.0/1.1 connections.

use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool, literal_str};

use super::common::allows_legacy_tls;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct DbTlsNotEnforced;

/// Single servers of PostgreSQL, MySQL and MariaDB: `ssl_enforcement_enabled` and a minimum TLS version.
const SINGLE_SERVERS: [&str; 3] = [
    "azurerm_postgresql_server",
    "azurerm_mysql_server",
    "azurerm_mariadb_server",
];

/// Server parameters of flexible servers, and the server type they configure.
const FLEXIBLE_CONFIGURATIONS: [(&str, &str); 2] = [
    (
        "azurerm_postgresql_flexible_server_configuration",
        "azurerm_postgresql_flexible_server",
    ),
    (
        "azurerm_mysql_flexible_server_configuration",
        "azurerm_mysql_flexible_server",
    ),
];

static META: RuleMeta = RuleMeta {
    id: "azure-db-tls-not-enforced",
    title: "Azure database server accepts unencrypted or legacy-TLS connections",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319", "CWE-326"],
    capec: &["CAPEC-157", "CAPEC-620"],
    attack: &["T1040", "T1557"],
    likelihood: 3,
    impact: 7,
    what: "A managed database that does not insist on modern TLS: `ssl_enforcement_enabled = false` or \
           `ssl_minimal_tls_version_enforced` of `TLS1_0`, `TLS1_1` or `TLSEnforcementDisabled` on an \
           `azurerm_postgresql_server`, `azurerm_mysql_server` or `azurerm_mariadb_server`; `minimum_tls_version` \
           `1.0`, `1.1` or `Disabled` on an `azurerm_mssql_server`; a flexible-server configuration setting \
           `require_secure_transport` to `off`, or `ssl_min_protocol_version` / `tls_version` to a version below \
           TLS 1.2. Provider defaults (TLS 1.2, secure transport required) are not reported. Checkov: CKV_AZURE_29 \
           and CKV_AZURE_147 (PostgreSQL), CKV_AZURE_28 and CKV_AZURE_54 (MySQL), CKV_AZURE_47 (MariaDB), \
           CKV_AZURE_52 (SQL).",
    why: "Without enforced TLS a client, a misconfigured driver or an attacker who strips the TLS negotiation can \
          send the login and every row in clear text; with TLS 1.0/1.1 allowed, the session can be downgraded to \
          protocols with known weaknesses. Database credentials and query results are then readable, and \
          alterable, by anyone on the network path.",
    example: "resource \"azurerm_postgresql_server\" \"orders\" {\n  name                    = \"orders-pg\"\n  ssl_enforcement_enabled = false\n}",
    remediation: "Require TLS 1.2 for every connection.",
    fix: &[
        "Single servers: `ssl_enforcement_enabled = true` and `ssl_minimal_tls_version_enforced = \"TLS1_2\"`.",
        "Azure SQL: `minimum_tls_version = \"1.2\"` on the `azurerm_mssql_server`.",
        "Flexible servers: remove the configuration that turns `require_secure_transport` off, and set `ssl_min_protocol_version` (PostgreSQL) to `TLSv1.2` or `tls_version` (MySQL) to `TLSv1.2,TLSv1.3`.",
        "Make clients verify the server certificate (`sslmode=verify-full`, `Encrypt=True;TrustServerCertificate=False`).",
    ],
    verify: &[
        "`az postgres server show --name <server> -g <rg> --query \"[sslEnforcement, minimalTlsVersion]\"` prints `Enabled` and `TLS1_2`; `az sql server show --query minimalTlsVersion` prints `1.2`.",
        "A client connecting with `sslmode=disable` is refused.",
    ],
    mitigated_by: &[],
    false_positives: "Legacy clients that cannot speak TLS 1.2 force the older versions until they are replaced: \
                      accept the finding with their name and a date, and reach the server only over a private \
                      network meanwhile. A configuration resource whose server lives in another module is still \
                      reported, under the configuration's own name.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/security-tls",
        "https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#configure-minimum-tls-version",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(2)(ii)"),
        (Objective::OwaspAsvs, "V9.2.2"),
        (Objective::Soc2, "CC6.7"),
    ],
};

impl Rule for DbTlsNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for server in SINGLE_SERVERS.into_iter().flat_map(|t| ctx.tf.of_type(t)) {
            let Some(cfg) = config(server) else { continue };
            if literal_bool(cfg, "ssl_enforcement_enabled") == Some(false) {
                hits.push(weakness(
                    server,
                    None,
                    "ssl_enforcement_enabled",
                    "false".into(),
                    true,
                ));
            } else if let Some(version) =
                literal_str(cfg, "ssl_minimal_tls_version_enforced").filter(|v| allows_legacy_tls(v))
            {
                let value = format!("\"{version}\"");
                hits.push(weakness(
                    server,
                    None,
                    "ssl_minimal_tls_version_enforced",
                    value,
                    false,
                ));
            }
        }
        for server in ctx.tf.of_type("azurerm_mssql_server") {
            if let Some(version) = config(server)
                .and_then(|c| literal_str(c, "minimum_tls_version"))
                .filter(|v| allows_legacy_tls(v))
            {
                let value = format!("\"{version}\"");
                hits.push(weakness(server, None, "minimum_tls_version", value, false));
            }
        }
        for (config_type, server_type) in FLEXIBLE_CONFIGURATIONS {
            for setting in ctx.tf.of_type(config_type) {
                let Some(cfg) = config(setting) else { continue };
                let (Some(name), Some(value)) = (literal_str(cfg, "name"), literal_str(cfg, "value")) else {
                    continue;
                };
                let unencrypted = name == "require_secure_transport" && value.eq_ignore_ascii_case("off");
                let legacy = matches!(name, "ssl_min_protocol_version" | "tls_version")
                    && value.split(',').any(|v| allows_legacy_tls(v.trim()));
                if unencrypted || legacy {
                    let server = ctx.tf.referenced_by(setting, server_type).into_iter().next();
                    let value = format!("\"{value}\"");
                    hits.push(weakness(setting, server, name, value, unencrypted));
                }
            }
        }
        hits
    }
}

/// A hit on a server whose argument `key` is `value`, or on a flexible-server configuration resource (its
/// `name` is `key`) that sets the parameter for `server`, the server it refers to when found.
fn weakness(holder: &Asset, server: Option<&Asset>, key: &str, value: String, unencrypted: bool) -> Hit {
    let parameter = holder
        .attr_str("resource_type")
        .is_some_and(|t| t.ends_with("_configuration"));
    let target = server.unwrap_or(holder);
    let title = if unencrypted {
        format!("{} accepts unencrypted connections", target.name)
    } else {
        format!("{} accepts TLS versions below 1.2", target.name)
    };
    let (detail, place) = if parameter {
        (
            format!("{} sets the server parameter {key} to {value}", holder.name),
            "value",
        )
    } else {
        (format!("{key} = {value}"), key)
    };
    let mut assets = vec![holder.id.clone()];
    if target.id != holder.id {
        assets.push(target.id.clone());
    }
    Hit::new(
        format!("{}:{key}", holder.id),
        title,
        detail,
        assets,
        vec![holder.evidence_for(place)],
    )
}

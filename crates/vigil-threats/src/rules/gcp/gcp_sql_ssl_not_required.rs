//! `gcp-sql-ssl-not-required`: a Cloud SQL instance that accepts unencrypted connections.

use serde_json::{Map, Value};
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SqlSslNotRequired;

static META: RuleMeta = RuleMeta {
    id: "gcp-sql-ssl-not-required",
    title: "Cloud SQL instance accepts unencrypted connections",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-319"],
    capec: &["CAPEC-157", "CAPEC-94"],
    attack: &["T1040", "T1557"],
    likelihood: 3,
    impact: 7,
    what: "A `google_sql_database_instance` whose `settings.ip_configuration` has neither `ssl_mode = \
           \"ENCRYPTED_ONLY\"` / `\"TRUSTED_CLIENT_CERTIFICATE_REQUIRED\"` nor `require_ssl = true` (the argument \
           before google provider 6.0). Cloud SQL's default, `ALLOW_UNENCRYPTED_AND_ENCRYPTED`, accepts plain-text \
           connections. Checkov: CKV_GCP_6.",
    why: "A client or driver that does not ask for TLS (many default to it) sends the database password and every \
          row in clear text; on a public IP that traffic crosses the Internet, and on a private one it is readable \
          by anything that can capture VPC traffic. Requiring encryption on the server makes a misconfigured client \
          fail instead of leak.",
    example: "settings {\n  tier = \"db-custom-2-7680\"\n  ip_configuration {\n    ipv4_enabled = true\n  }\n}",
    remediation: "Set `ssl_mode = \"ENCRYPTED_ONLY\"` (or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`).",
    fix: &[
        "Add `ssl_mode = \"ENCRYPTED_ONLY\"` to `settings.ip_configuration` (`require_ssl = true` on provider versions before 6.0).",
        "Make clients connect with TLS and verify the server (`sslmode=verify-ca` and the instance's server CA), or use the Cloud SQL Auth Proxy, which encrypts on its own.",
    ],
    verify: &[
        "`gcloud sql instances describe <instance> --format=\"value(settings.ipConfiguration.sslMode)\"` prints `ENCRYPTED_ONLY` or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`.",
        "`psql \"host=<ip> sslmode=disable ...\"` (or `mysql --ssl-mode=DISABLED`) is refused.",
    ],
    mitigated_by: &["cloud-sql-auth-proxy-only"],
    false_positives: "Instances reached only through the Cloud SQL Auth Proxy or the language connectors get an \
                      encrypted, IAM-authorized channel whatever `ssl_mode` says; record that as a control. The \
                      server still accepts plain connections from anything that can reach its IP.",
    references: &[
        "https://cloud.google.com/sql/docs/postgres/configure-ssl-instance",
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#ssl_mode",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::OwaspAsvs, "V9.2.2"),
        (Objective::Soc2, "CC6.7"),
    ],
};

impl Rule for SqlSslNotRequired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_sql_database_instance")
            .filter_map(|instance| {
                let settings = blocks(config(instance)?, "settings").into_iter().next();
                let ip = settings.and_then(|s| blocks(s, "ip_configuration").into_iter().next());
                let (detail, place) = weakness(ip)?;
                Some(Hit::new(
                    instance.id.0.clone(),
                    format!("{} accepts unencrypted database connections", instance.name),
                    detail,
                    vec![instance.id.clone()],
                    vec![instance.evidence_for_first(&[
                        place,
                        "settings.0.ip_configuration.0",
                        "settings.0",
                    ])],
                ))
            })
            .collect()
    }
}

/// What lets plain-text connections in, and where, for an instance's `ip_configuration`; `None` when TLS is
/// required or a computed value decides.
fn weakness(ip: Option<&Map<String, Value>>) -> Option<(String, &'static str)> {
    const DEFAULT: &str = "ssl_mode defaults to ALLOW_UNENCRYPTED_AND_ENCRYPTED";
    let Some(ip) = ip else {
        return Some((format!("no ip_configuration: {DEFAULT}"), "settings.0"));
    };
    let computed = |key: &str| {
        ip.get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains("${"))
    };
    if computed("ssl_mode") || computed("require_ssl") {
        return None;
    }
    match literal_str(ip, "ssl_mode") {
        Some("ENCRYPTED_ONLY" | "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") => None,
        Some(mode) => Some((
            format!("ip_configuration.ssl_mode = \"{mode}\""),
            "settings.0.ip_configuration.0.ssl_mode",
        )),
        None if literal_bool(ip, "require_ssl") == Some(true) => None,
        None => Some((
            format!("no ssl_mode and require_ssl is not true: {DEFAULT}"),
            "settings.0.ip_configuration.0.require_ssl",
        )),
    }
}

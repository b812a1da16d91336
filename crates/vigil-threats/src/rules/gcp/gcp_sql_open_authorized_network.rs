//! `gcp-sql-open-authorized-network`: a Cloud SQL instance authorizing connections from the whole Internet.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SqlOpenAuthorizedNetwork;

static META: RuleMeta = RuleMeta {
    id: "gcp-sql-open-authorized-network",
    title: "Cloud SQL instance is open to the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-49", "CAPEC-600"],
    attack: &["T1190", "T1110"],
    likelihood: 7,
    impact: 8,
    what: "A `google_sql_database_instance` with a public IP (`settings.ip_configuration.ipv4_enabled` not \
           `false`) and an `authorized_networks` entry whose `value` is a `/0` range (`0.0.0.0/0`, `::/0`). \
           Checkov: CKV_GCP_11.",
    why: "Authorized networks are the only network control in front of a Cloud SQL public IP: `0.0.0.0/0` lets \
          every address on the Internet reach the database port, where password spraying, credential stuffing and \
          engine vulnerabilities are tried around the clock. Database ports are among the most scanned on the \
          Internet.",
    example: "settings {\n  ip_configuration {\n    ipv4_enabled = true\n    authorized_networks {\n      name  = \"all\"\n      value = \"0.0.0.0/0\"\n    }\n  }\n}",
    remediation: "Remove the /0 entry; connect through private IP or the Cloud SQL Auth Proxy.",
    fix: &[
        "Delete the `authorized_networks` entry for `0.0.0.0/0` and list only the fixed egress addresses that need direct access.",
        "Prefer private IP (`ipv4_enabled = false`, `private_network = ...`) or the Cloud SQL Auth Proxy / language connectors, which authenticate with IAM and need no authorized network.",
        "Enforce `constraints/sql.restrictAuthorizedNetworks` (and `sql.restrictPublicIp`) as organization policies.",
    ],
    verify: &[
        "`gcloud sql instances describe <instance> --format=\"value(settings.ipConfiguration.authorizedNetworks[].value)\"` lists no `/0` range.",
        "A direct connection to the instance's public IP from an unlisted address times out.",
    ],
    mitigated_by: &["gcp-org-policy-sql-restrict-authorized-networks"],
    false_positives: "A throwaway instance with no real data, used for a short test, may be opened briefly: delete \
                      it with the test. Everything else should go through private IP or the Auth Proxy.",
    references: &[
        "https://cloud.google.com/sql/docs/mysql/authorize-networks",
        "https://cloud.google.com/sql/docs/mysql/sql-proxy",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(a)(1)"),
    ],
};

impl Rule for SqlOpenAuthorizedNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for instance in ctx.tf.of_type("google_sql_database_instance") {
            let Some(cfg) = config(instance) else { continue };
            let Some(ip) = blocks(cfg, "settings")
                .into_iter()
                .next()
                .and_then(|s| blocks(s, "ip_configuration").into_iter().next())
            else {
                continue;
            };
            // Without a public IP the authorized networks have nothing to open.
            if literal_bool(ip, "ipv4_enabled") == Some(false) {
                continue;
            }
            for (index, network) in blocks(ip, "authorized_networks").into_iter().enumerate() {
                let Some(range) = literal_str(network, "value").filter(|v| v.ends_with("/0")) else {
                    continue;
                };
                let label = literal_str(network, "name").unwrap_or(range);
                let place = format!("settings.0.ip_configuration.0.authorized_networks.{index}");
                hits.push(
                    Hit::new(
                        format!("{}:{range}", instance.id),
                        format!("{} accepts database connections from {range}", instance.name),
                        format!(
                            "authorized_networks entry `{label}` has value = \"{range}\" on the public IP"
                        ),
                        vec![instance.id.clone()],
                        vec![instance.evidence_for_first(&[&format!("{place}.value"), &place])],
                    )
                    .exposing(),
                );
            }
        }
        hits
    }
}

//! `azure-app-service-legacy-tls`: a web or function app that still accepts TLS 1.0 or 1.1.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str};

use super::common::{APP_SERVICE_TYPES, allows_legacy_tls};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AppServiceLegacyTls;

/// `site_config` arguments of the current resources, then of the classic `azurerm_app_service` and
/// `azurerm_function_app`: the site's own endpoint and its Kudu (SCM) deployment endpoint.
const SETTINGS: [(&str, &str); 4] = [
    ("minimum_tls_version", "the site"),
    ("scm_minimum_tls_version", "the deployment (SCM) endpoint"),
    ("min_tls_version", "the site"),
    ("scm_min_tls_version", "the deployment (SCM) endpoint"),
];

static META: RuleMeta = RuleMeta {
    id: "azure-app-service-legacy-tls",
    title: "Azure App Service app accepts TLS 1.0 or 1.1",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering],
    cwe: &["CWE-326", "CWE-757"],
    capec: &["CAPEC-620", "CAPEC-217"],
    attack: &["T1557", "T1040"],
    likelihood: 3,
    impact: 5,
    what: "A web app, function app or deployment slot whose `site_config` sets `minimum_tls_version` or \
           `scm_minimum_tls_version` (`min_tls_version` / `scm_min_tls_version` on the classic resources) to \
           `1.0` or `1.1`. The provider default, `1.2`, is not reported. Checkov: CKV_AZURE_15 (web apps), \
           CKV_AZURE_145 (function apps), CKV_AZURE_154 (slots).",
    why: "TLS 1.0 and 1.1 are deprecated (RFC 8996): they depend on SHA-1 and CBC constructions with practical \
          attacks, and a client or an on-path attacker can negotiate them down. The SCM endpoint carries \
          deployment credentials and code, so a weak minimum there exposes the supply chain of the app.",
    example: "resource \"azurerm_windows_web_app\" \"shop\" {\n  name = \"shop-web\"\n  site_config {\n    minimum_tls_version = \"1.0\"\n  }\n}",
    remediation: "Require TLS 1.2 or later on the site and on the SCM endpoint.",
    fix: &[
        "Set `minimum_tls_version = \"1.2\"` and `scm_minimum_tls_version = \"1.2\"` in `site_config` (or remove them: 1.2 is the default).",
        "Test the oldest clients against a deployment slot with the new minimum before switching production.",
    ],
    verify: &[
        "`az webapp config show --name <app> -g <rg> --query \"[minTlsVersion, scmMinTlsVersion]\"` prints `1.2` (or `1.3`) twice.",
        "`openssl s_client -connect <app>.azurewebsites.net:443 -tls1_1` fails the handshake.",
    ],
    mitigated_by: &["tls-terminating-front-door"],
    false_positives: "An app that must serve a legacy client unable to speak TLS 1.2 needs the old versions until that \
                      client is replaced: accept the finding with the client's name and a date. An app reachable only \
                      through a front end that enforces TLS 1.2 is protected on the client leg.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/app-service/overview-tls",
        "https://www.rfc-editor.org/rfc/rfc8996",
        "https://cwe.mitre.org/data/definitions/326.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::OwaspAsvs, "V9.1.3"),
        (Objective::Hipaa, "164.312(e)(2)(ii)"),
    ],
};

impl Rule for AppServiceLegacyTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for app in APP_SERVICE_TYPES.into_iter().flat_map(|t| ctx.tf.of_type(t)) {
            let Some(site) = config(app).and_then(|c| blocks(c, "site_config").into_iter().next()) else {
                continue;
            };
            for (key, endpoint) in SETTINGS {
                let Some(version) = literal_str(site, key).filter(|v| allows_legacy_tls(v)) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}:{key}", app.id),
                    format!("{}: {endpoint} accepts TLS {version}", app.name),
                    format!("site_config.{key} = \"{version}\""),
                    vec![app.id.clone()],
                    vec![app.evidence_for(&format!("site_config.0.{key}"))],
                ));
            }
        }
        hits
    }
}

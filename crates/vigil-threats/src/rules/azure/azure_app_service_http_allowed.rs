//! `azure-app-service-http-allowed`: a web or function app that serves plain HTTP.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::config;

use super::common::{APP_SERVICE_TYPES, describe_flag, flag};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AppServiceHttpAllowed;

static META: RuleMeta = RuleMeta {
    id: "azure-app-service-http-allowed",
    title: "Azure App Service app accepts plain HTTP",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Tampering, Stride::Spoofing],
    cwe: &["CWE-319"],
    capec: &["CAPEC-157", "CAPEC-94"],
    attack: &["T1557", "T1040"],
    likelihood: 4,
    impact: 6,
    what: "A web app, function app or deployment slot (`azurerm_linux_web_app`, `azurerm_windows_function_app`, \
           `azurerm_app_service`, `azurerm_function_app`, their `_slot` resources...) whose `https_only` is \
           `false` or not set: the provider default is `false`, so the app answers `http://` requests instead of \
           redirecting them to HTTPS. Checkov: CKV_AZURE_14 (web apps), CKV_AZURE_70 (function apps), \
           CKV_AZURE_153 (slots).",
    why: "Served over HTTP, session cookies, bearer tokens, function keys (`?code=`) and form posts cross the \
          network in clear text, and an on-path attacker (public Wi-Fi, a hostile proxy) can read them or inject \
          content. A user who types the bare host name lands on HTTP first, which is exactly what SSL-stripping \
          tools exploit.",
    example: "resource \"azurerm_linux_web_app\" \"shop\" {\n  name            = \"shop-web\"\n  service_plan_id = azurerm_service_plan.main.id\n  site_config {}\n}",
    remediation: "Set `https_only = true` (and send HSTS from the application).",
    fix: &[
        "Add `https_only = true` to the app and to each of its deployment slots.",
        "Send `Strict-Transport-Security` from the application once HTTPS-only is live, so browsers never try HTTP again.",
        "Assign the built-in Azure Policy \"App Service apps should only be accessible over HTTPS\" with the Deny effect.",
    ],
    verify: &[
        "`az webapp show --name <app> -g <rg> --query httpsOnly` (or `az functionapp show`) prints `true`.",
        "`curl -sI http://<app>.azurewebsites.net/` answers 301 to the `https://` URL.",
    ],
    mitigated_by: &["tls-terminating-front-door"],
    false_positives: "An app reachable only through Front Door or Application Gateway with an HTTPS-only listener \
                      and access restrictions that admit just that front end is not reachable over HTTP from \
                      clients; record the control on the component. Function apps triggered only by queues still \
                      expose their HTTP host and deployment endpoint.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https",
        "https://cwe.mitre.org/data/definitions/319.html",
    ],
    compliance: &[
        (Objective::PciDss4, "4.2.1"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::OwaspAsvs, "V9.1.1"),
        (Objective::Soc2, "CC6.7"),
    ],
};

impl Rule for AppServiceHttpAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        APP_SERVICE_TYPES
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|app| {
                let cfg = config(app)?;
                (!flag(cfg, "https_only", false)?).then(|| {
                    Hit::new(
                        app.id.0.clone(),
                        format!("{} serves plain HTTP", app.name),
                        describe_flag(cfg, "https_only", false),
                        vec![app.id.clone()],
                        vec![app.evidence_for_first(&["https_only", "name"])],
                    )
                    .exposing()
                })
            })
            .collect()
    }
}

//! `gcp-serverless-public-invoker`: a Cloud Run service or Cloud Function that anyone can invoke.

use vigil_core::{Asset, FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str};

use super::common::{grants, is_public_member, target};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ServerlessPublicInvoker;

/// Service types, the argument of their IAM resources that names the service, and what to call it.
const SERVICES: [(&str, &str, &str); 4] = [
    ("google_cloud_run_service", "service", "Cloud Run service"),
    ("google_cloud_run_v2_service", "name", "Cloud Run service"),
    (
        "google_cloudfunctions_function",
        "cloud_function",
        "Cloud Function",
    ),
    (
        "google_cloudfunctions2_function",
        "cloud_function",
        "Cloud Function",
    ),
];

static META: RuleMeta = RuleMeta {
    id: "gcp-serverless-public-invoker",
    title: "Cloud Run service or Cloud Function can be invoked by anyone",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::Spoofing,
        Stride::ElevationOfPrivilege,
        Stride::DenialOfService,
    ],
    cwe: &["CWE-306", "CWE-284"],
    capec: &["CAPEC-1"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 6,
    what: "A `google_cloud_run_service_iam_*`, `google_cloud_run_v2_service_iam_*`, \
           `google_cloudfunctions_function_iam_*` or `google_cloudfunctions2_function_iam_*` resource (member, \
           binding or policy) granting a role, usually `roles/run.invoker` or `roles/cloudfunctions.invoker`, to \
           `allUsers` or `allAuthenticatedUsers`, on a service whose ingress is not internal-only. Checkov: \
           CKV_GCP_102 (Cloud Run), CKV_GCP_107 (Cloud Functions).",
    why: "The invoker grant switches off Google's authentication in front of the service: any request from the \
          Internet reaches the code, which then has to authenticate callers itself. Internal services and \
          event handlers granted this way are callable by anyone who finds their `run.app` or \
          `cloudfunctions.net` URL, with the service account's permissions behind them, and each call costs you \
          money.",
    example: "resource \"google_cloud_run_v2_service_iam_member\" \"public\" {\n  name   = google_cloud_run_v2_service.api.name\n  role   = \"roles/run.invoker\"\n  member = \"allUsers\"\n}",
    remediation: "Grant the invoker role to the calling service accounts only, or make ingress internal.",
    fix: &[
        "Replace `allUsers` with the service accounts or groups that call the service (`serviceAccount:caller@<project>.iam.gserviceaccount.com`).",
        "For services called only from inside Google Cloud, set ingress to internal (`INGRESS_TRAFFIC_INTERNAL_ONLY`, `ALLOW_INTERNAL_ONLY`).",
        "For a public website or API, keep the grant but put it behind a load balancer with Cloud Armor and make the application authenticate every non-public route.",
    ],
    verify: &[
        "`gcloud run services get-iam-policy <service> --region <region>` (or `gcloud functions get-iam-policy <function>`) lists no `allUsers` / `allAuthenticatedUsers`.",
        "`curl -s -o /dev/null -w '%{http_code}' https://<service-url>/` without a token answers 403.",
    ],
    mitigated_by: &["gcp-org-policy-domain-restricted-sharing"],
    false_positives: "Public websites, public APIs and webhook receivers (which authenticate the sender with a \
                      signature) must be invocable by anyone: accept the finding for them after checking that the \
                      code authenticates whatever is not public. Services whose ingress is internal-only are not \
                      reported.",
    references: &[
        "https://cloud.google.com/run/docs/authenticating/public",
        "https://cloud.google.com/functions/docs/securing/managing-access-iam",
        "https://cwe.mitre.org/data/definitions/306.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V4.1.1"),
        (Objective::Soc2, "CC6.1"),
        (Objective::PciDss4, "7.2.1"),
    ],
};

impl Rule for ServerlessPublicInvoker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (service_type, key, kind) in SERVICES {
            for grant in grants(&ctx.tf, service_type)
                .into_iter()
                .filter(|g| is_public_member(&g.member))
            {
                let service = target(&ctx.tf, grant.holder, service_type, key, "name");
                if service.is_some_and(internal_only) {
                    continue;
                }
                let name = service.map_or_else(|| format!("a {kind}"), |s| s.name.clone());
                let mut assets = vec![grant.holder.id.clone()];
                assets.extend(service.map(|s| s.id.clone()));
                hits.push(
                    Hit::new(
                        format!("{}:{}:{}", grant.holder.id, grant.role, grant.member),
                        format!(
                            "{name} can be invoked by {} through {}",
                            grant.member, grant.holder.name
                        ),
                        format!("{} grants {} to {}", grant.holder.name, grant.role, grant.member),
                        assets,
                        vec![grant.evidence],
                    )
                    .exposing(),
                );
            }
        }
        hits
    }
}

/// Whether a service accepts requests only from inside Google Cloud (its VPC networks and Google services).
fn internal_only(service: &Asset) -> bool {
    let Some(cfg) = config(service) else { return false };
    let v1_annotation = blocks(cfg, "metadata")
        .into_iter()
        .filter_map(|m| m.get("annotations"))
        .filter_map(|a| a.get("run.googleapis.com/ingress"))
        .any(|v| v.as_str() == Some("internal"));
    // Cloud Run v2 `ingress`, Cloud Functions v1 `ingress_settings`, v2 `service_config.ingress_settings`.
    let setting_internal = std::iter::once(cfg)
        .chain(blocks(cfg, "service_config"))
        .filter_map(|c| literal_str(c, "ingress_settings").or_else(|| literal_str(c, "ingress")))
        .any(|s| matches!(s, "ALLOW_INTERNAL_ONLY" | "INGRESS_TRAFFIC_INTERNAL_ONLY"));
    v1_annotation || setting_internal
}

//! `gcp-instance-default-sa-full-scope`: a VM running as the Compute Engine default service account with the
//! `cloud-platform` scope.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str, strings};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct InstanceDefaultSaFullScope;

const VM_TYPES: [&str; 3] = [
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
];

static META: RuleMeta = RuleMeta {
    id: "gcp-instance-default-sa-full-scope",
    title: "VM runs as the default service account with full Cloud API access",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-250", "CWE-269"],
    capec: &["CAPEC-664"],
    attack: &["T1552.005", "T1078.004"],
    likelihood: 5,
    impact: 9,
    what: "A `google_compute_instance` or instance template whose `service_account` block uses the Compute Engine \
           default service account (no `email`, `PROJECT_NUMBER-compute@developer.gserviceaccount.com`, `default`, \
           or the `google_compute_default_service_account` data source) with the `cloud-platform` scope. Checkov: \
           CKV_GCP_31.",
    why: "The default service account is granted Editor on the project unless an organization policy prevented it, \
          and the `cloud-platform` scope removes the only other limit. Any code execution on the VM, or a \
          server-side request forgery reaching `metadata.google.internal`, yields a token that can read and change \
          almost everything in the project: buckets, databases, other VMs, secrets.",
    example: "service_account {\n  scopes = [\"cloud-platform\"]\n}",
    remediation: "Run the VM as a dedicated service account with only the roles it needs.",
    fix: &[
        "Create a `google_service_account` for the workload, grant it the specific roles it needs, and set `service_account { email = google_service_account.app.email  scopes = [\"cloud-platform\"] }`.",
        "Remove the Editor role from the default compute service account (`gcloud projects remove-iam-policy-binding`), and enforce `constraints/iam.automaticIamGrantsForDefaultServiceAccounts` for new projects.",
    ],
    verify: &[
        "`gcloud compute instances describe <vm> --zone <zone> --format=\"value(serviceAccounts[].email)\"` prints a dedicated account, not `*-compute@developer.gserviceaccount.com`.",
    ],
    mitigated_by: &["gcp-default-sa-without-editor"],
    false_positives: "In projects created under the `iam.automaticIamGrantsForDefaultServiceAccounts` organization \
                      policy, or where Editor was removed from the default account, the account only has the roles \
                      granted explicitly; record that as a control. GKE node pools are configured elsewhere and are \
                      not reported here.",
    references: &[
        "https://cloud.google.com/compute/docs/access/service-accounts#default_service_account",
        "https://cloud.google.com/compute/docs/access/create-enable-service-accounts-for-instances",
        "https://cwe.mitre.org/data/definitions/250.html",
    ],
    compliance: &[
        (Objective::PciDss4, "7.2.5"),
        (Objective::Soc2, "CC6.3"),
        (Objective::OwaspAsvs, "V4.1.3"),
    ],
};

impl Rule for InstanceDefaultSaFullScope {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        VM_TYPES
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|vm| {
                let account = blocks(config(vm)?, "service_account").into_iter().next()?;
                let identity = default_account(account)?;
                let full = strings(account, "scopes")
                    .into_iter()
                    .any(|s| s == "cloud-platform" || s == "https://www.googleapis.com/auth/cloud-platform");
                full.then(|| {
                    Hit::new(
                        vm.id.0.clone(),
                        format!(
                            "{} runs as the default service account with the cloud-platform scope",
                            vm.name
                        ),
                        format!("service_account: {identity}, scopes include cloud-platform"),
                        vec![vm.id.clone()],
                        vec![vm.evidence_for_first(&["service_account.0.scopes", "service_account.0"])],
                    )
                })
            })
            .collect()
    }
}

/// How a `service_account` block designates the default compute service account, or `None` for another (or a
/// computed) account.
fn default_account(account: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let Some(email) = account.get("email").filter(|e| !e.is_null()) else {
        return Some("no email (the default compute service account)".to_owned());
    };
    if let Some(email) = literal_str(account, "email") {
        let is_default = email == "default"
            || email
                .strip_suffix("-compute@developer.gserviceaccount.com")
                .is_some_and(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()));
        return is_default.then(|| format!("email = \"{email}\""));
    }
    let from_data_source = email
        .as_str()
        .is_some_and(|e| e.contains("data.google_compute_default_service_account."));
    from_data_source.then(|| "email from data.google_compute_default_service_account".to_owned())
}

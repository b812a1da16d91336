//! `gcp-compute-oslogin-disabled`: OS Login turned off for VMs, leaving SSH access to metadata keys.

use vigil_core::{FindingKind, Objective, Stride};

use super::common::metadata_flags;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComputeOsLoginDisabled;

static META: RuleMeta = RuleMeta {
    id: "gcp-compute-oslogin-disabled",
    title: "Compute Engine OS Login is turned off",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::Spoofing,
        Stride::Repudiation,
        Stride::ElevationOfPrivilege,
    ],
    cwe: &["CWE-287", "CWE-284"],
    capec: &["CAPEC-560"],
    attack: &["T1098.004", "T1021.004"],
    likelihood: 3,
    impact: 6,
    what: "Metadata `enable-oslogin` set to false on a `google_compute_instance` or instance template (overriding \
           the project setting) or for the whole project (`google_compute_project_metadata`, \
           `google_compute_project_metadata_item`). An unset value is not reported. Checkov: CKV_GCP_34 \
           (instances), CKV_GCP_33 (project).",
    why: "Without OS Login, SSH access is granted by writing public keys into instance or project metadata: \
          anyone who can edit metadata (`compute.instances.setMetadata`, a much broader permission than it sounds) \
          can add a key and log in, keys are not tied to a person and are not removed when the person leaves, and \
          IAM, 2-step verification and audit logs of who logged in do not apply.",
    example: "metadata = {\n  enable-oslogin = \"FALSE\"\n}",
    remediation: "Enable OS Login (`enable-oslogin = \"TRUE\"`) at project level and drop per-instance overrides.",
    fix: &[
        "Remove `enable-oslogin = FALSE` from the instance or template, and set `enable-oslogin = \"TRUE\"` in project metadata.",
        "Grant `roles/compute.osLogin` (or `osAdminLogin`) to the people and groups who need SSH, and remove `ssh-keys` from metadata.",
        "Enforce `constraints/compute.requireOsLogin` as an organization policy.",
    ],
    verify: &[
        "`gcloud compute project-info describe --format=\"value(commonInstanceMetadata.items.enable-oslogin)\"` prints `TRUE` and no instance overrides it (`gcloud compute instances list --format=\"table(name, metadata.items.enable-oslogin)\"`).",
    ],
    mitigated_by: &["gcp-org-policy-require-os-login"],
    false_positives: "Some images and appliances (Windows, older or third-party Linux images without the guest \
                      environment) do not support OS Login; accept the finding for them and restrict who can edit \
                      their metadata. The organization policy `compute.requireOsLogin` overrides the metadata.",
    references: &[
        "https://cloud.google.com/compute/docs/oslogin",
        "https://cwe.mitre.org/data/definitions/287.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.2.1"),
        (Objective::Soc2, "CC6.2"),
        (Objective::Hipaa, "164.312(a)(2)(i)"),
    ],
};

impl Rule for ComputeOsLoginDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        metadata_flags(&ctx.tf, "enable-oslogin")
            .into_iter()
            .filter(|flag| !flag.value)
            .map(|flag| {
                let scope = if flag.project_wide {
                    "the project"
                } else {
                    "its VMs"
                };
                Hit::new(
                    flag.holder.id.0.clone(),
                    format!("{} turns OS Login off for {scope}", flag.holder.name),
                    format!("metadata enable-oslogin = {}", flag.written),
                    vec![flag.holder.id.clone()],
                    vec![flag.evidence],
                )
            })
            .collect()
    }
}

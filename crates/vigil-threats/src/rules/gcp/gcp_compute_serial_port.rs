//! `gcp-compute-serial-port-enabled`: interactive serial console access enabled on VMs.

use vigil_core::{FindingKind, Objective, Stride};

use super::common::metadata_flags;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct ComputeSerialPort;

static META: RuleMeta = RuleMeta {
    id: "gcp-compute-serial-port-enabled",
    title: "Compute Engine interactive serial console is enabled",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-555"],
    attack: &["T1021.008", "T1078.004"],
    likelihood: 3,
    impact: 7,
    what: "Metadata `serial-port-enable` set to true on a `google_compute_instance` or instance template, in \
           `google_compute_project_metadata`, or by a `google_compute_project_metadata_item` (for every VM of the \
           project). Checkov: CKV_GCP_35.",
    why: "The interactive serial console is reachable through Google's public `ssh-serialport.googleapis.com` \
          endpoint whatever the VM's firewall rules and network say, and it does not support IP allow-lists. \
          Anyone with the right IAM permissions and a valid SSH key for the project gets a root-capable console, \
          bypassing every network control around the VM.",
    example: "metadata = {\n  serial-port-enable = \"TRUE\"\n}",
    remediation: "Remove `serial-port-enable` (or set it to FALSE) and use the console only for break-glass.",
    fix: &[
        "Remove `serial-port-enable` from the instance, template or project metadata, or set it to `\"FALSE\"`.",
        "Enforce `constraints/compute.disableSerialPortAccess` as an organization policy; lift it temporarily for a project when a VM must be debugged.",
        "Read boot problems from the serial port output (`gcloud compute instances get-serial-port-output`), which needs no interactive access.",
    ],
    verify: &[
        "`gcloud compute instances describe <vm> --zone <zone> --format=\"value(metadata.items.serial-port-enable)\"` and `gcloud compute project-info describe --format=\"value(commonInstanceMetadata.items.serial-port-enable)\"` print nothing or `FALSE`.",
    ],
    mitigated_by: &["gcp-org-policy-disable-serial-port-access"],
    false_positives: "A project whose organization policy `compute.disableSerialPortAccess` is enforced ignores the \
                      metadata; record it as a control. Temporary enablement while debugging one VM is expected: \
                      accept it with an expiry.",
    references: &[
        "https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.4"), (Objective::Soc2, "CC6.1")],
};

impl Rule for ComputeSerialPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        metadata_flags(&ctx.tf, "serial-port-enable")
            .into_iter()
            .filter(|flag| flag.value)
            .map(|flag| {
                let scope = if flag.project_wide {
                    "every VM of the project"
                } else {
                    "its VMs"
                };
                Hit::new(
                    flag.holder.id.0.clone(),
                    format!(
                        "{} enables the interactive serial console for {scope}",
                        flag.holder.name
                    ),
                    format!("metadata serial-port-enable = {}", flag.written),
                    vec![flag.holder.id.clone()],
                    vec![flag.evidence],
                )
            })
            .collect()
    }
}

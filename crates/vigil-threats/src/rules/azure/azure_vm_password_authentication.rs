//! `azure-vm-password-authentication`: a Linux VM or scale set that accepts SSH passwords.

use serde_json::{Map, Value};
use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct VmPasswordAuthentication;

/// Where each Linux VM type keeps `disable_password_authentication`: on the resource, or in a nested block.
const LOCATIONS: [(&str, &[&str]); 5] = [
    ("azurerm_linux_virtual_machine", &[]),
    ("azurerm_linux_virtual_machine_scale_set", &[]),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        &["os_profile", "linux_configuration"],
    ),
    ("azurerm_virtual_machine", &["os_profile_linux_config"]),
    ("azurerm_virtual_machine_scale_set", &["os_profile_linux_config"]),
];

const KEY: &str = "disable_password_authentication";

static META: RuleMeta = RuleMeta {
    id: "azure-vm-password-authentication",
    title: "Azure Linux VM accepts SSH password authentication",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing, Stride::ElevationOfPrivilege],
    cwe: &["CWE-309", "CWE-521"],
    capec: &["CAPEC-49", "CAPEC-600"],
    attack: &["T1110.001", "T1110.003", "T1021.004"],
    likelihood: 5,
    impact: 8,
    what: "An `azurerm_linux_virtual_machine`, `azurerm_linux_virtual_machine_scale_set`, \
           `azurerm_orchestrated_virtual_machine_scale_set` (`os_profile.linux_configuration`) or classic \
           `azurerm_virtual_machine` / `azurerm_virtual_machine_scale_set` (`os_profile_linux_config`) with \
           `disable_password_authentication = false`. The provider default for the current resources is `true`. \
           Checkov: CKV_AZURE_1, CKV_AZURE_149.",
    why: "A password-enabled SSH daemon can be brute-forced, sprayed with leaked passwords or logged into with a \
          password reused elsewhere; keys cannot be guessed. The admin account is in the sudoers group, so one \
          guessed password is root on the machine.",
    example: "resource \"azurerm_linux_virtual_machine\" \"app\" {\n  name                            = \"app-vm\"\n  admin_username                  = \"azureuser\"\n  admin_password                  = var.admin_password\n  disable_password_authentication = false\n}",
    remediation: "Use SSH keys only: `disable_password_authentication = true` with an `admin_ssh_key` block.",
    fix: &[
        "Add `admin_ssh_key { username = \"azureuser\"  public_key = file(\"~/.ssh/id_ed25519.pub\") }` and set `disable_password_authentication = true`; remove `admin_password`.",
        "Better, enable Entra ID login (the `AADSSHLoginForLinux` extension) and connect with `az ssh vm` through Azure Bastion.",
        "On running machines, set `PasswordAuthentication no` in `/etc/ssh/sshd_config` until they are replaced.",
    ],
    verify: &[
        "`az vm show --name <vm> -g <rg> --query osProfile.linuxConfiguration.disablePasswordAuthentication` prints `true`.",
        "`ssh -o PreferredAuthentications=password -o PubkeyAuthentication=no azureuser@<vm>` is refused with `Permission denied (publickey)`.",
    ],
    mitigated_by: &[],
    false_positives: "A VM reachable on port 22 only from Azure Bastion or a private network is much harder to \
                      brute-force, but the password still works for anyone inside; passwords set for serial console \
                      recovery can instead be given to a separate local user that is not allowed to log in over \
                      SSH.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed",
        "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_virtual_machine#disable_password_authentication",
        "https://cwe.mitre.org/data/definitions/309.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.3.1"),
        (Objective::Hipaa, "164.312(d)"),
        (Objective::Soc2, "CC6.1"),
    ],
};

impl Rule for VmPasswordAuthentication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (resource_type, path) in LOCATIONS {
            for vm in ctx.tf.of_type(resource_type) {
                let Some(cfg) = config(vm) else { continue };
                let Some((settings, place)) = nested(cfg, path) else {
                    continue;
                };
                if literal_bool(settings, KEY) != Some(false) {
                    continue;
                }
                let password = if [cfg, settings]
                    .into_iter()
                    .chain(blocks(cfg, "os_profile"))
                    .any(|block| block.contains_key("admin_password"))
                {
                    "; an admin_password is set"
                } else {
                    ""
                };
                hits.push(Hit::new(
                    vm.id.0.clone(),
                    format!("{} accepts SSH passwords", vm.name),
                    format!("{place}{KEY} = false{password}"),
                    vec![vm.id.clone()],
                    vec![vm.evidence_for(&format!("{}{KEY}", evidence_path(path)))],
                ));
            }
        }
        hits
    }
}

/// The block at `path` under `cfg` (the first of each level), and how a detail names it
/// (`os_profile_linux_config.`).
fn nested<'c>(cfg: &'c Map<String, Value>, path: &[&str]) -> Option<(&'c Map<String, Value>, String)> {
    let mut current = cfg;
    for key in path {
        current = blocks(current, key).into_iter().next()?;
    }
    Some((current, path.iter().map(|k| format!("{k}.")).collect()))
}

/// The `attribute_lines` prefix of the block at `path` (`os_profile.0.linux_configuration.0.`).
fn evidence_path(path: &[&str]) -> String {
    path.iter().map(|k| format!("{k}.0.")).collect()
}

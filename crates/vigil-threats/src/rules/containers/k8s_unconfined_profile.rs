//! `k8s-unconfined-profile`: a container with its seccomp or AppArmor profile explicitly switched off.

use serde_json::Value;
use vigil_core::{FindingKind, Objective, Stride};

use super::k8s;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnconfinedProfile;

static META: RuleMeta = RuleMeta {
    id: "k8s-unconfined-profile",
    title: "Kubernetes container runs without seccomp or AppArmor confinement",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-693", "CWE-250"],
    capec: &["CAPEC-233"],
    attack: &["T1611", "T1068"],
    likelihood: 3,
    impact: 7,
    what: "A container or init container whose effective `seccompProfile.type` or `appArmorProfile.type` (the \
           container's, else the pod's) is `Unconfined`, or whose \
           `container.apparmor.security.beta.kubernetes.io/<name>` annotation is `unconfined`. Only an \
           explicit opt-out is reported; privileged containers are k8s-privileged-container's. Checkov: \
           CKV_K8S_31 (which also reports a missing profile).",
    why: "The runtime's default seccomp profile blocks the system calls most kernel exploits and container \
          escapes rely on (`unshare`, `keyctl`, `bpf`, `mount`...), and AppArmor confines what files and \
          mounts a process may touch. Switching them off turns the next kernel vulnerability into a node \
          compromise from any code execution in the container.",
    example: "securityContext:\n  seccompProfile:\n    type: Unconfined",
    remediation: "Use `seccompProfile.type: RuntimeDefault` (and the runtime's AppArmor profile), or a tailored `Localhost` profile.",
    fix: &[
        "Set `securityContext.seccompProfile.type: RuntimeDefault` at the pod level and remove the `Unconfined` override.",
        "Remove the `unconfined` AppArmor annotation or `appArmorProfile` (the runtime default applies), or use a `Localhost` profile.",
        "If a specific system call is missing, write a `Localhost` seccomp profile that adds only it.",
    ],
    verify: &[
        "`kubectl exec POD -- grep Seccomp /proc/1/status` prints `Seccomp: 2`; re-run `vigil assess`.",
    ],
    mitigated_by: &["pod-security-restricted"],
    false_positives: "Debugging and tracing tools (strace, eBPF profilers) and some sandboxes need system calls \
                      the default profile blocks: prefer a Localhost profile, or accept the finding with the reason.",
    references: &[
        "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "https://kubernetes.io/docs/tutorials/security/apparmor/",
        "https://cwe.mitre.org/data/definitions/693.html",
    ],
    compliance: &[(Objective::PciDss4, "2.2.6"), (Objective::Soc2, "CC6.8")],
};

impl Rule for UnconfinedProfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for workload in k8s::workloads(ctx).iter().filter(|w| !w.is_windows()) {
            for container in workload.containers().iter().filter(|c| !c.privileged()) {
                let mut off = Vec::new();
                let mut places = Vec::new();
                for (field, what) in [("seccompProfile", "seccomp"), ("appArmorProfile", "AppArmor")] {
                    let Some((profile, path)) = workload.effective(container, field) else {
                        continue;
                    };
                    if profile.get("type").and_then(Value::as_str) == Some("Unconfined") {
                        off.push(format!("{what} (`{field}.type: Unconfined`)"));
                        places.push(format!("{path}.type"));
                    }
                }
                let annotation = format!(
                    "container.apparmor.security.beta.kubernetes.io/{}",
                    container.name
                );
                let annotated = workload
                    .metadata
                    .and_then(|m| m.get("annotations"))
                    .and_then(|a| a.get(&annotation))
                    .and_then(Value::as_str);
                if annotated == Some("unconfined") && !off.iter().any(|o| o.starts_with("AppArmor")) {
                    off.push(format!("AppArmor (annotation `{annotation}: unconfined`)"));
                    let metadata = workload.path.strip_suffix("spec").unwrap_or_default();
                    places.push(format!("{metadata}metadata.annotations.{annotation}"));
                }
                if off.is_empty() {
                    continue;
                }
                places.push(container.path.clone());
                hits.push(Hit::new(
                    workload.subject(container),
                    format!(
                        "{}: {} runs without {} confinement",
                        workload.name(),
                        container.describe(),
                        if off.len() > 1 {
                            "seccomp and AppArmor"
                        } else if off[0].starts_with("seccomp") {
                            "seccomp"
                        } else {
                            "AppArmor"
                        }
                    ),
                    format!("{} switched off", off.join(" and ")),
                    vec![workload.asset.id.clone()],
                    vec![workload.evidence(&places)],
                ));
            }
        }
        hits
    }
}

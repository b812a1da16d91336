//! `secrets-without-vault`: a service keeps secrets in its files or handles credentials, and fetches
//! nothing from a secrets manager.

use globset::Glob;
use vigil_core::{Asset, AssetKind, Component, DataClass, FindingKind, Objective, Stride};
use vigil_model::controls::SECRETS_MANAGER;

use super::support::{is_application, missing_controls};
use crate::graph::component_hit;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SecretsWithoutVault;

static META: RuleMeta = RuleMeta {
    id: "secrets-without-vault",
    title: "Service handles secrets without a secrets manager",
    kind: FindingKind::Threat,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-522", "CWE-798"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 4,
    impact: 7,
    what: "An application component (a service in the code, or a process added in vigil-model.yaml or a design \
           document) with secrets committed under its directory (secret scanner findings outside test paths \
           and not allowed in vigil.toml) or with the `secrets` data class, and no `secrets-manager` control: \
           no secrets-management SDK in its code (AWS Secrets Manager, Google Secret Manager, Azure Key Vault, \
           HashiCorp Vault, Doppler, 1Password) and none recorded in vigil-model.yaml. One finding per \
           service, about how it gets its secrets; each committed secret is also reported by `secret-in-code`. \
           Threagile: missing-vault.",
    why: "Secrets kept in files and environment variables spread to every clone, image layer, CI log and \
          crash dump, cannot be rotated without a deploy, and give no record of who read them. A secrets \
          manager keeps one copy, controls and logs access per service identity, and makes rotation routine.",
    example: "# api/settings.py\nSTRIPE_KEY = \"sk_live_...\"  # no secrets manager client in the service",
    remediation: "Load the service's secrets from a secrets manager at runtime, through its own identity.",
    fix: &[
        "Move each secret into a secrets manager (AWS Secrets Manager, Google Secret Manager, Azure Key Vault, HashiCorp Vault) and grant the service's runtime identity read access to its own secrets only.",
        "Fetch secrets at start-up or on use (or mount them through the platform's secrets integration) instead of reading them from files in the repository.",
        "Revoke and rotate every secret that was committed, and enable automatic rotation where the issuer supports it.",
        "Record `secrets-manager` on the component in vigil-model.yaml when the platform injects secrets (Kubernetes External Secrets, ECS secrets from Secrets Manager).",
    ],
    verify: &[
        "The repository has no secret scanner findings for the service; its deployed configuration references secret ARNs or paths, not values.",
        "Re-run `vigil assess`: the finding is mitigated by `secrets-manager`.",
    ],
    mitigated_by: &[SECRETS_MANAGER],
    false_positives: "Platforms that inject secrets as environment variables from a managed store (ECS task \
                      secrets, Kubernetes External Secrets, Vercel or Heroku config) leave no SDK in the code: \
                      record `secrets-manager` on the component. A service marked `secrets` because it stores \
                      users' password hashes is reported too; narrow its data classes.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/522.html",
        "https://threagile.io/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V6.4.1"),
        (Objective::OwaspAsvs, "V2.10.4"),
        (Objective::PciDss4, "8.6.2"),
        (Objective::PciDss4, "3.6.1"),
        (Objective::Soc2, "CC6.1"),
    ],
};

/// Whether the allowlist in vigil.toml accepts the secret (a fake test key, a documented example).
fn allowed(ctx: &Context<'_>, secret: &Asset) -> bool {
    ctx.scope.secrets.allow.iter().any(|entry| {
        let path = entry
            .path
            .as_ref()
            .is_none_or(|glob| Glob::new(glob).is_ok_and(|g| g.compile_matcher().is_match(secret.path())));
        let fingerprint = entry.fingerprint.as_ref().is_none_or(|prefix| {
            secret
                .attr_str("value_fingerprint")
                .is_some_and(|f| f.starts_with(prefix.as_str()))
        });
        let detector = entry
            .detector
            .as_ref()
            .is_none_or(|d| secret.attr_str("detector") == Some(d.as_str()));
        path && fingerprint && detector
    })
}

/// The directory of the service a component stands for, if it is one.
fn service_dir(ctx: &Context<'_>, component: &Component) -> Option<String> {
    let service = component
        .assets
        .iter()
        .filter_map(|id| ctx.inventory.get(id))
        .find(|a| a.kind == AssetKind::Service)?;
    Some(
        service
            .attr_str("directory")
            .unwrap_or_else(|| service.id.0.trim_start_matches("service:"))
            .trim_matches('/')
            .to_owned(),
    )
}

impl Rule for SecretsWithoutVault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let services: Vec<(&Component, Option<String>)> = ctx
            .model
            .components
            .iter()
            .filter(|c| is_application(c))
            .map(|c| (c, service_dir(ctx, c)))
            .collect();
        let mut hits = Vec::new();
        for (component, dir) in &services {
            // A secret belongs to the innermost service directory holding it.
            let secrets: Vec<&Asset> = match dir {
                Some(dir) => ctx
                    .inventory
                    .of_kind(AssetKind::Secret)
                    .filter(|s| s.attr_bool("in_test_path") != Some(true) && !allowed(ctx, s))
                    .filter(|s| under(s.path(), dir))
                    .filter(|s| {
                        !services.iter().any(|(_, other)| {
                            other
                                .as_ref()
                                .is_some_and(|o| o.len() > dir.len() && under(s.path(), o))
                        })
                    })
                    .collect(),
                None => Vec::new(),
            };
            let handles = component.data_classes.contains(&DataClass::Secrets);
            if secrets.is_empty() && !handles {
                continue;
            }
            let mut reasons = Vec::new();
            if !secrets.is_empty() {
                let mut files: Vec<&str> = secrets.iter().map(|s| s.path()).collect();
                files.sort_unstable();
                files.dedup();
                reasons.push(format!(
                    "keeps {} committed secret{} in its files ({}{})",
                    secrets.len(),
                    if secrets.len() == 1 { "" } else { "s" },
                    files.iter().take(3).copied().collect::<Vec<_>>().join(", "),
                    if files.len() > 3 { ", ..." } else { "" }
                ));
            }
            if handles {
                reasons.push("handles data classified `secrets`".to_owned());
            }
            let evidence = secrets
                .iter()
                .take(3)
                .flat_map(|s| s.evidence.iter().take(1).cloned())
                .collect();
            let detail = format!(
                "{} {}{}",
                component.name,
                reasons.join(" and "),
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "secrets-vault",
                format!("{}: secrets handled without a secrets manager", component.name),
                detail,
                evidence,
            );
            hit.likelihood = if secrets.is_empty() {
                Some((
                    3,
                    "no committed secret found: only the data class says it handles secrets".into(),
                ))
            } else {
                Some((5, "secrets are already committed to the repository".into()))
            };
            hits.push(hit);
        }
        hits
    }
}

fn under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

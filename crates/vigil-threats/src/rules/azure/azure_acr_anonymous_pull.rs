//! `azure-acr-anonymous-pull`: a container registry that anyone can pull images from.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct AcrAnonymousPull;

static META: RuleMeta = RuleMeta {
    id: "azure-acr-anonymous-pull",
    title: "Azure Container Registry allows anonymous pulls",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-306", "CWE-200"],
    capec: &["CAPEC-1"],
    attack: &["T1530", "T1552.001"],
    likelihood: 6,
    impact: 5,
    what: "An `azurerm_container_registry` with `anonymous_pull_enabled = true` (the provider default is `false`): \
           every repository can be pulled without credentials. Checkov: CKV_AZURE_138.",
    why: "Private images routinely contain what should not leave the company: proprietary code, configuration \
          files, credentials baked into layers, internal host names. Registry names are DNS names \
          (`<name>.azurecr.io`) and are enumerated; with anonymous pull, `docker pull` of any repository whose name \
          can be guessed works for anyone.",
    example: "resource \"azurerm_container_registry\" \"main\" {\n  name                   = \"shopacr\"\n  sku                    = \"Standard\"\n  anonymous_pull_enabled = true\n}",
    remediation: "Disable anonymous pull; publish public images from a separate registry.",
    fix: &[
        "Set `anonymous_pull_enabled = false` (or remove it).",
        "Give consumers an identity with the `AcrPull` role, or a repository-scoped token (`azurerm_container_registry_token`).",
        "If some images are meant to be public, push them to a dedicated registry (or a public one) that holds nothing else.",
    ],
    verify: &[
        "`az acr show --name <registry> --query anonymousPullEnabled` prints `false`.",
        "`docker logout <registry>.azurecr.io && docker pull <registry>.azurecr.io/<repo>:<tag>` fails with `unauthorized`.",
    ],
    mitigated_by: &[],
    false_positives: "A registry that exists to distribute public images (an open-source project's) is anonymous on \
                      purpose: accept the finding for it and make sure no private repository lives in it.",
    references: &[
        "https://learn.microsoft.com/en-us/azure/container-registry/anonymous-pull-access",
        "https://cwe.mitre.org/data/definitions/306.html",
    ],
    compliance: &[(Objective::Soc2, "CC6.1"), (Objective::PciDss4, "7.2.1")],
};

impl Rule for AcrAnonymousPull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("azurerm_container_registry")
            .filter(|registry| {
                config(registry).and_then(|c| literal_bool(c, "anonymous_pull_enabled")) == Some(true)
            })
            .map(|registry| {
                Hit::new(
                    registry.id.0.clone(),
                    format!("{}: anyone can pull its images", registry.name),
                    "anonymous_pull_enabled = true".to_owned(),
                    vec![registry.id.clone()],
                    vec![registry.evidence_for("anonymous_pull_enabled")],
                )
                .exposing()
            })
            .collect()
    }
}

//! The rule contract. A rule is a `RuleMeta` (its documentation and scoring base, rendered by
//! `vigil rules explain`) and a `check` over the classified inventory and the system model that returns
//! hits. The engine turns hits into findings; a rule never builds findings or fingerprints itself.

use vigil_core::{
    AssetId, Component, Evidence, FindingKind, Inventory, Objective, Scope, Stride, SystemModel, compliance,
};
use vigil_model::terraform::Terraform;

#[derive(Debug)]
pub struct RuleMeta {
    /// Stable, unique, kebab-case. A renamed rule keeps its old id in `registry::RENAMED`.
    pub id: &'static str,
    pub title: &'static str,
    pub kind: FindingKind,
    pub stride: &'static [Stride],
    pub cwe: &'static [&'static str],
    /// CAPEC attack patterns (`CAPEC-122`) this threat is an instance of.
    pub capec: &'static [&'static str],
    /// MITRE ATT&CK (Enterprise) techniques an attacker would use (`T1530`).
    pub attack: &'static [&'static str],
    /// Base likelihood and impact (1..10) before the model and data adjust them.
    pub likelihood: u8,
    pub impact: u8,
    /// What it finds.
    pub what: &'static str,
    /// Why it matters: the attack it enables.
    pub why: &'static str,
    /// A minimal example that triggers it.
    pub example: &'static str,
    /// One-line remediation, and the runbook steps.
    pub remediation: &'static str,
    pub fix: &'static [&'static str],
    pub verify: &'static [&'static str],
    /// Controls that mitigate the threat when recorded on every component it touches (`controls` in
    /// vigil-model.yaml): the finding then stays in the output, mitigated, with the control as evidence.
    pub mitigated_by: &'static [&'static str],
    /// When a hit is not a real problem, and how to tell.
    pub false_positives: &'static str,
    pub references: &'static [&'static str],
    /// Requirements the finding bears on, by bare catalog id (`(Objective::Soc2, "CC6.1")`); their titles
    /// come from `vigil_core::compliance` when shown.
    pub compliance: &'static [(Objective, &'static str)],
}

/// What a rule saw.
#[derive(Debug, Clone)]
pub struct Hit {
    /// What the hit is about, stable across runs and line shifts (an asset id plus, where one asset can have
    /// several hits, the attribute or port at fault). Hashed into the finding's fingerprint.
    pub subject: String,
    pub title: String,
    pub detail: String,
    pub assets: Vec<AssetId>,
    pub evidence: Vec<Evidence>,
    /// The hit is itself an exposure to the Internet (a public bucket), not a weakness behind one.
    pub exposes_to_internet: bool,
    /// Bases for this hit when they differ from the rule's (a test key weighs less than a live one).
    pub likelihood: Option<(u8, String)>,
    pub impact: Option<(u8, String)>,
}

impl Hit {
    /// A hit that scores with the rule's bases.
    pub fn new(
        subject: String,
        title: String,
        detail: String,
        assets: Vec<AssetId>,
        evidence: Vec<Evidence>,
    ) -> Self {
        Self {
            subject,
            title,
            detail,
            assets,
            evidence,
            exposes_to_internet: false,
            likelihood: None,
            impact: None,
        }
    }

    pub fn exposing(mut self) -> Self {
        self.exposes_to_internet = true;
        self
    }
}

/// The asset a hit about `component` names: the first asset it stands for, or, for a component with none
/// (an external entity, a component planned in a design document or added in vigil-model.yaml), a
/// `component:<id>` reference the engine resolves back to the component.
pub fn component_asset(component: &Component) -> AssetId {
    component
        .assets
        .first()
        .cloned()
        .unwrap_or_else(|| AssetId(format!("component:{}", component.id)))
}

#[derive(Debug)]
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub model: &'a SystemModel,
    pub scope: &'a Scope,
    pub tf: Terraform<'a>,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context<'_>) -> Vec<Hit>;
}

impl RuleMeta {
    /// The rule's documentation as Markdown (What / Why / Example / Fix / How to verify / References).
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}: {}\n\n", self.id, self.title);
        let stride: Vec<&str> = self.stride.iter().map(|s| s.as_str()).collect();
        out.push_str(&format!(
            "Kind: {} · STRIDE: {} · CWE: {} · base likelihood {} / impact {}\n\n",
            self.kind.as_str(),
            stride.join(", "),
            self.cwe.join(", "),
            self.likelihood,
            self.impact
        ));
        if !self.capec.is_empty() || !self.attack.is_empty() {
            out.push_str(&format!(
                "CAPEC: {} · ATT&CK: {}\n\n",
                if self.capec.is_empty() {
                    "-".to_owned()
                } else {
                    self.capec.join(", ")
                },
                if self.attack.is_empty() {
                    "-".to_owned()
                } else {
                    self.attack.join(", ")
                }
            ));
        }
        out.push_str(&format!(
            "## What it finds\n{}\n\n## Why it matters\n{}\n\n",
            self.what, self.why
        ));
        out.push_str(&format!(
            "## Example\n```\n{}\n```\n\n## Fix\n",
            self.example.trim()
        ));
        for step in self.fix {
            out.push_str(&format!("- {step}\n"));
        }
        out.push_str("\n## How to verify\n");
        for step in self.verify {
            out.push_str(&format!("- {step}\n"));
        }
        if !self.mitigated_by.is_empty() {
            out.push_str(&format!(
                "\n## Mitigated by\nRecord one of these controls on the component (`controls:` in vigil-model.yaml): {}\n",
                self.mitigated_by.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        out.push_str(&format!("\n## False positives\n{}\n", self.false_positives));
        if !self.compliance.is_empty() {
            out.push_str("\n## Compliance\n");
            for (objective, id) in self.compliance {
                out.push_str(&format!(
                    "- {}: {}\n",
                    objective.as_str(),
                    compliance::label(*objective, id)
                ));
            }
        }
        out.push_str("\n## References\n");
        for reference in self.references {
            out.push_str(&format!("- {reference}\n"));
        }
        out
    }
}

//! What the AI rules ask of the model beyond [`crate::graph`]: which external entities are LLM providers
//! and whether they run outside the team's infrastructure, how exposure changes the likelihood of an
//! attack that needs attacker input, and how to say which control is missing.

use vigil_core::{AssetKind, CapabilityKind, Component, ComponentKind, Evidence, Inventory, SystemModel};

use crate::graph::Exposure;

pub use crate::graph::{identified_store, missing_controls, unseen_data_impact};

/// Model runtimes a team runs on its own hosts: prompts sent to them stay in its infrastructure.
const SELF_HOSTED: &[&str] = &["ollama", "llama-cpp", "vllm"];

/// Where an LLM provider runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// A third party's API: prompts leave the infrastructure.
    Hosted,
    /// A runtime on the team's own hosts (Ollama, llama.cpp, vLLM).
    SelfHosted,
}

/// Whether `component` is an LLM provider: an external entity standing for an LLM SDK of the catalog, one
/// the model builder named "(LLM provider)", or one the threat model file sends prompts to.
pub fn llm_provider(inventory: &Inventory, model: &SystemModel, component: &Component) -> Option<Provider> {
    if component.kind != ComponentKind::ExternalEntity {
        return None;
    }
    let sdk = component
        .assets
        .iter()
        .filter_map(|id| inventory.get(id))
        .find(|a| a.kind == AssetKind::AiUsage && a.attr_str("category") == Some("llm"));
    if let Some(asset) = sdk {
        let self_hosted = asset.attr_str("sdk").is_some_and(|s| SELF_HOSTED.contains(&s));
        return Some(if self_hosted {
            Provider::SelfHosted
        } else {
            Provider::Hosted
        });
    }
    let prompted = model
        .flows
        .iter()
        .any(|f| f.target == component.id && f.label.starts_with("sends prompts to"));
    (component.name.ends_with("(LLM provider)") || prompted).then_some(Provider::Hosted)
}

/// The evidence of a capability, empty when the component does not have it.
pub fn capability_evidence(component: &Component, kind: CapabilityKind) -> Vec<Evidence> {
    component
        .capability(kind)
        .map(|c| c.evidence.clone())
        .unwrap_or_default()
}

/// Where a capability was seen, for a detail line: `src/chat.py:3`, or `planned` when the component has
/// no evidence for it (a design document or the threat model file).
pub fn seen_at(component: &Component, kind: CapabilityKind) -> String {
    component
        .capability(kind)
        .and_then(|c| c.evidence.first())
        .map_or_else(|| "planned".to_owned(), Evidence::location)
}

/// The likelihood of an attack that needs Internet input: the base when the component faces the Internet,
/// lower when the input has to go through another service first, lowest when no exposure is known
/// (indirect input only: documents, tool results, another team's service).
pub fn likelihood_by_exposure(base: u8, exposure: Option<&Exposure>) -> Option<(u8, String)> {
    match exposure {
        Some(e) if e.path == "directly" => None,
        Some(e) => Some((
            base.saturating_sub(1).max(1),
            format!("Internet input reaches it only {}", e.path),
        )),
        None => Some((
            base.saturating_sub(3).max(1),
            "no Internet exposure known: only indirect input (documents, tool results, internal callers)"
                .into(),
        )),
    }
}

//! `unsafe-model-loading`: a component loads model files in formats that can run code when loaded
//! (pickle-based weights, `trust_remote_code`) and no safe format is in use.

use vigil_core::{Asset, AssetKind, CapabilityKind, Component, FindingKind, Inventory, Objective, Stride};
use vigil_model::controls::SAFE_MODEL_FORMAT;

use super::support::{capability_evidence, missing_controls, seen_at};
use crate::graph::{component_hit, exposure, with_capability};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnsafeModelLoading;

/// Runtimes whose model format is a computation graph, not a serialized program: loading runs no code.
const GRAPH_FORMATS: &[&str] = &["onnxruntime"];

/// SDKs that download models from a public hub by name (`from_pretrained`, `hf_hub_download`).
const HUB_SDKS: &[&str] = &["transformers", "huggingface"];

static META: RuleMeta = RuleMeta {
    id: "unsafe-model-loading",
    title: "Model files loaded in a format that can run code",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-502", "CWE-494"],
    capec: &["CAPEC-586"],
    attack: &["T1195.002"],
    likelihood: 4,
    impact: 9,
    what: "A component with the `loads-models` capability (PyTorch, joblib, Transformers, Keras, scikit-learn, \
           the Hugging Face hub...) and no `safe-model-format` control (safetensors in its code, or recorded in \
           vigil-model.yaml). A component that only runs ONNX models is not reported. Likelihood rises when \
           models are downloaded from a public hub by name, or when the component takes uploads from the \
           Internet. OWASP LLM03:2025 Supply Chain.",
    why: "`torch.load`, `joblib.load`, `pickle` and Keras Lambda layers execute code embedded in the file, and \
          `trust_remote_code=True` runs the repository's Python: a model swapped on a hub, a typo-squatted \
          repository or an uploaded file runs with the service's credentials and data. Malicious models on \
          public hubs have been found repeatedly.",
    example: "# predict.py\nimport torch\nmodel = torch.load(\"models/classifier.pt\")  # unpickles arbitrary objects",
    remediation: "Load weights in a format that holds only tensors (safetensors, ONNX), from a pinned, verified source.",
    fix: &[
        "Convert and load weights as safetensors (`safetensors.torch.load_file`, `use_safetensors=True`); load checkpoints with `torch.load(..., weights_only=True)` where conversion is not possible.",
        "Never pass `trust_remote_code=True` for repositories you do not control; pin hub downloads to a commit (`revision=<sha>`) and mirror approved models internally.",
        "Scan model files before use (picklescan, ModelScan) and verify their hashes; never load a model file a user uploaded.",
        "Record `safe-model-format` on the component when loading is restricted outside the code.",
    ],
    verify: &[
        "grep the code for `torch.load(`, `joblib.load(`, `pickle.load(`, `trust_remote_code=True`: none remain, or each has `weights_only=True` / a safetensors file.",
        "Re-run `vigil assess`: the finding is mitigated by `safe-model-format`.",
    ],
    mitigated_by: &[SAFE_MODEL_FORMAT],
    false_positives: "A component that only loads models it trained and stored itself, in storage only its \
                      own pipeline can write, runs no foreign code; the capability is also inferred from \
                      imports (importing `torch` to run inference on a model built in code). Record \
                      `safe-model-format` with that reason once checked.",
    references: &[
        "https://genai.owasp.org/llmrisk/llm032025-supply-chain/",
        "https://huggingface.co/docs/hub/security-pickle",
        "https://cwe.mitre.org/data/definitions/502.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.5.3"),
        (Objective::OwaspAsvs, "V10.3.2"),
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC7.1"),
    ],
};

/// The catalog's AI SDKs the service behind `component` uses.
fn sdks<'a>(inventory: &'a Inventory, component: &Component) -> Vec<&'a Asset> {
    let Some(dir) = component.id.strip_prefix("svc:") else {
        return Vec::new();
    };
    let service = format!("service:{dir}");
    inventory
        .of_kind(AssetKind::AiUsage)
        .filter(|a| {
            a.attributes
                .get("services")
                .and_then(|v| v.as_array())
                .is_some_and(|s| s.iter().any(|v| v.as_str() == Some(service.as_str())))
        })
        .collect()
}

impl Rule for UnsafeModelLoading {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (component, load_evidence) in with_capability(ctx.model, CapabilityKind::LoadsModels) {
            let sdks = sdks(ctx.inventory, component);
            let graph_only: Vec<_> = sdks
                .iter()
                .filter(|a| a.attr_str("sdk").is_some_and(|s| GRAPH_FORMATS.contains(&s)))
                .filter_map(|a| a.evidence.first())
                .collect();
            if !load_evidence.is_empty() && load_evidence.iter().all(|e| graph_only.contains(&e)) {
                continue;
            }
            let hub = sdks
                .iter()
                .find(|a| a.attr_str("sdk").is_some_and(|s| HUB_SDKS.contains(&s)));
            let exposed = exposure(ctx.model, component);
            let uploads = component.capability(CapabilityKind::AcceptsUploads).is_some() && exposed.is_some();
            let mut evidence = load_evidence.to_vec();
            if let Some(hub) = hub {
                evidence.extend(hub.evidence.iter().take(1).cloned());
            }
            if uploads {
                evidence.extend(capability_evidence(component, CapabilityKind::AcceptsUploads));
                evidence.extend(exposed.iter().flat_map(|e| e.evidence.iter().cloned()));
            }
            let mut sources = Vec::new();
            if let Some(hub) = hub {
                sources.push(format!("downloads models by name with {}", hub.name));
            }
            if uploads {
                sources.push(format!(
                    "accepts uploads ({}) from the Internet",
                    seen_at(component, CapabilityKind::AcceptsUploads)
                ));
            }
            let detail = format!(
                "{} loads model files ({}){}{}",
                component.name,
                seen_at(component, CapabilityKind::LoadsModels),
                if sources.is_empty() {
                    String::new()
                } else {
                    format!(" and {}", sources.join(" and "))
                },
                missing_controls(component, META.mitigated_by),
            );
            let mut hit = component_hit(
                component,
                "model-loading",
                format!("{}: model files it loads can run code", component.name),
                detail,
                evidence,
            );
            hit.likelihood = if uploads {
                Some((6, "model files may come from Internet uploads".into()))
            } else if hub.is_some() {
                Some((5, "models are downloaded from a public hub by name".into()))
            } else {
                None
            };
            hits.push(hit);
        }
        hits
    }
}

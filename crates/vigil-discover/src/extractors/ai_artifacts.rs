//! Shadow AI on disk: model weights committed to the repository (`.gguf`, `.safetensors`, `.onnx`, `.pt`...)
//! and prompt templates (`*.prompt`, `*.prompty`, files under a `prompts/` directory). Recognised by path
//! alone: weights are large binaries and are never read.

use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct AiArtifacts;

/// Weight formats and the runtime that loads them.
const MODEL_FORMATS: [(&str, &str); 11] = [
    ("gguf", "llama.cpp / GGUF"),
    ("ggml", "llama.cpp / GGML"),
    ("safetensors", "safetensors (Hugging Face)"),
    ("onnx", "ONNX"),
    ("pt", "PyTorch"),
    ("pth", "PyTorch"),
    ("ckpt", "checkpoint (PyTorch / TensorFlow)"),
    ("h5", "Keras / HDF5"),
    ("keras", "Keras"),
    ("tflite", "TensorFlow Lite"),
    ("mlmodel", "Core ML"),
];

/// Pickled estimators are only models when the path says so (pickle files hold anything).
const PICKLES: [&str; 2] = ["pkl", "joblib"];

const PROMPT_EXTENSIONS: [&str; 12] = [
    "txt", "md", "j2", "jinja", "jinja2", "yaml", "yml", "json", "hbs", "mustache", "tmpl", "prompt",
];

enum Artifact {
    Model(&'static str),
    Prompt,
}

fn artifact(path: &str, file_name: &str) -> Option<Artifact> {
    let lower = file_name.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    if let Some((_, runtime)) = MODEL_FORMATS.iter().find(|(e, _)| *e == extension) {
        return Some(Artifact::Model(runtime));
    }
    if PICKLES.contains(&extension) && path.to_ascii_lowercase().contains("model") {
        return Some(Artifact::Model("pickled model (scikit-learn / joblib)"));
    }
    let in_prompts_dir = path
        .split('/')
        .rev()
        .skip(1)
        .any(|part| part.eq_ignore_ascii_case("prompts"));
    let prompt_name = lower.ends_with(".prompt")
        || lower.ends_with(".prompty")
        || lower.contains(".prompt.")
        || (in_prompts_dir && PROMPT_EXTENSIONS.contains(&extension));
    prompt_name.then_some(Artifact::Prompt)
}

impl Extractor for AiArtifacts {
    fn name(&self) -> &'static str {
        "ai/artifacts"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        artifact(path, file_name).is_some()
    }

    fn reads_content(&self) -> bool {
        false
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        let (kind, detail) = match artifact(file.path, file_name) {
            Some(Artifact::Model(runtime)) => ("model-file", runtime),
            Some(Artifact::Prompt) => ("prompt-template", "prompt template"),
            None => return Ok(()),
        };
        let id = AssetId::from_parts(AssetKind::AiUsage, &[kind, file.path]);
        out.assets.push(
            Asset::new(AssetKind::AiUsage, id, file_name, file.evidence(None))
                .with("artifact", kind)
                .with("format", detail),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_models_and_prompts_by_path() {
        assert!(matches!(
            artifact("models/llama-3-8b.Q4_K_M.gguf", "llama-3-8b.Q4_K_M.gguf"),
            Some(Artifact::Model(_))
        ));
        assert!(matches!(
            artifact("ml/model.pkl", "model.pkl"),
            Some(Artifact::Model(_))
        ));
        assert!(artifact("cache/data.pkl", "data.pkl").is_none());
        assert!(matches!(
            artifact("app/prompts/summarise.j2", "summarise.j2"),
            Some(Artifact::Prompt)
        ));
        assert!(matches!(
            artifact("support.prompty", "support.prompty"),
            Some(Artifact::Prompt)
        ));
        assert!(matches!(
            artifact("agent/triage.prompt.md", "triage.prompt.md"),
            Some(Artifact::Prompt)
        ));
        assert!(artifact("docs/prompts.md", "prompts.md").is_none());
        assert!(artifact("src/app.py", "app.py").is_none());
    }
}

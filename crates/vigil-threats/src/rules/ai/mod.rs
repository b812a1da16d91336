//! Threats of AI and LLM use over the system model: prompt injection, sensitive data sent to providers, excessive agency, untrusted models.

use crate::rule::Rule;

pub mod llm_embedding_leakage;
pub mod llm_excessive_agency;
pub mod llm_improper_output_handling;
pub mod llm_prompt_injection;
pub mod llm_rag_poisoning;
pub mod llm_unbounded_consumption;
pub mod sensitive_data_to_llm;
mod support;
pub mod unsafe_model_loading;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &llm_prompt_injection::LlmPromptInjection,
        &sensitive_data_to_llm::SensitiveDataToLlm,
        &unsafe_model_loading::UnsafeModelLoading,
        &llm_rag_poisoning::LlmRagPoisoning,
        &llm_improper_output_handling::LlmImproperOutputHandling,
        &llm_excessive_agency::LlmExcessiveAgency,
        &llm_embedding_leakage::LlmEmbeddingLeakage,
        &llm_unbounded_consumption::LlmUnboundedConsumption,
    ]
}

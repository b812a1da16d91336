//! Threats of AI and LLM use over the system model: prompt injection, sensitive data sent to providers, excessive agency, untrusted models.

use crate::rule::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}

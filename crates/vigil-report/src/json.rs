//! The Assessment as JSON (DESIGN.md §7), pretty-printed with a trailing newline.

use vigil_core::Assessment;

pub fn render(assessment: &Assessment) -> String {
    let mut text =
        serde_json::to_string_pretty(assessment).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

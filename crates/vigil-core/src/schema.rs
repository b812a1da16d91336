//! The JSON Schema of the Assessment, generated from the types. The checked-in copy
//! (`schema/assessment.schema.json`) is compared with this in a test, so it cannot go stale.

use crate::assessment::Assessment;

pub fn assessment_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Assessment);
    serde_json::to_value(schema).unwrap_or_default()
}

/// The schema as the checked-in file holds it: pretty JSON with a trailing newline.
pub fn assessment_schema_pretty() -> String {
    let mut text = serde_json::to_string_pretty(&assessment_schema()).unwrap_or_default();
    text.push('\n');
    text
}

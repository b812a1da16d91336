//! Reading the GitHub Actions workflow attributes the discover stage produced (see the
//! `github/actions-workflow` extractor for the layout).

use serde_json::Value;
use vigil_core::Asset;

/// Every `uses:` of a workflow (steps and reusable-workflow jobs) with its line.
pub fn steps(pipeline: &Asset) -> Vec<(String, Option<u32>)> {
    let mut out = Vec::new();
    for job in pipeline
        .attributes
        .get("jobs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(uses) = job.get("uses").and_then(Value::as_str) {
            out.push((uses.to_owned(), line_of(job, "uses_line")));
        }
        for step in job.get("steps").and_then(Value::as_array).into_iter().flatten() {
            if let Some(uses) = step.get("uses").and_then(Value::as_str) {
                out.push((uses.to_owned(), line_of(step, "uses_line")));
            }
        }
    }
    out
}

pub fn line_of(value: &Value, key: &str) -> Option<u32> {
    value
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|l| u32::try_from(l).ok())
}

/// Actions outside GitHub's own `actions/` and `github/` organisations, local actions and Docker images.
pub fn is_third_party(uses: &str) -> bool {
    !(uses.starts_with("./")
        || uses.starts_with("docker://")
        || uses.starts_with("actions/")
        || uses.starts_with("github/"))
}

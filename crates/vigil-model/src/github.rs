//! Reading the GitHub Actions workflow attributes the discover stage produced (see the
//! `github/actions-workflow` extractor for the layout): triggers, jobs, steps, secrets and their lines.

use serde_json::Value;
use vigil_core::Asset;

/// GitHub Actions workflows (the other CI platforms share the attribute layout, not the semantics of `uses`,
/// `${{ }}` or `permissions`).
pub fn is_github_actions(pipeline: &Asset) -> bool {
    pipeline.attr_str("platform") == Some("github-actions")
}

/// The events that trigger a workflow.
pub fn triggers(pipeline: &Asset) -> Vec<&str> {
    strings(pipeline.attributes.get("triggers"))
}

/// The names of the secrets a workflow references.
pub fn secrets(pipeline: &Asset) -> Vec<&str> {
    strings(pipeline.attributes.get("secrets"))
}

/// The jobs of a workflow, in file order.
pub fn jobs(pipeline: &Asset) -> impl Iterator<Item = &Value> {
    pipeline
        .attributes
        .get("jobs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// A job's id (`jobs.<id>`).
pub fn job_id(job: &Value) -> &str {
    job.get("id").and_then(Value::as_str).unwrap_or("?")
}

/// The steps of a job, in file order.
pub fn job_steps(job: &Value) -> impl Iterator<Item = &Value> {
    job.get("steps").and_then(Value::as_array).into_iter().flatten()
}

/// Every `uses:` of a workflow (steps and reusable-workflow jobs) with its line.
pub fn steps(pipeline: &Asset) -> Vec<(String, Option<u32>)> {
    let mut out = Vec::new();
    for job in jobs(pipeline) {
        if let Some(uses) = job.get("uses").and_then(Value::as_str) {
            out.push((uses.to_owned(), line_at(job, "/uses_line")));
        }
        for step in job_steps(job) {
            if let Some(uses) = step.get("uses").and_then(Value::as_str) {
                out.push((uses.to_owned(), line_at(step, "/uses_line")));
            }
        }
    }
    out
}

/// A line number stored at a JSON pointer of a job or step (`/uses_line`, `/with_lines/ref`).
pub fn line_at(value: &Value, pointer: &str) -> Option<u32> {
    value
        .pointer(pointer)
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

fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

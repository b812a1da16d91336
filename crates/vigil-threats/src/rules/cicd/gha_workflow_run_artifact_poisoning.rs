//! `gha-workflow-run-artifact-poisoning`: a privileged `workflow_run` workflow unpacks the artifacts of the
//! run that triggered it (possibly a fork's pull request) into its workspace, then runs code from there.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{
    commands, first_code_execution, input, input_line, step_line, uses_action, words, workflows,
};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct WorkflowRunArtifactPoisoning;

static META: RuleMeta = RuleMeta {
    id: "gha-workflow-run-artifact-poisoning",
    title: "Privileged workflow runs code next to artifacts from an untrusted run",
    kind: FindingKind::Misconfiguration,
    stride: &[
        Stride::Tampering,
        Stride::ElevationOfPrivilege,
        Stride::InformationDisclosure,
    ],
    cwe: &["CWE-829", "CWE-494"],
    capec: &["CAPEC-17"],
    attack: &["T1195.002"],
    likelihood: 6,
    impact: 9,
    what: "A workflow triggered by `workflow_run` with a job that downloads the triggering run's artifacts \
           (`actions/download-artifact` with `run-id: ${{ github.event.workflow_run.id }}`, \
           `dawidd6/action-download-artifact`, `actions/github-script` calling `downloadArtifact`, or `gh run \
           download`) into the workspace (no `path`, or a path outside `${{ runner.temp }}`), then runs code from \
           the working directory in a later step: a local action (`uses: ./...`), a script of the workspace, a \
           build tool or a package manager (`npm ci`, `make`, `pip install -r`, `go test`...). No Checkov \
           equivalent.",
    why: "A `workflow_run` workflow has the base repository's secrets and a write token even when the run that \
          triggered it was a fork's pull request, whose artifacts the fork's author controls. Extracted into the \
          workspace, an artifact can overwrite the scripts, build files, lockfiles or local actions the next steps \
          execute, so the attacker's code runs with those privileges (artifact poisoning).",
    example: "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  report:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/download-artifact@v4\n        with:\n          run-id: ${{ github.event.workflow_run.id }}\n          github-token: ${{ github.token }}\n      - run: npm ci && npm run report",
    remediation: "Extract artifacts of the triggering run outside the workspace and treat them as data only.",
    fix: &[
        "Download into `${{ runner.temp }}/artifacts` (`path:` of the download step), never the workspace.",
        "Read only the data you need from the artifact (a number, a report), validate it (`[[ \"$PR\" =~ ^[0-9]+$ ]]`), and never execute, install from or `source` anything in it.",
        "Keep the privileged steps in a job that does not run build tools or local actions after the download.",
    ],
    verify: &[
        "Every download step of the `workflow_run` workflow has `path: ${{ runner.temp }}/...`; no later step runs a file from that directory.",
    ],
    mitigated_by: &[],
    false_positives: "When the triggering workflow runs only on `push` to protected branches (not on pull requests from forks), its artifacts are as trusted as the repository. A later step that runs code without reading the artifact's directory is still exposed if the artifact overwrote workspace files.",
    references: &[
        "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
        "https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#workflow_run",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.2.3"),
        (Objective::PciDss4, "6.5.1"),
        (Objective::Soc2, "CC8.1"),
    ],
};

impl Rule for WorkflowRunArtifactPoisoning {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx).filter(|p| github::triggers(p).contains(&"workflow_run")) {
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                let Some((position, download, line)) =
                    github::job_steps(job).enumerate().find_map(|(index, step)| {
                        workspace_download(step).map(|(what, line)| (index + 1, what, line))
                    })
                else {
                    continue;
                };
                let Some((_, runner, what)) = first_code_execution(job, position) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}:{job_id}", pipeline.id),
                    format!(
                        "{}: job `{job_id}` runs code after unpacking the triggering run's artifacts into its workspace",
                        pipeline.name
                    ),
                    format!(
                        "{download} extracts into the workspace, then {what} runs there with the base repository's secrets"
                    ),
                    vec![pipeline.id.clone()],
                    vec![
                        Evidence::at(pipeline.path(), line).with_note(download),
                        Evidence::at(pipeline.path(), step_line(runner)).with_note(format!("runs {what}")),
                    ],
                ));
            }
        }
        hits
    }
}

/// A step that downloads artifacts of another run into the workspace: what it is, and its line.
fn workspace_download(step: &Value) -> Option<(String, Option<u32>)> {
    if let Some(uses) = uses_action(step, "actions/download-artifact") {
        let run_id = input(step, "run-id")?;
        if !run_id.contains("workflow_run") {
            return None;
        }
        return inside_workspace(step, "path")
            .then(|| (format!("`{uses}` of run `{run_id}`"), input_line(step, "run-id")));
    }
    if let Some(uses) = uses_action(step, "dawidd6/action-download-artifact") {
        return inside_workspace(step, "path").then(|| (format!("`{uses}`"), step_line(step)));
    }
    if let Some(uses) = uses_action(step, "actions/github-script") {
        let script = input(step, "script")?;
        let downloads = script.contains("downloadArtifact") || script.contains("listWorkflowRunArtifacts");
        return (downloads && !outside_workspace(&script))
            .then(|| (format!("`{uses}` (downloadArtifact)"), input_line(step, "script")));
    }
    let script = step.get("run").and_then(Value::as_str)?;
    for (_, command) in commands(script) {
        let words = words(&command);
        let Some(at) = words
            .windows(3)
            .position(|w| w[0] == "gh" && w[1] == "run" && w[2] == "download")
        else {
            continue;
        };
        let dir = words[at + 3..]
            .windows(2)
            .find(|w| w[0] == "-D" || w[0] == "--dir")
            .map(|w| w[1].clone())
            .or_else(|| {
                words[at + 3..]
                    .iter()
                    .find_map(|w| w.strip_prefix("--dir=").map(str::to_owned))
            });
        if dir.as_deref().is_none_or(|d| !outside_workspace(d)) {
            return Some((format!("`{command}`"), step_line(step)));
        }
    }
    None
}

/// Whether a download step's path input leaves the files in the workspace (the default).
fn inside_workspace(step: &Value, key: &str) -> bool {
    input(step, key).is_none_or(|path| !outside_workspace(&path))
}

/// A path that is not under the workspace: the runner's temporary directory or an absolute `/tmp` path.
fn outside_workspace(path: &str) -> bool {
    let path = path.trim();
    path.contains("runner.temp") || path.contains("RUNNER_TEMP") || path.starts_with("/tmp")
}

//! `gha-unsecure-commands-enabled`: a workflow re-enables the `set-env` and `add-path` workflow commands
//! that GitHub disabled because any text a step prints could use them.

use serde_json::Value;
use vigil_core::{Asset, Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::workflows;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnsecureCommands;

const VARIABLE: &str = "ACTIONS_ALLOW_UNSECURE_COMMANDS";

static META: RuleMeta = RuleMeta {
    id: "gha-unsecure-commands-enabled",
    title: "Workflow re-enables the insecure set-env and add-path commands",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-77", "CWE-15"],
    capec: &["CAPEC-13"],
    attack: &["T1574.007"],
    likelihood: 5,
    impact: 8,
    what: "`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` in the `env:` of a workflow, a job or a step. An expression \
           (`${{ ... }}`) is not reported, since its value is only known at run time. Checkov: CKV_GHA_1.",
    why: "The runner reads `::set-env` and `::add-path` commands from everything a step writes to its output \
          (CVE-2020-15228). With them re-enabled, any step that prints text an attacker controls (a pull request \
          title, a file of the checked-out code, a test's output) can set `LD_PRELOAD`, `NODE_OPTIONS` or \
          `PATH` for every later step and so run code with the job's token and secrets.",
    example: "jobs:\n  build:\n    env:\n      ACTIONS_ALLOW_UNSECURE_COMMANDS: true",
    remediation: "Remove `ACTIONS_ALLOW_UNSECURE_COMMANDS` and write to `$GITHUB_ENV` / `$GITHUB_PATH` instead.",
    fix: &[
        "Delete the `ACTIONS_ALLOW_UNSECURE_COMMANDS` entry from every `env:` block.",
        "Replace `echo \"::set-env name=NAME::value\"` by `echo \"NAME=value\" >> \"$GITHUB_ENV\"` and `echo \"::add-path::dir\"` by `echo \"dir\" >> \"$GITHUB_PATH\"`.",
        "Upgrade actions that still emit `set-env`/`add-path` (those written before October 2020) to a current release.",
    ],
    verify: &[
        "`grep -rn ACTIONS_ALLOW_UNSECURE_COMMANDS .github/workflows` prints nothing; the workflow still succeeds.",
    ],
    mitigated_by: &[],
    false_positives: "None in effect: the variable exists only to turn the protection off. A workflow that sets it to a literal `true` for a step that prints only trusted text is still one log line away from an injection.",
    references: &[
        "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/",
        "https://github.com/actions/toolkit/security/advisories/GHSA-mfwh-5m23-j46w",
        "https://cwe.mitre.org/data/definitions/77.html",
    ],
    compliance: &[(Objective::PciDss4, "6.2.4"), (Objective::Soc2, "CC8.1")],
};

impl Rule for UnsecureCommands {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            if let Some(value) = enabled(pipeline.attributes.get("env")) {
                let line = pipeline.attribute_lines.get(&format!("env.{VARIABLE}")).copied();
                hits.push(hit(pipeline, "workflow".into(), "every job".into(), value, line));
            }
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                if let Some(value) = enabled(job.get("env")) {
                    let line = github::line_at(job, &format!("/env_lines/{VARIABLE}"))
                        .or_else(|| github::line_at(job, "/line"));
                    hits.push(hit(
                        pipeline,
                        job_id.to_owned(),
                        format!("job `{job_id}`"),
                        value,
                        line,
                    ));
                }
                for (index, step) in github::job_steps(job).enumerate() {
                    if let Some(value) = enabled(step.get("env")) {
                        let line = github::line_at(step, &format!("/env_lines/{VARIABLE}"))
                            .or_else(|| github::line_at(step, "/line"));
                        hits.push(hit(
                            pipeline,
                            format!("{job_id}:step-{}", index + 1),
                            format!("step {} of job `{job_id}`", index + 1),
                            value,
                            line,
                        ));
                    }
                }
            }
        }
        hits
    }
}

/// The value as written when an `env:` mapping turns the commands on. The runner parses the variable with
/// `bool.TryParse`, so only `true` in any case counts.
fn enabled(env: Option<&Value>) -> Option<String> {
    match env?.get(VARIABLE)? {
        Value::Bool(true) => Some("true".into()),
        Value::String(text) if text.trim().eq_ignore_ascii_case("true") => Some(text.clone()),
        _ => None,
    }
}

fn hit(pipeline: &Asset, scope: String, whom: String, value: String, line: Option<u32>) -> Hit {
    Hit::new(
        format!("{}:{scope}", pipeline.id),
        format!(
            "{}: {whom} runs with set-env and add-path re-enabled",
            pipeline.name
        ),
        format!(
            "{VARIABLE}: {value} in the env of {whom}; the runner then obeys `::set-env`/`::add-path` in any step output"
        ),
        vec![pipeline.id.clone()],
        vec![Evidence::at(pipeline.path(), line).with_note(format!("{VARIABLE}: {value}"))],
    )
}

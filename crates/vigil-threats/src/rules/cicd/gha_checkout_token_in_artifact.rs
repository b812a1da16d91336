//! `gha-checkout-token-in-artifact`: the token `actions/checkout` writes into `.git/config` is uploaded
//! with the workspace as an artifact that anyone who can read the repository can download ("ArtiPACKED").

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{action_ref, input, input_line, is_computed, step_line, uses_action, workflows};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CheckoutTokenInArtifact;

static META: RuleMeta = RuleMeta {
    id: "gha-checkout-token-in-artifact",
    title: "Workflow uploads the checkout's token in an artifact",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-522", "CWE-538"],
    capec: &["CAPEC-37"],
    attack: &["T1528", "T1552.001"],
    likelihood: 5,
    impact: 8,
    what: "A job whose `actions/checkout` keeps its credentials (`persist-credentials` not `false`: the default) \
           and that later uploads the checked-out directory itself (`path: .`, `./`, `*`, `**`, \
           `${{ github.workspace }}` or the checkout's `path`) with `actions/upload-artifact` while hidden files \
           are included: `include-hidden-files: true`, or a release from before the hidden-file exclusion (v1, \
           v2, v3 before 3.2, v4 before 4.4). An exclusion of `.git` in the path list, a computed path and a \
           SHA-pinned upload whose version cannot be told are not reported. No Checkov equivalent.",
    why: "`actions/checkout` stores the job's `GITHUB_TOKEN` (or the token it was given) in `.git/config` so \
          later git commands can push. Uploading the workspace puts that file in an artifact, and artifacts of a \
          public repository can be downloaded by anyone. A `GITHUB_TOKEN` is valid until the job ends, which \
          for long jobs is enough to push code or tamper with releases; a personal access token given to \
          checkout stays valid much longer (Unit 42 found such leaks in projects of Google, Microsoft and Red Hat).",
    example: "- uses: actions/checkout@v4\n- run: make\n- uses: actions/upload-artifact@v4\n  with:\n    path: .\n    include-hidden-files: true",
    remediation: "Set `persist-credentials: false` on the checkout, and upload only the build output.",
    fix: &[
        "Add `with: persist-credentials: false` to `actions/checkout` (and pass a token explicitly to the one step that pushes, if any).",
        "Upload the build output directory (`dist/`, `target/release/`) rather than the workspace, and drop `include-hidden-files: true` unless a hidden file is needed.",
        "Upgrade `actions/upload-artifact` to a release that excludes hidden files by default (v4.4.0 or later).",
        "If an artifact with `.git/config` was published, delete it and, for a personal access token, revoke the token.",
    ],
    verify: &[
        "Download the artifact (`gh run download RUN_ID`) and check it has no `.git/config` with an `extraheader`.",
    ],
    mitigated_by: &[],
    false_positives: "Private repositories limit artifact downloads to people with read access, who could not use the job's `GITHUB_TOKEN` after the job ends; a personal access token given to checkout is still exposed to them.",
    references: &[
        "https://unit42.paloaltonetworks.com/github-repo-artifacts-leaked-tokens/",
        "https://github.com/actions/checkout#usage",
        "https://github.com/actions/upload-artifact/issues/602",
        "https://cwe.mitre.org/data/definitions/522.html",
    ],
    compliance: &[(Objective::PciDss4, "8.3.2"), (Objective::Soc2, "CC6.1")],
};

impl Rule for CheckoutTokenInArtifact {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            for job in github::jobs(pipeline) {
                let job_id = github::job_id(job);
                let steps: Vec<&Value> = github::job_steps(job).collect();
                for (index, checkout) in steps.iter().enumerate() {
                    if uses_action(checkout, "actions/checkout").is_none() || !persists_credentials(checkout)
                    {
                        continue;
                    }
                    let checkout_dir = input(checkout, "path").map(|p| normalize(&p)).unwrap_or_default();
                    if is_computed(&checkout_dir) {
                        continue;
                    }
                    let Some((upload, why)) = steps[index + 1..]
                        .iter()
                        .find_map(|step| leaking_upload(step, &checkout_dir).map(|why| (*step, why)))
                    else {
                        continue;
                    };
                    let uses = upload.get("uses").and_then(Value::as_str).unwrap_or_default();
                    hits.push(Hit::new(
                        format!("{}:{job_id}", pipeline.id),
                        format!(
                            "{}: job `{job_id}` uploads the checkout's git credentials as an artifact",
                            pipeline.name
                        ),
                        format!(
                            "actions/checkout keeps its token in {}.git/config (persist-credentials is not false) and {uses} uploads that directory {why}",
                            if checkout_dir.is_empty() { String::new() } else { format!("{checkout_dir}/") }
                        ),
                        vec![pipeline.id.clone()],
                        vec![
                            Evidence::at(pipeline.path(), input_line(upload, "path"))
                                .with_note(format!("{uses} {why}")),
                            Evidence::at(
                                pipeline.path(),
                                github::line_at(checkout, "/with_lines/persist-credentials")
                                    .or_else(|| step_line(checkout)),
                            )
                            .with_note("checkout persists credentials"),
                        ],
                    ));
                    break;
                }
            }
        }
        hits
    }
}

/// `persist-credentials` absent (default `true`) or literally true.
fn persists_credentials(checkout: &Value) -> bool {
    input(checkout, "persist-credentials").is_none_or(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// An upload step that includes `.git/config` of the checkout: why, if it does.
fn leaking_upload(step: &Value, checkout_dir: &str) -> Option<String> {
    let uses = uses_action(step, "actions/upload-artifact")?;
    let paths = input(step, "path")?;
    if is_computed(&paths.replace("${{ github.workspace }}", "")) {
        return None;
    }
    let mut covers = false;
    for entry in paths.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(excluded) = entry.strip_prefix('!') {
            let excluded = normalize(excluded);
            let excluded = excluded.trim_end_matches("/**").trim_start_matches("**/");
            if excluded == ".git" || excluded == format!("{checkout_dir}/.git") {
                return None;
            }
            continue;
        }
        let included = normalize(entry);
        let root = included.is_empty() || matches!(included.as_str(), "." | "*" | "**" | "**/*");
        if root || included == checkout_dir || checkout_dir.starts_with(&format!("{included}/")) {
            covers = true;
        }
    }
    if !covers {
        return None;
    }
    let hidden = input(step, "include-hidden-files").map(|v| v.trim().to_ascii_lowercase());
    match hidden.as_deref() {
        Some("true") => Some("with include-hidden-files: true".into()),
        Some(_) => None,
        None => old_release(action_ref(uses)).then(|| {
            format!(
                "and `{}` predates the exclusion of hidden files (v4.4.0 / v3.2.0)",
                action_ref(uses)
            )
        }),
    }
}

/// A release of upload-artifact that still uploads hidden files by default. Majors `v3` and `v4` follow the
/// latest release of their line, which excludes them; a SHA or a branch cannot be judged.
fn old_release(reference: &str) -> bool {
    let Some(version) = reference.strip_prefix('v') else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    let (Some(Some(major)), minor) = (parts.next(), parts.next()) else {
        return false;
    };
    let minor = minor.flatten();
    match major {
        1 | 2 => true,
        3 => minor.is_some_and(|m| m < 2),
        4 => minor.is_some_and(|m| m < 4),
        _ => false,
    }
}

/// A path relative to the workspace, as written but without `./`, `${{ github.workspace }}/` and a trailing
/// `/`.
fn normalize(path: &str) -> String {
    let path = path.trim();
    let path = path
        .strip_prefix("${{ github.workspace }}")
        .unwrap_or(path)
        .trim_start_matches('/');
    let path = path.trim_start_matches("./");
    path.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::{normalize, old_release};

    #[test]
    fn versions_and_paths() {
        for old in ["v2", "v1.0.0", "v3.1.3", "v4.3.6", "v4.0"] {
            assert!(old_release(old), "{old}");
        }
        for new in [
            "v4",
            "v3",
            "v4.4.0",
            "v4.6.2",
            "main",
            "0123456789abcdef0123456789abcdef01234567",
        ] {
            assert!(!old_release(new), "{new}");
        }
        assert_eq!(normalize("${{ github.workspace }}/"), "");
        assert_eq!(normalize("./src/"), "src");
    }
}

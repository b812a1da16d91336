//! `gitlab-include-unpinned`: a GitLab pipeline includes CI configuration from another project, or a CI/CD
//! component, at a moving reference.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{is_commit_sha, is_computed, pipelines, step_line};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct IncludeUnpinned;

/// Refs that are branches by convention (or GitLab's own moving aliases), never release tags.
const MOVING_REFS: [&str; 11] = [
    "main",
    "master",
    "develop",
    "development",
    "dev",
    "trunk",
    "head",
    "latest",
    "~latest",
    "stable",
    "next",
];

static META: RuleMeta = RuleMeta {
    id: "gitlab-include-unpinned",
    title: "GitLab pipeline includes configuration at a moving reference",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-829", "CWE-494"],
    capec: &["CAPEC-538"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 8,
    what: "An `include: project:` without `ref:` (GitLab then reads the file from the HEAD of the project's \
           default branch) or with a branch-like ref (`main`, `master`, `develop`, `HEAD`...), and an \
           `include: component:` at `~latest`, at such a branch, or at a partial version (`@1`, `@1.2`, which \
           resolve to the newest matching release). Refs pinned to a commit SHA or a full version (`1.2.3`, \
           `v1.2.3`) and refs given by a variable are not reported; nor are `remote:` includes, whose \
           `integrity:` hash vigil's GitLab reader does not record yet. No Checkov equivalent.",
    why: "Included jobs run inside this project's pipelines, with its CI/CD variables, its job token and, on \
          protected branches, its deployment credentials. Anyone who can push to the included project's branch \
          (a wider group than this project's maintainers, as a rule) changes what this pipeline runs, without a \
          merge request here.",
    example: "include:\n  - project: platform/ci-templates\n    file: /deploy.yml",
    remediation: "Pin `ref:` to a commit SHA (or a protected release tag) and components to a full version or SHA.",
    fix: &[
        "Add `ref: <commit SHA>` to every `include: project:` entry (a protected, immutable release tag is the weaker alternative).",
        "Reference components at a full version (`@1.4.2`) or commit SHA, never `~latest` or a partial version.",
        "Let Renovate update the pins through reviewed merge requests.",
    ],
    verify: &[
        "Every `include: project:` entry of `.gitlab-ci.yml` has a `ref:` with a commit SHA or release tag; `glab ci lint` still passes.",
    ],
    mitigated_by: &[],
    false_positives: "Templates maintained by the same team in a project with the same protections (protected default branch, approvals) are a smaller risk; a branch the team does not protect is not.",
    references: &[
        "https://docs.gitlab.com/ci/yaml/#includeproject",
        "https://docs.gitlab.com/ci/components/#component-versions",
        "https://gitlab.com/gitlab-org/gitlab/-/issues/513313",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.5.1"),
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for IncludeUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx).filter(|p| p.attr_str("platform") == Some("gitlab-ci")) {
            for job in github::jobs(pipeline) {
                for step in github::job_steps(job) {
                    let Some(uses) = step.get("uses").and_then(Value::as_str) else {
                        continue;
                    };
                    let problem = match step.get("name").and_then(Value::as_str) {
                        Some("include") if !uses.starts_with("./") && !uses.contains("://") => {
                            project_problem(uses)
                        }
                        Some("component") => component_problem(uses),
                        _ => None,
                    };
                    let Some(problem) = problem else { continue };
                    let what = uses.split('@').next().unwrap_or(uses);
                    hits.push(Hit::new(
                        format!("{}:{what}", pipeline.id),
                        format!("{}: includes {what} {problem}", pipeline.name),
                        format!("include `{uses}`: {problem}"),
                        vec![pipeline.id.clone()],
                        vec![
                            Evidence::at(pipeline.path(), step_line(step))
                                .with_note(format!("include {uses}")),
                        ],
                    ));
                }
            }
        }
        hits
    }
}

/// `group/project/file.yml[@ref]`: why the ref moves, if it does.
fn project_problem(uses: &str) -> Option<String> {
    match uses.rsplit_once('@') {
        None => Some("without a ref (the HEAD of the project's default branch)".into()),
        Some((_, reference)) => moving(reference).then(|| format!("at the branch `{reference}`")),
    }
}

/// `host/group/project/component@version`: why the version moves, if it does.
fn component_problem(uses: &str) -> Option<String> {
    let (_, version) = uses.rsplit_once('@')?;
    if is_computed(version) || is_commit_sha(version) {
        return None;
    }
    if version == "~latest" {
        return Some("at `~latest` (the newest release)".into());
    }
    if moving(version) {
        return Some(format!("at the branch `{version}`"));
    }
    let numbers = version.trim_start_matches('v');
    let parts: Vec<&str> = numbers.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    (numeric && parts.len() < 3)
        .then(|| format!("at the partial version `{version}` (the newest matching release)"))
}

fn moving(reference: &str) -> bool {
    !is_computed(reference) && MOVING_REFS.contains(&reference.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::{component_problem, project_problem};

    #[test]
    fn moving_and_pinned_references() {
        assert!(project_problem("group/ci/templates/a.yml").is_some());
        assert!(project_problem("group/ci/templates/a.yml@main").is_some());
        assert!(project_problem("group/ci/templates/a.yml@v1.2.0").is_none());
        assert!(project_problem("group/ci/templates/a.yml@$CI_COMMIT_REF_NAME").is_none());
        assert!(component_problem("gitlab.com/g/p/c@~latest").is_some());
        assert!(component_problem("gitlab.com/g/p/c@1.2").is_some());
        assert!(component_problem("gitlab.com/g/p/c@1.2.3").is_none());
        assert!(component_problem("gitlab.com/g/p/c@$VERSION").is_none());
    }
}

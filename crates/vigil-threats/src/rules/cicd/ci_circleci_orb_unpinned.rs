//! `ci-circleci-orb-unpinned`: a CircleCI orb referenced at a version that changes under the pipeline.

use serde_json::Value;
use vigil_core::{Evidence, FindingKind, Objective, Stride};
use vigil_model::github;

use super::support::{is_computed, pipelines, step_line};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CircleciOrbUnpinned;

static META: RuleMeta = RuleMeta {
    id: "ci-circleci-orb-unpinned",
    title: "CircleCI orb is not pinned to a full version",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-829", "CWE-494"],
    capec: &["CAPEC-538"],
    attack: &["T1195.001"],
    likelihood: 3,
    impact: 8,
    what: "An entry of `orbs:` referenced as `namespace/orb@volatile` (the newest release), `@dev:<label>` (a \
           mutable development version) or a partial version (`@5`, `@5.1`, which follow the newest matching \
           release). Full versions (`@5.1.0`) are immutable once published and are not reported; nor are orbs \
           defined inline or referenced through a parameter. Checkov: CKV_CIRCLECIPIPELINES_3 (development \
           orbs), CKV_CIRCLECIPIPELINES_4 (volatile orbs).",
    why: "An orb's commands and jobs run inside this project's jobs with its environment variables and contexts. \
          A floating reference picks up whatever the orb's publisher (or whoever takes over their namespace) \
          releases next, without a change in this repository; development versions can be overwritten at any \
          time by anyone with publish rights to the namespace.",
    example: "orbs:\n  aws-cli: circleci/aws-cli@volatile",
    remediation: "Pin every orb to a full semantic version and update it through reviewed pull requests.",
    fix: &[
        "Replace `@volatile`, `@dev:...` and `@5`/`@5.1` by the full version you reviewed (`circleci orb info circleci/aws-cli` lists them).",
        "Allow only certified and partner orbs, or a list of namespaces, in the organisation's security settings.",
    ],
    verify: &[
        "`grep -nE '@(volatile|dev:|[0-9]+(\\.[0-9]+)?$)' .circleci/config.yml` prints nothing; `circleci config validate` passes.",
    ],
    mitigated_by: &[],
    false_positives: "Orbs of your own namespace, published by the same team, are a smaller risk; a development version of them still changes without review.",
    references: &[
        "https://circleci.com/docs/orbs/use/orbs-faq/",
        "https://circleci.com/docs/orbs/use/orb-concepts/",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::Soc2, "CC9.2"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for CircleciOrbUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx).filter(|p| p.attr_str("platform") == Some("circleci")) {
            for job in github::jobs(pipeline) {
                for step in github::job_steps(job) {
                    if step.get("name").and_then(Value::as_str) != Some("orb") {
                        continue;
                    }
                    let Some(uses) = step.get("uses").and_then(Value::as_str) else {
                        continue;
                    };
                    let Some((orb, version)) = uses.split_once('@') else {
                        continue;
                    };
                    let Some(problem) = floating(version) else {
                        continue;
                    };
                    hits.push(Hit::new(
                        format!("{}:{orb}", pipeline.id),
                        format!("{}: orb {orb} is {problem}", pipeline.name),
                        format!("orbs: {uses}"),
                        vec![pipeline.id.clone()],
                        vec![Evidence::at(pipeline.path(), step_line(step)).with_note(format!("orb {uses}"))],
                    ));
                }
            }
        }
        hits
    }
}

/// Why an orb version moves, if it does.
fn floating(version: &str) -> Option<String> {
    if is_computed(version) {
        return None;
    }
    if version == "volatile" {
        return Some("`volatile`: the newest release on every run".into());
    }
    if let Some(label) = version.strip_prefix("dev:") {
        return Some(format!("the mutable development version `dev:{label}`"));
    }
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    (numeric && parts.len() < 3).then(|| format!("at `{version}`: the newest {version}.x release"))
}

#[cfg(test)]
mod tests {
    use super::floating;

    #[test]
    fn floating_versions() {
        for version in ["volatile", "dev:alpha", "5", "5.1"] {
            assert!(floating(version).is_some(), "{version}");
        }
        for version in ["5.1.0", "<< pipeline.parameters.v >>", "1.2.3-beta"] {
            assert!(floating(version).is_none(), "{version}");
        }
    }
}

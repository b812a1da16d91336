//! `gha-unpinned-action`: a third-party action referenced by a tag or branch instead of a commit SHA.

use vigil_core::{AssetKind, Evidence, FindingKind, Objective, Stride};
use vigil_model::github::{is_third_party, steps};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnpinnedAction;

static META: RuleMeta = RuleMeta {
    id: "gha-unpinned-action",
    title: "Third-party action is not pinned to a commit SHA",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-829", "CWE-494"],
    capec: &["CAPEC-538"],
    attack: &["T1195.001"],
    likelihood: 3,
    impact: 8,
    what: "A `uses: owner/repo@ref` of an action outside GitHub's `actions/` and `github/` organisations whose \
           ref is not a full 40-character commit SHA (tags and branches can be moved). Local (`./`) and \
           `docker://` references are not reported.",
    why: "A tag can be re-pointed by whoever controls the action's repository. When an action is compromised \
          (tj-actions/changed-files, March 2025), every workflow using a tag runs the attacker's code with its \
          secrets and token on the next run.",
    example: "- uses: some-org/deploy-action@v2",
    remediation: "Pin the action to a full commit SHA (with the version in a comment) and let Dependabot update it.",
    fix: &[
        "Replace `@v2` by `@<40-hex commit SHA> # v2`, taking the SHA of the release you reviewed.",
        "Enable Dependabot (or Renovate) for the `github-actions` ecosystem so pins are bumped through reviewed pull requests.",
        "Optionally enforce SHA pinning in the repository's Actions settings.",
    ],
    verify: &["Every third-party `uses:` in the workflow ends with a 40-character SHA."],
    mitigated_by: &["actions-allowlist-pinned"],
    false_positives: "Actions from your own organisation are a smaller risk than third-party ones; pinning them is still the only way to make the build reproducible.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions",
        "https://cwe.mitre.org/data/definitions/829.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::Soc2, "CC9.2"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for UnpinnedAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in ctx
            .inventory
            .of_kind(AssetKind::Pipeline)
            .filter(|p| vigil_model::github::is_github_actions(p))
        {
            let mut seen = Vec::new();
            for (uses, line) in steps(pipeline) {
                if !is_third_party(&uses) {
                    continue;
                }
                let (action, reference) = uses.split_once('@').unwrap_or((uses.as_str(), ""));
                if is_commit_sha(reference) || seen.contains(&action.to_owned()) {
                    continue;
                }
                seen.push(action.to_owned());
                let pinned_to = if reference.is_empty() {
                    "no ref at all".to_owned()
                } else {
                    format!("`{reference}`")
                };
                hits.push(Hit {
                    subject: format!("{}:{action}", pipeline.id),
                    title: format!(
                        "{}: {action} is pinned to {pinned_to}, not a commit",
                        pipeline.name
                    ),
                    detail: format!("uses: {uses}"),
                    assets: vec![pipeline.id.clone()],
                    evidence: vec![Evidence::at(pipeline.path(), line).with_note(format!("uses: {uses}"))],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                });
            }
        }
        hits
    }
}

fn is_commit_sha(reference: &str) -> bool {
    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit())
}

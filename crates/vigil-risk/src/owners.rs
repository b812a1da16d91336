//! Owners from CODEOWNERS rules: gitignore-style patterns where the last matching rule wins (GitHub's
//! semantics). Each rule is compiled once with `ignore`'s gitignore matcher, which implements the same
//! pattern language (anchoring by a leading or inner `/`, `**`, directory patterns).

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use vigil_core::{Owner, OwnerSource, OwnershipRule};

#[derive(Debug)]
pub struct Owners {
    rules: Vec<(Gitignore, OwnershipRule)>,
}

impl Owners {
    pub fn new(rules: &[OwnershipRule]) -> Self {
        let compiled = rules
            .iter()
            .filter_map(|rule| {
                let mut builder = GitignoreBuilder::new("");
                builder.add_line(None, &rule.pattern).ok()?;
                Some((builder.build().ok()?, rule.clone()))
            })
            .collect();
        Self { rules: compiled }
    }

    /// The owner of a root-relative path: the first owner of the last matching rule. A matching rule with no
    /// owners means "explicitly unowned".
    pub fn owner_of(&self, path: &str) -> Option<Owner> {
        let rule = self.rules.iter().rev().find(|(matcher, _)| {
            matcher
                .matched_path_or_any_parents(Path::new(path), false)
                .is_ignore()
        })?;
        let name = rule.1.owners.first()?;
        Some(Owner {
            name: name.clone(),
            source: OwnerSource::Codeowners,
            evidence: Some(rule.1.evidence.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::Evidence;

    fn rule(pattern: &str, owner: &str, line: u32) -> OwnershipRule {
        OwnershipRule {
            pattern: pattern.into(),
            owners: if owner.is_empty() {
                vec![]
            } else {
                vec![owner.into()]
            },
            evidence: Evidence::at(".github/CODEOWNERS", Some(line)),
        }
    }

    #[test]
    fn last_match_wins_with_gitignore_patterns() {
        let owners = Owners::new(&[
            rule("*", "@org/everyone", 1),
            rule("/infra/", "@org/platform", 2),
            rule("*.tf", "@org/terraform", 3),
            rule("services/api/", "@org/api", 4),
            rule("docs/generated", "", 5),
        ]);
        let name = |p: &str| owners.owner_of(p).map(|o| o.name);
        assert_eq!(name("README.md").as_deref(), Some("@org/everyone"));
        assert_eq!(name("infra/net/vpc.yaml").as_deref(), Some("@org/platform"));
        assert_eq!(name("infra/main.tf").as_deref(), Some("@org/terraform"));
        assert_eq!(
            name("services/api/package-lock.json").as_deref(),
            Some("@org/api")
        );
        assert_eq!(name("docs/generated/x.md"), None, "explicitly unowned");
        assert_eq!(
            owners.owner_of("infra/main.tf").unwrap().evidence.unwrap().line,
            Some(3)
        );
    }
}

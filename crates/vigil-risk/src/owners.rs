//! Owners from CODEOWNERS rules: gitignore-style patterns where the last matching rule wins (GitHub's
//! semantics). Each rule is compiled once with `ignore`'s gitignore matcher, which implements the same
//! pattern language (anchoring by a leading or inner `/`, `**`, directory patterns).

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use vigil_core::{Evidence, Inventory, Owner, OwnerSource, OwnershipRule, PathCommitters};

#[derive(Debug)]
pub struct Owners {
    rules: Vec<(Gitignore, OwnershipRule)>,
    committers: Vec<PathCommitters>,
}

impl Owners {
    /// CODEOWNERS rules first, then the most active recent committer of the deepest directory with history.
    pub fn from_inventory(inventory: &Inventory) -> Self {
        let mut owners = Self::new(&inventory.ownership);
        owners.committers = inventory.committers.clone();
        owners
    }

    pub fn new(rules: &[OwnershipRule]) -> Self {
        let compiled = rules
            .iter()
            .filter_map(|rule| {
                let mut builder = GitignoreBuilder::new("");
                builder.add_line(None, &rule.pattern).ok()?;
                Some((builder.build().ok()?, rule.clone()))
            })
            .collect();
        Self {
            rules: compiled,
            committers: Vec::new(),
        }
    }

    /// The owner of a root-relative path: the CODEOWNERS owner, else the most active recent committer.
    pub fn owner_of(&self, path: &str) -> Option<Owner> {
        match self.codeowner_of(path) {
            Some(owner) => owner,
            None => self.committer_of(path),
        }
    }

    /// The most active recent committer of the deepest directory above `path` that has history.
    fn committer_of(&self, path: &str) -> Option<Owner> {
        let mut dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        loop {
            if let Some(entry) = self.committers.iter().find(|c| c.path == dir) {
                let top = entry.authors.first()?;
                let place = if dir.is_empty() { "the repository" } else { dir };
                return Some(Owner {
                    name: format!("{} <{}>", top.name, top.email),
                    source: OwnerSource::Git,
                    evidence: Some(
                        Evidence::at(dir, None)
                            .with_note(format!("{} recent commits in {place}", top.commits)),
                    ),
                });
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
    }

    /// `Some(Some(owner))` for a matching rule with owners, `Some(None)` for a matching rule without owners
    /// ("explicitly unowned": no fallback either), `None` when no rule matches.
    fn codeowner_of(&self, path: &str) -> Option<Option<Owner>> {
        let rule = self.rules.iter().rev().find(|(matcher, _)| {
            matcher
                .matched_path_or_any_parents(Path::new(path), false)
                .is_ignore()
        })?;
        Some(rule.1.owners.first().map(|name| Owner {
            name: name.clone(),
            source: OwnerSource::Codeowners,
            evidence: Some(rule.1.evidence.clone()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn committers_own_what_codeowners_does_not() {
        let committer = |name: &str, commits| vigil_core::Committer {
            name: name.into(),
            email: format!("{name}@example.org"),
            commits,
        };
        let inventory = Inventory {
            ownership: vec![rule("/docs/", "@org/docs", 1), rule("/vendor/", "", 2)],
            committers: vec![
                PathCommitters {
                    path: String::new(),
                    authors: vec![committer("root", 9)],
                },
                PathCommitters {
                    path: "services/api".into(),
                    authors: vec![committer("ana", 5), committer("bo", 2)],
                },
            ],
            ..Inventory::default()
        };
        let owners = Owners::from_inventory(&inventory);
        let name = |p: &str| owners.owner_of(p).map(|o| (o.name, o.source));
        assert_eq!(
            name("docs/a.md"),
            Some(("@org/docs".into(), OwnerSource::Codeowners))
        );
        assert_eq!(
            name("services/api/src/server.js"),
            Some(("ana <ana@example.org>".into(), OwnerSource::Git))
        );
        assert_eq!(
            name("infra/main.tf"),
            Some(("root <root@example.org>".into(), OwnerSource::Git))
        );
        assert_eq!(name("vendor/x.js"), None, "explicitly unowned in CODEOWNERS");
    }
}

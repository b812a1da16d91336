//! `CODEOWNERS` (GitHub and GitLab): who reviews which paths.
//!
//! Each rule line becomes an [`OwnershipRule`] in `out.ownership`, in file order, because the last matching
//! rule wins; a pattern without owners is a valid rule that leaves matching paths unowned. Each distinct owner
//! becomes a `team` asset listing the patterns it owns, so the model can assign components to teams. Only
//! the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS`, `.gitlab/CODEOWNERS` that exists is
//! read (GitHub's order for the first three, GitLab's for the last three); a shadowed file yields an info
//! diagnostic and nothing else, so that dead rules never pass for real ownership.
//!
//! GitLab sections (`[Backend]`, `^[Optional][2] @default-owner`) give their default owners to the rules
//! under them that name none. GitLab requires an approval from every matching section; vigil needs one
//! accountable owner per path, so the last matching rule across sections wins as for GitHub.

use vigil_core::{Asset, AssetId, AssetKind, Diagnostic, OwnershipRule};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct Codeowners;

/// Where GitHub looks for the file, in precedence order.
const LOCATIONS: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

impl Extractor for Codeowners {
    fn name(&self) -> &'static str {
        "github/codeowners"
    }

    fn claims(&self, path: &str, _file_name: &str) -> bool {
        LOCATIONS.contains(&path)
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        for higher in LOCATIONS.iter().take_while(|l| **l != file.path) {
            match file.read_related(higher) {
                Ok(None) => {}
                Ok(Some(_)) => {
                    out.diagnostics.push(Diagnostic::info(
                        file.path,
                        None,
                        format!("ignored by GitHub: {higher} takes precedence over this file"),
                    ));
                    return Ok(());
                }
                // GitHub may well read that file; say so rather than guess either way.
                Err(e) => out.diagnostics.push(file.warning(
                    None,
                    format!(
                        "could not check whether {higher} takes precedence ({}); reading this file anyway",
                        e.message
                    ),
                )),
            }
        }

        let mut rules = Vec::new();
        let mut warnings = Vec::new();
        let mut teams: Vec<Team> = Vec::new();
        let mut valid_owners = 0usize;
        let mut first_bad_owner = None;
        let mut section_defaults: Vec<String> = Vec::new();
        for (index, raw) in file.text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let Some(tokens) = tokenize(raw) else { continue };
            let Some((pattern, owner_tokens)) = tokens.split_first() else {
                continue;
            };
            if is_section_header(raw.trim_start()) {
                section_defaults = section_owners(raw.trim_start())
                    .into_iter()
                    .filter(|o| is_owner(o))
                    .collect();
                continue;
            }
            if pattern.starts_with('!') {
                warnings.push(file.warning(
                    Some(line),
                    "GitHub does not support negated patterns (`!`); line skipped",
                ));
                continue;
            }
            let owner_tokens: &[String] = if owner_tokens.is_empty() {
                &section_defaults
            } else {
                owner_tokens
            };
            let mut owners: Vec<String> = Vec::with_capacity(owner_tokens.len());
            for owner in owner_tokens {
                if !is_owner(owner) {
                    first_bad_owner.get_or_insert(line);
                    warnings.push(file.warning(
                        Some(line),
                        format!("`{owner}` is not an owner (@user, @org/team or an email); dropped"),
                    ));
                    continue;
                }
                valid_owners += 1;
                if !owners.contains(owner) {
                    owners.push(owner.clone());
                }
                match teams.iter_mut().find(|t| t.owner == *owner) {
                    Some(team) if !team.patterns.contains(pattern) => team.patterns.push(pattern.clone()),
                    Some(_) => {}
                    None => teams.push(Team {
                        owner: owner.clone(),
                        patterns: vec![pattern.clone()],
                        line,
                    }),
                }
            }
            rules.push(OwnershipRule {
                pattern: pattern.clone(),
                owners,
                evidence: file.evidence(Some(line)),
            });
        }

        // A file whose every owner is malformed is prose or another format, not ownership with typos.
        if let (0, Some(line)) = (valid_owners, first_bad_owner) {
            return Err(file.error(Some(line), "not a CODEOWNERS file: no line names a valid owner"));
        }

        out.diagnostics.extend(warnings);
        out.ownership.extend(rules);
        for team in teams {
            let id = AssetId::from_parts(AssetKind::Team, &[&team.owner]);
            out.assets.push(
                Asset::new(AssetKind::Team, id, team.owner, file.evidence(Some(team.line)))
                    .with("patterns", team.patterns),
            );
        }
        Ok(())
    }
}

struct Team {
    owner: String,
    patterns: Vec<String>,
    line: u32,
}

/// Splits a line into whitespace-separated tokens, dropping a `#` comment that starts a token. `\#` and
/// `\ ` stand for a literal `#` and space; other backslash sequences are kept for the glob matcher. `None`
/// for blank and comment lines.
fn tokenize(line: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped @ ('#' | ' ')) => current.push(escaped),
                Some(other) => {
                    current.push('\\');
                    current.push(other);
                }
                None => current.push('\\'),
            },
            '#' if current.is_empty() => break,
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    (!tokens.is_empty()).then_some(tokens)
}

/// GitLab section headers (`[Section]`, `^[Section][2] @owner`). GitHub has no sections, and since GitHub
/// patterns cannot use `[...]` ranges, a line starting with `[` is never a GitHub rule.
fn is_section_header(line: &str) -> bool {
    line.starts_with('[') || line.starts_with("^[")
}

/// The default owners after a GitLab section header: `^[Name][2] @a @b` -> `@a`, `@b`.
fn section_owners(line: &str) -> Vec<String> {
    let mut rest = line.trim_start_matches('^');
    // `[Name]` then an optional `[approvals]`.
    for _ in 0..2 {
        match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((_, after)) => rest = after,
            None => break,
        }
    }
    rest.split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn is_owner(owner: &str) -> bool {
    if let Some(handle) = owner.strip_prefix('@') {
        let (user, team) = match handle.split_once('/') {
            Some((org, team)) => (org, Some(team)),
            None => (handle, None),
        };
        let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        return !user.is_empty()
            && user.chars().all(name_char)
            && team.is_none_or(|t| !t.is_empty() && t.chars().all(|c| name_char(c) || c == '.'));
    }
    is_email(owner)
}

fn is_email(owner: &str) -> bool {
    let Some((local, domain)) = owner.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains(['<', '>', ',', ';', '"'])
        && domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

//! Who changes what: the most active recent committers per directory, read from the repository's own
//! object database with gix (no git binary runs, nothing is checked out).
//!
//! The last [`MAX_COMMITS`] first-parent commits from HEAD are diffed against their parent; every changed
//! file counts one commit for its author in each of its ancestor directories down to [`MAX_DEPTH`]. Only a
//! plain `.git` directory inside the assessed root is read: a `.git` file (worktree, submodule) or a
//! symlink could point anywhere.

use std::collections::BTreeMap;
use std::path::Path;

use vigil_core::{Committer, PathCommitters};

/// Recent history is what says who maintains the code today; older history mostly says who left.
pub const MAX_COMMITS: usize = 500;
/// Directory depth aggregated (`services/api/src` is depth 3).
const MAX_DEPTH: usize = 4;
/// Committers kept per directory.
const TOP: usize = 3;

/// Committers per directory, most active first; empty when there is no readable repository.
pub fn committers(root: &Path) -> Result<Vec<PathCommitters>, String> {
    let git = root.join(".git");
    match std::fs::symlink_metadata(&git) {
        Ok(meta) if meta.is_dir() => {}
        _ => return Ok(Vec::new()),
    }
    let repo = gix::open(root).map_err(|e| e.to_string())?;
    let head = match repo.head_commit() {
        Ok(head) => head,
        // An unborn branch has no history yet.
        Err(_) => return Ok(Vec::new()),
    };
    // (directory, author email) -> (name, commits)
    let mut counts: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    let walk = head
        .ancestors()
        .first_parent_only()
        .all()
        .map_err(|e| e.to_string())?;
    for info in walk.take(MAX_COMMITS) {
        let info = info.map_err(|e| e.to_string())?;
        let commit = info.object().map_err(|e| e.to_string())?;
        let Ok(author) = commit.author() else { continue };
        let email = author.email.to_string();
        let name = author.name.to_string();
        let tree = commit.tree().map_err(|e| e.to_string())?;
        let parent_tree = match commit.parent_ids().next() {
            Some(parent) => Some(
                parent
                    .object()
                    .map_err(|e| e.to_string())?
                    .into_commit()
                    .tree()
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        let changes = repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .map_err(|e| e.to_string())?;
        let mut directories: Vec<String> = Vec::new();
        for change in &changes {
            if change.entry_mode().is_tree() {
                continue;
            }
            let path = change.location().to_string();
            let mut dir = String::new();
            for part in path
                .split('/')
                .rev()
                .skip(1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .take(MAX_DEPTH)
            {
                if !dir.is_empty() {
                    dir.push('/');
                }
                dir.push_str(part);
                directories.push(dir.clone());
            }
            directories.push(String::new());
        }
        // One commit counts once per directory, however many files it touched there.
        directories.sort();
        directories.dedup();
        for dir in directories {
            let entry = counts
                .entry((dir, email.clone()))
                .or_insert_with(|| (name.clone(), 0));
            entry.1 += 1;
        }
    }
    let mut by_dir: BTreeMap<String, Vec<Committer>> = BTreeMap::new();
    for ((dir, email), (name, commits)) in counts {
        by_dir
            .entry(dir)
            .or_default()
            .push(Committer { name, email, commits });
    }
    Ok(by_dir
        .into_iter()
        .map(|(path, mut authors)| {
            authors.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.email.cmp(&b.email)));
            authors.truncate(TOP);
            PathCommitters { path, authors }
        })
        .collect())
}

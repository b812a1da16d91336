//! The parallel walk: ripgrep's `ignore` walker over the root, honouring .gitignore (when configured) and
//! scope include/exclude globs, never following symlinks, and handing each file to the extractors that
//! claim it. Only claimed files are ever read.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::extract::Extractor;

/// Directories never descended into: VCS metadata and installed third-party trees (the lockfile, not the
/// installed copy, is the record of what ships).
const ALWAYS_SKIPPED_DIRS: [&str; 4] = [".git", "node_modules", ".venv", "__pycache__"];

/// A file some extractor claims.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Root-relative, `/`-separated.
    pub relative: String,
    pub absolute: PathBuf,
    /// Indexes into the registry.
    pub extractors: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Walked {
    pub candidates: Vec<Candidate>,
    pub files_seen: usize,
    pub skipped_symlink: usize,
    pub errors: Vec<String>,
}

#[derive(Debug)]
pub struct WalkOptions {
    pub respect_gitignore: bool,
    pub include: GlobSet,
    pub exclude: GlobSet,
    pub threads: usize,
}

impl WalkOptions {
    pub fn new(
        respect_gitignore: bool,
        include: &[String],
        exclude: &[String],
    ) -> Result<Self, globset::Error> {
        Ok(Self {
            respect_gitignore,
            include: glob_set(include)?,
            exclude: glob_set(exclude)?,
            threads: 0,
        })
    }
}

fn glob_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob)?);
    }
    builder.build()
}

pub fn walk(root: &Path, options: &WalkOptions, extractors: &[&dyn Extractor]) -> Walked {
    let files_seen = AtomicUsize::new(0);
    let skipped_symlink = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<Result<Candidate, String>>();

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .git_ignore(options.respect_gitignore)
        .git_exclude(options.respect_gitignore)
        .git_global(false)
        .ignore(options.respect_gitignore)
        .parents(options.respect_gitignore)
        .require_git(false)
        .threads(options.threads)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && ALWAYS_SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
        });

    builder.build_parallel().run(|| {
        let tx = tx.clone();
        let files_seen = &files_seen;
        let skipped_symlink = &skipped_symlink;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let _ = tx.send(Err(error.to_string()));
                    return WalkState::Continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                return WalkState::Continue;
            };
            if file_type.is_symlink() {
                skipped_symlink.fetch_add(1, Ordering::Relaxed);
                return WalkState::Continue;
            }
            if !file_type.is_file() {
                return WalkState::Continue;
            }
            let Ok(relative) = entry.path().strip_prefix(root) else {
                return WalkState::Continue;
            };
            let relative = to_slash(relative);
            if (!options.include.is_empty() && !options.include.is_match(&relative))
                || options.exclude.is_match(&relative)
            {
                return WalkState::Continue;
            }
            files_seen.fetch_add(1, Ordering::Relaxed);
            let file_name = entry.file_name().to_string_lossy();
            let claimed: Vec<usize> = extractors
                .iter()
                .enumerate()
                .filter(|(_, e)| e.claims(&relative, &file_name))
                .map(|(i, _)| i)
                .collect();
            if !claimed.is_empty() {
                let candidate = Candidate {
                    relative,
                    absolute: entry.path().to_path_buf(),
                    extractors: claimed,
                };
                let _ = tx.send(Ok(candidate));
            }
            WalkState::Continue
        })
    });
    drop(tx);

    let mut walked = Walked::default();
    for item in rx {
        match item {
            Ok(candidate) => walked.candidates.push(candidate),
            Err(error) => walked.errors.push(error),
        }
    }
    walked.candidates.sort();
    walked.errors.sort();
    walked.files_seen = files_seen.into_inner();
    walked.skipped_symlink = skipped_symlink.into_inner();
    walked
}

/// Root-relative path with `/` separators on every platform; non-UTF-8 names are made lossy.
fn to_slash(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

//! Assessing a git revision without touching the working tree: the revision's tree is read from the object
//! database (gix, no git binary, no checkout, no index) and written into a directory of the caller's, where
//! the usual discovery can read it.
//!
//! The repository is untrusted input. Only regular files and directories are written: symbolic links and
//! submodules are skipped and counted (a link could point anywhere on the machine), blobs larger than the
//! scope's `max_file_size` are skipped and counted before they are loaded, and a path that could leave the
//! target directory (`..`, an absolute path, a `.git` component) stops the export.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use gix::objs::tree::EntryKind;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    /// The commit the revision resolved to (full hex).
    pub commit: String,
    /// Regular files written.
    pub files: usize,
    /// Entries not written: `symlinks + submodules + too_large`.
    pub skipped: usize,
    pub symlinks: usize,
    pub submodules: usize,
    /// Blobs over `max_file_size`.
    pub too_large: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RevisionError {
    #[error("{}: not a git repository ({message})", repo.display())]
    NotARepository { repo: PathBuf, message: String },
    #[error("unknown revision `{rev}` in {}", repo.display())]
    UnknownRevision { rev: String, repo: PathBuf },
    #[error("revision `{rev}` in {} does not name a commit: {message}", repo.display())]
    NotACommit {
        rev: String,
        repo: PathBuf,
        message: String,
    },
    #[error("revision `{rev}` in {}: cannot read {what}: {message}", repo.display())]
    Read {
        rev: String,
        repo: PathBuf,
        what: String,
        message: String,
    },
    #[error("revision `{rev}` in {}: the tree holds the unsafe path `{path}`; nothing was assessed", repo.display())]
    UnsafePath {
        rev: String,
        repo: PathBuf,
        path: String,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes the tree of `rev` (a sha, branch, tag, `HEAD~1`...) of the repository at `repo` into `into`,
/// which should be an empty directory.
pub fn export(repo: &Path, rev: &str, into: &Path, max_file_size: u64) -> Result<Exported, RevisionError> {
    let repository =
        gix::open_opts(repo, gix::open::Options::isolated()).map_err(|e| RevisionError::NotARepository {
            repo: repo.to_path_buf(),
            message: e.to_string(),
        })?;
    let read_error = |what: &str, message: String| RevisionError::Read {
        rev: rev.to_owned(),
        repo: repo.to_path_buf(),
        what: what.to_owned(),
        message,
    };
    let id = repository
        .rev_parse_single(rev)
        .map_err(|_| RevisionError::UnknownRevision {
            rev: rev.to_owned(),
            repo: repo.to_path_buf(),
        })?;
    let commit = id
        .object()
        .map_err(|e| read_error("the object", e.to_string()))?
        .peel_to_commit()
        .map_err(|e| RevisionError::NotACommit {
            rev: rev.to_owned(),
            repo: repo.to_path_buf(),
            message: e.to_string(),
        })?;
    let tree = commit
        .tree()
        .map_err(|e| read_error("the commit's tree", e.to_string()))?;
    let entries = tree
        .traverse()
        .breadthfirst
        .files()
        .map_err(|e| read_error("the tree", e.to_string()))?;

    // Every path is checked before anything is written, so a refused tree leaves nothing behind.
    let mut checked = Vec::with_capacity(entries.len());
    for entry in entries {
        let path = entry.filepath.to_string();
        match safe_relative(&path) {
            Some(relative) => checked.push((path, relative, entry)),
            None => {
                return Err(RevisionError::UnsafePath {
                    rev: rev.to_owned(),
                    repo: repo.to_path_buf(),
                    path,
                });
            }
        }
    }

    let mut exported = Exported {
        commit: commit.id.to_string(),
        ..Exported::default()
    };
    for (path, relative, entry) in checked {
        let target = into.join(relative);
        match entry.mode.kind() {
            EntryKind::Tree => create_dir(&target)?,
            EntryKind::Link => exported.symlinks += 1,
            EntryKind::Commit => exported.submodules += 1,
            EntryKind::Blob | EntryKind::BlobExecutable => {
                let size = repository
                    .find_header(entry.oid)
                    .map_err(|e| read_error(&path, e.to_string()))?
                    .size();
                if size > max_file_size {
                    exported.too_large += 1;
                    continue;
                }
                let blob = repository
                    .find_object(entry.oid)
                    .map_err(|e| read_error(&path, e.to_string()))?;
                if let Some(parent) = target.parent() {
                    create_dir(parent)?;
                }
                write_new(&target, &blob.data)?;
                exported.files += 1;
            }
        }
    }
    exported.skipped = exported.symlinks + exported.submodules + exported.too_large;
    Ok(exported)
}

/// A revision exported into a temporary directory, removed when this is dropped.
#[derive(Debug)]
pub struct Checkout {
    dir: tempfile::TempDir,
    pub exported: Exported,
}

impl Checkout {
    /// The root of the exported tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// [`export`] into a fresh temporary directory.
pub fn export_to_temp(repo: &Path, rev: &str, max_file_size: u64) -> Result<Checkout, RevisionError> {
    let dir = tempfile::Builder::new()
        .prefix("vigil-rev-")
        .tempdir()
        .map_err(|source| RevisionError::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    let exported = export(repo, rev, dir.path(), max_file_size)?;
    Ok(Checkout { dir, exported })
}

/// Characters a file name may not hold: NUL everywhere, and on Windows the separators and drive prefix
/// that would make one component several.
const FORBIDDEN: &[char] = if cfg!(windows) {
    &['\0', '\\', ':']
} else {
    &['\0']
};

/// The path as relative components, or `None` when it could leave the directory it is joined to or
/// reach into a `.git` directory there: absolute paths, `.`, `..`, empty components, [`FORBIDDEN`]
/// characters.
fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.starts_with('/') {
        return None;
    }
    let mut relative = PathBuf::new();
    for component in path.split('/') {
        let unsafe_component = component.is_empty()
            || component == "."
            || component == ".."
            || component.eq_ignore_ascii_case(".git")
            || component.contains(FORBIDDEN);
        if unsafe_component {
            return None;
        }
        relative.push(component);
    }
    Some(relative)
}

fn create_dir(path: &Path) -> Result<(), RevisionError> {
    fs::create_dir_all(path).map_err(|source| RevisionError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Creates the file, refusing to overwrite one (a tree lists each path once).
fn write_new(path: &Path, data: &[u8]) -> Result<(), RevisionError> {
    let write = || -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        file.write_all(data)
    };
    write().map_err(|source| RevisionError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::safe_relative;

    #[test]
    fn paths_that_could_escape_are_refused() {
        for path in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            ".git/config",
            "sub/.GIT/hooks/x",
            "a\0b",
        ] {
            assert_eq!(safe_relative(path), None, "{path:?}");
        }
        if cfg!(windows) {
            assert_eq!(safe_relative("a\\..\\..\\b"), None);
            assert_eq!(safe_relative("C:/x"), None);
        }
        assert_eq!(
            safe_relative("services/api/.gitignore").map(|p| p.display().to_string()),
            Some("services/api/.gitignore".to_owned())
        );
    }
}

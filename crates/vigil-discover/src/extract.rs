//! The extractor contract. An extractor names itself, claims files by path (cheaply: no reading), and turns
//! one claimed file into assets. The walk, size caps, binary detection and safe reading of related files
//! belong to the crate, not to extractors.

use toml::Spanned;
use toml::de::DeTable;
use vigil_core::{Asset, Diagnostic, Evidence, LineIndex, NotChecked, OwnershipRule};

use crate::repo_fs::RepoFs;

pub trait Extractor: Send + Sync {
    /// Stable name, `ecosystem/format`, e.g. `npm/package-lock`.
    fn name(&self) -> &'static str;

    /// Whether this extractor reads the file at `path` (relative, `/`-separated). Must not touch the disk.
    fn claims(&self, path: &str, file_name: &str) -> bool;

    /// Reads one file. Problems that spoil only part of the file go to `out.diagnostics` and the extractor
    /// carries on; an `Err` means nothing trustworthy could be read from the file.
    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError>;

    /// Whether `extract` needs the file's text. Extractors that learn all they need from the path (model
    /// weights, which are large binaries) return false, and the file is not read for them.
    fn reads_content(&self) -> bool {
        true
    }
}

/// A claimed file's text, with safe access to files it refers to.
#[derive(Debug)]
pub struct SourceFile<'a> {
    /// Path relative to the assessed root, `/`-separated.
    pub path: &'a str,
    pub text: &'a str,
    fs: &'a RepoFs,
}

impl<'a> SourceFile<'a> {
    pub fn new(path: &'a str, text: &'a str, fs: &'a RepoFs) -> Self {
        Self { path, text, fs }
    }

    /// The directory holding this file, relative to the root (`""` at the root).
    pub fn dir(&self) -> &str {
        parent_dir(self.path)
    }

    /// Reads another file of the repository, relative to the root, with the same guards as the walk (inside
    /// the root, no symlinks out, size cap, text only). `Ok(None)` when it does not exist.
    pub fn read_related(&self, path: &str) -> Result<Option<String>, ExtractError> {
        self.fs
            .read_optional(path)
            .map_err(|e| self.error(None, e.to_string()))
    }

    /// Reads the file called `name` in this file's directory (a lockfile's manifest): its root-relative
    /// path and text. Unreadable files are a warning in `out`; both that and absence give `None`.
    pub fn read_sibling(&self, name: &str, out: &mut Output) -> Option<(String, String)> {
        let path = join_relative(self.dir(), name)?;
        match self.read_related(&path) {
            Ok(text) => text.map(|text| (path, text)),
            Err(e) => {
                out.diagnostics
                    .push(self.warning(None, format!("cannot read {path}: {}", e.message)));
                None
            }
        }
    }

    /// Parses this file as TOML with spans; a syntax error names its line.
    pub fn parse_toml(&self, lines: &LineIndex) -> Result<Spanned<DeTable<'a>>, ExtractError> {
        DeTable::parse(self.text).map_err(|e| {
            let line = e.span().map(|s| lines.line(s.start));
            self.error(line, format!("invalid TOML: {}", e.message().trim()))
        })
    }

    pub fn evidence(&self, line: Option<u32>) -> Evidence {
        Evidence::at(self.path, line)
    }

    pub fn error(&self, line: Option<u32>, message: impl Into<String>) -> ExtractError {
        ExtractError {
            path: self.path.to_owned(),
            line,
            message: message.into(),
        }
    }

    pub fn warning(&self, line: Option<u32>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.path, line, message)
    }
}

/// What extractors produce.
#[derive(Debug, Default)]
pub struct Output {
    pub assets: Vec<Asset>,
    pub ownership: Vec<OwnershipRule>,
    /// (language, module, where): aggregated per module into the inventory's imports.
    pub imports: Vec<(&'static str, String, Evidence)>,
    pub diagnostics: Vec<Diagnostic>,
    pub not_checked: Vec<NotChecked>,
}

impl Output {
    pub fn append(&mut self, mut other: Output) {
        self.assets.append(&mut other.assets);
        self.ownership.append(&mut other.ownership);
        self.imports.append(&mut other.imports);
        self.diagnostics.append(&mut other.diagnostics);
        self.not_checked.append(&mut other.not_checked);
    }
}

/// A file that could not be read as its format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", location(path, *line))]
pub struct ExtractError {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

fn location(path: &str, line: Option<u32>) -> String {
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_owned(),
    }
}

/// `a/b/c.txt` -> `a/b`; `c.txt` -> ``.
pub fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins a path relative to `dir` and normalises `.` and `..`; `None` if it climbs above the root.
pub fn join_relative(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = if relative.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_without_escaping_the_root() {
        assert_eq!(join_relative("a/b", "c.txt").as_deref(), Some("a/b/c.txt"));
        assert_eq!(join_relative("a/b", "../c.txt").as_deref(), Some("a/c.txt"));
        assert_eq!(join_relative("", "./x/y").as_deref(), Some("x/y"));
        assert_eq!(join_relative("a", "../../etc/passwd"), None);
        assert_eq!(parent_dir("a/b/c"), "a/b");
        assert_eq!(parent_dir("c"), "");
    }
}

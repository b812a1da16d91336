//! Reading files of a scanned repository, which is hostile: paths must stay inside the root (no `..`, no
//! symlink leading out), files are capped in size, binaries are refused, and text must be UTF-8.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes inspected for a NUL to call a file binary (ripgrep's heuristic).
const BINARY_SNIFF: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("path leaves the assessed directory")]
    OutsideRoot,
    #[error("file is {size} bytes, over the {cap}-byte cap")]
    TooLarge { size: u64, cap: u64 },
    #[error("binary file")]
    Binary,
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("{0}")]
    Io(String),
}

#[derive(Debug, Clone)]
pub struct RepoFs {
    root: PathBuf,
    max_file_size: u64,
}

impl RepoFs {
    /// `root` must exist; it is canonicalised once so containment checks compare like with like.
    pub fn new(root: &Path, max_file_size: u64) -> std::io::Result<Self> {
        Ok(Self {
            root: root.canonicalize()?,
            max_file_size,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// Reads a file by its root-relative path; `Ok(None)` if it does not exist.
    pub fn read_optional(&self, relative: &str) -> Result<Option<String>, ReadError> {
        if relative.split('/').any(|part| part == "..") {
            return Err(ReadError::OutsideRoot);
        }
        let path = self.root.join(relative);
        let canonical = match path.canonicalize() {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ReadError::Io(e.to_string())),
        };
        // A symlink anywhere on the way that points outside makes the canonical path leave the root.
        if !canonical.starts_with(&self.root) {
            return Err(ReadError::OutsideRoot);
        }
        self.read_checked(&canonical).map(Some)
    }

    /// Reads a file the walk found (already known to be inside the root and not a symlink).
    pub fn read_walked(&self, path: &Path) -> Result<String, ReadError> {
        self.read_checked(path)
    }

    fn read_checked(&self, path: &Path) -> Result<String, ReadError> {
        let file = fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
        let size = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?.len();
        if size > self.max_file_size {
            return Err(ReadError::TooLarge {
                size,
                cap: self.max_file_size,
            });
        }
        // Read at most cap + 1 bytes: the file may grow between the size check and the read.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(self.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(e.to_string()))?;
        if bytes.len() as u64 > self.max_file_size {
            return Err(ReadError::TooLarge {
                size: bytes.len() as u64,
                cap: self.max_file_size,
            });
        }
        if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
            return Err(ReadError::Binary);
        }
        let mut text = String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_hold() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("ok.txt"), "\u{feff}hello").unwrap();
        fs::write(root.join("big.txt"), "x".repeat(100)).unwrap();
        fs::write(root.join("bin.dat"), b"ab\0cd").unwrap();
        fs::write(root.join("latin1.txt"), b"caf\xe9").unwrap();
        fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();

        let repo = RepoFs::new(&root, 50).unwrap();
        assert_eq!(repo.read_optional("ok.txt").unwrap().as_deref(), Some("hello"));
        assert_eq!(repo.read_optional("missing.txt").unwrap(), None);
        assert_eq!(
            repo.read_optional("big.txt"),
            Err(ReadError::TooLarge { size: 100, cap: 50 })
        );
        assert_eq!(repo.read_optional("bin.dat"), Err(ReadError::Binary));
        assert_eq!(repo.read_optional("latin1.txt"), Err(ReadError::NotUtf8));
        assert_eq!(repo.read_optional("../secret.txt"), Err(ReadError::OutsideRoot));
        #[cfg(unix)]
        assert_eq!(repo.read_optional("link.txt"), Err(ReadError::OutsideRoot));
    }
}

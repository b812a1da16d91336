#![allow(dead_code)]
//! Shared by the extractor tests (the fixture ladder of STYLE.md): running one extractor on in-memory files.

use std::fs;

use vigil_discover::repo_fs::RepoFs;
use vigil_discover::{ExtractError, Extractor, Output, SourceFile};

/// Writes `files` (root-relative path, content) into a temporary repository and runs `extractor` on the
/// first one, so that related files (includes, sibling manifests) can be read as in a real walk.
pub fn run_extractor(extractor: &dyn Extractor, files: &[(&str, &str)]) -> Result<Output, ExtractError> {
    let dir = tempfile::tempdir().map_err(|e| io_error(files, e))?;
    for (path, text) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(files, e))?;
        }
        fs::write(&target, text).map_err(|e| io_error(files, e))?;
    }
    let repo = RepoFs::new(dir.path(), 8 * 1024 * 1024).map_err(|e| io_error(files, e))?;
    let (path, text) = files[0];
    let file_name = path.rsplit('/').next().unwrap_or(path);
    assert!(
        extractor.claims(path, file_name),
        "{} does not claim {path}",
        extractor.name()
    );
    let mut out = Output::default();
    extractor.extract(&SourceFile::new(path, text, &repo), &mut out)?;
    Ok(out)
}

fn io_error(files: &[(&str, &str)], error: std::io::Error) -> ExtractError {
    ExtractError {
        path: files[0].0.to_owned(),
        line: None,
        message: error.to_string(),
    }
}

#![allow(dead_code, clippy::unwrap_used)] // test helpers outside #[test] functions
//! Shared by the extractor tests (the fixture ladder of STYLE.md): running one extractor on in-memory files.

use std::fs;

use serde_json::Value;
use vigil_core::Asset;
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

/// The single asset `extractor` makes of `text` at `path` (a pipeline file), its diagnostics shown if not.
pub fn single_asset(extractor: &dyn Extractor, path: &str, text: &str) -> Asset {
    let out = run_extractor(extractor, &[(path, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.assets.len(), 1, "{:?}", out.diagnostics);
    out.assets.into_iter().next().unwrap()
}

/// The `jobs` of a pipeline asset.
pub fn jobs(asset: &Asset) -> &Vec<Value> {
    asset.attributes["jobs"].as_array().unwrap()
}

/// The pipeline job with this id.
pub fn job<'a>(asset: &'a Asset, id: &str) -> &'a Value {
    jobs(asset)
        .iter()
        .find(|j| j["id"] == id)
        .unwrap_or_else(|| panic!("no job {id}"))
}

/// (step name, uses, uses_line) of every `uses` step of a job.
pub fn named_uses(job: &Value) -> Vec<(String, String, u64)> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("uses").is_some())
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["uses"].as_str().unwrap().to_owned(),
                s["uses_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

//! vigil-discover: the inventory stage. Walks a repository in parallel, hands each file to the extractors
//! that claim it (listed in [`registry`]), and returns the [`Inventory`] with the diagnostics and coverage
//! that say what could not be read. Nothing here executes or follows anything the repository contains.

pub mod extract;
pub mod extractors;
pub mod json_lines;
pub mod registry;
pub mod repo_fs;
mod services;
mod walk;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use vigil_core::{Coverage, Diagnostic, Inventory, NotChecked, Scope};

pub use extract::{ExtractError, Extractor, Output, SourceFile};
use repo_fs::{ReadError, RepoFs};
pub use walk::WalkOptions;

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: cannot open the directory to assess: {source}")]
    Root { path: String, source: std::io::Error },
    #[error("invalid include/exclude glob: {0}")]
    Glob(#[from] globset::Error),
}

/// The inventory of one repository and what the walk could and could not read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inventory: Inventory,
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: Coverage,
}

/// Discovers every asset under `root`, within the scope's include/exclude globs and file size cap.
pub fn run(root: &Path, scope: &Scope) -> Result<Discovery, DiscoverError> {
    let fs = RepoFs::new(root, scope.discover.max_file_size).map_err(|source| DiscoverError::Root {
        path: root.display().to_string(),
        source,
    })?;
    let options = WalkOptions::new(scope.discover.respect_gitignore, &scope.include, &scope.exclude)?;
    let extractors = registry::extractors();
    let walked = walk::walk(fs.root(), &options, &extractors);

    let results: Vec<FileResult> = walked
        .candidates
        .par_iter()
        .map(|candidate| extract_file(&fs, candidate, &extractors))
        .collect();

    let mut output = Output::default();
    let mut coverage = Coverage {
        files_seen: walked.files_seen,
        skipped_symlink: walked.skipped_symlink,
        ..Coverage::default()
    };
    let mut extracted: BTreeMap<String, usize> = BTreeMap::new();
    for result in results {
        output.append(result.output);
        for name in result.extracted {
            *extracted.entry(name.to_owned()).or_default() += 1;
        }
        coverage.skipped_too_large += usize::from(result.too_large);
        coverage.skipped_binary += usize::from(result.binary);
    }
    for error in walked.errors {
        output
            .diagnostics
            .push(Diagnostic::warning(".", None, format!("walk: {error}")));
    }
    coverage.extracted = extracted;

    let mut inventory = Inventory {
        assets: output.assets,
        ownership: output.ownership,
    };
    services::attribute(&mut inventory);
    inventory.normalize();

    output.diagnostics.sort();
    output.not_checked.sort();
    coverage.not_checked = output.not_checked;
    Ok(Discovery {
        inventory,
        diagnostics: output.diagnostics,
        coverage,
    })
}

struct FileResult {
    output: Output,
    extracted: Vec<&'static str>,
    too_large: bool,
    binary: bool,
}

fn extract_file(fs: &RepoFs, candidate: &walk::Candidate, extractors: &[&dyn Extractor]) -> FileResult {
    let mut result = FileResult {
        output: Output::default(),
        extracted: Vec::new(),
        too_large: false,
        binary: false,
    };
    let path = candidate.relative.as_str();
    let text = match fs.read_walked(&candidate.absolute) {
        Ok(text) => text,
        Err(error) => {
            match error {
                ReadError::TooLarge { .. } => result.too_large = true,
                ReadError::Binary => result.binary = true,
                _ => result
                    .output
                    .diagnostics
                    .push(Diagnostic::error(path, None, error.to_string())),
            }
            result.output.not_checked.push(NotChecked {
                what: path.to_owned(),
                why: format!("skipped: {error}"),
            });
            return result;
        }
    };
    let file = SourceFile::new(path, &text, fs);
    for index in &candidate.extractors {
        let extractor = extractors[*index];
        let mut out = Output::default();
        match extractor.extract(&file, &mut out) {
            Ok(()) => {
                result.output.append(out);
                result.extracted.push(extractor.name());
            }
            Err(error) => {
                tracing::debug!(extractor = extractor.name(), %error, "extraction failed");
                result.output.diagnostics.append(&mut out.diagnostics);
                result.output.diagnostics.push(Diagnostic::error(
                    &error.path,
                    error.line,
                    error.message.clone(),
                ));
                result.output.not_checked.push(NotChecked {
                    what: path.to_owned(),
                    why: format!("{} could not read it: {}", extractor.name(), error.message),
                });
            }
        }
    }
    result
}

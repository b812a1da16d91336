//! vigil-discover: the inventory stage. Walks a repository in parallel, hands each file to the extractors
//! that claim it (listed in [`registry`]), and returns the [`Inventory`] with the diagnostics and coverage
//! that say what could not be read. Nothing here executes or follows anything the repository contains.

pub mod catalog;
pub mod extract;
pub mod extractors;
pub mod git_history;
mod integrations;
pub mod json_lines;
pub mod paths;
pub mod registry;
pub mod repo_fs;
mod services;
mod walk;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use vigil_core::{Coverage, Diagnostic, Inventory, ModuleImport, NotChecked, RootedImport, Scope};

pub use extract::{ExtractError, Extractor, Output, SourceFile};
use repo_fs::{ReadError, RepoFs};
pub use walk::WalkOptions;

/// Stack of each extraction thread.
const WORKER_STACK: usize = 16 * 1024 * 1024;

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

    // Parsers recurse over nesting; budgets bound the depth, and a generous stack makes sure the bound is
    // reached before the stack is.
    let results: Vec<FileResult> = match rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK).build() {
        Ok(pool) => pool.install(|| {
            walked
                .candidates
                .par_iter()
                .map(|candidate| extract_file(&fs, candidate, &extractors))
                .collect()
        }),
        Err(_) => walked
            .candidates
            .iter()
            .map(|candidate| extract_file(&fs, candidate, &extractors))
            .collect(),
    };

    let mut output = Output::default();
    let mut coverage = Coverage {
        files_seen: walked.files_seen,
        skipped_symlink: walked.skipped_symlink,
        ..Coverage::default()
    };
    let mut extracted: BTreeMap<String, usize> = BTreeMap::new();
    let mut unscanned_binaries = 0;
    for result in results {
        output.append(result.output);
        for name in result.extracted {
            *extracted.entry(name.to_owned()).or_default() += 1;
        }
        coverage.skipped_too_large += usize::from(result.too_large);
        coverage.skipped_binary += usize::from(result.binary);
        unscanned_binaries += usize::from(result.unscanned_binary);
    }
    if unscanned_binaries > 0 {
        output.not_checked.push(NotChecked {
            what: format!("{unscanned_binaries} binary or non-UTF-8 files"),
            why: "not scanned for secrets".into(),
        });
    }
    if walked.skipped_symlink > 0 {
        output.not_checked.push(NotChecked {
            what: format!("{} symbolic links", walked.skipped_symlink),
            why: "not followed: a link may lead out of the assessed root or into a loop".into(),
        });
    }
    for error in walked.errors {
        output
            .diagnostics
            .push(Diagnostic::warning(".", None, format!("walk: {error}")));
    }
    coverage.extracted = extracted;

    let mut raw_imports = std::mem::take(&mut output.imports);
    // Hundreds of thousands in a large tree: sorted on every core.
    raw_imports.par_sort_unstable();
    let manifest_dirs = manifest_dirs(&output.assets);
    let imports = module_imports(&raw_imports, &manifest_dirs);
    let committers = match git_history::committers(fs.root()) {
        Ok(committers) => committers,
        Err(error) => {
            output.not_checked.push(NotChecked {
                what: ".git".into(),
                why: format!("git history could not be read: {error}"),
            });
            Vec::new()
        }
    };
    let mut inventory = Inventory {
        assets: output.assets,
        ownership: output.ownership,
        imports,
        committers,
    };
    services::attribute(&mut inventory);
    integrations::detect(&mut inventory, &raw_imports);
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

/// The directories holding a dependency manifest (a lockfile or a manifest read for dependencies).
fn manifest_dirs(assets: &[vigil_core::Asset]) -> BTreeSet<String> {
    assets
        .iter()
        .filter(|a| a.kind == vigil_core::AssetKind::Dependency)
        .filter_map(|a| a.evidence.first())
        .map(|e| parent_dir(&e.path).to_owned())
        .collect()
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The nearest directory above `path` that holds a manifest.
fn project_root<'a>(path: &str, manifest_dirs: &'a BTreeSet<String>) -> Option<&'a str> {
    let mut dir = parent_dir(path);
    loop {
        if let Some(found) = manifest_dirs.get(dir) {
            return Some(found.as_str());
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

/// One entry per (language, module) with the number of importing files, the first places, in path order
/// (`found` is sorted), and the first production import under each project root.
fn module_imports(
    found: &[(&'static str, String, vigil_core::Evidence)],
    manifest_dirs: &BTreeSet<String>,
) -> Vec<ModuleImport> {
    let mut imports: Vec<ModuleImport> = Vec::new();
    let mut last_file: Option<&str> = None;
    // Many imports share a directory: its project root is looked up once.
    let mut roots: HashMap<&str, Option<&str>> = HashMap::new();
    for (language, module, evidence) in found {
        let same = imports
            .last()
            .is_some_and(|last| last.language == *language && last.module == *module);
        if !same {
            imports.push(ModuleImport {
                language: (*language).to_owned(),
                module: module.clone(),
                files: 0,
                evidence: Vec::new(),
                production_files: 0,
                production_roots: Vec::new(),
                production_paths: Vec::new(),
            });
            last_file = None;
        }
        let Some(entry) = imports.last_mut() else {
            continue;
        };
        let new_file = last_file != Some(evidence.path.as_str());
        last_file = Some(evidence.path.as_str());
        if new_file {
            entry.files += 1;
        }
        if entry.evidence.len() < ModuleImport::MAX_EVIDENCE {
            entry.evidence.push(evidence.clone());
        }
        if paths::is_test_path(&evidence.path) {
            continue;
        }
        if new_file {
            entry.production_files += 1;
        }
        let dir = parent_dir(&evidence.path);
        let Some(root) = *roots
            .entry(dir)
            .or_insert_with(|| project_root(&evidence.path, manifest_dirs))
        else {
            continue;
        };
        // Only the languages call resolution searches (Go symbols, RustSec functions) need every file.
        if new_file && matches!(*language, "go" | "rust") {
            entry
                .production_paths
                .push((root.to_owned(), evidence.path.clone()));
        }
        if !entry.production_roots.iter().any(|r| r.root == root) {
            entry.production_roots.push(RootedImport {
                root: root.to_owned(),
                evidence: evidence.clone(),
            });
        }
    }
    for entry in &mut imports {
        entry.production_roots.sort();
        entry.production_paths.sort();
    }
    imports
}

struct FileResult {
    output: Output,
    extracted: Vec<&'static str>,
    too_large: bool,
    binary: bool,
    /// A binary file only the secret scanner claimed.
    unscanned_binary: bool,
}

fn extract_file(fs: &RepoFs, candidate: &walk::Candidate, extractors: &[&dyn Extractor]) -> FileResult {
    let mut result = FileResult {
        output: Output::default(),
        extracted: Vec::new(),
        too_large: false,
        binary: false,
        unscanned_binary: false,
    };
    let path = candidate.relative.as_str();
    let needs_text = candidate
        .extractors
        .iter()
        .any(|i| extractors[*i].reads_content());
    let read = if needs_text {
        fs.read_walked(&candidate.absolute)
    } else {
        Ok(String::new())
    };
    let text = match read {
        Ok(text) => text,
        Err(error) => {
            // Any file may be claimed by the secret scanner alone; a binary one is then only counted,
            // not listed, or every image would become a line of the report.
            let only_secrets = candidate
                .extractors
                .iter()
                .all(|i| extractors[*i].name() == "secrets/scanner");
            match error {
                ReadError::TooLarge { .. } => result.too_large = true,
                ReadError::Binary => result.binary = true,
                ReadError::NotUtf8 if only_secrets => result.binary = true,
                _ => result
                    .output
                    .diagnostics
                    .push(Diagnostic::error(path, None, error.to_string())),
            }
            if !(only_secrets && result.binary) {
                result.output.not_checked.push(NotChecked {
                    what: path.to_owned(),
                    why: format!("skipped: {error}"),
                });
            }
            result.unscanned_binary = only_secrets && result.binary;
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

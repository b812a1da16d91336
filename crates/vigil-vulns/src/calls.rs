//! `function-called`: for an advisory that names its vulnerable functions (RustSec `affects.functions`, Go
//! `imports[].symbols`), the production files that import the package are searched for a call to one of
//! them, over the text with comments and strings blanked. The search is lexical, without types:
//! - Go `path.Func`: `alias.Func(` in a file importing `path` (the alias as written, else the package
//!   name: the last path element, without a `/vN` or `.vN` major version);
//! - Go `path.Type.Method`: `.Method(` in such a file that also names `alias.Type` (or `alias.NewType`);
//! - Rust `krate::...::Type::method`: `Type::method(`, or `.method(` in a file naming `Type`;
//! - Rust `krate::...::module::func`: `module::func(`, or `func(` in a file that `use`s it.
//!
//! A call found makes the finding `function-called`, with the call as evidence. None found keeps
//! `imported` and says so: a lexical miss is not a proof. A budget of files, bytes and time bounds the
//! search; past it the remaining findings stay `imported` with the reason written down.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use regex::Regex;
use vigil_code::Language;
use vigil_core::{Ecosystem, Evidence, Finding, ModuleImport, Reachability};

use crate::reachability::provides;

/// Reads a repository file by its root-relative path (the caller keeps reads inside the root).
pub trait SourceFiles: Sync {
    fn read(&self, path: &str) -> Option<String>;
}

#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_files: usize,
    pub max_bytes: u64,
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            max_files: 2_000,
            max_bytes: 128 << 20,
            max_time: Duration::from_secs(5),
        }
    }
}

/// Grades `function-called` where a call to a vulnerable function is found.
pub fn resolve(findings: &mut [Finding], imports: &[ModuleImport], files: &dyn SourceFiles, budget: Budget) {
    let started = Instant::now();
    let mut spent = (0usize, 0u64);
    // Blanked text per file, read once for every finding that needs it.
    let mut cache: HashMap<String, Option<(String, String)>> = HashMap::new();
    for finding in findings.iter_mut() {
        let manifest = finding
            .evidence
            .first()
            .map(|e| e.path.clone())
            .unwrap_or_default();
        let Some(details) = finding.vulnerability.as_mut() else {
            continue;
        };
        let language = match details.ecosystem {
            Ecosystem::Go => Language::Go,
            Ecosystem::CratesIo => Language::Rust,
            _ => continue,
        };
        if details.reachability != Reachability::Imported || details.vulnerable_functions.is_empty() {
            continue;
        }
        let root = manifest.rsplit_once('/').map_or("", |(dir, _)| dir);
        let targets: Vec<Target> = details
            .vulnerable_functions
            .iter()
            .filter_map(|f| Target::parse(details.ecosystem, f))
            .collect();
        let mut found: Option<Evidence> = None;
        let mut searched = 0usize;
        let mut exhausted = false;
        'files: for import in imports
            .iter()
            .filter(|i| i.language == language.as_str())
            .filter(|i| provides(details.ecosystem, &details.package, &i.module))
        {
            for (file_root, path) in &import.production_paths {
                if file_root != root {
                    continue;
                }
                if !cache.contains_key(path) {
                    if spent.0 >= budget.max_files
                        || spent.1 >= budget.max_bytes
                        || started.elapsed() >= budget.max_time
                    {
                        exhausted = true;
                        break 'files;
                    }
                    let entry = files.read(path).map(|text| {
                        let code = vigil_code::lexer::blank_comments_and_strings(&text, language);
                        (text, code)
                    });
                    spent.0 += 1;
                    spent.1 += entry.as_ref().map_or(0, |(t, _)| t.len() as u64);
                    cache.insert(path.clone(), entry);
                }
                let Some(Some((text, code))) = cache.get(path) else {
                    continue;
                };
                searched += 1;
                if let Some(offset) = targets
                    .iter()
                    .find_map(|t| t.called_in(&import.module, text, code))
                {
                    let line = code[..offset].matches('\n').count() + 1;
                    found = Some(
                        Evidence::at(path.clone(), u32::try_from(line).ok())
                            .with_note("call to a vulnerable function"),
                    );
                    break 'files;
                }
            }
        }
        match found {
            Some(call) => {
                details.reachability = Reachability::FunctionCalled;
                details.reachability_note =
                    Some(format!("calls a vulnerable function at {}", call.location()));
                details.reachability_evidence.insert(0, call);
            }
            None if exhausted => {
                details.reachability_note = Some(format!(
                    "call resolution stopped at its budget ({} files, {} MiB, {} s): graded imported",
                    budget.max_files,
                    budget.max_bytes >> 20,
                    budget.max_time.as_secs()
                ));
            }
            None => {
                details.reachability_note = Some(format!(
                    "no call to the {} vulnerable function(s) the advisory names was found in {searched} importing \
                     file(s) (a lexical search, not a proof)",
                    details.vulnerable_functions.len()
                ));
            }
        }
    }
}

/// One vulnerable function, as the search needs it.
#[derive(Debug)]
enum Target {
    /// Go `path.Func`.
    GoFunc { path: String, func: String },
    /// Go `path.Type.Method`.
    GoMethod {
        path: String,
        ty: String,
        method: String,
    },
    /// Rust `...::Type::method`.
    RustMethod { ty: String, method: String },
    /// Rust `...::module::func`.
    RustFunc { module: String, func: String },
}

impl Target {
    fn parse(ecosystem: Ecosystem, name: &str) -> Option<Self> {
        match ecosystem {
            Ecosystem::Go => {
                // The import path has dots too (`golang.org/x/net/html.Parse`): the symbol starts after the
                // last `/`.
                let (dir, last) = name.rsplit_once('/').unwrap_or(("", name));
                let mut parts = last.split('.');
                let package = parts.next()?;
                let path = if dir.is_empty() {
                    package.to_owned()
                } else {
                    format!("{dir}/{package}")
                };
                let symbol: Vec<&str> = parts.collect();
                match symbol.as_slice() {
                    [func] => Some(Self::GoFunc {
                        path,
                        func: (*func).to_owned(),
                    }),
                    [ty, method] => Some(Self::GoMethod {
                        path,
                        ty: (*ty).to_owned(),
                        method: (*method).to_owned(),
                    }),
                    _ => None,
                }
            }
            Ecosystem::CratesIo => {
                let segments: Vec<&str> = name.split("::").collect();
                let [.., parent, last] = segments.as_slice() else {
                    return None;
                };
                if parent.starts_with(|c: char| c.is_ascii_uppercase()) {
                    Some(Self::RustMethod {
                        ty: (*parent).to_owned(),
                        method: (*last).to_owned(),
                    })
                } else {
                    Some(Self::RustFunc {
                        module: (*parent).to_owned(),
                        func: (*last).to_owned(),
                    })
                }
            }
            _ => None,
        }
    }

    /// The offset of a call in `code` (blanked) of a file that imports `module`, if any.
    fn called_in(&self, module: &str, text: &str, code: &str) -> Option<usize> {
        let find = |pattern: &str| Regex::new(pattern).ok()?.find(code).map(|m| m.start());
        let mentions = |pattern: &str| Regex::new(pattern).ok().is_some_and(|r| r.is_match(code));
        match self {
            Self::GoFunc { path, func } if path == module => {
                let alias = regex::escape(&go_alias(text, code, path));
                find(&format!(r"\b{alias}\.{}\s*\(", regex::escape(func)))
            }
            Self::GoMethod { path, ty, method } if path == module => {
                let alias = regex::escape(&go_alias(text, code, path));
                let ty = regex::escape(ty);
                mentions(&format!(r"\b{alias}\.(New)?{ty}\b"))
                    .then(|| find(&format!(r"\.{}\s*\(", regex::escape(method))))
                    .flatten()
            }
            Self::RustMethod { ty, method } => {
                let (ty, method) = (regex::escape(ty), regex::escape(method));
                find(&format!(r"\b{ty}::{method}\s*\(")).or_else(|| {
                    mentions(&format!(r"\b{ty}\b"))
                        .then(|| find(&format!(r"\.{method}\s*\(")))
                        .flatten()
                })
            }
            Self::RustFunc { module: parent, func } => {
                let (parent, func) = (regex::escape(parent), regex::escape(func));
                find(&format!(r"\b{parent}::{func}\s*\(")).or_else(|| {
                    mentions(&format!(r"\buse\s[^;]*\b{func}\b"))
                        .then(|| find(&format!(r"(^|[^\w.:]){func}\s*\(")))
                        .flatten()
                })
            }
            _ => None,
        }
    }
}

/// The name a Go file uses for the package at `path`: the alias of its import, else the package name.
fn go_alias(text: &str, code: &str, path: &str) -> String {
    let quoted = format!("\"{path}\"");
    // The import's alias is the word before the quoted path, on the same line.
    let mut offset = 0;
    while let Some(at) = text[offset..].find(&quoted).map(|p| p + offset) {
        let line_start = code[..at].rfind('\n').map_or(0, |p| p + 1);
        let before = code[line_start..at].trim();
        let alias = before.strip_prefix("import").map_or(before, str::trim);
        if !alias.is_empty() && alias.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return alias.to_owned();
        }
        offset = at + quoted.len();
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    let is_major = |s: &str| {
        s.strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let name = if is_major(last) {
        path.rsplit('/').nth(1).unwrap_or(last)
    } else {
        last
    };
    // gopkg.in/yaml.v3 is package yaml.
    let name = match name.rsplit_once('.') {
        Some((base, version)) if is_major(version) => base,
        _ => name,
    };
    name.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::go_alias;

    #[test]
    fn go_package_names() {
        let plain = "import \"golang.org/x/net/html\"\n";
        assert_eq!(go_alias(plain, plain, "golang.org/x/net/html"), "html");
        let aliased = "import (\n\tnethtml \"golang.org/x/net/html\"\n)\n";
        assert_eq!(go_alias(aliased, aliased, "golang.org/x/net/html"), "nethtml");
        assert_eq!(go_alias("", "", "github.com/foo/bar/v2"), "bar");
        assert_eq!(go_alias("", "", "gopkg.in/yaml.v3"), "yaml");
    }
}

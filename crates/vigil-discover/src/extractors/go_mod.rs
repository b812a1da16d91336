//! `go.mod`, as written by Go 1.11 to 1.26: the `module`, `go`, `toolchain`, `godebug`, `require`,
//! `replace`, `exclude`, `retract`, `tool` and `ignore` directives, one per line or in `verb ( ... )` blocks.
//!
//! go.mod is authoritative: since Go 1.17 it lists every module of the build, so it is read instead of
//! go.sum, which also holds hashes of modules that were only considered during resolution. Each `require`
//! is one dependency, direct unless marked `// indirect`. A `replace` changes what is built: by another
//! module and version, the asset names the replacement (and keeps the replaced requirement in
//! `replaced_module`); by a local directory, it keeps the required name with `source = "path"`, since no
//! published version is used. `exclude` and `retract` only steer resolution and are ignored. The `toolchain`
//! (else `go`) directive gives the standard library, `stdlib`, as the Go vulnerability database names it,
//! with `version_from` saying which (both are minimums). The main module (`module`) is the project itself. Go does not separate test-only
//! modules, so the scope is `unknown`. The sibling `go.sum` is read only to warn about required modules it
//! has no line for (go.mod and go.sum out of step, or hashes never recorded). Versions keep their `v`
//! prefix, `+incompatible` suffix and pseudo-version form, as Go and OSV's Go ecosystem write them.
//!
//! The lexer follows `golang.org/x/mod/modfile`: `//` comments, interpreted (`"..."`) and raw (`` `...` ``)
//! strings, `=>` as its own token. A line that cannot be read is a warning; only a file in which no line is
//! a go.mod directive is an error.

use std::collections::HashSet;

use vigil_core::{Dependency, DependencyScope, Ecosystem};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct GoMod;

/// Directives that Go 1.26 knows; others are probably newer ones, so they are a warning, not an error.
const KNOWN_VERBS: [&str; 10] = [
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "replace",
    "exclude",
    "retract",
    "tool",
    "ignore",
];

impl Extractor for GoMod {
    fn name(&self) -> &'static str {
        "go/go-mod"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "go.mod"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let parsed = parse(file.text);
        if parsed.known_directives == 0
            && let Some((line, message)) = parsed.problems.first()
        {
            let message = message.trim_end_matches("; line skipped");
            return Err(file.error(Some(*line), format!("not a go.mod file: {message}")));
        }
        for (line, message) in &parsed.problems {
            out.diagnostics.push(file.warning(Some(*line), message.clone()));
        }
        if parsed.module.is_none() && !parsed.requires.is_empty() {
            out.diagnostics.push(file.warning(
                Some(1),
                "no `module` directive; Go refuses this file, its requirements are read anyway",
            ));
        }

        let sum_text = if parsed.requires.is_empty() {
            None
        } else {
            file.read_sibling("go.sum", out)
        };
        let sums = sum_text.as_ref().map(|(_, text)| go_sum_entries(text));
        let mut missing_sum = false;
        for require in &parsed.requires {
            let replacement = find_replacement(&parsed.replaces, require);
            let dependency = |name: &str, version: &str| Dependency {
                ecosystem: Ecosystem::Go,
                name: name.to_owned(),
                version: version.to_owned(),
                direct: Some(!require.indirect),
                scope: DependencyScope::Unknown,
            };
            let evidence = file.evidence(Some(require.line));
            let (asset, checked) = match replacement {
                None => (
                    dependency(&require.path, &require.version).into_asset(evidence),
                    Some((require.path.as_str(), require.version.as_str())),
                ),
                Some(replace) => match &replace.new {
                    Target::Module { path, version } => {
                        let mut asset = dependency(path, version)
                            .into_asset(evidence)
                            .with("replaced_module", format!("{}@{}", require.path, require.version));
                        asset
                            .attribute_lines
                            .insert("replaced_module".to_owned(), replace.line);
                        (asset, Some((path.as_str(), version.as_str())))
                    }
                    Target::Directory(dir) => {
                        let mut asset = dependency(&require.path, &require.version)
                            .into_asset(evidence)
                            .with("source", "path")
                            .with("replaced_by", dir.clone());
                        asset
                            .attribute_lines
                            .insert("replaced_by".to_owned(), replace.line);
                        (asset, None) // a local directory has no checksum
                    }
                },
            };
            out.assets.push(asset);
            match (&sums, checked) {
                (Some(sums), Some((path, version))) if !sums.contains(&(path, version)) => {
                    out.diagnostics.push(file.warning(
                        Some(require.line),
                        format!(
                            "{path} {version} has no line in go.sum: go.mod and go.sum are out of step \
                             (`go mod tidy` records it)"
                        ),
                    ));
                }
                (None, Some(_)) => missing_sum = true,
                _ => {}
            }
        }
        if let Some(asset) = standard_library(file, &parsed) {
            out.assets.push(asset);
        }
        if missing_sum {
            out.diagnostics.push(file.warning(
                None,
                "no go.sum beside go.mod: the checksums of the required modules are not recorded",
            ));
        }
        Ok(())
    }
}

/// Go's standard library as a dependency named `stdlib` (the name the Go vulnerability database uses), at
/// the version of the `toolchain` directive, else of the `go` directive. Both are minimums: the toolchain
/// that builds may be newer, which `version_from` says, so a finding on it is a lead to confirm.
fn standard_library(file: &SourceFile<'_>, parsed: &GoModFile) -> Option<vigil_core::Asset> {
    let from_toolchain = parsed.toolchain.as_ref().and_then(|(name, line)| {
        // `go1.22.3`, possibly with a suffix (`go1.22.3+auto`, `go1.22.3-custom`); `default` names none.
        let version = name.strip_prefix("go")?;
        let version = version.split(['+', '-']).next().unwrap_or(version);
        Some((version.to_owned(), *line, "toolchain directive"))
    });
    let (version, line, from) = from_toolchain.or_else(|| {
        parsed
            .go
            .as_ref()
            .map(|(version, line)| (version.clone(), *line, "go directive"))
    })?;
    let dependency = Dependency {
        ecosystem: Ecosystem::Go,
        name: "stdlib".to_owned(),
        version,
        direct: Some(true),
        scope: DependencyScope::Prod,
    };
    Some(
        dependency
            .into_asset(file.evidence(Some(line)))
            .with("version_from", from),
    )
}

#[derive(Debug, Default)]
struct GoModFile {
    module: Option<String>,
    /// `go 1.22.1`: the minimum Go version, and its line.
    go: Option<(String, u32)>,
    /// `toolchain go1.22.3`: the toolchain Go uses at least, and its line.
    toolchain: Option<(String, u32)>,
    requires: Vec<Require>,
    replaces: Vec<Replace>,
    /// Lines that were read as a directive Go knows.
    known_directives: usize,
    /// (line, message) for lines that could not be read.
    problems: Vec<(u32, String)>,
}

#[derive(Debug)]
struct Require {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

#[derive(Debug)]
struct Replace {
    path: String,
    /// `None` replaces every version of `path`.
    version: Option<String>,
    new: Target,
    line: u32,
}

#[derive(Debug)]
enum Target {
    Module { path: String, version: String },
    Directory(String),
}

fn parse(text: &str) -> GoModFile {
    let mut parsed = GoModFile::default();
    // The verb of the `verb (` block being read, and the line that opened it.
    let mut block: Option<(String, u32)> = None;
    for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let (tokens, comment) = match lex(raw) {
            Ok(lexed) => lexed,
            Err(message) => {
                parsed.problems.push((line, message));
                continue;
            }
        };
        let Some(first) = tokens.first() else { continue };
        if let Some((verb, _)) = &block {
            if tokens.len() == 1 && first == ")" {
                block = None;
            } else if KNOWN_VERBS.contains(&verb.as_str()) {
                let verb = verb.clone();
                directive(&mut parsed, &verb, &tokens, comment, line);
            }
            continue;
        }
        let args = tokens.get(1..).unwrap_or_default();
        let known = KNOWN_VERBS.contains(&first.as_str());
        match args {
            [open] if open == "(" => {
                if !known {
                    parsed
                        .problems
                        .push((line, format!("unknown directive `{first}`; its block is skipped")));
                }
                block = Some((first.clone(), line));
            }
            [open, close] if open == "(" && close == ")" => {}
            _ if known => directive(&mut parsed, first, args, comment, line),
            _ => parsed
                .problems
                .push((line, format!("unknown directive `{first}`; line skipped"))),
        }
    }
    if let Some((verb, line)) = block {
        parsed
            .problems
            .push((line, format!("`{verb} (` block is never closed")));
    }
    parsed
}

/// One directive of a verb Go knows: `verb args...` on its own line, or `args...` inside its block.
fn directive(parsed: &mut GoModFile, verb: &str, args: &[String], comment: Option<&str>, line: u32) {
    let problem = match verb {
        "module" => match args {
            [path] => {
                parsed.module = Some(path.clone());
                None
            }
            _ => Some("`module` takes one module path"),
        },
        "go" => match args {
            [version] => {
                parsed.go = Some((version.clone(), line));
                None
            }
            _ => Some("`go` takes one version"),
        },
        "toolchain" => match args {
            [name] => {
                parsed.toolchain = Some((name.clone(), line));
                None
            }
            _ => Some("`toolchain` takes one name"),
        },
        "require" => match args {
            [path, version] => {
                parsed.requires.push(Require {
                    path: path.clone(),
                    version: version.clone(),
                    indirect: comment.is_some_and(is_indirect),
                    line,
                });
                None
            }
            _ => Some("a requirement is `module/path version`"),
        },
        "replace" => match read_replace(args, line) {
            Some(replace) => {
                parsed.replaces.push(replace);
                None
            }
            None => Some("a replacement is `path [version] => path [version]`"),
        },
        _ => None,
    };
    match problem {
        Some(message) => parsed.problems.push((line, format!("{message}; line skipped"))),
        None => parsed.known_directives += 1,
    }
}

fn read_replace(args: &[String], line: u32) -> Option<Replace> {
    let arrow = args.iter().position(|a| a == "=>")?;
    let (old, new) = (args.get(..arrow)?, args.get(arrow + 1..)?);
    let (path, version) = match old {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    let new = match new {
        [dir] if is_directory_path(dir) => Target::Directory(dir.clone()),
        [path, version] => Target::Module {
            path: path.clone(),
            version: version.clone(),
        },
        _ => return None,
    };
    Some(Replace {
        path,
        version,
        new,
        line,
    })
}

/// As `modfile.IsDirectoryPath`: a replacement is a local directory when it is written as a path.
fn is_directory_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path == "."
        || path == ".."
        || ["./", "../", "/", ".\\", "..\\", "\\"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// `// indirect`, possibly followed by `; other text`, as the go command writes and reads it.
fn is_indirect(comment: &str) -> bool {
    let comment = comment.trim();
    comment == "indirect" || comment.starts_with("indirect;")
}

/// A versioned `replace` wins over an unversioned one for the same module, as in Go.
fn find_replacement<'r>(replaces: &'r [Replace], require: &Require) -> Option<&'r Replace> {
    let for_path = || replaces.iter().filter(|r| r.path == require.path);
    for_path()
        .rfind(|r| r.version.as_deref() == Some(require.version.as_str()))
        .or_else(|| for_path().rfind(|r| r.version.is_none()))
}

/// Splits one line into tokens and the text of its trailing `//` comment.
fn lex(line: &str) -> Result<(Vec<String>, Option<&str>), String> {
    const PUNCTUATION: [char; 7] = ['(', ')', '[', ']', '{', '}', ','];
    let mut tokens = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            return Ok((tokens, None));
        };
        if let Some(comment) = rest.strip_prefix("//") {
            return Ok((tokens, Some(comment)));
        }
        if let Some(after) = rest.strip_prefix("=>") {
            tokens.push("=>".to_owned());
            rest = after;
        } else if let Some(after) = rest.strip_prefix('"') {
            let (text, after) = interpreted_string(after)?;
            tokens.push(text);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('`') {
            let end = after.find('`').ok_or("unterminated raw string; line skipped")?;
            tokens.push(after.get(..end).unwrap_or_default().to_owned());
            rest = after.get(end + 1..).unwrap_or_default();
        } else if PUNCTUATION.contains(&first) {
            tokens.push(first.to_string());
            rest = rest.get(first.len_utf8()..).unwrap_or_default();
        } else {
            // An identifier runs to white space, punctuation or a `//` comment; `=` and quotes inside it
            // are part of it, as in modfile.
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                if c.is_whitespace()
                    || PUNCTUATION.contains(&c)
                    || rest.get(i..).is_some_and(|r| r.starts_with("//"))
                {
                    end = i;
                    break;
                }
            }
            tokens.push(rest.get(..end).unwrap_or_default().to_owned());
            rest = rest.get(end..).unwrap_or_default();
        }
    }
}

/// The body of a `"..."` string after its opening quote: its value and the text after the closing quote.
fn interpreted_string(after_quote: &str) -> Result<(String, &str), String> {
    let mut value = String::new();
    let mut chars = after_quote.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, after_quote.get(i + 1..).unwrap_or_default())),
            '\\' => match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, other)) => {
                    // Module paths and versions never need other escapes; keep them verbatim.
                    value.push('\\');
                    value.push(other);
                }
                None => break,
            },
            other => value.push(other),
        }
    }
    Err("unterminated string; line skipped".to_owned())
}

/// `(module, version)` pairs of go.sum, from both the module-zip (`h1:`) and the `/go.mod` lines.
fn go_sum_entries(text: &str) -> HashSet<(&str, &str)> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (module, version) = (fields.next()?, fields.next()?);
            Some((module, version.strip_suffix("/go.mod").unwrap_or(version)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{is_directory_path, lex};

    #[test]
    fn lexes_like_modfile() {
        let (tokens, comment) = lex("\tgithub.com/a/b v1.0.0 // indirect").unwrap();
        assert_eq!(tokens, ["github.com/a/b", "v1.0.0"]);
        assert_eq!(comment, Some(" indirect"));
        let (tokens, _) = lex("a => b v1").unwrap();
        assert_eq!(tokens, ["a", "=>", "b", "v1"]);
        let (tokens, comment) = lex("retract [v1.0.0,v1.0.5]// why").unwrap();
        assert_eq!(tokens, ["retract", "[", "v1.0.0", ",", "v1.0.5", "]"]);
        assert_eq!(comment, Some(" why"));
        let (tokens, _) = lex(r#"replace "ex\"q" `raw` => ./x"#).unwrap();
        assert_eq!(tokens, ["replace", "ex\"q", "raw", "=>", "./x"]);
        assert!(lex("require \"open").is_err());
        assert!(lex("require `open").is_err());
        let (tokens, _) = lex("require (").unwrap();
        assert_eq!(tokens, ["require", "("]);
    }

    #[test]
    fn directory_paths() {
        for dir in ["./x", "../x", "/abs", ".", "..", "C:\\x", ".\\x"] {
            assert!(is_directory_path(dir), "{dir}");
        }
        for module in ["github.com/a/b", "example.com", "x"] {
            assert!(!is_directory_path(module), "{module}");
        }
    }
}

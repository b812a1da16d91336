//! Imports per file, for every language: what external modules the code uses (reachability in the
//! vulnerability stage, SDK and AI detection in the inventory). Relative imports of the project's own files
//! are left out.
//!
//! Every source file is read for imports, so this is a pattern search over the text with comments and
//! string contents blanked ([`crate::lexer`]), not a parse: keywords are only found in code, and a module
//! name is read from the original text at the blanked string's place. What each language counts:
//! - JavaScript/TypeScript: `import ... from 'm'` (over several lines too), `import 'm'`,
//!   `export ... from 'm'`, `require('m')` and `import('m')` (not `x.require(...)`);
//! - Python: `import a.b, c as d` and `from m import x` at the start of a line (indented too);
//! - Go: `import "m"`, `import alias "m"` and `import ( ... )` blocks;
//! - Java: `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;` (as `a.b`);
//! - Ruby: `require 'm'` without interpolation (`require_relative` is the project's own code);
//! - PHP: `use A\B;`, `use A\B as C, D\E;`, `use function A\f;`, `use A\{B, C};` (as `A\B`, `A\C`);
//! - C#: `using A.B;`, `global using A.B;`, `using static A.B;`, `using X = A.B;` (as `A.B`);
//! - Rust: the first segment of `use a::b`, of `extern crate a` and of a path in code (`a::f()`), except
//!   `crate`, `self`, `super`, `std`, `core`, `alloc` and modules the file declares (`mod a;`).
//!
//! The line of an import is the line of its keyword (`import`, `require`, `use`...); for a Go block, of
//! each path.

use std::sync::OnceLock;

use regex::{Captures, Regex};

use crate::facts::Import;
use crate::language::Language;
use crate::lexer::blank_comments_and_strings;
use crate::lines::LineCounter;

/// A quoted string in blanked code: the delimiters around blanks.
const QUOTED: &str = r#"["'`]( *)["'`]"#;

struct Patterns {
    javascript: Regex,
    python: Regex,
    go: Regex,
    go_block_path: Regex,
    java: Regex,
    ruby: Regex,
    php: Regex,
    csharp: Regex,
    rust: Regex,
    rust_path: Regex,
    rust_mod: Regex,
    rust_use: Regex,
}

/// The compiled patterns; `None` only if one fails to compile, which a unit test rules out.
fn patterns() -> Option<&'static Patterns> {
    static PATTERNS: OnceLock<Option<Patterns>> = OnceLock::new();
    PATTERNS.get_or_init(compile_patterns).as_ref()
}

// Each pattern starts with its keyword, so the regex engine can jump from one occurrence of the keyword
// to the next instead of running over every byte; what must come before the keyword (the start of a line,
// or not a word character) is checked on each match by `Patterns::keeps`.
fn compile_patterns() -> Option<Patterns> {
    let compile = |pattern: &str| Regex::new(&pattern.replace("QUOTED", QUOTED)).ok();
    Some(Patterns {
        javascript: compile(
            r"(?P<kw>import\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s*from\s*)?QUOTED|export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*QUOTED|(?:require|import)\s*\(\s*QUOTED)",
        )?,
        python: compile(
            r"(?P<kw>import[ \t]+(?P<names>[\w. \t,]+)|from[ \t]+(?P<from>[\w.]+)[ \t]+import\b)",
        )?,
        go: compile(r"(?P<kw>import)\s*(?:\((?P<block>[^)]*)\)|(?:[\w.]+\s+)?QUOTED)")?,
        go_block_path: compile(r"QUOTED")?,
        java: compile(r"(?P<kw>import)\s+(?:static\s+)?(?P<name>[\w.]+?)(?:\.\*)?\s*;")?,
        ruby: compile(r"(?P<kw>require)\s*\(?\s*QUOTED")?,
        php: compile(r"(?P<kw>use)\s+(?:function\s+|const\s+)?(?P<names>[\w\\][\w\\\s,{}]*?)\s*;")?,
        csharp: compile(r"(?:global\s+)?(?P<kw>using)\s+(?:static\s+)?(?:\w+\s*=\s*)?(?P<name>[\w.]+)\s*;")?,
        rust_path: compile(r"(?P<kw>[a-z_][a-z0-9_]*)::")?,
        rust_use: compile(r"\buse\s[^;]*;")?,
        rust_mod: compile(r"\bmod\s+(?P<name>[a-z_][a-z0-9_]*)\s*[;{]")?,
        rust: compile(
            r"(?:(?P<kw>use)\s+(?:::)?\{?\s*(?P<use>\w+)|(?P<extern>extern)\s+crate\s+(?P<crate>\w+))",
        )?,
    })
}

/// What may come right before an import statement.
#[derive(Debug, Clone, Copy)]
enum Before {
    /// Only indentation since the start of the line.
    LineStart,
    /// Anything but a word character or one of these (`x.require(...)` is not an import).
    NotWordOr(&'static [u8]),
}

impl Before {
    fn allows(self, code: &str, at: usize) -> bool {
        let before = &code.as_bytes()[..at];
        match self {
            Self::LineStart => before
                .iter()
                .rev()
                .take_while(|b| **b != b'\n')
                .all(|b| matches!(b, b' ' | b'\t')),
            Self::NotWordOr(others) => before
                .last()
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || others.contains(b))),
        }
    }
}

/// The matches of `pattern` in `code` that `before` allows.
fn statements<'c>(pattern: &'c Regex, code: &'c str, before: Before) -> impl Iterator<Item = Captures<'c>> {
    pattern
        .captures_iter(code)
        .filter(move |captures| captures.get(0).is_some_and(|m| before.allows(code, m.start())))
}

/// The external modules `text` imports, sorted, one entry per (module, line).
pub fn imports(text: &str, language: Language) -> Vec<Import> {
    if !may_import(text, language) {
        return Vec::new();
    }
    imports_in(text, &blank_comments_and_strings(text, language), language)
}

/// [`imports`] over `code`, the text already blanked by [`blank_comments_and_strings`].
pub fn imports_in(text: &str, code: &str, language: Language) -> Vec<Import> {
    let Some(patterns) = patterns() else {
        return Vec::new();
    };
    let mut lines = LineCounter::new(text);
    let mut found: Vec<(String, usize)> = Vec::new();
    match language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            for captures in statements(&patterns.javascript, code, Before::NotWordOr(b"$.")) {
                if let Some(module) = quoted(text, &captures) {
                    found.push((module, keyword_at(&captures)));
                }
            }
        }
        Language::Python => {
            for captures in statements(&patterns.python, code, Before::LineStart) {
                let at = keyword_at(&captures);
                if let Some(names) = captures.name("names") {
                    for name in names.as_str().split(',') {
                        let module = name.split_whitespace().next().unwrap_or("");
                        found.push((module.to_owned(), at));
                    }
                } else if let Some(module) = captures.name("from") {
                    found.push((module.as_str().to_owned(), at));
                }
            }
        }
        Language::Go => {
            for captures in statements(&patterns.go, code, Before::NotWordOr(b".")) {
                if let Some(block) = captures.name("block") {
                    for path in patterns.go_block_path.captures_iter(block.as_str()) {
                        if let Some(blanks) = path.get(1) {
                            let start = block.start() + blanks.start();
                            let module = &text[start..start + blanks.len()];
                            found.push((module.to_owned(), start));
                        }
                    }
                } else if let Some(module) = quoted(text, &captures) {
                    found.push((module, keyword_at(&captures)));
                }
            }
        }
        Language::Java | Language::CSharp => {
            let pattern = if language == Language::Java {
                &patterns.java
            } else {
                &patterns.csharp
            };
            for captures in statements(pattern, code, Before::LineStart) {
                if let Some(name) = captures.name("name") {
                    found.push((name.as_str().to_owned(), keyword_at(&captures)));
                }
            }
        }
        Language::Ruby => {
            for captures in statements(&patterns.ruby, code, Before::NotWordOr(b".:")) {
                if let Some(module) = quoted(text, &captures).filter(|m| !m.contains("#{")) {
                    found.push((module, keyword_at(&captures)));
                }
            }
        }
        Language::Php => {
            for captures in statements(&patterns.php, code, Before::LineStart) {
                if let Some(names) = captures.name("names") {
                    let at = keyword_at(&captures);
                    found.extend(php_names(names.as_str()).into_iter().map(|name| (name, at)));
                }
            }
        }
        Language::Rust => {
            for captures in statements(&patterns.rust, code, Before::NotWordOr(b":")) {
                let (Some(keyword), Some(name)) = (
                    captures.name("kw").or_else(|| captures.name("extern")),
                    captures.name("use").or_else(|| captures.name("crate")),
                ) else {
                    continue;
                };
                let name = name.as_str();
                if captures.name("use").is_some()
                    && matches!(name, "crate" | "self" | "super" | "std" | "core" | "alloc")
                {
                    continue;
                }
                found.push((name.to_owned(), keyword.start()));
            }
            // A crate can be used by its path without a `use` (`regex::Regex::new(...)`): the first segment
            // of a path counts, unless it is a module of this file or a path keyword, or inside a `use`
            // (whose first segment was counted above).
            let uses: Vec<std::ops::Range<usize>> =
                patterns.rust_use.find_iter(code).map(|m| m.range()).collect();
            let local: Vec<&str> = patterns
                .rust_mod
                .captures_iter(code)
                .filter_map(|c| c.name("name").map(|m| m.as_str()))
                .collect();
            for captures in statements(&patterns.rust_path, code, Before::NotWordOr(b":")) {
                let Some(root) = captures.name("kw") else {
                    continue;
                };
                let name = root.as_str();
                if !matches!(name, "crate" | "self" | "super" | "std" | "core" | "alloc")
                    && !local.contains(&name)
                    && !uses.iter().any(|u| u.contains(&root.start()))
                {
                    found.push((name.to_owned(), root.start()));
                }
            }
        }
    }
    let mut imports: Vec<Import> = found
        .into_iter()
        .filter(|(module, _)| !module.is_empty() && !module.starts_with('.') && !module.starts_with('/'))
        .map(|(module, offset)| Import {
            module,
            line: lines.line_at(offset),
        })
        .collect();
    imports.sort();
    imports.dedup();
    imports
}

/// A cheap test that the keyword of an import appears at all: most files are skipped before blanking.
pub fn may_import(text: &str, language: Language) -> bool {
    match language {
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            text.contains("import") || text.contains("require") || text.contains("export")
        }
        Language::Python | Language::Go | Language::Java => text.contains("import"),
        Language::Ruby => text.contains("require"),
        Language::Php => text.contains("use"),
        Language::Rust => text.contains("use") || text.contains("extern") || text.contains("::"),
        Language::CSharp => text.contains("using"),
    }
}

fn keyword_at(captures: &Captures<'_>) -> usize {
    captures.name("kw").map_or(0, |m| m.start())
}

/// The original text of the first quoted string the pattern captured (group 1 onwards).
fn quoted(text: &str, captures: &Captures<'_>) -> Option<String> {
    let blanks = captures.iter().skip(1).flatten().find(|m| {
        m.as_str().bytes().all(|b| b == b' ')
            && text
                .as_bytes()
                .get(m.start().wrapping_sub(1))
                .is_some_and(|q| matches!(q, b'"' | b'\'' | b'`'))
    })?;
    text.get(blanks.range()).map(str::to_owned)
}

/// `A\B as C, D\E` → `A\B`, `D\E`; `A\{B, C as D}` → `A\B`, `A\C`; leading `\` dropped.
fn php_names(clause: &str) -> Vec<String> {
    if let Some((prefix, group)) = clause.split_once('{') {
        let prefix = prefix.trim().trim_start_matches('\\');
        return group
            .trim_end_matches('}')
            .split(',')
            .filter_map(|member| member.split_whitespace().next())
            .map(|member| format!("{prefix}{member}"))
            .collect();
    }
    clause
        .split(',')
        .filter_map(|item| item.split_whitespace().next())
        .map(|name| name.trim_start_matches('\\').to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_pattern_compiles() {
        assert!(super::compile_patterns().is_some());
    }
}

//! vigil-code: reads source code (JavaScript, TypeScript, Python, Go, Java, Ruby, PHP, C#, Rust) for
//! imports, HTTP endpoints (one file per web framework in `frameworks/`), data models (one file per ORM in
//! `models/`) and connection strings. Nothing is executed or evaluated.
//!
//! Every file is read for imports and connection strings by a lexer and patterns ([`imports`],
//! [`connections`]), which is cheap. A file is parsed with tree-sitter only when a framework or model reader
//! applies to it (by its path, text and imports): in a typical tree that is a few percent of the files, and
//! parsing is what costs. Syntax errors are recovered from.

pub mod connections;
pub mod facts;
pub mod frameworks;
pub mod imports;
pub mod language;
pub mod lexer;
pub mod lexicon;
mod lines;
pub mod models;
pub mod syntax;

pub use facts::{CodeFacts, Connection, Endpoint, Field, Import, Model};
pub use language::Language;
pub use syntax::SyntaxFile;

/// What is known of a file before parsing it: enough to decide which analyses need its syntax tree.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub language: Language,
    pub imports: &'a [Import],
}

/// How much of a file [`analyze_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Imports, endpoints, models and connections.
    Everything,
    /// Imports and connections only: for test code, whose routes and models are fixtures (and whose parse
    /// would be wasted).
    ImportsAndConnections,
}

/// Reads one source file for everything; `None` when its language is not supported.
pub fn analyze(path: &str, text: &str) -> Option<CodeFacts> {
    analyze_with(path, text, Scope::Everything)
}

/// Reads one source file for what `scope` asks; `None` when its language is not supported.
pub fn analyze_with(path: &str, text: &str, scope: Scope) -> Option<CodeFacts> {
    let language = Language::from_path(path)?;
    let may_import = imports::may_import(text, language);
    let may_connect = connections::may_contain(text);
    let code = (may_import || may_connect).then(|| lexer::blank_comments_and_strings(text, language));
    let imports = match &code {
        Some(code) if may_import => imports::imports_in(text, code, language),
        _ => Vec::new(),
    };
    let source = Source {
        path,
        text,
        language,
        imports: &imports,
    };
    let everything = scope == Scope::Everything;
    let frameworks: Vec<_> = frameworks::FRAMEWORKS
        .iter()
        .filter(|f| everything && f.applies(&source))
        .collect();
    let readers: Vec<_> = models::READERS
        .iter()
        .filter(|r| everything && r.applies(&source))
        .collect();
    let mut facts = CodeFacts::default();
    if may_connect && let Some(code) = &code {
        facts.connections = connections::connections(text, code);
    }
    let needs_syntax = !frameworks.is_empty() || !readers.is_empty();
    if needs_syntax && let Some(file) = SyntaxFile::parse(path, text, language) {
        for framework in frameworks {
            framework.endpoints(&file, &imports, &mut facts.endpoints);
        }
        for reader in readers {
            reader.models(&file, &imports, &mut facts.models);
        }
    }
    facts.endpoints.sort();
    facts.endpoints.dedup();
    facts.models.sort();
    facts.models.dedup();
    facts.imports = imports;
    Some(facts)
}

//! vigil-code: reads source code (JavaScript, TypeScript, Python, Go, Java, Ruby, PHP, C#, Rust) for
//! imports, HTTP endpoints (one file per web framework in `frameworks/`), data models (one file per ORM in
//! `models/`) and connection strings. Nothing is executed or evaluated.
//!
//! Every file is read for imports by a lexer and patterns ([`imports`]), which is cheap. A file is parsed
//! with tree-sitter only when a framework or model reader applies to it (by its path, text and imports) or
//! it holds a datastore URL: in a typical tree that is a few percent of the files, and parsing is what
//! costs. Syntax errors are recovered from.

pub mod connections;
pub mod facts;
pub mod frameworks;
pub mod imports;
pub mod language;
pub mod lexer;
pub mod lexicon;
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

/// Reads one source file; `None` when its language is not supported.
pub fn analyze(path: &str, text: &str) -> Option<CodeFacts> {
    let language = Language::from_path(path)?;
    let imports = imports::imports(text, language);
    let source = Source {
        path,
        text,
        language,
        imports: &imports,
    };
    let frameworks: Vec<_> = frameworks::FRAMEWORKS
        .iter()
        .filter(|f| f.applies(&source))
        .collect();
    let readers: Vec<_> = models::READERS.iter().filter(|r| r.applies(&source)).collect();
    let has_connections = connections::may_contain(text);
    let mut facts = CodeFacts::default();
    let needs_syntax = !frameworks.is_empty() || !readers.is_empty() || has_connections;
    if needs_syntax && let Some(file) = SyntaxFile::parse(path, text, language) {
        for framework in frameworks {
            framework.endpoints(&file, &imports, &mut facts.endpoints);
        }
        for reader in readers {
            reader.models(&file, &imports, &mut facts.models);
        }
        if has_connections {
            facts.connections = connections::connections(&file);
        }
    }
    facts.endpoints.sort();
    facts.endpoints.dedup();
    facts.models.sort();
    facts.models.dedup();
    facts.imports = imports;
    Some(facts)
}

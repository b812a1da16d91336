//! vigil-code: reads source code. Each supported file is parsed once with tree-sitter (JavaScript,
//! TypeScript, Python, Go, Java, Ruby, PHP, C#, Rust); analyses then read the tree for imports, HTTP
//! endpoints (one file per web framework in `frameworks/`), data models (one file per ORM in `models/`) and
//! connection strings. Nothing is executed or evaluated; syntax errors are recovered from.

pub mod connections;
pub mod facts;
pub mod frameworks;
pub mod imports;
pub mod language;
pub mod lexicon;
pub mod models;
pub mod syntax;

pub use facts::{CodeFacts, Connection, Endpoint, Field, Import, Model};
pub use language::Language;
pub use syntax::SyntaxFile;

/// Reads one source file; `None` when its language is not supported or it cannot be parsed at all.
pub fn analyze(path: &str, text: &str) -> Option<CodeFacts> {
    let language = Language::from_path(path)?;
    let file = SyntaxFile::parse(path, text, language)?;
    let imports = imports::imports(&file);
    let mut endpoints = Vec::new();
    for framework in frameworks::FRAMEWORKS
        .iter()
        .filter(|f| f.applies(language, &imports))
    {
        framework.endpoints(&file, &imports, &mut endpoints);
    }
    endpoints.sort();
    endpoints.dedup();
    let mut models = Vec::new();
    for reader in models::READERS.iter().filter(|r| r.applies(language, &imports)) {
        reader.models(&file, &imports, &mut models);
    }
    models.sort();
    models.dedup();
    let connections = connections::connections(&file);
    Some(CodeFacts {
        imports,
        endpoints,
        models,
        connections,
    })
}

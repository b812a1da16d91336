//! Imports per file, for every language: what external modules the code uses (reachability in the
//! vulnerability stage, SDK and AI detection in the inventory). Relative imports of the project's own files
//! are left out.

use tree_sitter::Node;

use crate::facts::Import;
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

pub fn imports(file: &SyntaxFile<'_>) -> Vec<Import> {
    let mut found = Vec::new();
    file.walk(|node| {
        let modules = match file.language {
            Language::JavaScript | Language::TypeScript | Language::Tsx => javascript(file, node),
            Language::Python => python(file, node),
            Language::Go => go(file, node),
            Language::Java => java(file, node),
            Language::Ruby => ruby(file, node),
            Language::Php => php(file, node),
            Language::CSharp => csharp(file, node),
            Language::Rust => rust(file, node),
        };
        for module in modules {
            if !module.is_empty() && !module.starts_with('.') && !module.starts_with('/') {
                found.push(Import {
                    module,
                    line: line(node),
                });
            }
        }
    });
    found.sort();
    found.dedup();
    found
}

fn javascript(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    match node.kind() {
        // import x from 'm'; export { y } from 'm';
        "import_statement" | "export_statement" => node
            .child_by_field_name("source")
            .and_then(|s| file.string_value(s))
            .into_iter()
            .collect(),
        // require('m'), import('m')
        "call_expression" => {
            let Some(function) = node.child_by_field_name("function") else {
                return Vec::new();
            };
            let callee = file.text_of(function);
            if callee != "require" && function.kind() != "import" {
                return Vec::new();
            }
            first_string_argument(file, node).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

fn first_string_argument(file: &SyntaxFile<'_>, call: Node<'_>) -> Option<String> {
    let arguments = call.child_by_field_name("arguments")?;
    let first = named_children(arguments).into_iter().next()?;
    file.string_value(first)
}

fn python(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    match node.kind() {
        "import_statement" => named_children(node)
            .into_iter()
            .map(|name| match name.kind() {
                "aliased_import" => name.child_by_field_name("name").map_or("", |n| file.text_of(n)),
                _ => file.text_of(name),
            })
            .map(str::to_owned)
            .collect(),
        "import_from_statement" => node
            .child_by_field_name("module_name")
            .filter(|m| m.kind() == "dotted_name")
            .map(|m| file.text_of(m).to_owned())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn go(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    if node.kind() != "import_spec" {
        return Vec::new();
    }
    node.child_by_field_name("path")
        .and_then(|p| file.string_value(p))
        .into_iter()
        .collect()
}

fn java(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    if node.kind() != "import_declaration" {
        return Vec::new();
    }
    named_children(node)
        .into_iter()
        .find(|c| matches!(c.kind(), "scoped_identifier" | "identifier"))
        .map(|c| file.text_of(c).to_owned())
        .into_iter()
        .collect()
}

fn ruby(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    if node.kind() != "call" {
        return Vec::new();
    }
    let method = node.child_by_field_name("method").map(|m| file.text_of(m));
    if method != Some("require") || node.child_by_field_name("receiver").is_some() {
        return Vec::new();
    }
    let Some(arguments) = node.child_by_field_name("arguments") else {
        return Vec::new();
    };
    named_children(arguments)
        .into_iter()
        .next()
        .filter(|a| a.kind() == "string")
        .map(|a| file.text_of(a).trim_matches(['"', '\'']).to_owned())
        .filter(|m| !m.contains("#{"))
        .into_iter()
        .collect()
}

fn php(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    if node.kind() != "namespace_use_clause" {
        return Vec::new();
    }
    named_children(node)
        .into_iter()
        .find(|c| matches!(c.kind(), "qualified_name" | "name"))
        .map(|c| file.text_of(c).trim_start_matches('\\').to_owned())
        .into_iter()
        .collect()
}

fn csharp(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    if node.kind() != "using_directive" {
        return Vec::new();
    }
    named_children(node)
        .into_iter()
        .rfind(|c| matches!(c.kind(), "qualified_name" | "identifier"))
        .map(|c| file.text_of(c).to_owned())
        .into_iter()
        .collect()
}

fn rust(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    match node.kind() {
        "use_declaration" => node
            .child_by_field_name("argument")
            .map(|a| file.text_of(a))
            .and_then(|path| path.split("::").next())
            .map(|root| root.trim_start_matches('{').trim().to_owned())
            .filter(|root| {
                !matches!(
                    root.as_str(),
                    "crate" | "self" | "super" | "std" | "core" | "alloc"
                )
            })
            .into_iter()
            .collect(),
        "extern_crate_declaration" => node
            .child_by_field_name("name")
            .map(|n| file.text_of(n).to_owned())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

//! Data transfer objects in TypeScript and JavaScript: interfaces, object type aliases and classes named
//! `*Dto` / `*DTO` (`CreateUserDto`, `UserDTO`), and classes with a property validated by a decorator
//! imported from `class-validator` (`@IsEmail()`, `@cv.Length(8)` through `import * as cv`). Fields are
//! the property signatures of an interface or alias, and the public instance properties of a class (not
//! `static`, `private`, `protected` or `#private`). Classes an ORM maps (`@Entity`, `@Table`, `@Schema`)
//! are reported by their ORM reader instead.
//!
//! Known gaps: properties inherited through `extends` (`PartialType(CreateUserDto)`, interface extension)
//! and types built with mapped or utility types (`Pick<User, 'email'>`) are not expanded; zod schemas are
//! not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{field, js_class_decorators, js_key, js_members, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct Dto;

const FRAMEWORK: &str = "dto";

const ORM_DECORATORS: [&str; 5] = ["Entity", "ViewEntity", "ChildEntity", "Table", "Schema"];

impl ModelReader for Dto {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family()
            && (source.text.contains("Dto")
                || source.text.contains("DTO")
                || source.text.contains("class-validator"))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let validators = class_validator_names(file);
        let kinds = [
            "interface_declaration",
            "type_alias_declaration",
            "class_declaration",
            "abstract_class_declaration",
        ];
        for declaration in nodes_of_kind(file, &kinds) {
            let Some(name) = declaration.child_by_field_name("name") else {
                continue;
            };
            let type_name = file.text_of(name);
            let named_dto = type_name.ends_with("Dto") || type_name.ends_with("DTO");
            let fields: Vec<Field> = match declaration.kind() {
                "interface_declaration" | "type_alias_declaration" if named_dto => {
                    let body = declaration
                        .child_by_field_name("body")
                        .or_else(|| declaration.child_by_field_name("value"))
                        .filter(|b| matches!(b.kind(), "interface_body" | "object_type"));
                    body.map(|b| signatures(file, b)).unwrap_or_default()
                }
                "class_declaration" | "abstract_class_declaration" => {
                    if js_class_decorators(file, declaration)
                        .iter()
                        .any(|d| ORM_DECORATORS.contains(d))
                    {
                        continue;
                    }
                    let members = js_members(file, declaration);
                    let validated = members
                        .iter()
                        .any(|m| m.decorators.iter().any(|d| is_validator(d, &validators)));
                    if !named_dto && !validated {
                        continue;
                    }
                    members
                        .into_iter()
                        .filter(|m| !m.hidden)
                        .map(|m| field(m.name, m.node))
                        .collect()
                }
                _ => continue,
            };
            push_model(out, type_name, FRAMEWORK, fields, name);
        }
    }
}

fn signatures(file: &SyntaxFile<'_>, body: Node<'_>) -> Vec<Field> {
    named_children(body)
        .into_iter()
        .filter(|s| s.kind() == "property_signature")
        .filter_map(|s| s.child_by_field_name("name"))
        .filter_map(|n| js_key(file, n).map(|name| field(name, n)))
        .collect()
}

/// Names a file imports from `class-validator`: named imports as local names, a namespace as `ns.`.
fn class_validator_names(file: &SyntaxFile<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for import in nodes_of_kind(file, &["import_statement"]) {
        let from_validator = import
            .child_by_field_name("source")
            .and_then(|s| file.string_value(s))
            .is_some_and(|s| s == "class-validator");
        if !from_validator {
            continue;
        }
        for node in nodes_under(import) {
            match node.kind() {
                "import_specifier" => {
                    let local = node
                        .child_by_field_name("alias")
                        .or_else(|| node.child_by_field_name("name"));
                    names.extend(local.map(|l| file.text_of(l).to_owned()));
                }
                "namespace_import" => {
                    let namespace = named_children(node)
                        .into_iter()
                        .find(|c| c.kind() == "identifier");
                    names.extend(namespace.map(|n| format!("{}.", file.text_of(n))));
                }
                _ => {}
            }
        }
    }
    names
}

fn is_validator(decorator: &str, validators: &[String]) -> bool {
    validators.iter().any(|v| match v.strip_suffix('.') {
        Some(namespace) => decorator
            .strip_prefix(namespace)
            .is_some_and(|rest| rest.starts_with('.')),
        None => decorator == v,
    })
}

/// Descendants of an import statement (shallow: import clauses nest two or three levels).
fn nodes_under(node: Node<'_>) -> Vec<Node<'_>> {
    let mut found = Vec::new();
    let mut pending = vec![node];
    while let Some(current) = pending.pop() {
        for child in named_children(current) {
            found.push(child);
            pending.push(child);
        }
    }
    found
}

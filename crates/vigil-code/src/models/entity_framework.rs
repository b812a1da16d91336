//! Entity Framework (Core and EF6) entities in C#: classes exposed as `DbSet<User>` by a class deriving
//! from `DbContext` (or `IdentityDbContext<...>`, any base ending in `DbContext`) in the same file, and
//! classes that say they are mapped: `[Table("users")]` on the class or `[Key]` on a property. Fields are the
//! instance properties with accessors (`public string Email { get; set; }`), navigation properties included;
//! computed properties (`=> ...`), static properties and `[NotMapped]` ones are not columns.
//!
//! Any C# file is read (SDK projects have implicit usings). Known gaps: an entity declared in another file
//! than its `DbContext`, and mapped only by convention (no attribute), is not found; fluent configuration
//! (`modelBuilder.Entity<User>().Ignore(...)`) and records are not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{field, last_segment, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::language::Language;
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct EntityFramework;

const FRAMEWORK: &str = "entity-framework";

impl ModelReader for EntityFramework {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::CSharp
            && ["DbContext", "Table", "Key"]
                .iter()
                .any(|marker| source.text.contains(marker))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let classes = nodes_of_kind(file, &["class_declaration"]);
        let exposed = db_sets(file, &classes);
        for class in classes {
            let (Some(name), Some(body)) = (
                class.child_by_field_name("name"),
                class.child_by_field_name("body"),
            ) else {
                continue;
            };
            let class_name = file.text_of(name);
            let properties: Vec<Node<'_>> = named_children(body)
                .into_iter()
                .filter(|p| p.kind() == "property_declaration")
                .collect();
            let mapped = exposed.iter().any(|e| e == class_name)
                || attributes(file, class).contains(&"Table")
                || properties.iter().any(|p| attributes(file, *p).contains(&"Key"));
            if !mapped {
                continue;
            }
            let fields: Vec<Field> = properties
                .into_iter()
                .filter(|p| p.child_by_field_name("accessors").is_some())
                .filter(|p| {
                    !modifiers(file, *p).contains(&"static") && !attributes(file, *p).contains(&"NotMapped")
                })
                .filter_map(|p| p.child_by_field_name("name"))
                .map(|n| field(file.text_of(n), n))
                .collect();
            push_model(out, class_name, FRAMEWORK, fields, name);
        }
    }
}

/// Entity type names of `DbSet<T>` properties in `DbContext` subclasses.
fn db_sets(file: &SyntaxFile<'_>, classes: &[Node<'_>]) -> Vec<String> {
    let mut names = Vec::new();
    for class in classes {
        let context = named_children(*class)
            .into_iter()
            .filter(|c| c.kind() == "base_list")
            .any(|bases| {
                named_children(bases)
                    .into_iter()
                    .any(|b| type_name(file, b).ends_with("DbContext"))
            });
        let Some(body) = class.child_by_field_name("body").filter(|_| context) else {
            continue;
        };
        for property in named_children(body)
            .into_iter()
            .filter(|p| p.kind() == "property_declaration")
        {
            let Some(kind) = property
                .child_by_field_name("type")
                .filter(|t| t.kind() == "generic_name")
            else {
                continue;
            };
            if type_name(file, kind) != "DbSet" {
                continue;
            }
            let argument = named_children(kind)
                .into_iter()
                .find(|c| c.kind() == "type_argument_list")
                .and_then(|list| named_children(list).into_iter().next());
            if let Some(argument) = argument {
                names.push(last_segment(file.text_of(argument)).to_owned());
            }
        }
    }
    names
}

/// The name of a type without its type arguments or namespace (`IdentityDbContext<AppUser>` -> `IdentityDbContext`).
fn type_name<'a>(file: &SyntaxFile<'a>, node: Node<'_>) -> &'a str {
    let text = file.text_of(node);
    last_segment(text.split('<').next().unwrap_or(text))
}

/// Attribute names on a declaration, without an `Attribute` suffix (`[Table("x")]`, `[KeyAttribute]`).
fn attributes<'a>(file: &SyntaxFile<'a>, declaration: Node<'_>) -> Vec<&'a str> {
    named_children(declaration)
        .into_iter()
        .filter(|c| c.kind() == "attribute_list")
        .flat_map(named_children)
        .filter(|a| a.kind() == "attribute")
        .filter_map(|a| a.child_by_field_name("name"))
        .map(|n| {
            let name = last_segment(file.text_of(n));
            name.strip_suffix("Attribute")
                .filter(|s| !s.is_empty())
                .unwrap_or(name)
        })
        .collect()
}

fn modifiers<'a>(file: &SyntaxFile<'a>, declaration: Node<'_>) -> Vec<&'a str> {
    named_children(declaration)
        .into_iter()
        .filter(|c| c.kind() == "modifier")
        .map(|m| file.text_of(m))
        .collect()
}

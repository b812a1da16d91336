//! GORM models in Go: struct types that embed `gorm.Model`, carry a `gorm:"..."` tag on a field, or are
//! passed to `db.AutoMigrate(&User{}, ...)` in the same file. Fields are the exported named fields, one per
//! name (`First, Last string` is two); embedded structs (`gorm.Model`'s ID and timestamps) are not listed,
//! and fields tagged `gorm:"-"` (ignored by GORM) or unexported (never persisted) are left out.
//!
//! Any Go file is read: tags are strings, so a models package need not import GORM. Known gaps: fields of
//! embedded structs declared in the same file (`Address` embedded in `User`) are not flattened into the
//! embedding model, and structs migrated from another file are only found if they carry a tag.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{field, last_segment, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::language::Language;
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct Gorm;

const FRAMEWORK: &str = "gorm";

impl ModelReader for Gorm {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Go
            && (source.text.contains("gorm") || source.text.contains("AutoMigrate"))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let migrated = auto_migrated(file);
        for spec in nodes_of_kind(file, &["type_spec"]) {
            let (Some(name), Some(structure)) =
                (spec.child_by_field_name("name"), spec.child_by_field_name("type"))
            else {
                continue;
            };
            if structure.kind() != "struct_type" {
                continue;
            }
            let Some(list) = named_children(structure)
                .into_iter()
                .find(|c| c.kind() == "field_declaration_list")
            else {
                continue;
            };
            let declarations: Vec<Node<'_>> = named_children(list)
                .into_iter()
                .filter(|d| d.kind() == "field_declaration")
                .collect();
            let embeds_model = declarations.iter().any(|d| {
                d.child_by_field_name("name").is_none()
                    && d.child_by_field_name("type")
                        .is_some_and(|t| file.text_of(t).trim_start_matches('*') == "gorm.Model")
            });
            let tagged = declarations.iter().any(|d| gorm_tag(file, *d).is_some());
            let struct_name = file.text_of(name);
            if !embeds_model && !tagged && !migrated.iter().any(|m| m == struct_name) {
                continue;
            }
            let mut fields: Vec<Field> = Vec::new();
            for declaration in declarations {
                if gorm_tag(file, declaration).is_some_and(|tag| tag == "-" || tag == "-:all") {
                    continue;
                }
                let mut cursor = declaration.walk();
                for field_name in declaration.children_by_field_name("name", &mut cursor) {
                    let text = file.text_of(field_name);
                    if text.chars().next().is_some_and(char::is_uppercase) {
                        fields.push(field(text, field_name));
                    }
                }
            }
            push_model(out, struct_name, FRAMEWORK, fields, name);
        }
    }
}

/// The value of a field's `gorm:"..."` tag.
fn gorm_tag<'a>(file: &SyntaxFile<'a>, declaration: Node<'_>) -> Option<&'a str> {
    let tag = file.text_of(declaration.child_by_field_name("tag")?);
    let start = tag.find("gorm:\"")? + "gorm:\"".len();
    let rest = tag.get(start..)?;
    rest.split('"').next()
}

/// Struct names passed as `&T{}` to an `AutoMigrate` call.
fn auto_migrated(file: &SyntaxFile<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for call in nodes_of_kind(file, &["call_expression"]) {
        let migrates = call
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("field"))
            .is_some_and(|f| file.text_of(f) == "AutoMigrate");
        if !migrates {
            continue;
        }
        let Some(arguments) = call.child_by_field_name("arguments") else {
            continue;
        };
        for argument in named_children(arguments) {
            let literal = file.text_of(argument).trim_start_matches('&');
            // `&models.User{}` migrates the `User` declared in package `models`.
            if let Some(name) = literal.strip_suffix("{}") {
                names.push(last_segment(name).to_owned());
            }
        }
    }
    names
}

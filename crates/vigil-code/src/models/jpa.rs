//! JPA / Hibernate entities in Java: classes annotated `@Entity`, `@Embeddable` or `@MappedSuperclass`
//! (simple or qualified, `@jakarta.persistence.Entity`). Fields are the instance fields of the class, one per
//! declarator (`private String first, last;` is two), relations included; `static` and `transient`
//! fields and fields annotated `@Transient` are not persisted and are left out. A field is named by its Java
//! name: `@Column(name = "email_address")` only names the column.
//!
//! Any Java file is read (the annotation is the signal; `import jakarta.persistence.*` need not be there when
//! names are qualified). Known gaps: Kotlin entities, `orm.xml` mappings, fields inherited from a mapped
//! superclass in another file, and property access (annotations on getters) are not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{field, last_segment, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::language::Language;
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct Jpa;

const FRAMEWORK: &str = "jpa";

const ENTITY_ANNOTATIONS: [&str; 3] = ["Entity", "Embeddable", "MappedSuperclass"];

impl ModelReader for Jpa {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Java && ENTITY_ANNOTATIONS.iter().any(|a| source.text.contains(a))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        for class in nodes_of_kind(file, &["class_declaration"]) {
            let Some(modifiers) = named_children(class)
                .into_iter()
                .find(|c| c.kind() == "modifiers")
            else {
                continue;
            };
            if !annotations(file, modifiers)
                .iter()
                .any(|a| ENTITY_ANNOTATIONS.contains(a))
            {
                continue;
            }
            let (Some(name), Some(body)) = (
                class.child_by_field_name("name"),
                class.child_by_field_name("body"),
            ) else {
                continue;
            };
            let mut fields: Vec<Field> = Vec::new();
            for declaration in named_children(body)
                .into_iter()
                .filter(|d| d.kind() == "field_declaration")
            {
                if !persisted(file, declaration) {
                    continue;
                }
                let mut cursor = declaration.walk();
                for declarator in declaration.children_by_field_name("declarator", &mut cursor) {
                    if let Some(variable) = declarator.child_by_field_name("name") {
                        fields.push(field(file.text_of(variable), variable));
                    }
                }
            }
            push_model(out, file.text_of(name), FRAMEWORK, fields, name);
        }
    }
}

/// Annotation names (last segment) in a `modifiers` node.
fn annotations<'a>(file: &SyntaxFile<'a>, modifiers: Node<'_>) -> Vec<&'a str> {
    named_children(modifiers)
        .into_iter()
        .filter(|m| matches!(m.kind(), "marker_annotation" | "annotation"))
        .filter_map(|m| m.child_by_field_name("name"))
        .map(|n| last_segment(file.text_of(n)))
        .collect()
}

fn persisted(file: &SyntaxFile<'_>, declaration: Node<'_>) -> bool {
    let Some(modifiers) = named_children(declaration)
        .into_iter()
        .find(|c| c.kind() == "modifiers")
    else {
        return true;
    };
    let mut cursor = modifiers.walk();
    let keyword = modifiers
        .children(&mut cursor)
        .any(|m| matches!(m.kind(), "static" | "transient"));
    !keyword && !annotations(file, modifiers).contains(&"Transient")
}

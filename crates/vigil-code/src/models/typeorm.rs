//! TypeORM entities in files that import `typeorm`: classes decorated `@Entity()`, `@ViewEntity()` or
//! `@ChildEntity()` (also written before `export`). Fields are the properties carrying a column decorator
//! (`@Column`, `@PrimaryGeneratedColumn`, `@CreateDateColumn`, any `*Column`) or a relation decorator
//! (`@OneToOne`, `@OneToMany`, `@ManyToOne`, `@ManyToMany`); undecorated properties are not persisted and
//! are left out. The model is named by the class, not by the table name given to `@Entity('users')`.
//!
//! Known gaps: columns inherited from an abstract base class in another file are not listed (a base class in
//! the same file is not an entity and is not reported either); `EntitySchema` definitions are not read.

use super::ModelReader;
use super::common::{field, js_class_decorators, js_members, last_segment, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Import, Model};
use crate::frameworks::imports_any;
use crate::syntax::SyntaxFile;

#[derive(Debug)]
pub struct TypeOrm;

const FRAMEWORK: &str = "typeorm";

const ENTITY_DECORATORS: [&str; 3] = ["Entity", "ViewEntity", "ChildEntity"];
const RELATION_DECORATORS: [&str; 4] = ["OneToOne", "OneToMany", "ManyToOne", "ManyToMany"];

impl ModelReader for TypeOrm {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family() && imports_any(source.imports, &["typeorm"])
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        for class in nodes_of_kind(
            file,
            &["class_declaration", "abstract_class_declaration", "class"],
        ) {
            if !js_class_decorators(file, class)
                .iter()
                .any(|d| ENTITY_DECORATORS.contains(d))
            {
                continue;
            }
            let Some(name) = class.child_by_field_name("name") else {
                continue;
            };
            let fields = js_members(file, class)
                .into_iter()
                .filter(|m| m.decorators.iter().map(|d| last_segment(d)).any(is_persisted))
                .map(|m| field(m.name, m.node))
                .collect();
            push_model(out, file.text_of(name), FRAMEWORK, fields, name);
        }
    }
}

fn is_persisted(decorator: &str) -> bool {
    decorator.ends_with("Column") || RELATION_DECORATORS.contains(&decorator)
}

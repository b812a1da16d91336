//! SQLAlchemy models in Python files:
//! - declarative classes: attributes assigned `Column(...)`, `mapped_column(...)`, `relationship(...)`
//!   (also `db.Column`, `sa.Column`, `orm.mapped_column`) or annotated `Mapped[...]`. The model is named by
//!   the class (not `__tablename__`); a field by its attribute, even when `Column("email_address", ...)`
//!   names the column differently.
//! - Core tables: `Table("users", metadata, Column("email", String), ...)`, named by the table and its
//!   `Column` names.
//!
//! In a file that imports `sqlalchemy` (or `flask_sqlalchemy`) any class with such attributes is read.
//! Flask-SQLAlchemy model files often import only the app's `db`: there, a class is read when it derives
//! from `<something>.Model` and its columns are `<something>.Column(...)` calls.
//!
//! Known gaps: columns inherited from mixins or bases in other files, `__table__ = Table(...)` hybrids and
//! imperative `registry.map_imperatively` mappings are not attributed to their class; SQLModel classes
//! (`class Hero(SQLModel, table=True)`) are not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{
    field, last_segment, nodes_of_kind, push_model, py_callee, py_class_assignments, py_classes,
};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::frameworks::imports_any;
use crate::language::Language;
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct SqlAlchemy;

const FRAMEWORK: &str = "sqlalchemy";

const COLUMN_CALLS: [&str; 5] = [
    "Column",
    "mapped_column",
    "relationship",
    "column_property",
    "composite",
];

impl ModelReader for SqlAlchemy {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        // Flask-SQLAlchemy models may import nothing from SQLAlchemy itself (see the module doc).
        let columns = COLUMN_CALLS.iter().any(|call| source.text.contains(call));
        let imported = imports_any(source.imports, &["sqlalchemy", "flask_sqlalchemy"]);
        source.language == Language::Python
            && source.text.contains("class ")
            && ((imported && (columns || source.text.contains("Mapped[")))
                || (columns && source.text.contains(".Model")))
    }

    fn models(&self, file: &SyntaxFile<'_>, imports: &[Import], out: &mut Vec<Model>) {
        let imported = imports_any(imports, &["sqlalchemy", "flask_sqlalchemy"]);
        for (class, name, bases) in py_classes(file) {
            // Without the import only the Flask-SQLAlchemy shape counts: `db.Model` with `db.Column`.
            let flask_model = bases
                .iter()
                .any(|b| b.contains('.') && last_segment(b) == "Model");
            if !imported && !flask_model {
                continue;
            }
            let fields: Vec<Field> = py_class_assignments(file, class)
                .into_iter()
                .filter(|a| !a.name.starts_with("__"))
                .filter(|a| {
                    let column = a.value.and_then(|v| py_callee(file, v)).is_some_and(|callee| {
                        COLUMN_CALLS.contains(&last_segment(callee)) && (imported || callee.contains('.'))
                    });
                    let mapped = imported
                        && a.annotation.is_some_and(|t| {
                            let text = file.text_of(t);
                            text.starts_with("Mapped[") || text.contains(".Mapped[")
                        });
                    column || mapped
                })
                .map(|a| field(a.name, a.node))
                .collect();
            if let Some(name_node) = class.child_by_field_name("name") {
                push_model(out, name, FRAMEWORK, fields, name_node);
            }
        }
        if imported {
            core_tables(file, out);
        }
    }
}

/// `Table("users", metadata, Column("email", String), ...)`.
fn core_tables(file: &SyntaxFile<'_>, out: &mut Vec<Model>) {
    for call in nodes_of_kind(file, &["call"]) {
        if py_callee(file, call).map(last_segment) != Some("Table") {
            continue;
        }
        let table_arguments = arguments(call);
        let Some(table) = table_arguments.first().and_then(|a| file.string_value(*a)) else {
            continue;
        };
        let fields = table_arguments
            .iter()
            .filter(|a| py_callee(file, **a).map(last_segment) == Some("Column"))
            .filter_map(|column| {
                let first = *arguments(*column).first()?;
                file.string_value(first).map(|name| field(name, first))
            })
            .collect();
        push_model(out, &table, FRAMEWORK, fields, call);
    }
}

fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}

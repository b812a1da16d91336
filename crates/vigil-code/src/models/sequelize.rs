//! Sequelize models in files that import `sequelize` or `sequelize-typescript`:
//! - `sequelize.define('User', { email: DataTypes.STRING, ... })` (any receiver: `db.define` too): the
//!   model is named by the first argument, its fields are the keys of the attributes object;
//! - `class User extends Model {}` with `User.init({ ... }, { sequelize })` in the same file: named by the
//!   class, fields from the `init` attributes (declared TypeScript properties are only types);
//! - sequelize-typescript: a class decorated `@Table` whose properties carry a decorator (`@Column`,
//!   `@PrimaryKey`, `@BelongsTo`...).
//!
//! Known gaps: attributes built in a variable (`define('User', attributes)`) or spread from another object
//! are not followed; `Model.init` on a class imported from another file is not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{
    field, js_arguments, js_class_decorators, js_members, js_name, js_object_fields, js_superclass,
    last_segment, nodes_of_kind, push_model,
};
use crate::Source;
use crate::facts::{Import, Model};
use crate::frameworks::imports_any;
use crate::syntax::SyntaxFile;

#[derive(Debug)]
pub struct Sequelize;

const FRAMEWORK: &str = "sequelize";

impl ModelReader for Sequelize {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family()
            && imports_any(source.imports, &["sequelize", "sequelize-typescript"])
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let classes = nodes_of_kind(
            file,
            &["class_declaration", "class", "abstract_class_declaration"],
        );
        let model_classes: Vec<(Node<'_>, &str)> = classes
            .iter()
            .filter_map(|c| Some((*c, js_name(file, *c)?)))
            .filter(|(c, _)| {
                js_superclass(file, *c).is_some_and(|s| last_segment(strip_type_arguments(s)) == "Model")
            })
            .collect();
        for call in nodes_of_kind(file, &["call_expression"]) {
            let Some(function) = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "member_expression")
            else {
                continue;
            };
            let (Some(object), Some(property)) = (
                function.child_by_field_name("object"),
                function.child_by_field_name("property"),
            ) else {
                continue;
            };
            let arguments = js_arguments(call);
            match file.text_of(property) {
                "define" => {
                    // `customElements.define('x-tag', Class)` has no attributes object: not a model.
                    let (Some(name), Some(attributes)) = (
                        arguments.first().and_then(|a| file.string_value(*a)),
                        arguments.get(1).filter(|a| a.kind() == "object"),
                    ) else {
                        continue;
                    };
                    push_model(out, &name, FRAMEWORK, js_object_fields(file, *attributes), call);
                }
                "init" => {
                    let Some(attributes) = arguments.first().filter(|a| a.kind() == "object") else {
                        continue;
                    };
                    let class_name = file.text_of(object);
                    let Some((class, _)) = model_classes.iter().find(|(_, name)| *name == class_name) else {
                        continue;
                    };
                    let at = class.child_by_field_name("name").unwrap_or(*class);
                    push_model(
                        out,
                        class_name,
                        FRAMEWORK,
                        js_object_fields(file, *attributes),
                        at,
                    );
                }
                _ => {}
            }
        }
        // sequelize-typescript: the decorators carry the columns.
        for class in classes {
            if !js_class_decorators(file, class).contains(&"Table") {
                continue;
            }
            let Some(name_node) = class.child_by_field_name("name") else {
                continue;
            };
            let fields = js_members(file, class)
                .into_iter()
                .filter(|m| !m.hidden && !m.decorators.is_empty())
                .map(|m| field(m.name, m.node))
                .collect();
            push_model(out, file.text_of(name_node), FRAMEWORK, fields, name_node);
        }
    }
}

fn strip_type_arguments(text: &str) -> &str {
    text.split('<').next().unwrap_or(text)
}

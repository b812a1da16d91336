//! Mongoose schemas in files that import `mongoose` or `@nestjs/mongoose`:
//! - `new Schema({ ... })` / `new mongoose.Schema({ ... })`: fields are the top-level keys of the definition
//!   object. The model is named by `mongoose.model('User', userSchema)` (or `model(...)`,
//!   `connection.model(...)`) when this file registers the schema, else by the variable holding it
//!   (`userSchema`); a schema passed inline to `model('User', new Schema(...))` takes the model's name. A
//!   schema neither bound to a name nor registered is not reported.
//! - NestJS: classes decorated `@Schema()` whose properties carry `@Prop()`.
//!
//! Known gaps: nested paths are reported as their top-level key (`address`, not `address.street`);
//! `schema.add({...})`, definitions held in a separate object variable, and discriminators are not read.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{
    field, js_arguments, js_binding, js_class_decorators, js_members, js_object_fields, last_segment,
    nodes_of_kind, push_model,
};
use crate::Source;
use crate::facts::{Import, Model};
use crate::frameworks::imports_any;
use crate::syntax::SyntaxFile;

#[derive(Debug)]
pub struct Mongoose;

const FRAMEWORK: &str = "mongoose";

impl ModelReader for Mongoose {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family()
            && imports_any(source.imports, &["mongoose", "@nestjs/mongoose"])
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let registrations = registrations(file);
        for schema in nodes_of_kind(file, &["new_expression"]) {
            let Some(constructor) = schema.child_by_field_name("constructor") else {
                continue;
            };
            if last_segment(file.text_of(constructor)) != "Schema" {
                continue;
            }
            let Some(definition) = js_arguments(schema)
                .into_iter()
                .next()
                .filter(|a| a.kind() == "object")
            else {
                continue;
            };
            let name = inline_registration(file, schema).or_else(|| {
                let variable = js_binding(file, schema)?;
                let registered = registrations.iter().find(|(_, schema)| schema == variable);
                Some(
                    registered
                        .map_or(variable, |(model, _)| model.as_str())
                        .to_owned(),
                )
            });
            let Some(name) = name else { continue };
            push_model(out, &name, FRAMEWORK, js_object_fields(file, definition), schema);
        }
        for class in nodes_of_kind(file, &["class_declaration", "class"]) {
            if !js_class_decorators(file, class).contains(&"Schema") {
                continue;
            }
            let Some(name) = class.child_by_field_name("name") else {
                continue;
            };
            let fields = js_members(file, class)
                .into_iter()
                .filter(|m| m.decorators.iter().any(|d| last_segment(d) == "Prop"))
                .map(|m| field(m.name, m.node))
                .collect();
            push_model(out, file.text_of(name), FRAMEWORK, fields, name);
        }
    }
}

/// `model('User', userSchema)` calls: (model name, schema variable).
fn registrations(file: &SyntaxFile<'_>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for call in nodes_of_kind(file, &["call_expression"]) {
        if !is_model_call(file, call) {
            continue;
        }
        let arguments = js_arguments(call);
        if let (Some(name), Some(schema)) = (
            arguments.first().and_then(|a| file.string_value(*a)),
            arguments.get(1).filter(|a| a.kind() == "identifier"),
        ) {
            found.push((name, file.text_of(*schema).to_owned()));
        }
    }
    found
}

fn is_model_call(file: &SyntaxFile<'_>, call: Node<'_>) -> bool {
    call.child_by_field_name("function").is_some_and(|f| {
        matches!(f.kind(), "identifier" | "member_expression") && last_segment(file.text_of(f)) == "model"
    })
}

/// The model name when the schema is written inside `model('User', new Schema(...))`.
fn inline_registration(file: &SyntaxFile<'_>, schema: Node<'_>) -> Option<String> {
    let arguments = schema.parent().filter(|p| p.kind() == "arguments")?;
    let call = arguments
        .parent()
        .filter(|c| c.kind() == "call_expression" && is_model_call(file, *c))?;
    js_arguments(call).first().and_then(|a| file.string_value(*a))
}

//! ActiveRecord (Rails) models in Ruby:
//! - the schema dump (`db/schema.rb`, or any file defining `ActiveRecord::Schema`): one model per
//!   `create_table "users" do |t| ... end`, named by the table, with a field per `t.<type> "column"`
//!   (`t.string "email"`, `t.column "ssn", :string`); indexes and constraints are not fields.
//! - model classes (`class User < ApplicationRecord`, `< ActiveRecord::Base`): their columns live in the
//!   schema, so only attributes the class itself declares are fields: `attribute :nickname`, `encrypts :ssn`,
//!   `attr_encrypted :card_number`, `serialize :preferences`, `store_accessor :settings, :theme` (the
//!   accessors), `has_secure_password` (`password`, or the name given) and `has_secure_token` (`token`, or
//!   the name given). A model class declaring none of these (associations and validations only) is skipped.
//!
//! Known gaps: migrations (`db/migrate/*.rb`) are not read, because the schema dump is their result and
//! reading both would report every table twice; `db/structure.sql` is SQL, not Ruby.

use tree_sitter::Node;

use super::ModelReader;
use super::common::{field, nodes_of_kind, push_model};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::language::Language;
use crate::syntax::{SyntaxFile, named_children};

#[derive(Debug)]
pub struct ActiveRecord;

const FRAMEWORK: &str = "activerecord";

/// `t.<method>` calls in a `create_table` block that do not declare a column.
const NOT_COLUMNS: [&str; 8] = [
    "index",
    "timestamps",
    "check_constraint",
    "foreign_key",
    "exclusion_constraint",
    "unique_constraint",
    "remove",
    "remove_index",
];

impl ModelReader for ActiveRecord {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Ruby
            && (source.path.ends_with("schema.rb")
                || ["ActiveRecord", "ApplicationRecord"]
                    .iter()
                    .any(|m| source.text.contains(m)))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        if file_name == "schema.rb" || file.text.contains("ActiveRecord::Schema") {
            schema_tables(file, out);
        }
        model_classes(file, out);
    }
}

fn schema_tables(file: &SyntaxFile<'_>, out: &mut Vec<Model>) {
    for call in nodes_of_kind(file, &["call"]) {
        if method(file, call) != Some("create_table") || call.child_by_field_name("receiver").is_some() {
            continue;
        }
        let Some(table) = arguments(call).first().and_then(|a| name_value(file, *a)) else {
            continue;
        };
        let Some(body) = call
            .child_by_field_name("block")
            .and_then(|b| b.child_by_field_name("body"))
        else {
            continue;
        };
        let mut fields: Vec<Field> = Vec::new();
        for statement in named_children(body) {
            if statement.kind() != "call" || statement.child_by_field_name("receiver").is_none() {
                continue;
            }
            if method(file, statement).is_none_or(|m| NOT_COLUMNS.contains(&m)) {
                continue;
            }
            if let Some(first) = arguments(statement).first()
                && let Some(column) = name_value(file, *first)
            {
                fields.push(field(column, *first));
            }
        }
        push_model(out, &table, FRAMEWORK, fields, call);
    }
}

fn model_classes(file: &SyntaxFile<'_>, out: &mut Vec<Model>) {
    for class in nodes_of_kind(file, &["class"]) {
        let superclass = class
            .child_by_field_name("superclass")
            .map(|s| file.text_of(s).trim_start_matches('<').trim());
        if !matches!(
            superclass,
            Some("ApplicationRecord" | "ActiveRecord::Base" | "::ActiveRecord::Base")
        ) {
            continue;
        }
        let (Some(name), Some(body)) = (
            class.child_by_field_name("name"),
            class.child_by_field_name("body"),
        ) else {
            continue;
        };
        let mut fields: Vec<Field> = Vec::new();
        for statement in named_children(body) {
            // `has_secure_password` without arguments parses as a bare identifier.
            let (declaration, arguments) = match statement.kind() {
                "call" if statement.child_by_field_name("receiver").is_none() => {
                    (method(file, statement).unwrap_or(""), arguments(statement))
                }
                "identifier" => (file.text_of(statement), Vec::new()),
                _ => continue,
            };
            let names: Vec<(String, Node<'_>)> = arguments
                .iter()
                .filter_map(|a| name_value(file, *a).map(|n| (n, *a)))
                .collect();
            match declaration {
                "attribute" | "serialize" => {
                    fields.extend(names.into_iter().take(1).map(|(n, at)| field(n, at)))
                }
                "encrypts" | "attr_encrypted" => fields.extend(names.into_iter().map(|(n, at)| field(n, at))),
                "store_accessor" => fields.extend(names.into_iter().skip(1).map(|(n, at)| field(n, at))),
                "has_secure_password" | "has_secure_token" => {
                    let default = if declaration == "has_secure_password" {
                        "password"
                    } else {
                        "token"
                    };
                    match names.into_iter().next() {
                        Some((n, at)) => fields.push(field(n, at)),
                        None => fields.push(field(default, statement)),
                    }
                }
                _ => {}
            }
        }
        push_model(out, file.text_of(name), FRAMEWORK, fields, name);
    }
}

fn method<'a>(file: &SyntaxFile<'a>, call: Node<'_>) -> Option<&'a str> {
    call.child_by_field_name("method").map(|m| file.text_of(m))
}

fn arguments(call: Node<'_>) -> Vec<Node<'_>> {
    call.child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
}

/// A string or symbol argument as a name (`"email"`, `:email`, `:"email"`); interpolated strings are not.
fn name_value(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    let text = file.text_of(node);
    let value = match node.kind() {
        "string" => file.string_value(node)?,
        "simple_symbol" => text.trim_start_matches(':').to_owned(),
        "delimited_symbol" => text.trim_start_matches(':').trim_matches(['"', '\'']).to_owned(),
        _ => return None,
    };
    (!value.is_empty() && !value.contains("#{")).then_some(value)
}

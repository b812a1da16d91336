//! Prisma schema files (`schema.prisma`): Prisma is not a tree-sitter language here, so this is a line
//! reader the discover stage calls on `*.prisma` files. Each `model User { ... }` block is a model (and so
//! are `view` blocks and MongoDB composite `type` blocks, which hold fields the same way); each line in the
//! block that starts with a name followed by a type is a field, relation fields included. Comments (`//`,
//! `///`) and block attributes (`@@id`, `@@map`) are not fields; `enum`, `datasource` and `generator`
//! blocks are not models.
//!
//! Known gaps: a block opened and closed on one line (`model A { id Int @id }`) yields no fields, and is
//! therefore not reported.

use crate::facts::{Field, Model};

const FRAMEWORK: &str = "prisma";

/// The models of a Prisma schema, in source order.
pub fn prisma_models(text: &str) -> Vec<Model> {
    let mut models = Vec::new();
    let mut open: Option<Model> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        match open.as_mut() {
            None => {
                open = block_start(line).map(|name| Model {
                    name,
                    framework: FRAMEWORK,
                    fields: Vec::new(),
                    line: number,
                })
            }
            Some(model) => {
                if line.starts_with('}') {
                    if let Some(done) = open.take().filter(|m| !m.fields.is_empty()) {
                        models.push(done);
                    }
                } else if let Some(name) = field_name(line) {
                    model.fields.push(Field {
                        name: name.to_owned(),
                        line: number,
                    });
                }
            }
        }
    }
    models
}

/// `model User {` -> `User`.
fn block_start(line: &str) -> Option<String> {
    let (keyword, rest) = line.split_once(char::is_whitespace)?;
    if !matches!(keyword, "model" | "view" | "type") {
        return None;
    }
    let (name, after) = rest.trim_start().split_once('{')?;
    // `model A { id Int }` closes on its own line: no field lines follow.
    if after.contains('}') {
        return None;
    }
    let name = name.trim();
    is_identifier(name).then(|| name.to_owned())
}

/// `email String @unique` -> `email`; `@@index([email])` and stray tokens are not fields.
fn field_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    let name = words.next()?;
    let kind = words.next()?;
    (is_identifier(name) && !kind.starts_with("//") && !kind.starts_with('=')).then_some(name)
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

//! Data models: each file reads the models (ORM models, entities, schemas, DTOs) of one library. Listed in
//! [`READERS`]; adding one is a file and a line. Prisma schemas are not a tree-sitter language: the discover
//! stage calls [`prisma_models`] on `*.prisma` files. Field names are classified by [`crate::lexicon`].
//!
//! Conventions every reader keeps: a model is named as the code names it (the class, the `define` name,
//! the registered model name; a table name only where no class exists: `schema.rb`, SQLAlchemy `Table`);
//! a field is named by the attribute the code uses (a Java field, not its `@Column(name)`); `Model::line` is
//! the line of the model's name (of the call, for models declared by a call) and `Field::line` the line of
//! the field's name. Relations are fields. A model without any field is not reported: it says nothing about
//! the data it holds.

mod activerecord;
mod common;
mod django;
mod dto;
mod entity_framework;
mod gorm;
mod jpa;
mod mongoose;
pub mod prisma;
mod pydantic;
mod sequelize;
mod sqlalchemy;
mod typeorm;

pub use prisma::prisma_models;

use crate::Source;
use crate::facts::{Import, Model};
use crate::syntax::SyntaxFile;

/// One ORM or schema library's model reader.
pub trait ModelReader: Sync {
    fn name(&self) -> &'static str;
    /// Whether the file may hold models of this library, from its path, text and imports only (see
    /// [`crate::frameworks::Framework::applies`]).
    fn applies(&self, source: &Source<'_>) -> bool;
    fn models(&self, file: &SyntaxFile<'_>, imports: &[Import], out: &mut Vec<Model>);
}

pub static READERS: &[&dyn ModelReader] = &[
    // JavaScript / TypeScript
    &sequelize::Sequelize,
    &typeorm::TypeOrm,
    &mongoose::Mongoose,
    &dto::Dto,
    // Python
    &sqlalchemy::SqlAlchemy,
    &django::Django,
    &pydantic::Pydantic,
    // Java, Go, Ruby, C#
    &jpa::Jpa,
    &gorm::Gorm,
    &activerecord::ActiveRecord,
    &entity_framework::EntityFramework,
];

//! Pydantic models as DTOs (request and response bodies), in files that import `pydantic`: classes deriving
//! from `BaseModel` (`pydantic.BaseModel`) or from another such class of the same file. Fields are the
//! annotated class attributes (`email: EmailStr`, `password: str = Field(min_length=8)`); `ClassVar`
//! annotations, private attributes (`_cache`) and `model_config` are not fields.
//!
//! Known gaps: models deriving from a base class in another file, `create_model(...)` and pydantic
//! dataclasses are not read; `BaseSettings` classes are configuration, not DTOs, and are left out.

use super::ModelReader;
use super::common::{field, last_segment, push_model, py_class_assignments, py_classes, py_derived};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::frameworks::imports_any;
use crate::language::Language;
use crate::syntax::SyntaxFile;

#[derive(Debug)]
pub struct Pydantic;

const FRAMEWORK: &str = "pydantic";

impl ModelReader for Pydantic {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Python
            && imports_any(source.imports, &["pydantic"])
            && source.text.contains("BaseModel")
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let classes = py_classes(file);
        let models = py_derived(&classes, |base| last_segment(base) == "BaseModel");
        for (class, name, _) in &classes {
            if !models.contains(name) {
                continue;
            }
            let fields: Vec<Field> = py_class_assignments(file, *class)
                .into_iter()
                .filter(|a| !a.name.starts_with('_') && a.name != "model_config")
                .filter(|a| {
                    a.annotation
                        .is_some_and(|t| !file.text_of(t).contains("ClassVar"))
                })
                .map(|a| field(a.name, a.node))
                .collect();
            if let Some(name_node) = class.child_by_field_name("name") {
                push_model(out, name, FRAMEWORK, fields, name_node);
            }
        }
    }
}

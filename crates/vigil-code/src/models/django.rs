//! Django models in files that import `django`: classes deriving from `models.Model` (or `Model`,
//! `AbstractUser`, `AbstractBaseUser`, or another model class of the same file), and any class whose body
//! assigns `models.<X>Field(...)` / `models.ForeignKey(...)` (a model deriving from a project base class in
//! another file). Fields are the class attributes assigned a field: a call whose callee ends in `Field`, or
//! is `ForeignKey` (`models.CharField`, `PhoneNumberField`, `EncryptedTextField`, `ArrayField`), relations
//! included. Managers (`objects = Manager()`) and the nested `Meta` class are not fields.
//!
//! Known gaps: fields inherited from abstract models in other files are not listed; a class that derives
//! from such a model and declares only bare `CharField(...)` (imported names, no `models.`) is missed,
//! because forms and serializers use the same names.

use super::ModelReader;
use super::common::{
    field, last_segment, push_model, py_callee, py_class_assignments, py_classes, py_derived,
};
use crate::Source;
use crate::facts::{Field, Import, Model};
use crate::frameworks::imports_any;
use crate::language::Language;
use crate::syntax::SyntaxFile;

#[derive(Debug)]
pub struct Django;

const FRAMEWORK: &str = "django";

const MODEL_BASES: [&str; 4] = ["Model", "AbstractUser", "AbstractBaseUser", "PermissionsMixin"];

impl ModelReader for Django {
    fn name(&self) -> &'static str {
        FRAMEWORK
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Python
            && imports_any(source.imports, &["django"])
            && MODEL_BASES.iter().any(|base| source.text.contains(base))
    }

    fn models(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Model>) {
        let classes = py_classes(file);
        // `db.Model` is Flask-SQLAlchemy, not Django.
        let models = py_derived(&classes, |base| {
            (MODEL_BASES.contains(&last_segment(base))
                && (!base.contains('.') || base.starts_with("models.")))
                || base.ends_with("auth.models.AbstractUser")
        });
        for (class, name, _) in &classes {
            let assignments = py_class_assignments(file, *class);
            let is_field = |callee: &str| {
                let last = last_segment(callee);
                last.ends_with("Field") || last.ends_with("ForeignKey")
            };
            let declared_here = assignments
                .iter()
                .filter_map(|a| a.value.and_then(|v| py_callee(file, v)))
                .any(|callee| callee.starts_with("models.") && is_field(callee));
            if !models.contains(name) && !declared_here {
                continue;
            }
            let fields: Vec<Field> = assignments
                .into_iter()
                .filter(|a| a.value.and_then(|v| py_callee(file, v)).is_some_and(is_field))
                .map(|a| field(a.name, a.node))
                .collect();
            if let Some(name_node) = class.child_by_field_name("name") {
                push_model(out, name, FRAMEWORK, fields, name_node);
            }
        }
    }
}

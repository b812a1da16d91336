//! Rules over what the source code holds (secrets).

use crate::rule::Rule;

pub mod secret_in_code;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![&secret_in_code::SecretInCode]
}

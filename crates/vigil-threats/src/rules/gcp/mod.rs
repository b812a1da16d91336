//! Terraform checks for Google Cloud.

use crate::rule::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}

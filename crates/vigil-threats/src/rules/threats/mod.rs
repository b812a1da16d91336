//! STRIDE threats over the system model: components, flows, trust boundaries and the controls on them.

use crate::rule::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}

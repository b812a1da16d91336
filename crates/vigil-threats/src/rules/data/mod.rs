//! Threats to data and trust boundaries over the system model: repudiation, encryption in transit and at rest, disclosure to third parties, segmentation.

use crate::rule::Rule;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}

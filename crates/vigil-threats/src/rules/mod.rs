//! One file per rule, grouped by what they look at; each group's `rules()` lists its rules and
//! [`crate::registry`] joins the groups.

pub mod ai;
pub mod aws;
pub mod azure;
pub mod cicd;
pub mod code;
pub mod containers;
pub mod data;
pub mod gcp;
pub mod threats;

//! One file per extractor; [`crate::registry`] lists them.

pub mod cargo_lock;
pub mod codeowners;
pub mod github_workflow;
pub mod npm_package_lock;
pub mod pypi_poetry_lock;
pub mod pypi_requirements;
pub mod service_manifest;
pub mod terraform;

//! The list of extractors, grouped by ecosystem. Adding an extractor is one file in `extractors/` and one
//! line here; there is no hidden self-registration.

use crate::extract::Extractor;
use crate::extractors::{
    cargo_lock::CargoLock, codeowners::Codeowners, github_workflow::GithubWorkflow,
    npm_package_lock::NpmPackageLock, pypi_poetry_lock::PoetryLock, pypi_requirements::PipRequirements,
    service_manifest::ServiceManifest, terraform::Terraform,
};

pub fn extractors() -> Vec<&'static dyn Extractor> {
    vec![
        // Rust
        &CargoLock,
        // JavaScript
        &NpmPackageLock,
        // Python
        &PipRequirements,
        &PoetryLock,
        // Infrastructure as code
        &Terraform,
        // CI/CD and ownership
        &GithubWorkflow,
        &Codeowners,
        // Services
        &ServiceManifest,
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = super::extractors().iter().map(|e| e.name()).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}

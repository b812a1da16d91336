//! The list of extractors, grouped by ecosystem. Adding an extractor is one file in `extractors/` and one
//! line here; there is no hidden self-registration.

use crate::extract::Extractor;
use crate::extractors::{
    ai_artifacts::AiArtifacts, azure_pipelines::AzurePipelines, bitbucket_pipelines::BitbucketPipelines,
    cargo_lock::CargoLock, circleci::CircleCi, cloudformation::CloudFormation, codeowners::Codeowners,
    dart_pubspec_lock::PubspecLock, docker_compose::DockerCompose, dockerfile::Dockerfile,
    github_workflow::GithubWorkflow, gitlab_ci::GitlabCi, go_mod::GoMod, gradle_lockfile::GradleLockfile,
    graphql_schema::GraphqlSchema, helm_chart::HelmChart, jenkinsfile::Jenkinsfile, kubernetes::Kubernetes,
    maven_pom::MavenPom, npm_package_lock::NpmPackageLock, npm_pnpm_lock::PnpmLock, npm_yarn_lock::YarnLock,
    nuget_packages_lock::NugetPackagesLock, nuget_project::NugetProject, openapi::OpenApi,
    php_composer_lock::ComposerLock, pypi_pdm_lock::PdmLock, pypi_pipfile_lock::PipfileLock,
    pypi_poetry_lock::PoetryLock, pypi_requirements::PipRequirements, pypi_uv_lock::UvLock,
    ruby_gemfile_lock::GemfileLock, secrets::Secrets, serverless_framework::ServerlessFramework,
    service_manifest::ServiceManifest, source_code::SourceCode, swift_package_resolved::PackageResolved,
    terraform::Terraform, terraform_lock::TerraformLock,
};

pub fn extractors() -> Vec<&'static dyn Extractor> {
    vec![
        // Rust
        &CargoLock,
        // JavaScript
        &NpmPackageLock,
        &YarnLock,
        &PnpmLock,
        // Python
        &PipRequirements,
        &PoetryLock,
        &UvLock,
        &PipfileLock,
        &PdmLock,
        // Go
        &GoMod,
        // JVM
        &MavenPom,
        &GradleLockfile,
        // .NET
        &NugetPackagesLock,
        &NugetProject,
        // Ruby, PHP, Dart, Swift
        &GemfileLock,
        &ComposerLock,
        &PubspecLock,
        &PackageResolved,
        // Infrastructure as code
        &Terraform,
        &TerraformLock,
        &CloudFormation,
        &ServerlessFramework,
        &Kubernetes,
        &HelmChart,
        &Dockerfile,
        &DockerCompose,
        // CI/CD and ownership
        &GithubWorkflow,
        &GitlabCi,
        &Jenkinsfile,
        &CircleCi,
        &AzurePipelines,
        &BitbucketPipelines,
        &Codeowners,
        // Source code: endpoints, data models, datastores, imports; API schemas
        &SourceCode,
        &GraphqlSchema,
        &OpenApi,
        // Secrets in any text file; AI models and prompts by path
        &Secrets,
        &AiArtifacts,
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

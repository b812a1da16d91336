//! Dockerfile, Kubernetes and docker-compose checks.

use crate::rule::Rule;

pub mod dockerfile_root_user;
pub mod k8s_privileged_container;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &dockerfile_root_user::DockerfileRootUser,
        &k8s_privileged_container::PrivilegedContainer,
    ]
}

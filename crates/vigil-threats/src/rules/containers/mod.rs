//! Dockerfile, Kubernetes and docker-compose checks.

use crate::rule::Rule;

mod k8s;
mod shared;

pub mod compose_dangerous_capabilities;
pub mod compose_database_port_published;
pub mod compose_docker_socket;
pub mod compose_host_ipc;
pub mod compose_host_network;
pub mod compose_host_pid;
pub mod compose_image_latest_tag;
pub mod compose_privileged;
pub mod compose_secret_in_environment;
pub mod compose_security_opt_unconfined;
pub mod compose_sensitive_host_mount;
pub mod dockerfile_add_remote_url;
pub mod dockerfile_base_image_latest;
pub mod dockerfile_curl_pipe_shell;
pub mod dockerfile_expose_ssh;
pub mod dockerfile_package_signature_disabled;
pub mod dockerfile_root_user;
pub mod dockerfile_secret_in_build;
pub mod dockerfile_sudo;
pub mod dockerfile_tls_verification_disabled;
pub mod k8s_cluster_admin_binding;
pub mod k8s_dangerous_capabilities;
pub mod k8s_host_ipc;
pub mod k8s_host_network;
pub mod k8s_host_pid;
pub mod k8s_image_latest_tag;
pub mod k8s_ingress_without_tls;
pub mod k8s_net_raw_not_dropped;
pub mod k8s_no_memory_limit;
pub mod k8s_plaintext_secret_env;
pub mod k8s_privilege_escalation;
pub mod k8s_privileged_container;
pub mod k8s_rbac_escalation;
pub mod k8s_rbac_pod_exec;
pub mod k8s_rbac_secrets_access;
pub mod k8s_rbac_wildcard;
pub mod k8s_run_as_root;
pub mod k8s_runtime_socket_mount;
pub mod k8s_sensitive_host_path;
pub mod k8s_service_account_token;
pub mod k8s_service_exposes_database;
pub mod k8s_unconfined_profile;
pub mod k8s_writable_root_filesystem;

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &dockerfile_root_user::DockerfileRootUser,
        &dockerfile_base_image_latest::BaseImageLatest,
        &dockerfile_add_remote_url::AddRemoteUrl,
        &dockerfile_secret_in_build::SecretInBuild,
        &dockerfile_curl_pipe_shell::CurlPipeShell,
        &dockerfile_tls_verification_disabled::TlsVerificationDisabled,
        &dockerfile_package_signature_disabled::PackageSignatureDisabled,
        &dockerfile_sudo::Sudo,
        &dockerfile_expose_ssh::ExposeSsh,
        &k8s_privileged_container::PrivilegedContainer,
        &k8s_privilege_escalation::PrivilegeEscalation,
        &k8s_run_as_root::RunAsRoot,
        &k8s_dangerous_capabilities::DangerousCapabilities,
        &k8s_net_raw_not_dropped::NetRawNotDropped,
        &k8s_unconfined_profile::UnconfinedProfile,
        &k8s_writable_root_filesystem::WritableRootFilesystem,
        &k8s_runtime_socket_mount::RuntimeSocketMount,
        &k8s_sensitive_host_path::SensitiveHostPath,
        &k8s_host_network::HostNetwork,
        &k8s_host_pid::HostPid,
        &k8s_host_ipc::HostIpc,
        &k8s_image_latest_tag::ImageLatestTag,
        &k8s_no_memory_limit::NoMemoryLimit,
        &k8s_plaintext_secret_env::PlaintextSecretEnv,
        &k8s_service_account_token::ServiceAccountToken,
        &k8s_cluster_admin_binding::ClusterAdminBinding,
        &k8s_rbac_wildcard::RbacWildcard,
        &k8s_rbac_secrets_access::RbacSecretsAccess,
        &k8s_rbac_pod_exec::RbacPodExec,
        &k8s_rbac_escalation::RbacEscalation,
        &k8s_ingress_without_tls::IngressWithoutTls,
        &k8s_service_exposes_database::ServiceExposesDatabase,
        &compose_privileged::ComposePrivileged,
        &compose_docker_socket::ComposeDockerSocket,
        &compose_sensitive_host_mount::ComposeSensitiveHostMount,
        &compose_host_network::ComposeHostNetwork,
        &compose_host_pid::ComposeHostPid,
        &compose_host_ipc::ComposeHostIpc,
        &compose_dangerous_capabilities::ComposeDangerousCapabilities,
        &compose_security_opt_unconfined::ComposeSecurityOptUnconfined,
        &compose_secret_in_environment::ComposeSecretInEnvironment,
        &compose_image_latest_tag::ComposeImageLatestTag,
        &compose_database_port_published::ComposeDatabasePortPublished,
    ]
}

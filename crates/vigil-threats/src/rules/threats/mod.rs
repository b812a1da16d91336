//! STRIDE threats over the system model: components, flows, trust boundaries and the controls on them.
//!
//! Each rule states when its threat is relevant in terms of the graph (a capability the component has, and
//! attacker input reaching it per [`crate::graph::exposure`]; or, for rules about routes, an endpoint the
//! framework analysis found unguarded), and names the controls that mitigate it. The engine marks a
//! finding mitigated when its component has ANY ONE of the rule's `mitigated_by` controls, so each rule
//! lists only controls that are each enough on their own against its threat. Where a threat needs two
//! controls (uploads need a type check AND a malware scan AND a size limit), it is split into one rule per
//! control (`unrestricted-file-upload`, `unscanned-file-upload`, `upload-resource-exhaustion`) rather than
//! letting either control hide the others' gap.
//!
//! Controls named here that no detector finds in code yet are recorded by people in vigil-model.yaml
//! (`controls: [parameterized-queries]`); they extend the vocabulary of `vigil_model::controls`.

use crate::rule::Rule;

mod support;

pub mod command_injection;
pub mod cross_site_scripting;
pub mod csrf;
pub mod insecure_deserialization;
pub mod ldap_injection;
pub mod login_brute_force;
pub mod missing_authentication;
pub mod missing_mfa;
pub mod missing_rate_limiting;
pub mod nosql_injection;
pub mod search_query_injection;
pub mod sql_injection;
pub mod ssrf;
pub mod template_injection;
pub mod token_forgery;
pub mod unauthenticated_admin_route;
pub mod unauthenticated_sensitive_read;
pub mod unauthenticated_write_endpoint;
pub mod unrestricted_file_upload;
pub mod unscanned_file_upload;
pub mod unverified_webhook;
pub mod upload_resource_exhaustion;
pub mod xxe;

/// Every query binds request values as parameters or escapes them with the driver's function (SQL, NoSQL,
/// LDAP filters, search DSLs); no query text is built from input.
pub const PARAMETERIZED_QUERIES: &str = "parameterized-queries";
/// Commands run without a shell, from an allow-list, with validated arguments.
pub const SAFE_COMMAND_EXECUTION: &str = "safe-command-execution";
/// No template source comes from requests; user-authored templates render in a sandbox.
pub const SANDBOXED_TEMPLATES: &str = "sandboxed-templates";
/// Untrusted bytes never reach a deserializer that builds arbitrary types, or are signed first.
pub const SAFE_DESERIALIZATION: &str = "safe-deserialization";
/// Webhook deliveries are checked against the sender's signature, with replay protection.
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// Tokens are verified with pinned algorithms and keys, and expiry, issuer and audience checked.
pub const TOKEN_VALIDATION: &str = "token-validation";
/// Request bodies and uploads are capped in size (and per-user storage quotas apply).
pub const REQUEST_SIZE_LIMIT: &str = "request-size-limit";
/// A gateway or identity-aware proxy authenticates every request before it reaches the component.
pub const GATEWAY_AUTHENTICATION: &str = "gateway-authentication";

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &unauthenticated_write_endpoint::UnauthenticatedWriteEndpoint,
        &unauthenticated_sensitive_read::UnauthenticatedSensitiveRead,
        &unauthenticated_admin_route::UnauthenticatedAdminRoute,
        &missing_authentication::MissingAuthentication,
        &sql_injection::RULE,
        &nosql_injection::RULE,
        &ldap_injection::RULE,
        &search_query_injection::RULE,
        &command_injection::RULE,
        &template_injection::RULE,
        &xxe::RULE,
        &insecure_deserialization::RULE,
        &ssrf::Ssrf,
        &unrestricted_file_upload::RULE,
        &unscanned_file_upload::UnscannedFileUpload,
        &upload_resource_exhaustion::RULE,
        &cross_site_scripting::RULE,
        &csrf::Csrf,
        &login_brute_force::LoginBruteForce,
        &missing_mfa::MissingMfa,
        &unverified_webhook::RULE,
        &token_forgery::RULE,
        &missing_rate_limiting::MissingRateLimiting,
    ]
}

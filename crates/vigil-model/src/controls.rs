//! Controls detected on model components, which rules weigh before calling a threat open: middleware and
//! libraries in a service's code (rate limiting, input validation, audit logging...), guards on its
//! endpoints, and infrastructure (a WAF associated with an API, CloudTrail in the account, encryption on a
//! datastore). Controls people record in vigil-model.yaml are merged later and marked declared.

use vigil_core::{Asset, ControlSource, Evidence, SystemModel};

use crate::build::resource_component_id;
use crate::code_facts::{Fact, What, component_positions, module_matches};
use crate::terraform::{Terraform, config, literal_bool, refers_to};

/// Control vocabulary, shared with the rules' `mitigated_by` and the threat model file.
pub const AUTHENTICATION: &str = "authentication";
pub const RATE_LIMITING: &str = "rate-limiting";
pub const INPUT_VALIDATION: &str = "input-validation";
pub const SECURITY_HEADERS: &str = "security-headers";
pub const CSRF_PROTECTION: &str = "csrf-protection";
pub const SAFE_XML_PARSER: &str = "safe-xml-parser";
pub const HTML_SANITIZATION: &str = "html-sanitization";
pub const FILE_TYPE_VALIDATION: &str = "file-type-validation";
pub const MALWARE_SCANNING: &str = "malware-scanning";
pub const SSRF_PROTECTION: &str = "ssrf-protection";
pub const LLM_GUARDRAILS: &str = "llm-guardrails";
pub const MFA: &str = "mfa";
pub const LOGGING: &str = "logging";
pub const AUDIT_LOGGING: &str = "audit-logging";
pub const MONITORING: &str = "monitoring";
pub const SECRETS_MANAGER: &str = "secrets-manager";
pub const CAPTCHA: &str = "captcha";
pub const SAFE_MODEL_FORMAT: &str = "safe-model-format";
pub const WAF: &str = "waf";
pub const ENCRYPTION_AT_REST: &str = "encryption-at-rest";

/// Imported modules that put a control in place: (language family, module, control).
const IMPORTS: &[(&str, &str, &str)] = &[
    ("js", "express-rate-limit", RATE_LIMITING),
    ("js", "rate-limiter-flexible", RATE_LIMITING),
    ("js", "@nestjs/throttler", RATE_LIMITING),
    ("py", "slowapi", RATE_LIMITING),
    ("py", "flask_limiter", RATE_LIMITING),
    ("py", "django_ratelimit", RATE_LIMITING),
    ("py", "ratelimit", RATE_LIMITING),
    ("rb", "rack/attack", RATE_LIMITING),
    ("go", "golang.org/x/time/rate", RATE_LIMITING),
    ("go", "github.com/ulule/limiter", RATE_LIMITING),
    ("java", "io.github.bucket4j", RATE_LIMITING),
    ("java", "io.github.resilience4j.ratelimiter", RATE_LIMITING),
    ("js", "joi", INPUT_VALIDATION),
    ("js", "zod", INPUT_VALIDATION),
    ("js", "yup", INPUT_VALIDATION),
    ("js", "ajv", INPUT_VALIDATION),
    ("js", "class-validator", INPUT_VALIDATION),
    ("js", "express-validator", INPUT_VALIDATION),
    ("py", "pydantic", INPUT_VALIDATION),
    ("py", "marshmallow", INPUT_VALIDATION),
    ("py", "cerberus", INPUT_VALIDATION),
    ("py", "jsonschema", INPUT_VALIDATION),
    ("go", "github.com/go-playground/validator", INPUT_VALIDATION),
    ("java", "javax.validation", INPUT_VALIDATION),
    ("java", "jakarta.validation", INPUT_VALIDATION),
    ("rb", "dry/validation", INPUT_VALIDATION),
    ("js", "helmet", SECURITY_HEADERS),
    ("py", "flask_talisman", SECURITY_HEADERS),
    ("py", "secure", SECURITY_HEADERS),
    ("go", "github.com/unrolled/secure", SECURITY_HEADERS),
    ("js", "csurf", CSRF_PROTECTION),
    ("js", "csrf-csrf", CSRF_PROTECTION),
    ("js", "lusca", CSRF_PROTECTION),
    ("py", "flask_wtf.csrf", CSRF_PROTECTION),
    ("go", "github.com/gorilla/csrf", CSRF_PROTECTION),
    ("py", "defusedxml", SAFE_XML_PARSER),
    ("js", "dompurify", HTML_SANITIZATION),
    ("js", "isomorphic-dompurify", HTML_SANITIZATION),
    ("js", "sanitize-html", HTML_SANITIZATION),
    ("py", "bleach", HTML_SANITIZATION),
    ("py", "nh3", HTML_SANITIZATION),
    ("go", "github.com/microcosm-cc/bluemonday", HTML_SANITIZATION),
    ("js", "file-type", FILE_TYPE_VALIDATION),
    ("py", "magic", FILE_TYPE_VALIDATION),
    ("py", "filetype", FILE_TYPE_VALIDATION),
    ("java", "org.apache.tika", FILE_TYPE_VALIDATION),
    ("js", "clamscan", MALWARE_SCANNING),
    ("py", "pyclamd", MALWARE_SCANNING),
    ("py", "clamd", MALWARE_SCANNING),
    ("js", "ssrf-req-filter", SSRF_PROTECTION),
    ("js", "request-filtering-agent", SSRF_PROTECTION),
    ("py", "advocate", SSRF_PROTECTION),
    ("py", "nemoguardrails", LLM_GUARDRAILS),
    ("py", "guardrails", LLM_GUARDRAILS),
    ("py", "llm_guard", LLM_GUARDRAILS),
    ("py", "rebuff", LLM_GUARDRAILS),
    ("js", "otplib", MFA),
    ("js", "speakeasy", MFA),
    ("py", "pyotp", MFA),
    ("py", "django_otp", MFA),
    ("rb", "rotp", MFA),
    ("py", "auditlog", AUDIT_LOGGING),
    ("py", "simple_history", AUDIT_LOGGING),
    ("rb", "paper_trail", AUDIT_LOGGING),
    ("rb", "audited", AUDIT_LOGGING),
    ("java", "org.hibernate.envers", AUDIT_LOGGING),
    ("py", "safetensors", SAFE_MODEL_FORMAT),
    // Strip MongoDB operators (`$ne`, `$where`) from request data before it reaches a query
    ("js", "express-mongo-sanitize", INPUT_VALIDATION),
    ("js", "mongo-sanitize", INPUT_VALIDATION),
    ("py", "flask_seasurf", CSRF_PROTECTION),
    // Replace personal data with placeholders before a prompt or an export leaves (Microsoft Presidio)
    ("py", "presidio_anonymizer", "pii-redaction"),
];

/// Catalog SDK categories that put a control in place.
pub fn from_sdk(category: &str) -> Option<&'static str> {
    match category {
        "auth-library" | "identity-provider" => Some(AUTHENTICATION),
        "logging" => Some(LOGGING),
        "apm" | "tracing" | "error-monitoring" => Some(MONITORING),
        "secrets-management" => Some(SECRETS_MANAGER),
        "captcha" => Some(CAPTCHA),
        _ => None,
    }
}

/// Adds the controls the code facts show to the service components they belong to.
pub fn detect_in_code(facts: &[Fact<'_>], model: &mut SystemModel) {
    let positions = component_positions(model);
    for fact in facts {
        let controls: Vec<&str> = match &fact.what {
            What::Sdk { category, .. } => from_sdk(category).into_iter().collect(),
            What::Import { language, module } => IMPORTS
                .iter()
                .filter(|(family, wanted, _)| module_matches(language, module, family, wanted))
                .map(|(_, _, control)| *control)
                .collect(),
            // A guarded endpoint shows the service has authentication; rules still judge each endpoint.
            What::Endpoint { authenticated, .. } => {
                if *authenticated {
                    vec![AUTHENTICATION]
                } else {
                    Vec::new()
                }
            }
        };
        let Some(component) = positions
            .get(&fact.component)
            .and_then(|i| model.components.get_mut(*i))
        else {
            continue;
        };
        for control in controls {
            component.add_control(control, ControlSource::Detected, fact.evidence.clone());
        }
    }
}

/// Adds the controls infrastructure code shows: WAF associations, account-wide audit trails and
/// encryption at rest on datastores.
pub fn detect_in_infrastructure(tf: &Terraform<'_>, model: &mut SystemModel) {
    let mut found: Vec<(String, &'static str, Evidence)> = Vec::new();
    for association in [
        "aws_wafv2_web_acl_association",
        "aws_wafregional_web_acl_association",
    ]
    .into_iter()
    .flat_map(|t| tf.of_type(t))
    {
        for protected in protected_by(tf, association) {
            found.push((
                resource_component_id(protected),
                WAF,
                association.evidence_for("resource_arn"),
            ));
        }
    }
    let trails: Vec<&Asset> = ["aws_cloudtrail", "AWS::CloudTrail::Trail"]
        .into_iter()
        .flat_map(|t| tf.of_type(t))
        .collect();
    if let Some(trail) = trails.first() {
        for component in model
            .components
            .iter()
            .filter(|c| c.boundary.as_deref() == Some("cloud:aws") && !c.assets.is_empty())
        {
            found.push((
                component.id.clone(),
                AUDIT_LOGGING,
                trail
                    .evidence_for("name")
                    .with_note(format!("{} records the account's API calls", trail.name)),
            ));
        }
    }
    for resource in tf.resources() {
        if let Some(evidence) = encryption_at_rest(resource) {
            found.push((resource_component_id(resource), ENCRYPTION_AT_REST, evidence));
        }
    }
    let positions = component_positions(model);
    for (id, control, evidence) in found {
        if let Some(component) = positions.get(&id).and_then(|i| model.components.get_mut(*i)) {
            component.add_control(control, ControlSource::Detected, evidence);
        }
    }
}

/// Resources a WAF association protects: the one its `resource_arn` names, or the REST API of the stage
/// it names.
fn protected_by<'a>(tf: &Terraform<'a>, association: &Asset) -> Vec<&'a Asset> {
    let Some(arn) = config(association).and_then(|c| c.get("resource_arn")) else {
        return Vec::new();
    };
    let mut protected: Vec<&Asset> = tf
        .resources()
        .iter()
        .copied()
        .filter(|r| r.attr_str("module_dir") == association.attr_str("module_dir"))
        .filter(|r| refers_to(arn, r.attr_str("address").unwrap_or_default()))
        .collect();
    let stages: Vec<&Asset> = protected
        .iter()
        .copied()
        .filter(|r| r.attr_str("resource_type") == Some("aws_api_gateway_stage"))
        .collect();
    for stage in stages {
        protected.extend(tf.referenced_by(stage, "aws_api_gateway_rest_api"));
    }
    protected
}

/// Evidence that a datastore encrypts what it stores, from its own settings.
fn encryption_at_rest(resource: &Asset) -> Option<Evidence> {
    let config = config(resource)?;
    let flag = ["storage_encrypted", "encrypted", "StorageEncrypted", "Encrypted"]
        .into_iter()
        .find(|key| literal_bool(config, key) == Some(true));
    let key = ["kms_key_id", "kms_key_arn", "KmsKeyId", "kms_master_key_id"]
        .into_iter()
        .find(|key| config.get(*key).is_some());
    let attribute = flag.or(key)?;
    Some(resource.evidence_for(attribute))
}

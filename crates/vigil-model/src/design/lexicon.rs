//! The design lexicon: phrases that, written in a design document, state a fact the threat rules read
//! (a capability, a data class, Internet exposure, a control, a datastore, an integration), and the
//! matcher that finds them.
//!
//! Matching is deterministic and explainable: whole words, case-insensitive, a `*` after a word matches
//! any ending (`upload*` is upload, uploads, uploaded), `#` matches a number ("up to # mb"), the longest
//! phrase wins where two overlap, and `Ignore` phrases take words out of play (`container image` is not
//! an image upload). Each table is matched on its own, so "email template" can be both a template
//! (capability table) and an email address (data table). A phrase right after "no", "not", "without"
//! (allowing a filler word or two: "without any rate limiting") or right before "not", "never",
//! "deferred" is negated; negation stops at punctuation ("Secrets Manager, never the repository").
//!
//! Integration names come from the SDK catalog (`vigil-discover/catalog/sdks.toml`) rather than a list of
//! their own; the few names that are also English words ("Square", "Segment", "Slack") only match as
//! written, capitalised.

use std::collections::HashMap;

use vigil_core::CapabilityKind::{self, *};
use vigil_core::DataClass;

use crate::controls as c;

/// Controls the design vocabulary adds to the shared one in [`crate::controls`]: promises a design makes
/// that code rarely shows, named as the threat rules' `mitigated_by` names them.
pub const PII_REDACTION: &str = "pii-redaction";
pub const HUMAN_IN_THE_LOOP: &str = "human-in-the-loop";
pub const TOKENIZATION: &str = "tokenization";
pub const PARAMETERIZED_QUERIES: &str = "parameterized-queries";
pub const REQUEST_SIZE_LIMIT: &str = "request-size-limit";
pub const SAFE_COMMAND_EXECUTION: &str = "safe-command-execution";
pub const SAFE_DESERIALIZATION: &str = "safe-deserialization";
pub const SANDBOXED_TEMPLATES: &str = "sandboxed-templates";
pub const TOKEN_VALIDATION: &str = "token-validation";
pub const TRANSPORT_ENCRYPTION: &str = "transport-encryption";
pub const DATA_PROCESSING_AGREEMENT: &str = "data-processing-agreement";
pub const LLM_DATA_PROCESSING_AGREEMENT: &str = "llm-data-processing-agreement";
pub const LLM_OUTPUT_VALIDATION: &str = "llm-output-validation";
pub const LLM_USAGE_QUOTA: &str = "llm-usage-quota";
pub const TOOL_ALLOWLIST: &str = "tool-allowlist";
pub const VECTOR_STORE_ACCESS_CONTROL: &str = "vector-store-access-control";
pub const RAG_INGESTION_REVIEW: &str = "rag-ingestion-review";
pub const NETWORK_POLICY: &str = "network-policy";
pub const PER_SERVICE_CREDENTIALS: &str = "per-service-credentials";
pub const GATEWAY_AUTHENTICATION: &str = "gateway-authentication";
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// Every control name the lexicon can produce (and an LLM suggestion may use).
pub const CONTROLS: &[&str] = &[
    c::AUTHENTICATION,
    c::RATE_LIMITING,
    c::INPUT_VALIDATION,
    c::SECURITY_HEADERS,
    c::CSRF_PROTECTION,
    c::SAFE_XML_PARSER,
    c::HTML_SANITIZATION,
    c::FILE_TYPE_VALIDATION,
    c::MALWARE_SCANNING,
    c::SSRF_PROTECTION,
    c::LLM_GUARDRAILS,
    c::MFA,
    c::LOGGING,
    c::AUDIT_LOGGING,
    c::MONITORING,
    c::SECRETS_MANAGER,
    c::CAPTCHA,
    c::SAFE_MODEL_FORMAT,
    c::WAF,
    c::ENCRYPTION_AT_REST,
    PII_REDACTION,
    HUMAN_IN_THE_LOOP,
    TOKENIZATION,
    WEBHOOK_SIGNATURE,
    PARAMETERIZED_QUERIES,
    REQUEST_SIZE_LIMIT,
    SAFE_COMMAND_EXECUTION,
    SAFE_DESERIALIZATION,
    SANDBOXED_TEMPLATES,
    TOKEN_VALIDATION,
    TRANSPORT_ENCRYPTION,
    DATA_PROCESSING_AGREEMENT,
    LLM_DATA_PROCESSING_AGREEMENT,
    LLM_OUTPUT_VALIDATION,
    LLM_USAGE_QUOTA,
    TOOL_ALLOWLIST,
    VECTOR_STORE_ACCESS_CONTROL,
    RAG_INGESTION_REVIEW,
    NETWORK_POLICY,
    PER_SERVICE_CREDENTIALS,
    GATEWAY_AUTHENTICATION,
];

/// What a matched phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    Capability(CapabilityKind),
    Data(DataClass),
    /// Reachable from the Internet (public, customers, a mobile app, a partner API...).
    Exposure,
    Control(&'static str),
    /// A datastore, by index into [`Lexicon::stores`].
    Store(usize),
    /// A catalog integration, by index into [`Lexicon::integrations`].
    Integration(usize),
    /// Words that look like a fact but are not one here (`container image`, `public key`).
    Ignore,
}

use Term::{Capability as Cap, Control as Ctl, Data, Exposure, Ignore};

const CAPABILITIES: &[(&str, &[Term])] = &[
    // Uploads
    ("upload*", &[Cap(AcceptsUploads)]),
    ("file upload*", &[Cap(AcceptsUploads)]),
    ("attach*", &[Cap(AcceptsUploads)]),
    ("image", &[Cap(AcceptsUploads)]),
    ("images", &[Cap(AcceptsUploads)]),
    ("pdf*", &[Cap(AcceptsUploads)]),
    ("multipart", &[Cap(AcceptsUploads)]),
    ("avatar*", &[Cap(AcceptsUploads)]),
    ("container image*", &[Ignore]),
    ("docker image*", &[Ignore]),
    ("base image*", &[Ignore]),
    ("machine image*", &[Ignore]),
    ("vm image*", &[Ignore]),
    ("image tag*", &[Ignore]),
    ("image digest*", &[Ignore]),
    // XML
    ("xml", &[Cap(ParsesXml)]),
    ("saml", &[Cap(ParsesXml), Cap(Authenticates)]),
    ("soap", &[Cap(ParsesXml)]),
    ("svg*", &[Cap(ParsesXml)]),
    ("docx", &[Cap(ParsesXml)]),
    ("xlsx", &[Cap(ParsesXml)]),
    ("rss", &[Cap(ParsesXml)]),
    // Unsafe deserialization
    ("pickle*", &[Cap(Deserializes)]),
    ("unpickl*", &[Cap(Deserializes)]),
    ("serialized object*", &[Cap(Deserializes)]),
    ("serialised object*", &[Cap(Deserializes)]),
    ("object serialization", &[Cap(Deserializes)]),
    ("java serialization", &[Cap(Deserializes)]),
    ("unserialize", &[Cap(Deserializes)]),
    ("binaryformatter", &[Cap(Deserializes)]),
    // Outbound requests to addresses someone else chooses
    ("fetch* url*", &[Cap(FetchesUrls)]),
    ("fetch* the url*", &[Cap(FetchesUrls)]),
    ("fetch* a url*", &[Cap(FetchesUrls)]),
    ("fetch* the page*", &[Cap(FetchesUrls)]),
    ("fetch* remote", &[Cap(FetchesUrls)]),
    ("fetch* the link*", &[Cap(FetchesUrls)]),
    ("url fetch*", &[Cap(FetchesUrls)]),
    ("link preview*", &[Cap(FetchesUrls)]),
    ("preview link*", &[Cap(FetchesUrls)]),
    ("url preview*", &[Cap(FetchesUrls)]),
    ("unfurl*", &[Cap(FetchesUrls)]),
    ("callback url*", &[Cap(FetchesUrls)]),
    ("webhook callback url*", &[Cap(FetchesUrls)]),
    ("webhook url*", &[Cap(FetchesUrls)]),
    ("outbound webhook*", &[Cap(FetchesUrls)]),
    ("remote url*", &[Cap(FetchesUrls)]),
    ("from a url", &[Cap(FetchesUrls)]),
    ("from url*", &[Cap(FetchesUrls)]),
    ("by url", &[Cap(FetchesUrls)]),
    ("import* from url*", &[Cap(FetchesUrls)]),
    ("crawl*", &[Cap(FetchesUrls)]),
    ("scrap* the page*", &[Cap(FetchesUrls)]),
    // Query languages (engines named as datastores add theirs)
    ("sql", &[Cap(QueriesSql)]),
    ("sql query*", &[Cap(QueriesSql)]),
    ("nosql", &[Cap(QueriesNosql)]),
    ("ldap", &[Cap(QueriesLdap)]),
    ("active directory", &[Cap(QueriesLdap)]),
    ("full text search", &[Cap(QueriesSearch)]),
    ("search index*", &[Cap(QueriesSearch)]),
    // Commands
    ("imagemagick", &[Cap(ExecutesCommands)]),
    ("graphicsmagick", &[Cap(ExecutesCommands)]),
    ("ffmpeg", &[Cap(ExecutesCommands)]),
    ("ghostscript", &[Cap(ExecutesCommands)]),
    ("libreoffice", &[Cap(ExecutesCommands)]),
    ("wkhtmltopdf", &[Cap(ExecutesCommands)]),
    ("pandoc", &[Cap(ExecutesCommands)]),
    ("exiftool", &[Cap(ExecutesCommands)]),
    ("shell command*", &[Cap(ExecutesCommands)]),
    ("shell out", &[Cap(ExecutesCommands)]),
    ("shells out", &[Cap(ExecutesCommands)]),
    ("run* a command", &[Cap(ExecutesCommands)]),
    ("run* commands", &[Cap(ExecutesCommands)]),
    ("run* the command", &[Cap(ExecutesCommands)]),
    ("command line tool*", &[Cap(ExecutesCommands)]),
    ("subprocess*", &[Cap(ExecutesCommands)]),
    ("os command*", &[Cap(ExecutesCommands)]),
    // Templates
    ("template*", &[Cap(RendersTemplates)]),
    ("email template*", &[Cap(RendersTemplates), Cap(SendsEmail)]),
    ("server side render*", &[Cap(RendersTemplates)]),
    ("issue template*", &[Ignore]),
    ("pull request template*", &[Ignore]),
    ("pr template*", &[Ignore]),
    ("cloudformation template*", &[Ignore]),
    // LLMs
    ("llm*", &[Cap(CallsLlm)]),
    ("large language model*", &[Cap(CallsLlm)]),
    ("gpt*", &[Cap(CallsLlm)]),
    ("chatgpt", &[Cap(CallsLlm)]),
    ("chatbot*", &[Cap(CallsLlm)]),
    ("chat bot*", &[Cap(CallsLlm)]),
    ("ai assistant*", &[Cap(CallsLlm)]),
    ("assistant*", &[Cap(CallsLlm)]),
    ("generative ai", &[Cap(CallsLlm)]),
    ("genai", &[Cap(CallsLlm)]),
    ("system prompt*", &[Cap(CallsLlm)]),
    ("rag", &[Cap(CallsLlm), Cap(UsesVectorStore)]),
    (
        "retrieval augmented generation",
        &[Cap(CallsLlm), Cap(UsesVectorStore)],
    ),
    ("retrieval augmented", &[Cap(CallsLlm), Cap(UsesVectorStore)]),
    ("embedding*", &[Cap(CallsLlm), Cap(UsesVectorStore)]),
    ("semantic search", &[Cap(UsesVectorStore)]),
    ("vector store*", &[Cap(UsesVectorStore)]),
    ("vector database*", &[Cap(UsesVectorStore)]),
    ("vector db*", &[Cap(UsesVectorStore)]),
    ("vector index*", &[Cap(UsesVectorStore)]),
    ("pgvector", &[Cap(UsesVectorStore)]),
    ("assistant professor", &[Ignore]),
    // Agency
    ("ai agent*", &[Cap(CallsLlm), Cap(LlmToolUse)]),
    ("llm agent*", &[Cap(CallsLlm), Cap(LlmToolUse)]),
    ("autonomous agent*", &[Cap(CallsLlm), Cap(LlmToolUse)]),
    ("agentic", &[Cap(CallsLlm), Cap(LlmToolUse)]),
    ("agent framework*", &[Cap(LlmToolUse)]),
    ("tool call*", &[Cap(LlmToolUse)]),
    ("tool calling", &[Cap(LlmToolUse)]),
    ("tool use", &[Cap(LlmToolUse)]),
    ("function call*", &[Cap(LlmToolUse)]),
    ("call* tools", &[Cap(LlmToolUse)]),
    ("invok* tools", &[Cap(LlmToolUse)]),
    ("mcp", &[Cap(LlmToolUse)]),
    ("model context protocol", &[Cap(LlmToolUse)]),
    ("on behalf of the user*", &[Cap(LlmToolUse)]),
    ("on behalf of users", &[Cap(LlmToolUse)]),
    ("on behalf of the customer*", &[Cap(LlmToolUse)]),
    ("on behalf of customers", &[Cap(LlmToolUse)]),
    ("on the user s behalf", &[Cap(LlmToolUse)]),
    ("on the customer s behalf", &[Cap(LlmToolUse)]),
    // Model files
    ("hugging face", &[Cap(LoadsModels)]),
    ("huggingface", &[Cap(LoadsModels)]),
    ("model download*", &[Cap(LoadsModels)]),
    ("download* model*", &[Cap(LoadsModels)]),
    ("download* the model*", &[Cap(LoadsModels)]),
    ("fine tun*", &[Cap(LoadsModels)]),
    ("finetun*", &[Cap(LoadsModels)]),
    ("model weights", &[Cap(LoadsModels)]),
    ("pretrained model*", &[Cap(LoadsModels)]),
    ("pre trained model*", &[Cap(LoadsModels)]),
    ("model file*", &[Cap(LoadsModels)]),
    ("self hosted model*", &[Cap(LoadsModels)]),
    ("open weight*", &[Cap(LoadsModels)]),
    // Authentication and sessions
    ("login*", &[Cap(Authenticates)]),
    ("log in", &[Cap(Authenticates)]),
    ("logs in", &[Cap(Authenticates)]),
    ("sign in", &[Cap(Authenticates)]),
    ("signs in", &[Cap(Authenticates)]),
    ("signin", &[Cap(Authenticates)]),
    ("logged in", &[Cap(Authenticates)]),
    ("sso", &[Cap(Authenticates)]),
    ("single sign on", &[Cap(Authenticates)]),
    ("password*", &[Cap(Authenticates)]),
    ("passwordless", &[Cap(Authenticates)]),
    ("magic link*", &[Cap(Authenticates)]),
    ("oauth*", &[Cap(Authenticates)]),
    ("openid*", &[Cap(Authenticates)]),
    ("oidc", &[Cap(Authenticates)]),
    ("authenticat*", &[Cap(Authenticates)]),
    ("jwt*", &[Cap(IssuesTokens)]),
    ("json web token*", &[Cap(IssuesTokens)]),
    ("issu* tokens", &[Cap(IssuesTokens)]),
    ("sign* tokens", &[Cap(IssuesTokens)]),
    ("refresh token*", &[Cap(IssuesTokens)]),
    ("cookie*", &[Cap(CookieSessions)]),
    ("session cookie*", &[Cap(CookieSessions)]),
    // Money
    ("payment*", &[Cap(ProcessesPayments)]),
    ("checkout*", &[Cap(ProcessesPayments)]),
    ("refund*", &[Cap(ProcessesPayments)]),
    ("charg* the card", &[Cap(ProcessesPayments)]),
    ("charg* cards", &[Cap(ProcessesPayments)]),
    ("billing", &[Cap(ProcessesPayments)]),
    ("payout*", &[Cap(ProcessesPayments)]),
    ("git checkout", &[Ignore]),
    ("actions checkout", &[Ignore]),
    ("payment service provider*", &[Cap(ProcessesPayments)]),
    // Webhooks in; mail out
    ("webhook*", &[Cap(ReceivesWebhooks)]),
    ("send* email*", &[Cap(SendsEmail)]),
    ("send* an email*", &[Cap(SendsEmail)]),
    ("send* a confirmation email*", &[Cap(SendsEmail)]),
    ("send* e mail*", &[Cap(SendsEmail)]),
    ("email* the customer*", &[Cap(SendsEmail)]),
    ("email* the user*", &[Cap(SendsEmail)]),
    ("email notification*", &[Cap(SendsEmail)]),
    ("confirmation email*", &[Cap(SendsEmail)]),
    ("receipt email*", &[Cap(SendsEmail)]),
    ("transactional email*", &[Cap(SendsEmail)]),
    ("by email", &[Cap(SendsEmail)]),
    ("via email", &[Cap(SendsEmail)]),
    ("smtp", &[Cap(SendsEmail)]),
];

const DATA: &[(&str, &[Term])] = &[
    // Payment cards
    ("card number*", &[Data(DataClass::Pci)]),
    ("card data", &[Data(DataClass::Pci)]),
    ("card details", &[Data(DataClass::Pci)]),
    ("credit card*", &[Data(DataClass::Pci)]),
    ("debit card*", &[Data(DataClass::Pci)]),
    ("payment card*", &[Data(DataClass::Pci)]),
    ("cardholder*", &[Data(DataClass::Pci)]),
    ("pan", &[Data(DataClass::Pci)]),
    ("pans", &[Data(DataClass::Pci)]),
    ("primary account number*", &[Data(DataClass::Pci)]),
    ("cvv*", &[Data(DataClass::Pci)]),
    ("cvc", &[Data(DataClass::Pci)]),
    ("card verification", &[Data(DataClass::Pci)]),
    ("card token*", &[Ignore]),
    ("payment token*", &[Ignore]),
    ("payment method id*", &[Ignore]),
    // Personal data
    ("email*", &[Data(DataClass::Pii)]),
    ("e mail address*", &[Data(DataClass::Pii)]),
    ("address", &[Data(DataClass::Pii)]),
    ("addresses", &[Data(DataClass::Pii)]),
    ("to address", &[Ignore]),
    ("address the", &[Ignore]),
    ("address this", &[Ignore]),
    ("addresses the", &[Ignore]),
    ("phone*", &[Data(DataClass::Pii)]),
    ("mobile number*", &[Data(DataClass::Pii)]),
    ("telephone*", &[Data(DataClass::Pii)]),
    ("full name*", &[Data(DataClass::Pii)]),
    ("first name*", &[Data(DataClass::Pii)]),
    ("last name*", &[Data(DataClass::Pii)]),
    ("customer name*", &[Data(DataClass::Pii)]),
    ("customer s name", &[Data(DataClass::Pii)]),
    ("user s name", &[Data(DataClass::Pii)]),
    ("real name*", &[Data(DataClass::Pii)]),
    ("legal name*", &[Data(DataClass::Pii)]),
    ("name and address*", &[Data(DataClass::Pii)]),
    ("names and addresses", &[Data(DataClass::Pii)]),
    ("date of birth", &[Data(DataClass::Pii)]),
    ("dates of birth", &[Data(DataClass::Pii)]),
    ("birth date*", &[Data(DataClass::Pii)]),
    ("birthdate*", &[Data(DataClass::Pii)]),
    ("dob", &[Data(DataClass::Pii)]),
    ("ssn*", &[Data(DataClass::Pii)]),
    ("social security number*", &[Data(DataClass::Pii)]),
    ("national id*", &[Data(DataClass::Pii)]),
    ("passport*", &[Data(DataClass::Pii)]),
    ("personal data", &[Data(DataClass::Pii)]),
    ("personal information", &[Data(DataClass::Pii)]),
    ("personally identifiable", &[Data(DataClass::Pii)]),
    ("pii", &[Data(DataClass::Pii)]),
    ("ip address*", &[Data(DataClass::Pii)]),
    ("location data", &[Data(DataClass::Pii)]),
    // Health
    ("diagnos*", &[Data(DataClass::Phi)]),
    ("patient*", &[Data(DataClass::Phi)]),
    ("medical*", &[Data(DataClass::Phi)]),
    ("health record*", &[Data(DataClass::Phi)]),
    ("health data", &[Data(DataClass::Phi)]),
    ("health information", &[Data(DataClass::Phi)]),
    ("phi", &[Data(DataClass::Phi)]),
    ("ehr", &[Data(DataClass::Phi)]),
    ("prescription*", &[Data(DataClass::Phi)]),
    ("lab result*", &[Data(DataClass::Phi)]),
    // Secrets
    ("password*", &[Data(DataClass::Secrets)]),
    ("passphrase*", &[Data(DataClass::Secrets)]),
    ("api key*", &[Data(DataClass::Secrets)]),
    ("api token*", &[Data(DataClass::Secrets)]),
    ("access token*", &[Data(DataClass::Secrets)]),
    ("refresh token*", &[Data(DataClass::Secrets)]),
    ("session token*", &[Data(DataClass::Secrets)]),
    ("oauth token*", &[Data(DataClass::Secrets)]),
    ("bearer token*", &[Data(DataClass::Secrets)]),
    ("token", &[Data(DataClass::Secrets)]),
    ("max tokens", &[Ignore]),
    ("token limit*", &[Ignore]),
    ("token budget*", &[Ignore]),
    ("tokens", &[Data(DataClass::Secrets)]),
    ("secret", &[Data(DataClass::Secrets)]),
    ("secrets", &[Data(DataClass::Secrets)]),
    ("secret key*", &[Data(DataClass::Secrets)]),
    ("client secret*", &[Data(DataClass::Secrets)]),
    ("signing secret*", &[Data(DataClass::Secrets)]),
    ("credential*", &[Data(DataClass::Secrets)]),
    ("private key*", &[Data(DataClass::Secrets)]),
    ("ssh key*", &[Data(DataClass::Secrets)]),
    ("publishable key*", &[Ignore]),
    ("public key*", &[Ignore]),
];

const EXPOSURE: &[(&str, &[Term])] = &[
    ("public", &[Exposure]),
    ("publicly", &[Exposure]),
    ("public facing", &[Exposure]),
    ("internet", &[Exposure]),
    ("internet facing", &[Exposure]),
    ("customers", &[Exposure]),
    ("customer facing", &[Exposure]),
    ("anonymous*", &[Exposure]),
    ("unauthenticated", &[Exposure]),
    ("mobile app*", &[Exposure]),
    ("mobile client*", &[Exposure]),
    ("ios app*", &[Exposure]),
    ("android app*", &[Exposure]),
    ("single page app*", &[Exposure]),
    ("browser*", &[Exposure]),
    ("partner api*", &[Exposure]),
    ("partners", &[Exposure]),
    ("third party client*", &[Exposure]),
    ("external users", &[Exposure]),
    ("end users", &[Exposure]),
    ("webhook*", &[Exposure]),
    ("public key*", &[Ignore]),
    ("public cloud", &[Ignore]),
    ("public holiday*", &[Ignore]),
    ("public interface*", &[Ignore]),
    ("public method*", &[Ignore]),
    ("internet access", &[Ignore]),
    ("internet egress", &[Ignore]),
    ("outbound internet", &[Ignore]),
    ("outbound webhook*", &[Ignore]),
    ("webhook url*", &[Ignore]),
    ("webhook callback url*", &[Ignore]),
];

const CONTROLS_TABLE: &[(&str, &[Term])] = &[
    ("rate limit*", &[Ctl(c::RATE_LIMITING)]),
    ("ratelimit*", &[Ctl(c::RATE_LIMITING)]),
    ("throttl*", &[Ctl(c::RATE_LIMITING)]),
    ("request quota*", &[Ctl(c::RATE_LIMITING)]),
    ("waf", &[Ctl(c::WAF)]),
    ("web application firewall*", &[Ctl(c::WAF)]),
    ("mfa", &[Ctl(c::MFA)]),
    ("2fa", &[Ctl(c::MFA)]),
    ("two factor", &[Ctl(c::MFA)]),
    ("multi factor", &[Ctl(c::MFA)]),
    ("totp", &[Ctl(c::MFA)]),
    ("second factor", &[Ctl(c::MFA)]),
    ("webauthn", &[Ctl(c::MFA)]),
    ("passkey*", &[Ctl(c::MFA)]),
    ("audit log*", &[Ctl(c::AUDIT_LOGGING)]),
    ("audit trail*", &[Ctl(c::AUDIT_LOGGING)]),
    ("audit event*", &[Ctl(c::AUDIT_LOGGING)]),
    ("audited", &[Ctl(c::AUDIT_LOGGING)]),
    ("logging", &[Ctl(c::LOGGING)]),
    ("access log*", &[Ctl(c::LOGGING)]),
    ("structured log*", &[Ctl(c::LOGGING)]),
    ("monitoring", &[Ctl(c::MONITORING)]),
    ("alerting", &[Ctl(c::MONITORING)]),
    ("anomaly detection", &[Ctl(c::MONITORING)]),
    ("virus scan*", &[Ctl(c::MALWARE_SCANNING)]),
    ("antivirus", &[Ctl(c::MALWARE_SCANNING)]),
    ("anti virus", &[Ctl(c::MALWARE_SCANNING)]),
    ("malware scan*", &[Ctl(c::MALWARE_SCANNING)]),
    ("scan* for malware", &[Ctl(c::MALWARE_SCANNING)]),
    ("scan* for viruses", &[Ctl(c::MALWARE_SCANNING)]),
    ("clamav", &[Ctl(c::MALWARE_SCANNING)]),
    ("file type check*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("file type validation", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("file type allowlist*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("allowed file types", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("allowlist of file types", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("validat* the file type*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("validat* file type*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("check* the file type*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("verif* the file type*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("mime type check*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("mime type validation", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("content type check*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("content type validation", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("magic byte*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("magic number*", &[Ctl(c::FILE_TYPE_VALIDATION)]),
    ("input validation", &[Ctl(c::INPUT_VALIDATION)]),
    ("validat* input*", &[Ctl(c::INPUT_VALIDATION)]),
    ("validat* all input*", &[Ctl(c::INPUT_VALIDATION)]),
    ("validat* the request*", &[Ctl(c::INPUT_VALIDATION)]),
    ("validat* request*", &[Ctl(c::INPUT_VALIDATION)]),
    ("request validation", &[Ctl(c::INPUT_VALIDATION)]),
    ("schema validation", &[Ctl(c::INPUT_VALIDATION)]),
    ("json schema", &[Ctl(c::INPUT_VALIDATION)]),
    ("sanitiz* input*", &[Ctl(c::INPUT_VALIDATION)]),
    ("encryption at rest", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("encrypted at rest", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("encrypt* at rest", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("server side encryption", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("sse kms", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("field level encryption", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("kms", &[Ctl(c::ENCRYPTION_AT_REST)]),
    ("redact*", &[Ctl(PII_REDACTION)]),
    ("pii masking", &[Ctl(PII_REDACTION)]),
    ("mask* pii", &[Ctl(PII_REDACTION)]),
    ("data masking", &[Ctl(PII_REDACTION)]),
    ("scrub* pii", &[Ctl(PII_REDACTION)]),
    ("anonymi*", &[Ctl(PII_REDACTION)]),
    ("pseudonymi*", &[Ctl(PII_REDACTION)]),
    ("human approval", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("human in the loop", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("manual approval", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("approval step", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("approved by a human", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("approved by an agent", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("human review*", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("manual review*", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("requires approval", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("user confirmation", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("explicit confirmation", &[Ctl(HUMAN_IN_THE_LOOP)]),
    ("guardrail*", &[Ctl(c::LLM_GUARDRAILS)]),
    ("content filter*", &[Ctl(c::LLM_GUARDRAILS)]),
    ("moderation", &[Ctl(c::LLM_GUARDRAILS)]),
    ("output filter*", &[Ctl(c::LLM_GUARDRAILS)]),
    ("prompt shield*", &[Ctl(c::LLM_GUARDRAILS)]),
    ("prompt injection detection", &[Ctl(c::LLM_GUARDRAILS)]),
    ("jailbreak detection", &[Ctl(c::LLM_GUARDRAILS)]),
    ("requir* authentication", &[Ctl(c::AUTHENTICATION)]),
    ("authenticated users", &[Ctl(c::AUTHENTICATION)]),
    ("authenticated requests", &[Ctl(c::AUTHENTICATION)]),
    ("authenticated callers", &[Ctl(c::AUTHENTICATION)]),
    ("behind login", &[Ctl(c::AUTHENTICATION)]),
    ("behind sso", &[Ctl(c::AUTHENTICATION)]),
    ("behind the sso", &[Ctl(c::AUTHENTICATION)]),
    ("csrf token*", &[Ctl(c::CSRF_PROTECTION)]),
    ("csrf protection", &[Ctl(c::CSRF_PROTECTION)]),
    ("anti csrf", &[Ctl(c::CSRF_PROTECTION)]),
    ("samesite", &[Ctl(c::CSRF_PROTECTION)]),
    ("security headers", &[Ctl(c::SECURITY_HEADERS)]),
    ("content security policy", &[Ctl(c::SECURITY_HEADERS)]),
    ("csp", &[Ctl(c::SECURITY_HEADERS)]),
    ("hsts", &[Ctl(c::SECURITY_HEADERS)]),
    ("ssrf protection", &[Ctl(c::SSRF_PROTECTION)]),
    ("egress proxy", &[Ctl(c::SSRF_PROTECTION)]),
    ("block* private ip*", &[Ctl(c::SSRF_PROTECTION)]),
    ("block* internal ip*", &[Ctl(c::SSRF_PROTECTION)]),
    ("block* private address*", &[Ctl(c::SSRF_PROTECTION)]),
    ("domain allowlist*", &[Ctl(c::SSRF_PROTECTION)]),
    ("url allowlist*", &[Ctl(c::SSRF_PROTECTION)]),
    ("defusedxml", &[Ctl(c::SAFE_XML_PARSER)]),
    ("disabl* external entities", &[Ctl(c::SAFE_XML_PARSER)]),
    ("external entities disabled", &[Ctl(c::SAFE_XML_PARSER)]),
    ("disabl* dtd*", &[Ctl(c::SAFE_XML_PARSER)]),
    ("safe xml pars*", &[Ctl(c::SAFE_XML_PARSER)]),
    ("xxe protection", &[Ctl(c::SAFE_XML_PARSER)]),
    ("html sanitiz*", &[Ctl(c::HTML_SANITIZATION)]),
    ("sanitiz* html", &[Ctl(c::HTML_SANITIZATION)]),
    ("sanitiz* the html", &[Ctl(c::HTML_SANITIZATION)]),
    ("dompurify", &[Ctl(c::HTML_SANITIZATION)]),
    ("output encoding", &[Ctl(c::HTML_SANITIZATION)]),
    ("captcha", &[Ctl(c::CAPTCHA)]),
    ("recaptcha", &[Ctl(c::CAPTCHA)]),
    ("hcaptcha", &[Ctl(c::CAPTCHA)]),
    ("turnstile", &[Ctl(c::CAPTCHA)]),
    ("secrets manager", &[Ctl(c::SECRETS_MANAGER)]),
    ("secret manager", &[Ctl(c::SECRETS_MANAGER)]),
    ("vault", &[Ctl(c::SECRETS_MANAGER)]),
    ("key vault", &[Ctl(c::SECRETS_MANAGER)]),
    ("safetensors", &[Ctl(c::SAFE_MODEL_FORMAT)]),
    ("tokeniz*", &[Ctl(TOKENIZATION)]),
    ("tokenis*", &[Ctl(TOKENIZATION)]),
    ("signature verification", &[Ctl(WEBHOOK_SIGNATURE)]),
    ("verif* the signature*", &[Ctl(WEBHOOK_SIGNATURE)]),
    ("verif* signature*", &[Ctl(WEBHOOK_SIGNATURE)]),
    ("signed webhook*", &[Ctl(WEBHOOK_SIGNATURE)]),
    ("hmac", &[Ctl(WEBHOOK_SIGNATURE)]),
    ("parameteri*ed quer*", &[Ctl(PARAMETERIZED_QUERIES)]),
    ("prepared statement*", &[Ctl(PARAMETERIZED_QUERIES)]),
    ("bound parameter*", &[Ctl(PARAMETERIZED_QUERIES)]),
    ("query builder", &[Ctl(PARAMETERIZED_QUERIES)]),
    ("up to # mb", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("up to # kb", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("up to # gb", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("max* # mb", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("# mb limit", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("size limit*", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("file size limit*", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("body size limit*", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("request size limit*", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("maximum file size", &[Ctl(REQUEST_SIZE_LIMIT)]),
    ("without a shell", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("argument list*", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("argument array*", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("sandboxed worker*", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("imagemagick policy", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("policy xml", &[Ctl(SAFE_COMMAND_EXECUTION)]),
    ("safe deserialization", &[Ctl(SAFE_DESERIALIZATION)]),
    ("safe load*", &[Ctl(SAFE_DESERIALIZATION)]),
    ("sandboxed template*", &[Ctl(SANDBOXED_TEMPLATES)]),
    ("template sandbox*", &[Ctl(SANDBOXED_TEMPLATES)]),
    ("logic less template*", &[Ctl(SANDBOXED_TEMPLATES)]),
    ("token validation", &[Ctl(TOKEN_VALIDATION)]),
    ("validat* the jwt*", &[Ctl(TOKEN_VALIDATION)]),
    ("verif* the jwt*", &[Ctl(TOKEN_VALIDATION)]),
    ("validat* tokens", &[Ctl(TOKEN_VALIDATION)]),
    ("tls", &[Ctl(TRANSPORT_ENCRYPTION)]),
    ("mtls", &[Ctl(TRANSPORT_ENCRYPTION)]),
    ("https only", &[Ctl(TRANSPORT_ENCRYPTION)]),
    ("encrypted in transit", &[Ctl(TRANSPORT_ENCRYPTION)]),
    ("encryption in transit", &[Ctl(TRANSPORT_ENCRYPTION)]),
    ("data processing agreement*", &[Ctl(DATA_PROCESSING_AGREEMENT)]),
    ("dpa", &[Ctl(DATA_PROCESSING_AGREEMENT)]),
    ("processor agreement*", &[Ctl(DATA_PROCESSING_AGREEMENT)]),
    ("zero data retention", &[Ctl(LLM_DATA_PROCESSING_AGREEMENT)]),
    ("output validation", &[Ctl(LLM_OUTPUT_VALIDATION)]),
    ("output is checked", &[Ctl(LLM_OUTPUT_VALIDATION)]),
    ("check* the output", &[Ctl(LLM_OUTPUT_VALIDATION)]),
    ("validat* the output", &[Ctl(LLM_OUTPUT_VALIDATION)]),
    ("validat* model output*", &[Ctl(LLM_OUTPUT_VALIDATION)]),
    ("max tokens", &[Ctl(LLM_USAGE_QUOTA)]),
    ("token budget*", &[Ctl(LLM_USAGE_QUOTA)]),
    ("token limit*", &[Ctl(LLM_USAGE_QUOTA)]),
    ("usage quota*", &[Ctl(LLM_USAGE_QUOTA)]),
    ("spend limit*", &[Ctl(LLM_USAGE_QUOTA)]),
    ("tool allowlist*", &[Ctl(TOOL_ALLOWLIST)]),
    ("allowlist* of tools", &[Ctl(TOOL_ALLOWLIST)]),
    ("allow list of tools", &[Ctl(TOOL_ALLOWLIST)]),
    ("allowlisted tools", &[Ctl(TOOL_ALLOWLIST)]),
    ("fixed set of tools", &[Ctl(TOOL_ALLOWLIST)]),
    ("per tenant index*", &[Ctl(VECTOR_STORE_ACCESS_CONTROL)]),
    ("document level permission*", &[Ctl(VECTOR_STORE_ACCESS_CONTROL)]),
    ("metadata filter*", &[Ctl(VECTOR_STORE_ACCESS_CONTROL)]),
    ("row level security", &[Ctl(VECTOR_STORE_ACCESS_CONTROL)]),
    ("review* before index*", &[Ctl(RAG_INGESTION_REVIEW)]),
    ("ingestion review*", &[Ctl(RAG_INGESTION_REVIEW)]),
    ("network polic*", &[Ctl(NETWORK_POLICY)]),
    ("private subnet*", &[Ctl(NETWORK_POLICY)]),
    ("per service credential*", &[Ctl(PER_SERVICE_CREDENTIALS)]),
    ("own database user*", &[Ctl(PER_SERVICE_CREDENTIALS)]),
    ("separate database user*", &[Ctl(PER_SERVICE_CREDENTIALS)]),
    ("dedicated database user*", &[Ctl(PER_SERVICE_CREDENTIALS)]),
    ("gateway authentication", &[Ctl(GATEWAY_AUTHENTICATION)]),
    ("authenticated at the gateway", &[Ctl(GATEWAY_AUTHENTICATION)]),
    ("authoriz* at the gateway", &[Ctl(GATEWAY_AUTHENTICATION)]),
    ("logged in user*", &[Ctl(c::AUTHENTICATION)]),
    ("logged in customer*", &[Ctl(c::AUTHENTICATION)]),
];

/// What kind of store a datastore is, which decides the capability a process using it gains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreClass {
    Sql,
    Nosql,
    Cache,
    Search,
    Vector,
    Object,
    Queue,
    Graph,
}

impl StoreClass {
    pub fn capability(self) -> Option<CapabilityKind> {
        match self {
            Self::Sql => Some(QueriesSql),
            Self::Nosql => Some(QueriesNosql),
            Self::Search => Some(QueriesSearch),
            Self::Vector => Some(UsesVectorStore),
            Self::Cache | Self::Object | Self::Queue | Self::Graph => None,
        }
    }

    /// How a process's flow to the store reads.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Object => "stores objects in",
            Self::Queue => "publishes to",
            Self::Cache => "caches in",
            _ => "queries",
        }
    }

    fn of_category(category: &str) -> Option<Self> {
        match category {
            "sql-database" => Some(Self::Sql),
            "nosql-database" => Some(Self::Nosql),
            "cache" => Some(Self::Cache),
            "search" => Some(Self::Search),
            "vector-database" => Some(Self::Vector),
            "object-storage" => Some(Self::Object),
            "queue" | "streaming" => Some(Self::Queue),
            "graph-database" => Some(Self::Graph),
            _ => None,
        }
    }
}

/// Datastores by the names designs use for them: (catalog id or own id, display name, class, phrases).
/// The catalog's own names are added to these; its datastore entries not listed here come with their name.
const STORES: &[(&str, &str, StoreClass, &[&str])] = &[
    (
        "postgresql",
        "PostgreSQL",
        StoreClass::Sql,
        &[
            "postgres",
            "postgresql",
            "aurora postgres*",
            "rds postgres*",
            "pgvector",
        ],
    ),
    ("mysql", "MySQL", StoreClass::Sql, &["mysql", "aurora mysql"]),
    ("mariadb", "MariaDB", StoreClass::Sql, &["mariadb"]),
    (
        "sqlserver",
        "Microsoft SQL Server",
        StoreClass::Sql,
        &["sql server", "mssql", "azure sql"],
    ),
    ("sqlite", "SQLite", StoreClass::Sql, &["sqlite"]),
    (
        "mongodb",
        "MongoDB",
        StoreClass::Nosql,
        &["mongodb", "mongo", "documentdb"],
    ),
    (
        "dynamodb",
        "Amazon DynamoDB",
        StoreClass::Nosql,
        &["dynamodb", "dynamo db", "dynamo table*"],
    ),
    (
        "cosmosdb",
        "Azure Cosmos DB",
        StoreClass::Nosql,
        &["cosmos db", "cosmosdb"],
    ),
    (
        "redis",
        "Redis",
        StoreClass::Cache,
        &["redis", "elasticache", "valkey"],
    ),
    (
        "elasticsearch",
        "Elasticsearch",
        StoreClass::Search,
        &["elasticsearch", "elastic search"],
    ),
    ("opensearch", "OpenSearch", StoreClass::Search, &["opensearch"]),
    (
        "aws-s3",
        "Amazon S3",
        StoreClass::Object,
        &["s3", "s3 bucket*", "amazon s3", "aws s3"],
    ),
    (
        "gcs",
        "Google Cloud Storage",
        StoreClass::Object,
        &["gcs", "gcs bucket*", "google cloud storage"],
    ),
    (
        "azure-blob-storage",
        "Azure Blob Storage",
        StoreClass::Object,
        &["azure blob storage", "blob storage", "azure blob*"],
    ),
    (
        GENERIC_VECTOR_STORE,
        "Vector store",
        StoreClass::Vector,
        &["vector store*", "vector database*", "vector db*", "vector index*"],
    ),
    ("kafka", "Apache Kafka", StoreClass::Queue, &["kafka"]),
    ("aws-sqs", "Amazon SQS", StoreClass::Queue, &["sqs", "sqs queue*"]),
    ("rabbitmq", "RabbitMQ", StoreClass::Queue, &["rabbitmq"]),
];

/// The store a design means when it says "a vector store" without naming the product.
pub const GENERIC_VECTOR_STORE: &str = "vector-store";

/// Catalog entries that are not a party a design talks to by name: libraries that run in-process (their
/// names collide with words: `zap`, `jose`) and ORMs.
const NOT_INTEGRATIONS: &[&str] = &["auth-library", "logging", "cloud", "feature-flags"];
const NOT_STORES: &[&str] = &["prisma"];

/// Extra names designs use for catalog entries, by catalog id.
const ALIASES: &[(&str, &[&str])] = &[
    ("huggingface", &["Hugging Face", "HuggingFace"]),
    ("google-gemini", &["Gemini"]),
    ("aws-bedrock", &["Bedrock"]),
    ("amazon-ses", &["SES"]),
    ("microsoft-entra-msal", &["Entra ID", "Azure AD"]),
    ("azure-openai", &["Azure OpenAI"]),
];

/// Catalog names that are also ordinary words: matched only as the catalog writes them.
#[rustfmt::skip]
const CASE_SENSITIVE: &[&str] = &[
    "Ably", "Amplitude", "Bird", "Box", "Braze", "Chroma", "Clerk", "Cohere", "Discord", "Haystack", "Heap",
    "Honeycomb", "Intercom", "Iterable", "Mux", "Notion", "Ory", "Paddle", "Perplexity", "Plaid", "Pusher",
    "Replicate", "Resend", "SES", "Segment", "Sentry", "Sift", "Slack", "Split", "Square", "Telegram",
    "Unleash", "Zoom",
];

/// A catalog entry, as the design lexicon needs it (the caller reads the catalog).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub id: String,
    pub name: String,
    /// `integration`, `ai-usage`, `datastore`, `identity` or `telemetry`.
    pub kind: String,
    pub category: String,
    /// Data classes the service typically receives.
    pub receives: Vec<DataClass>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreDef {
    pub id: String,
    pub name: String,
    pub class: StoreClass,
}

/// The tables a line is matched against, each on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    Capabilities,
    Data,
    Exposure,
    Controls,
    Stores,
    Integrations,
}

const TABLES: [Table; 6] = [
    Table::Capabilities,
    Table::Data,
    Table::Exposure,
    Table::Controls,
    Table::Stores,
    Table::Integrations,
];

#[derive(Debug)]
struct Pattern {
    /// Lowercase words (or, case-sensitive, as written); `true` when the word is a prefix (`upload*`).
    words: Vec<(String, bool)>,
    case_sensitive: bool,
    terms: Vec<Term>,
}

/// Patterns of one table, indexed by their first word (exact) or its first three letters (prefix).
#[derive(Debug, Default)]
struct Index {
    patterns: Vec<Pattern>,
    exact: HashMap<String, Vec<usize>>,
    prefix: HashMap<String, Vec<usize>>,
}

impl Index {
    fn add(&mut self, phrase: &str, terms: Vec<Term>, case_sensitive: bool) {
        // `#` stands for a number ("up to # mb"); the rest splits like the text it is matched against.
        let words: Vec<(String, bool)> = phrase
            .split_whitespace()
            .flat_map(|part| {
                if part == NUMBER {
                    vec![NUMBER]
                } else {
                    tokens(part).into_iter().map(|t| t.text).collect()
                }
            })
            .map(|word| {
                let (word, prefix) = match word.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (word, false),
                };
                let word = if case_sensitive {
                    word.to_owned()
                } else {
                    word.to_lowercase()
                };
                (word, prefix)
            })
            .filter(|(w, _)| !w.is_empty())
            .collect();
        let Some((first, prefix)) = words.first().cloned() else {
            return;
        };
        let index = self.patterns.len();
        let key = first.to_lowercase();
        if prefix {
            let stem: String = key.chars().take(3).collect();
            self.prefix.entry(stem).or_default().push(index);
        } else {
            self.exact.entry(key).or_default().push(index);
        }
        self.patterns.push(Pattern {
            words,
            case_sensitive,
            terms,
        });
    }

    fn candidates(&self, word: &str) -> impl Iterator<Item = &Pattern> {
        let stem: String = word.chars().take(3).collect();
        let number = is_number(word).then(|| self.exact.get(NUMBER)).flatten();
        self.exact
            .get(word)
            .into_iter()
            .flatten()
            .chain(number.into_iter().flatten())
            .chain(self.prefix.get(&stem).into_iter().flatten())
            .map(|i| &self.patterns[*i])
    }
}

/// A word of a line, with its byte span in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub lower: String,
    pub start: usize,
    pub end: usize,
}

/// Words: runs of letters and digits (a `*` right after a word stays with it, for patterns).
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, ch) in text.char_indices() {
        let word_char = ch.is_alphanumeric() || (ch == '*' && start.is_some());
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(token(text, s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(token(text, s, text.len()));
    }
    out
}

fn token(text: &str, start: usize, end: usize) -> Token<'_> {
    let word = &text[start..end];
    Token {
        text: word,
        lower: word.to_lowercase(),
        start,
        end,
    }
}

/// One phrase found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub table: Table,
    pub terms: Vec<Term>,
    /// The words as written in the line.
    pub phrase: String,
    /// Token range in the line.
    pub first: usize,
    pub last: usize,
    pub negated: bool,
}

/// The lexicon with the catalog's integrations and datastores folded in.
#[derive(Debug)]
pub struct Lexicon {
    pub stores: Vec<StoreDef>,
    pub integrations: Vec<CatalogEntry>,
    tables: Vec<(Table, Index)>,
}

impl Lexicon {
    pub fn new(catalog: &[CatalogEntry]) -> Self {
        let mut tables: Vec<(Table, Index)> = TABLES.iter().map(|t| (*t, Index::default())).collect();
        let mut add = |table: Table, phrase: &str, terms: Vec<Term>, case_sensitive: bool| {
            if let Some((_, index)) = tables.iter_mut().find(|(t, _)| *t == table) {
                index.add(phrase, terms, case_sensitive);
            }
        };
        for (table, entries) in [
            (Table::Capabilities, CAPABILITIES),
            (Table::Data, DATA),
            (Table::Exposure, EXPOSURE),
            (Table::Controls, CONTROLS_TABLE),
        ] {
            for (phrase, terms) in entries {
                add(table, phrase, terms.to_vec(), false);
            }
        }

        let mut stores: Vec<StoreDef> = Vec::new();
        for (id, name, class, phrases) in STORES {
            let index = stores.len();
            stores.push(StoreDef {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                class: *class,
            });
            for phrase in *phrases {
                add(Table::Stores, phrase, vec![Term::Store(index)], false);
            }
        }
        let mut integrations: Vec<CatalogEntry> = Vec::new();
        for entry in catalog {
            let names = names(entry);
            let store_class = StoreClass::of_category(&entry.category)
                .filter(|_| entry.kind == "datastore" || entry.category == "object-storage");
            if let Some(class) = store_class {
                if NOT_STORES.contains(&entry.id.as_str()) {
                    continue;
                }
                let index = match stores.iter().position(|s| s.id == entry.id) {
                    Some(index) => index,
                    None => {
                        stores.push(StoreDef {
                            id: entry.id.clone(),
                            name: names.first().cloned().unwrap_or_else(|| entry.name.clone()),
                            class,
                        });
                        stores.len() - 1
                    }
                };
                for name in &names {
                    add(
                        Table::Stores,
                        name,
                        vec![Term::Store(index)],
                        is_case_sensitive(name),
                    );
                }
                continue;
            }
            if NOT_INTEGRATIONS.contains(&entry.category.as_str()) {
                continue;
            }
            let index = integrations.len();
            integrations.push(entry.clone());
            for name in &names {
                add(
                    Table::Integrations,
                    name,
                    vec![Term::Integration(index)],
                    is_case_sensitive(name),
                );
            }
        }
        Self {
            stores,
            integrations,
            tables,
        }
    }

    /// The phrases of every table found on `text`: in each table, at each word the longest phrase that
    /// starts there, left to right without overlaps; `Ignore` phrases are dropped after taking their words.
    pub fn matches(&self, text: &str) -> Vec<Match> {
        let words = tokens(text);
        let mut found = Vec::new();
        for (table, index) in &self.tables {
            let mut at = 0;
            while at < words.len() {
                let best = index
                    .candidates(&words[at].lower)
                    .filter_map(|p| matches_at(p, &words, at).map(|len| (len, p)))
                    .max_by_key(|(len, _)| *len);
                match best {
                    Some((len, pattern)) => {
                        let last = at + len - 1;
                        if !pattern.terms.contains(&Term::Ignore) {
                            found.push(Match {
                                table: *table,
                                terms: pattern.terms.clone(),
                                phrase: text[words[at].start..words[last].end].to_owned(),
                                first: at,
                                last,
                                negated: negated(text, &words, at, last),
                            });
                        }
                        at += len;
                    }
                    None => at += 1,
                }
            }
        }
        found
    }
}

fn is_case_sensitive(name: &str) -> bool {
    CASE_SENSITIVE.contains(&name)
}

/// The names a catalog entry goes by: its name without the parenthesised detail, each of "A / B", the
/// detail itself when it is another name ("Anthropic (Claude)"), and the aliases above.
fn names(entry: &CatalogEntry) -> Vec<String> {
    let (base, detail) = match entry.name.split_once(" (") {
        Some((base, rest)) => (base, Some(rest.trim_end_matches(')'))),
        None => (entry.name.as_str(), None),
    };
    let mut names: Vec<String> = base
        .split(" / ")
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.contains(" and "))
        .collect();
    if let Some(detail) = detail
        && !detail.contains([',', '/'])
        && detail.chars().next().is_some_and(char::is_uppercase)
    {
        names.push(detail.to_owned());
    }
    if let Some((_, aliases)) = ALIASES.iter().find(|(id, _)| *id == entry.id) {
        names.extend(aliases.iter().map(|a| (*a).to_owned()));
    }
    names.retain(|n| n.chars().filter(|c| c.is_alphanumeric()).count() >= 3);
    names.dedup();
    names
}

/// The pattern word that matches any number.
const NUMBER: &str = "#";

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())
}

/// How many words pattern `p` covers from word `at`, if it matches there.
fn matches_at(p: &Pattern, words: &[Token<'_>], at: usize) -> Option<usize> {
    if at + p.words.len() > words.len() {
        return None;
    }
    for (offset, (wanted, prefix)) in p.words.iter().enumerate() {
        let word = &words[at + offset];
        let have: &str = if p.case_sensitive { word.text } else { &word.lower };
        let ok = if wanted == NUMBER {
            is_number(have)
        } else if *prefix {
            have.starts_with(wanted.as_str())
        } else {
            have == wanted
        };
        if !ok {
            return None;
        }
    }
    Some(p.words.len())
}

const NEGATORS: &[&str] = &["no", "not", "without", "never", "nor", "lacks", "lacking", "t"];
/// Words allowed between a negator and the phrase it negates ("without any rate limiting").
#[rustfmt::skip]
const FILLERS: &[&str] = &[
    "any", "a", "an", "the", "additional", "extra", "explicit", "further", "per", "some", "dedicated",
    "yet", "user", "built", "in", "real", "need", "for", "to", "add", "use", "do", "does", "will", "be",
    "have", "has", "require", "requires", "store", "stores", "accept", "accepts", "handle", "handles",
    "put", "provide", "include", "enable", "support", "offer", "implement", "build", "ship", "deploy",
];
/// Words after a phrase that take it back ("PII is never stored", "rate limiting is deferred").
#[rustfmt::skip]
const AFTER_SKIP: &[&str] = &[
    "is", "are", "was", "were", "will", "would", "should", "be", "currently", "still",
];
#[rustfmt::skip]
const AFTER_NEGATORS: &[&str] = &[
    "not", "never", "t", "deferred", "postponed", "tbd", "none", "isn", "aren", "won", "wasn",
];

/// Negation does not cross punctuation: in "kept in Secrets Manager, never in the repository" the
/// "never" belongs to the repository.
fn negated(text: &str, words: &[Token<'_>], first: usize, last: usize) -> bool {
    let joined = |a: &Token<'_>, b: &Token<'_>| {
        !text[a.end..b.start].contains([',', ';', ':', '.', '(', ')', '!', '?'])
    };
    // Before: a negator, then at most two filler words.
    let mut gap = 0;
    let mut at = first;
    while at > 0 && gap <= 2 && joined(&words[at - 1], &words[at]) {
        let word = words[at - 1].lower.as_str();
        if NEGATORS.contains(&word) {
            return true;
        }
        if !FILLERS.contains(&word) {
            break;
        }
        gap += 1;
        at -= 1;
    }
    // After: at most two auxiliaries, then a negator.
    let mut at = last + 1;
    let mut skipped = 0;
    while at < words.len() && joined(&words[at - 1], &words[at]) {
        let word = words[at].lower.as_str();
        if AFTER_NEGATORS.contains(&word) {
            return true;
        }
        if !AFTER_SKIP.contains(&word) || skipped == 2 {
            return false;
        }
        skipped += 1;
        at += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let entry = |id: &str, name: &str, kind: &str, category: &str| CatalogEntry {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            category: category.into(),
            receives: vec![DataClass::Pii],
        };
        Lexicon::new(&[
            entry("stripe", "Stripe", "integration", "payments"),
            entry("anthropic", "Anthropic (Claude)", "ai-usage", "llm"),
            entry("square", "Square", "integration", "payments"),
            entry(
                "twilio",
                "Twilio (SMS, voice, WhatsApp, Verify)",
                "integration",
                "sms",
            ),
            entry("pinecone", "Pinecone", "datastore", "vector-database"),
            entry("zap", "zap", "telemetry", "logging"),
        ])
    }

    fn found(text: &str) -> Vec<(String, Vec<Term>, bool)> {
        lexicon()
            .matches(text)
            .into_iter()
            .map(|m| (m.phrase, m.terms, m.negated))
            .collect()
    }

    #[test]
    fn whole_words_case_insensitive_with_prefixes() {
        let hits = found("Customers Upload PDFs; the uploader-stats page");
        assert!(hits.contains(&("Upload".into(), vec![Cap(AcceptsUploads)], false)));
        assert!(hits.contains(&("PDFs".into(), vec![Cap(AcceptsUploads)], false)));
        assert!(hits.contains(&("Customers".into(), vec![Exposure], false)));
        // `upload*` also matches `uploader`: prefixes are meant to catch endings, and this one is an upload.
        assert!(hits.iter().any(|(p, _, _)| p == "uploader"));
        assert!(
            found("we downloaded the file")
                .iter()
                .all(|(p, _, _)| p != "downloaded")
        );
    }

    #[test]
    fn longest_phrase_wins_and_ignore_takes_words_out() {
        let hits = found("Build the container image and store webhook callback URLs");
        assert!(!hits.iter().any(|(_, t, _)| t == &vec![Cap(AcceptsUploads)]));
        assert!(hits.contains(&("webhook callback URLs".into(), vec![Cap(FetchesUrls)], false)));
        assert!(!hits.iter().any(|(_, t, _)| t == &vec![Exposure]));
    }

    #[test]
    fn negation_before_and_after() {
        let hits =
            found("Launch without rate limiting; no MFA for now; audit logs are not kept; WAF in front");
        let control = |name: &'static str| hits.iter().find(|(_, t, _)| t == &vec![Ctl(name)]).map(|h| h.2);
        assert_eq!(control(c::RATE_LIMITING), Some(true));
        assert_eq!(control(c::MFA), Some(true));
        assert_eq!(control(c::AUDIT_LOGGING), Some(true));
        assert_eq!(control(c::WAF), Some(false));
        let hits = found("We will not add any rate limiting");
        assert!(hits.iter().all(|h| h.2));
        let hits = found("The key is kept in Secrets Manager, never in the repository");
        assert!(hits.iter().any(|h| h.0 == "Secrets Manager" && !h.2));
        assert!(
            found("Files up to 25 MB")
                .iter()
                .any(|h| h.1 == vec![Ctl(REQUEST_SIZE_LIMIT)])
        );
        let hits = found("Rate limiting per API key, no exceptions");
        assert_eq!(
            hits.iter()
                .find(|h| h.1 == vec![Ctl(c::RATE_LIMITING)])
                .map(|h| h.2),
            Some(false)
        );
    }

    #[test]
    fn catalog_names_stores_and_ambiguous_words() {
        let lexicon = lexicon();
        let terms =
            |text: &str| -> Vec<Term> { lexicon.matches(text).into_iter().flat_map(|m| m.terms).collect() };
        let stripe = lexicon
            .integrations
            .iter()
            .position(|e| e.id == "stripe")
            .unwrap();
        assert!(terms("Charge cards with Stripe").contains(&Term::Integration(stripe)));
        let anthropic = lexicon
            .integrations
            .iter()
            .position(|e| e.id == "anthropic")
            .unwrap();
        assert!(terms("answers come from Claude").contains(&Term::Integration(anthropic)));
        let square = lexicon
            .integrations
            .iter()
            .position(|e| e.id == "square")
            .unwrap();
        assert!(terms("pay with Square").contains(&Term::Integration(square)));
        assert!(!terms("a square thumbnail").contains(&Term::Integration(square)));
        assert!(lexicon.integrations.iter().all(|e| e.id != "zap"));
        let pinecone = lexicon.stores.iter().position(|s| s.id == "pinecone").unwrap();
        assert!(terms("embeddings in Pinecone").contains(&Term::Store(pinecone)));
        let postgres = lexicon.stores.iter().position(|s| s.id == "postgresql").unwrap();
        assert!(terms("orders live in Postgres").contains(&Term::Store(postgres)));
    }
}

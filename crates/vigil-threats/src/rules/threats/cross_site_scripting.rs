//! `cross-site-scripting`: a component that renders HTML pages on Internet input with neither a sanitizer nor
//! a content security policy.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::{HTML_SANITIZATION, SECURITY_HEADERS};

use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::RendersTemplates,
    threat: "Cross-site scripting",
    doing: "renders HTML from templates",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "cross-site-scripting",
    title: "Cross-site scripting in server-rendered pages",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::Tampering],
    cwe: &["CWE-79"],
    capec: &["CAPEC-63", "CAPEC-591", "CAPEC-592"],
    attack: &["T1189", "T1539"],
    likelihood: 5,
    impact: 6,
    what: "A component with the `renders-templates` capability that input from the Internet reaches (so its \
           pages are served to browsers and show request or stored user data), with neither \
           `html-sanitization` (DOMPurify, sanitize-html, bleach, nh3, bluemonday) nor `security-headers` \
           (helmet, flask-talisman: a content security policy) among its controls. Impact grows with the \
           personal or regulated data its users see.",
    why: "A value written into a page without the right escaping (a `|safe` filter, `<%- %>`, `{{{ }}}`, \
          `th:utext`, an attribute or script context the engine does not escape, Go text/template) runs as the \
          victim's script: it reads the page's data, acts with the victim's session, or rewrites a payment form. \
          Stored XSS hits every user who views the page.",
    example: "// svc/server.js\nconst express = require(\"express\");\nconst ejs = require(\"ejs\");\n\
              app.get(\"/search\", (req, res) => res.send(ejs.render(\"<p>Results for <%- q %></p>\", { q: req.query.q })));",
    remediation: "Keep the engine's auto-escaping on everywhere, sanitize any HTML users may author, and send a content security policy.",
    fix: &[
        "Check that auto-escaping is enabled (Jinja2 `autoescape=True`, Go html/template instead of text/template) and remove unescaped outputs of user data (`|safe`, `Markup()`, `<%- %>`, `{{{ }}}`, `th:utext`, `dangerouslySetInnerHTML`).",
        "Escape for the context: attribute values quoted, URLs checked for `javascript:`, data for inline scripts JSON-encoded into a `type=application/json` block.",
        "Sanitize rich text users author with a maintained sanitizer (DOMPurify, sanitize-html, bleach/nh3, bluemonday).",
        "Send a `Content-Security-Policy` without `unsafe-inline` (helmet, flask-talisman) and mark session cookies `HttpOnly`.",
    ],
    verify: &[
        "Sending `\"><svg onload=alert(1)>` and `javascript:alert(1)` in each field shown back (search, profile, comments) renders them as text.",
        "The response headers include a `Content-Security-Policy` without `unsafe-inline` for scripts.",
    ],
    mitigated_by: &[HTML_SANITIZATION, SECURITY_HEADERS],
    false_positives: "Template engines escape HTML by default: a service that never disables escaping and \
                      renders no user-authored HTML is not vulnerable: record `html-sanitization` after a review \
                      of its unescaped outputs. Templates used only for e-mails or plain text do not run in the \
                      service's origin.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/79.html",
        "https://capec.mitre.org/data/definitions/63.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.3"),
        (Objective::OwaspAsvs, "V14.4.3"),
        (Objective::PciDss4, "6.2.4"),
    ],
};

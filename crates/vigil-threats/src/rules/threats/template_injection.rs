//! `template-injection`: a component that renders server-side templates and receives Internet input.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::SANDBOXED_TEMPLATES;
use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::RendersTemplates,
    threat: "Server-side template injection",
    doing: "renders server-side templates",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "template-injection",
    title: "Server-side template injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-1336", "CWE-94"],
    capec: &["CAPEC-242"],
    attack: &["T1190", "T1059"],
    likelihood: 3,
    impact: 9,
    what: "A component with the `renders-templates` capability (Jinja2, Mako, EJS, Pug, Handlebars, Nunjucks, \
           FreeMarker, Velocity, Thymeleaf, ERB, Twig, Go text/template) that input from the Internet reaches, \
           directly or through a process that forwards it. Likelihood is low: the threat needs request data in \
           the template source, not only in its variables.",
    why: "Template languages are programming languages: when request data becomes part of a template \
          (`render_template_string(\"Hello \" + name)`, an e-mail template users can edit, a template name taken \
          from a parameter), `{{ ''.__class__.__mro__[1].__subclasses__() }}` or `#set($x=...)` reaches the \
          runtime and runs code on the server.",
    example: "# svc/app.py\nfrom flask import Flask, request, render_template_string\n\
              @app.get(\"/hello\")\ndef hello():\n    return render_template_string(\"Hello \" + request.args[\"name\"])",
    remediation: "Never build template source from request data; pass values as template variables, and sandbox templates users may edit.",
    fix: &[
        "Search for `render_template_string`, `Template(`, `compile(`, `ejs.render(`, `Handlebars.compile(`, `new Template(` taking request values and pass those values as context variables of a fixed template instead.",
        "Take template names from an allow-list, never from a parameter.",
        "Where users must author templates (e-mail, CMS), render them with a sandboxed environment (`jinja2.sandbox.SandboxedEnvironment`, Handlebars without prototype access, logic-less Mustache) and without access to application objects.",
        "Record `sandboxed-templates` in vigil-model.yaml for the component once no template source comes from requests.",
    ],
    verify: &[
        "Sending `{{7*7}}`, `${7*7}`, `<%= 7*7 %>` and `#{7*7}` in each parameter never returns `49`.",
        "A code search finds no template compiled from a string that includes request data.",
    ],
    mitigated_by: &[SANDBOXED_TEMPLATES],
    false_positives: "Most services render fixed template files with request values as variables, which is \
                      safe from this threat (escaping is the cross-site-scripting rule's concern): record \
                      `sandboxed-templates` after checking no template source is built from request data.",
    references: &[
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/18-Testing_for_Server-side_Template_Injection",
        "https://cwe.mitre.org/data/definitions/1336.html",
        "https://capec.mitre.org/data/definitions/242.html",
    ],
    compliance: &[(Objective::OwaspAsvs, "V5.2.5"), (Objective::PciDss4, "6.2.4")],
};

//! `xxe`: a component that parses XML with a parser that may resolve external entities, on Internet input.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::SAFE_XML_PARSER;

use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::ParsesXml,
    threat: "XML external entity (XXE)",
    doing: "parses XML with an entity-resolving parser",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "xxe",
    title: "XML external entities resolved on Internet input",
    kind: FindingKind::Threat,
    stride: &[
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::Tampering,
    ],
    cwe: &["CWE-611", "CWE-776"],
    capec: &["CAPEC-201", "CAPEC-221"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 7,
    what: "A component with the `parses-xml` capability (lxml, xml.etree/dom/sax, libxmljs, xml2js, xmldom, \
           JAXP, dom4j, StAX, Nokogiri, REXML, System.Xml; Go's encoding/xml does not resolve entities and is \
           not counted) that input from the Internet reaches, with no `safe-xml-parser` control (defusedxml, or \
           recorded in vigil-model.yaml).",
    why: "A document with `<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>` makes a resolving parser \
          read local files, fetch internal URLs (SSRF to the cloud metadata service) or expand entities \
          exponentially (billion laughs) until the process runs out of memory. SOAP, SAML, SVG, XLSX/DOCX and \
          RSS inputs are all XML.",
    example: "# svc/app.py\nfrom flask import Flask, request\nfrom lxml import etree\n\
              @app.post(\"/import\")\ndef load():\n    return etree.fromstring(request.data).tag",
    remediation: "Disable DTDs and external entities in every parser that reads untrusted XML (or use defusedxml).",
    fix: &[
        "Python: parse with `defusedxml` (`defusedxml.ElementTree.fromstring`) or lxml with `etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)`.",
        "Java: `factory.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true)` on DocumentBuilderFactory/SAXParserFactory; `XMLInputFactory.SUPPORT_DTD=false` for StAX.",
        "JavaScript: libxmljs `noent: false` (the default) and never `dtdload`; Ruby Nokogiri without `NOENT`/`DTDLOAD`; .NET `DtdProcessing.Prohibit`.",
        "Where the input does not need to be XML, accept JSON instead.",
        "Once every parser is hardened, import defusedxml or record `safe-xml-parser` in vigil-model.yaml.",
    ],
    verify: &[
        "Posting `<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><r>&x;</r>` is rejected or returns the entity unexpanded.",
        "A billion-laughs document is rejected quickly without memory growth.",
    ],
    mitigated_by: &[SAFE_XML_PARSER],
    false_positives: "Parsers configured safely in code (lxml with `resolve_entities=False`, JAXP with \
                      `disallow-doctype-decl`) are not detected as controls: record `safe-xml-parser` for them. \
                      XML read only from files shipped with the service is not attacker input.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/611.html",
        "https://capec.mitre.org/data/definitions/221.html",
        "https://owasp.org/Top10/A05_2021-Security_Misconfiguration/",
    ],
    compliance: &[(Objective::OwaspAsvs, "V5.5.2"), (Objective::PciDss4, "6.2.4")],
};

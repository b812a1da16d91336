//! `ldap-injection`: a component that searches a directory on input from the Internet.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::PARAMETERIZED_QUERIES;
use super::support::{CapabilityThreat, reached_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::QueriesLdap,
    threat: "LDAP injection",
    doing: "builds LDAP queries",
    impact: reached_impact,
};

static META: RuleMeta = RuleMeta {
    id: "ldap-injection",
    title: "LDAP injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::InformationDisclosure],
    cwe: &["CWE-90"],
    capec: &["CAPEC-136"],
    attack: &["T1190"],
    likelihood: 4,
    impact: 7,
    what: "A component with the `queries-ldap` capability (ldapjs, ldap3, python-ldap, JNDI directory \
           contexts, go-ldap, net-ldap) that input from the Internet reaches, directly or through a process \
           that forwards it.",
    why: "Directory searches are filters built from text: a user name of `*)(uid=*))(|(uid=*` widens a bind \
          lookup to every account, bypasses the password check of an LDAP login, or lists the directory's \
          users, groups and attributes (e-mail, phone, manager, sometimes password hashes).",
    example: "# svc/app.py\nfrom flask import Flask, request\nimport ldap3\n\
              conn.search(\"dc=corp\", f\"(uid={request.form['user']})\")",
    remediation: "Escape every value placed in a filter or DN with the library's escaping function, and bind as a least-privileged account.",
    fix: &[
        "Escape filter values with the library's function (`ldap3.utils.conv.escape_filter_chars`, `ldap.filter.escape_filter_chars`, ldapjs `EqualityFilter` objects, Spring `LdapEncoder.filterEncode`) and DN components with the DN escaper.",
        "Validate user names against a strict pattern (letters, digits, `.-_`) before they reach the directory.",
        "Authenticate users with a bind as the user, not by searching with the service account and comparing attributes.",
        "Give the service account read access to the attributes it needs only.",
        "Record `parameterized-queries` in vigil-model.yaml for the component once every filter value is escaped.",
    ],
    verify: &[
        "Logging in with the user name `*` or `*)(uid=*` fails, and a search for `*` returns nothing or one entry.",
        "A code search finds no filter string built with concatenation or f-strings from request data.",
    ],
    mitigated_by: &[PARAMETERIZED_QUERIES],
    false_positives: "Directory lookups with values the service computes (a group name from configuration, the \
                      authenticated user's own DN taken from a verified token) are not injectable; the capability \
                      comes from imports, so check which searches use request data.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/90.html",
        "https://capec.mitre.org/data/definitions/136.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.7"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC6.1"),
    ],
};

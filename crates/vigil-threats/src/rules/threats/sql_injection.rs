//! `sql-injection`: a component that queries a SQL database on input that comes from the Internet.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::PARAMETERIZED_QUERIES;
use super::support::{CapabilityThreat, reached_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::QueriesSql,
    threat: "SQL injection",
    doing: "builds SQL queries",
    impact: reached_impact,
};

static META: RuleMeta = RuleMeta {
    id: "sql-injection",
    title: "SQL injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[
        Stride::Tampering,
        Stride::InformationDisclosure,
        Stride::ElevationOfPrivilege,
    ],
    cwe: &["CWE-89"],
    capec: &["CAPEC-66", "CAPEC-7"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 7,
    what: "A component with the `queries-sql` capability (a SQL driver, query builder or ORM in its code, or \
           planned in a design document) that input from the Internet reaches: it faces the Internet itself or \
           a process that does sends it data (`graph::exposure`). Impact grows with the PII, PCI, PHI or \
           secrets the component handles or the datastores it queries hold.",
    why: "A query built by concatenating request data lets the attacker rewrite it: read every table \
          (`' UNION SELECT ...`), bypass a login (`' OR 1=1 --`), change or delete rows, and on some engines \
          read files or run commands. Automated scanners (sqlmap) find and exploit it within minutes.",
    example: "# svc/app.py\nfrom flask import Flask, request\nimport sqlite3\napp = Flask(__name__)\n\
              @app.get(\"/orders\")\ndef orders():\n    db = sqlite3.connect(\"shop.db\")\n    \
              return db.execute(\"SELECT * FROM orders WHERE email = '\" + request.args[\"email\"] + \"'\").fetchall()\n\
              # vigil.toml\n[[override]]\npath = \"svc/**\"\ninternet_facing = true",
    remediation: "Bind every request value as a query parameter (or through the ORM), never by string building.",
    fix: &[
        "Find the queries the component builds: grep for `execute(`, `query(`, `raw(`, `text(`, template strings and `+`/`%`/`format` next to SQL keywords.",
        "Replace each concatenated value by a bound parameter (`?`, `$1`, `:name`) or the ORM's filter API; identifiers (column, sort order) go through an allow-list, never a parameter.",
        "Run the database account with the least privileges the service needs (no DDL, no FILE/xp_cmdshell, no superuser).",
        "Add a SAST rule (Semgrep/CodeQL SQL injection queries) to CI so new concatenated queries fail the build.",
        "Record `parameterized-queries` in vigil-model.yaml for the component once every query binds its inputs.",
    ],
    verify: &[
        "A code search for SQL built with string concatenation or interpolation in the component returns nothing.",
        "`sqlmap -u '<url>?param=x' --batch` (or the scanner of your DAST pipeline) reports no injectable parameter.",
    ],
    mitigated_by: &[PARAMETERIZED_QUERIES],
    false_positives: "Components whose every query goes through an ORM's query API or bound parameters are not \
                      injectable: record `parameterized-queries` on them. The capability comes from imports, so a \
                      service that imports a driver only for migrations run by operators is reported too.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/89.html",
        "https://capec.mitre.org/data/definitions/66.html",
        "https://owasp.org/Top10/A03_2021-Injection/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.4"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC8.1"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

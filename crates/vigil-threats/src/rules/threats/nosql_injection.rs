//! `nosql-injection`: a component that queries a document or key-value store on input from the Internet.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::INPUT_VALIDATION;

use super::PARAMETERIZED_QUERIES;
use super::support::{CapabilityThreat, reached_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::QueriesNosql,
    threat: "NoSQL injection",
    doing: "queries a NoSQL store",
    impact: reached_impact,
};

static META: RuleMeta = RuleMeta {
    id: "nosql-injection",
    title: "NoSQL injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[Stride::Spoofing, Stride::Tampering, Stride::InformationDisclosure],
    cwe: &["CWE-943"],
    capec: &["CAPEC-676"],
    attack: &["T1190"],
    likelihood: 5,
    impact: 7,
    what: "A component with the `queries-nosql` capability (a MongoDB, DynamoDB, Cassandra or similar client or \
           ODM such as mongoose) that input from the Internet reaches, directly or through a process that \
           forwards it. Impact grows with the sensitive data the component handles or its datastores hold.",
    why: "Document stores take queries as objects: a JSON body that carries `{\"$ne\": null}` or `{\"$gt\": \"\"}` \
          where the code expects a string turns `find({user, password})` into \"any user\", and `$where` or \
          `$function` run JavaScript on the server. Login bypass and bulk data extraction follow.",
    example: "// svc/server.js\nconst express = require(\"express\");\nconst mongoose = require(\"mongoose\");\n\
              const app = express();\napp.use(express.json());\n\
              app.post(\"/login\", async (req, res) => res.json(await User.findOne({ email: req.body.email, password: req.body.password })));",
    remediation: "Validate request values to the expected scalar types before they reach a query, and never pass request objects as filters.",
    fix: &[
        "Validate every request body and query string against a schema (zod, joi, pydantic) that types each field as a string or number, so operator objects (`$ne`, `$gt`, `$regex`) are rejected.",
        "Build filters from those typed values only (`{ email: String(email) }`); strip keys starting with `$` or containing `.` from anything user-supplied (express-mongo-sanitize, mongo-sanitize).",
        "Disable server-side JavaScript (`security.javascriptEnabled: false` in MongoDB) and never use `$where`, `$function` or `mapReduce` with request data.",
        "Record `input-validation` (detected from the validation library) or `parameterized-queries` in vigil-model.yaml once filters take typed values only.",
    ],
    verify: &[
        "Sending `{\"email\": {\"$ne\": null}, \"password\": {\"$ne\": null}}` to the login or search route is rejected with 400, not answered with data.",
        "A code search finds no `req.body`/`request.json` object passed directly as a query filter or update document.",
    ],
    mitigated_by: &[INPUT_VALIDATION, PARAMETERIZED_QUERIES],
    false_positives: "Stores queried only with keys the service computes itself (a cache keyed by a hash, a \
                      queue) are not injectable; neither are services whose framework types every parameter \
                      (a GraphQL schema of scalars). A detected validation library mitigates the finding even \
                      when one route skips it: check the routes that query the store.",
    references: &[
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection",
        "https://cheatsheetseries.owasp.org/cheatsheets/Injection_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/943.html",
        "https://capec.mitre.org/data/definitions/676.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V5.3.4"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Gdpr, "Art. 32(1)(b)"),
    ],
};

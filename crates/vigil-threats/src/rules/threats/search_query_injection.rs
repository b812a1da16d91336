//! `search-query-injection`: a component that queries a search engine on input from the Internet.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::PARAMETERIZED_QUERIES;
use super::support::{CapabilityThreat, reached_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::QueriesSearch,
    threat: "Search query injection",
    doing: "queries a search engine",
    impact: reached_impact,
};

static META: RuleMeta = RuleMeta {
    id: "search-query-injection",
    title: "Search query injection through Internet input",
    kind: FindingKind::Threat,
    stride: &[
        Stride::InformationDisclosure,
        Stride::Tampering,
        Stride::DenialOfService,
    ],
    cwe: &["CWE-943", "CWE-74"],
    capec: &["CAPEC-248"],
    attack: &["T1190"],
    likelihood: 4,
    impact: 6,
    what: "A component with the `queries-search` capability (an Elasticsearch, OpenSearch or Solr client) that \
           input from the Internet reaches, directly or through a process that forwards it. Impact grows with \
           the sensitive data the component handles or the indices it queries hold.",
    why: "Search engines have their own query languages: text passed to a `query_string` query, a Lucene \
          expression or a Solr `q`/`fq` parameter lets the attacker address other fields and documents \
          (`tenant:* OR _id:*`), run scripts (`script` queries, Painless), or send wildcard and regex queries that \
          exhaust the cluster.",
    example: "# svc/app.py\nfrom elasticsearch import Elasticsearch\n\
              es.search(index=\"customers\", query={\"query_string\": {\"query\": request.args[\"q\"]}})",
    remediation: "Put user text only into `match`/`simple_query_string` clauses, and add tenant and permission filters the user cannot change.",
    fix: &[
        "Replace `query_string` (and Solr's standard parser on raw `q`) with `match`, `multi_match` or `simple_query_string`, which treat the input as text.",
        "Add the tenant or owner filter in a `bool.filter` clause the service computes from the session, never from the request.",
        "Disable inline scripts for the application's user (`script.allowed_types: none` or role without script privileges) and cap wildcard/regex use (`search.allow_expensive_queries: false`).",
        "Record `parameterized-queries` in vigil-model.yaml for the component once user text only reaches text clauses.",
    ],
    verify: &[
        "Searching for `*:*`, `_id:*` or `tenant:other` returns only the caller's own documents, and a `script` clause in the request is rejected.",
        "The Elasticsearch slow log shows no `query_string` queries carrying user input.",
    ],
    mitigated_by: &[PARAMETERIZED_QUERIES],
    false_positives: "Services that only index documents (writers with no search endpoint) or search with \
                      queries fully built from server-side values cannot be injected; public catalogue search over \
                      public data has little to disclose (the denial of service remains).",
    references: &[
        "https://www.elastic.co/guide/en/elasticsearch/reference/current/query-dsl-query-string-query.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Injection_Prevention_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/943.html",
    ],
    compliance: &[(Objective::OwaspAsvs, "V5.3.4"), (Objective::PciDss4, "6.2.4")],
};

//! Fixture ladder for `api/openapi`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::run_extractor;
use vigil_discover::extractors::openapi::OpenApi;

fn endpoints(path: &str, text: &str) -> Vec<String> {
    let out = run_extractor(&OpenApi, &[(path, text)]).unwrap();
    out.assets
        .iter()
        .map(|a| {
            format!(
                "{} handler={} auth={} guard={} line={}",
                a.name,
                a.attributes["handler"],
                a.attributes["authenticated"],
                a.attributes["guard"],
                a.evidence[0].line.unwrap()
            )
        })
        .collect()
}

#[test]
fn files_that_are_not_descriptions_yield_nothing() {
    assert!(endpoints("a.yaml", "").is_empty());
    assert!(endpoints("a.yaml", "openapi: 3.0.0\n").is_empty());
    assert!(endpoints("a.yaml", "name: swagger-ui\nversion: 1\n").is_empty());
    assert!(endpoints("a.json", r#"{"swagger": "2.0", "paths": null}"#).is_empty());
    // Unparseable and not named like a description: somebody else's file.
    assert!(endpoints("config.yaml", "openapi: [unclosed\n").is_empty());
}

#[test]
fn a_minimal_document() {
    let doc = "openapi: 3.1.0\npaths:\n  /ping:\n    get: {}\n";
    assert_eq!(
        endpoints("api.yaml", doc),
        vec!["GET /ping handler=null auth=null guard=null line=4"]
    );
}

#[test]
fn a_realistic_openapi_3_document() {
    let text = include_str!("fixtures/openapi/clinic-openapi.yaml");
    assert_eq!(
        endpoints("docs/clinic-openapi.yaml", text),
        vec![
            // `security: []` opts out of the document's bearer requirement.
            r#"GET /v2/health handler="health" auth=false guard=null line=13"#,
            // Inherits the document's requirement.
            r#"GET /v2/patients handler="listPatients" auth=true guard="bearerAuth" line=21"#,
            r#"POST /v2/patients handler="createPatient" auth=true guard="bearerAuth+apiKey" line=25"#,
            r#"GET /v2/patients/{id}/records handler="patientRecords" auth=true guard="bearerAuth" line=37"#,
            // An empty alternative makes credentials optional.
            r#"GET /v2/public/appointments handler="openSlots" auth=false guard=null line=43"#,
        ]
    );
    let out = run_extractor(&OpenApi, &[("docs/clinic-openapi.yaml", text)]).unwrap();
    let records = &out.assets[3];
    assert_eq!(records.attributes["deprecated"], true);
    assert_eq!(records.attributes["api"], "Clinic API");
    assert_eq!(records.attributes["framework"], "openapi");
}

#[test]
fn swagger_2_json_with_base_path() {
    let doc = r#"{
  "swagger": "2.0",
  "basePath": "/api/",
  "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
  "paths": {
    "/orders": {
      "get": {"operationId": "listOrders", "security": [{"key": []}]},
      "POST": {"operationId": "placeOrder"}
    }
  }
}
"#;
    assert_eq!(
        endpoints("swagger.json", doc),
        vec![
            r#"GET /api/orders handler="listOrders" auth=true guard="key" line=7"#,
            r#"POST /api/orders handler="placeOrder" auth=null guard=null line=8"#,
        ]
    );
}

#[test]
fn relative_and_templated_servers() {
    let doc = "openapi: 3.0.0\nservers:\n  - url: /base/\npaths:\n  users:\n    delete: {}\n";
    assert_eq!(
        endpoints("openapi.yml", doc),
        vec!["DELETE /base/users handler=null auth=null guard=null line=6"]
    );
    let doc = "openapi: 3.0.0\nservers:\n  - url: '{scheme}://{host}/v1'\npaths:\n  /x:\n    get: {}\n";
    assert_eq!(
        endpoints("openapi.yml", doc),
        vec!["GET /v1/x handler=null auth=null guard=null line=6"]
    );
}

#[test]
fn errors_name_the_file_and_line() {
    let error = run_extractor(&OpenApi, &[("openapi.yaml", "openapi: 3.0.0\npaths:\n  - /x\n")]).unwrap_err();
    assert_eq!(error.path, "openapi.yaml");
    assert_eq!(error.line, Some(2));
    assert!(
        error.message.contains("`paths` must be a mapping"),
        "{}",
        error.message
    );
    let error = run_extractor(
        &OpenApi,
        &[("api/swagger.json", "{\"swagger\": \"2.0\", \"paths\": {")],
    )
    .unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{}", error.message);
}

#[test]
fn garbage_never_panics() {
    for text in [
        "openapi: 3\npaths: {/x: [1, 2]}\n",
        "openapi: 3\npaths: {/x: {get: 1}}\n",
        "openapi: 3\nsecurity: 7\npaths: {/x: {get: {security: {a: 1}}}}\n",
        "openapi: 3\nservers: 5\nbasePath: [1]\npaths: {/x: {get: {}}}\n",
        "swagger: [a]\npaths: {'': {get: {}}}\n",
    ] {
        let _ = run_extractor(&OpenApi, &[("x.yaml", text)]).unwrap();
    }
}

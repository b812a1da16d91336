//! The checked-in JSON Schema of the Assessment must match the types. When the types change, regenerate
//! it with `VIGIL_UPDATE_SCHEMA=1 cargo test -p vigil-core --test schema_is_current` (or
//! `cargo run -- schema > schema/assessment.schema.json`) and review the diff: it is the public contract.

use std::path::Path;

#[test]
fn checked_in_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/assessment.schema.json");
    let generated = vigil_core::schema::assessment_schema_pretty();
    if std::env::var_os("VIGIL_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/assessment.schema.json is stale: regenerate it with `VIGIL_UPDATE_SCHEMA=1 cargo test -p vigil-core --test schema_is_current`"
    );
}

#[test]
fn schema_declares_the_contract_fields() {
    let schema = vigil_core::schema::assessment_schema();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in [
        "schema_version",
        "tool",
        "target",
        "scope",
        "inventory",
        "model",
        "findings",
        "roadmap",
        "diagnostics",
    ] {
        assert!(required.contains(&field), "{field} missing from {required:?}");
    }
}

#![allow(dead_code, clippy::unwrap_used)]
//! Running the `vigil` binary in tests.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// `vigil ARGS` run from the workspace root with an empty `VIGIL_HOME`, so no installed database leaks in.
pub fn vigil(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    vigil_with_home(args, home.path())
}

pub fn vigil_with_home(args: &[&str], home: &Path) -> Output {
    Command::cargo_bin("vigil")
        .unwrap()
        .current_dir(workspace())
        .env("VIGIL_HOME", home)
        .env_remove("VIGIL_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// The example shop, with its bundled advisories, on a fixed date.
pub const SHOP: [&str; 7] = [
    "assess",
    "examples/shop",
    "--advisories",
    "examples/shop-advisories",
    "--as-of",
    "2026-11-27",
    "--color=never",
];

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The Assessment JSON of `args` (which must not contain `--format`).
pub fn assessment(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = vigil(&all);
    assert!(
        output.status.code().is_some_and(|c| c != 2),
        "{}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Copies a directory tree (files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A validator for the CycloneDX 1.6 JSON schema shipped in fixtures/schemas (with the schemas it refers to).
pub fn cyclonedx_validator() -> jsonschema::Validator {
    let schemas = workspace().join("fixtures/schemas/cyclonedx");
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(schemas.join(name)).unwrap()).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
            read("spdx.SNAPSHOT.schema.json"),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
            read("jsf-0.82.SNAPSHOT.schema.json"),
        )
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&read("bom-1.6.schema.json"))
        .unwrap()
}

/// The history-store backends to run a test on (SQLite; PostgreSQL with `VIGIL_TEST_DATABASE_URL`).
pub fn store_backends() -> Vec<vigil_store::testing::TestBackend> {
    vigil_store::testing::backends()
}

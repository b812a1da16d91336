//! Fixture ladder for `terraform/lock` (`.terraform.lock.hcl`).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::run_extractor;
use vigil_core::{Dependency, Ecosystem};
use vigil_discover::extractors::terraform_lock::TerraformLock;

fn providers(text: &str) -> Vec<(String, String, String, Option<String>)> {
    let out = run_extractor(&TerraformLock, &[(".terraform.lock.hcl", text)]).unwrap();
    out.assets
        .iter()
        .map(|a| {
            let d = Dependency::from_asset(a).unwrap();
            assert_eq!(d.ecosystem, Ecosystem::Terraform);
            (
                d.name,
                d.version,
                a.evidence[0].location(),
                a.attr_str("source").map(str::to_owned),
            )
        })
        .collect()
}

const ONE: &str = "# This file is maintained automatically by \"terraform init\".\n\nprovider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \"~> 5.0\"\n  hashes = [\n    \"h1:abc=\",\n  ]\n}\n";

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &TerraformLock,
        &[(".terraform.lock.hcl", "provider \"x\" {\n  version = \n")],
    )
    .unwrap_err();
    assert!(
        error.line.is_some() && error.message.contains("invalid HCL"),
        "{error}"
    );
}

#[test]
fn empty_file_and_empty_document() {
    assert!(providers("").is_empty());
    assert!(providers("# This file is maintained automatically by \"terraform init\".\n").is_empty());
}

#[test]
fn one_and_two_providers() {
    assert_eq!(
        providers(ONE),
        vec![(
            "hashicorp/aws".into(),
            "5.31.0".into(),
            ".terraform.lock.hcl:3".into(),
            None
        )]
    );
    let two = format!("{ONE}\nprovider \"tf.example.com/acme/internal\" {{\n  version = \"0.4.1\"\n}}\n");
    let found = providers(&two);
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[1],
        (
            "tf.example.com/acme/internal".into(),
            "0.4.1".into(),
            ".terraform.lock.hcl:11".into(),
            Some("registry:tf.example.com".into())
        )
    );
}

#[test]
fn a_provider_without_a_version_is_a_warning() {
    let out = run_extractor(
        &TerraformLock,
        &[(
            ".terraform.lock.hcl",
            "provider \"registry.terraform.io/hashicorp/null\" {\n}\n",
        )],
    )
    .unwrap();
    assert!(out.assets.is_empty());
    assert_eq!(out.diagnostics[0].line, Some(1));
}

#[test]
fn the_real_wrongsecrets_lockfile() {
    // AGPL-3.0: read in place, never copied into this repository.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lockfiles/terraform/wrongsecrets-aws.terraform.lock.hcl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: ../shared/data not present");
        return;
    };
    // `grep -c '^provider' wrongsecrets-aws.terraform.lock.hcl` gives 7; all are on the public registry.
    let found = providers(&text);
    assert_eq!(found.len(), 7);
    assert_eq!(found[0].0, "hashicorp/aws");
    assert_eq!(found[0].1, "6.34.0");
    assert_eq!(found[0].2, ".terraform.lock.hcl:4");
    assert!(found.iter().all(|(_, _, _, source)| source.is_none()));
}

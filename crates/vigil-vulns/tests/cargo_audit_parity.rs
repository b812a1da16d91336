//! Parity with cargo-audit: on real Cargo.lock files, the RustSec vulnerabilities vigil reports equal those
//! cargo-audit 0.22.2 reported on the same advisory data, and informational advisories (unmaintained,
//! unsound) are kept apart as warnings, also equal.
//!
//! The self-contained test uses fixtures/osv/rustsec-subset (every RustSec advisory for a package of these
//! lockfiles) and fixtures/ground-truth; the full test reads ../shared/data when present.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeSet;
use std::path::Path;

use vigil_vulns::MemoryIndex;

type Ids = BTreeSet<String>;

fn expected(ground_truth: &Path, lockfile: &str) -> (Ids, Ids) {
    let gt: serde_json::Value = serde_json::from_slice(&std::fs::read(ground_truth).unwrap()).unwrap();
    let entry = &gt["results"][lockfile];
    let ids = |key: &str, prefix: bool| -> Ids {
        entry[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let id = v["id"].as_str().unwrap();
                if prefix {
                    format!("{}:{id}", v["kind"].as_str().unwrap())
                } else {
                    id.to_owned()
                }
            })
            .collect()
    };
    (ids("vulnerabilities", false), ids("warnings", true))
}

fn actual(lockfile: &Path, index: &MemoryIndex) -> (Ids, Ids, usize) {
    let inventory = common::inventory_of(lockfile, "Cargo.lock");
    let out = vigil_vulns::run(&inventory, Some(index));
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
    let vulns = out.findings.iter().map(|f| f.advisory_ids[0].clone()).collect();
    let warnings = out
        .warnings
        .iter()
        .map(|w| format!("{}:{}", w.kind, w.advisory_id))
        .collect();
    (vulns, warnings, out.checked)
}

fn check(lockfiles: &Path, ground_truth: &Path, index: &MemoryIndex, names: &[&str]) {
    for name in names {
        let (vulns, warnings, checked) = actual(&lockfiles.join(name), index);
        let (expected_vulns, expected_warnings) = expected(ground_truth, name);
        assert_eq!(vulns, expected_vulns, "vulnerabilities of {name}");
        assert_eq!(warnings, expected_warnings, "warnings of {name}");
        let registry_packages = std::fs::read_to_string(lockfiles.join(name))
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("source = \"registry+"))
            .count();
        assert_eq!(
            checked, registry_packages,
            "{name}: every registry package is checked"
        );
    }
}

#[test]
fn matches_cargo_audit_on_the_bundled_subset() {
    let fixtures = common::fixtures();
    let index = MemoryIndex::load(&[&fixtures.join("osv/rustsec-subset")]).unwrap();
    check(
        &fixtures.join("lockfiles/cargo"),
        &fixtures.join("ground-truth/cargo-audit-results.json"),
        &index,
        &[
            "ripgrep-11.0.2.Cargo.lock",
            "ripgrep-HEAD-3fce3b5.Cargo.lock",
            "rustsec-fixture-base64_vuln.Cargo.lock",
            "rustsec-fixture-no_vulns.Cargo.lock",
            "rustsec-fixture-unmaintained.Cargo.lock",
            "rustsec-fixture-unsound.Cargo.lock",
        ],
    );
}

#[test]
fn matches_cargo_audit_on_the_full_rustsec_database() {
    let Some(data) = common::shared_data() else {
        println!("skipped: ../shared/data not present");
        return;
    };
    let index = MemoryIndex::load(&[&data.join("osv/rustsec-osv.zip")]).unwrap();
    assert!(index.skipped.is_empty(), "{:?}", index.skipped);
    let lockfiles = data.join("lockfiles/cargo");
    let mut names: Vec<String> = std::fs::read_dir(&lockfiles)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".Cargo.lock"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 7);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    check(
        &lockfiles,
        &data.join("ground-truth/cargo-audit-results.json"),
        &index,
        &names,
    );
}

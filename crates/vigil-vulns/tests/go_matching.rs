//! Go modules against the Go vulnerability database: pseudo-versions, `+incompatible` versions and
//! `introduced: "0"`, checked by hand on real advisories (fixtures/osv/go-subset), and equality with the
//! reference lookup over real go.mod files when ../shared/data is present.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeSet;

use vigil_vulns::MemoryIndex;

fn go_mod(requires: &[(&str, &str)]) -> String {
    let mut text = String::from("module example.com/app\n\ngo 1.22\n\nrequire (\n");
    for (module, version) in requires {
        text.push_str(&format!("\t{module} {version}\n"));
    }
    text + ")\n"
}

/// (module, installed, advisory id) of each vulnerability found.
fn matches(index: &MemoryIndex, requires: &[(&str, &str)]) -> BTreeSet<(String, String, String)> {
    let inventory = common::inventory_with(&[("go.mod", &go_mod(requires))]);
    let out = vigil_vulns::run(&inventory, Some(index));
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
    out.findings
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            (v.package.clone(), v.installed.clone(), f.advisory_ids[0].clone())
        })
        .collect()
}

fn ids(found: &BTreeSet<(String, String, String)>, module: &str) -> Vec<String> {
    found
        .iter()
        .filter(|(m, _, _)| m == module)
        .map(|(_, _, id)| id.clone())
        .collect()
}

#[test]
fn pseudo_versions_are_ordered_by_commit_time_and_introduced_zero_precedes_them() {
    let index = MemoryIndex::load(&[&common::fixtures().join("osv/go-subset")]).unwrap();
    // Every x/crypto advisory here is `introduced: "0"`, `fixed: <pseudo-version>`. A pseudo-version of
    // v0.0.0 sorts below v0.0.0 itself, so treating "0" as v0.0.0 would miss all of them.
    let crypto = "golang.org/x/crypto";
    let early = matches(&index, &[(crypto, "v0.0.0-20190308221718-c2843e01d9a2")]);
    assert_eq!(
        ids(&early, crypto),
        [
            "GO-2020-0012",
            "GO-2021-0227",
            "GO-2021-0356",
            "GO-2022-0209",
            "GO-2022-0229",
            "GO-2022-0968",
            "GO-2023-1992",
            "GO-2024-2961"
        ]
    );
    // 2020-01-28: after the fixes of 2019-03-20 (0209), 2019-04-24 (1992) and 2020-01-24 (0229), before
    // the fix of 2020-02-20 (0012) and the later ones.
    let later = matches(&index, &[(crypto, "v0.0.0-20200128174031-69ecbb4d6d5d")]);
    assert_eq!(
        ids(&later, crypto),
        [
            "GO-2020-0012",
            "GO-2021-0227",
            "GO-2021-0356",
            "GO-2022-0968",
            "GO-2024-2961"
        ]
    );
    let fixed = matches(&index, &[(crypto, "v0.1.0")]);
    assert!(ids(&fixed, crypto).is_empty(), "{fixed:?}");
}

#[test]
fn incompatible_versions_compare_as_their_release() {
    let index = MemoryIndex::load(&[&common::fixtures().join("osv/go-subset")]).unwrap();
    let docker = "github.com/docker/docker";
    // Fixed in 20.10.14 (0390), 20.10.18 (0985), 20.10.20 (1107), 20.10.24 and 23.0.3 (1699).
    let found = matches(&index, &[(docker, "v20.10.16+incompatible")]);
    assert_eq!(
        ids(&found, docker),
        ["GO-2022-0985", "GO-2022-1107", "GO-2023-1699"]
    );
    let found = matches(&index, &[(docker, "v23.0.2+incompatible")]);
    assert_eq!(ids(&found, docker), ["GO-2023-1699"]);
    let found = matches(&index, &[(docker, "v23.0.3+incompatible")]);
    assert!(ids(&found, docker).is_empty());
}

#[test]
fn real_go_mod_files_match_the_reference_lookup() {
    let Some(shared) = common::shared_data() else {
        println!("skipped: ../shared/data not present");
        return;
    };
    let index = MemoryIndex::load(&[&shared.join("osv/go-osv.zip")]).unwrap();
    let reference: serde_json::Value = serde_json::from_slice(
        &std::fs::read(shared.join("ground-truth/go-osv-matches-gomod.json")).unwrap(),
    )
    .unwrap();
    for result in reference["results"].as_array().unwrap() {
        let name = result["file"].as_str().unwrap();
        let expected: BTreeSet<(String, String, String)> = result["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let field = |k: &str| m[k].as_str().unwrap().to_owned();
                (field("module"), field("version"), field("id"))
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let lockfiles = shared.join("lockfiles/go");
        std::fs::copy(lockfiles.join(name), dir.path().join("go.mod")).unwrap();
        let sum = name.replace(".go.mod", ".go.sum");
        std::fs::copy(lockfiles.join(sum), dir.path().join("go.sum")).unwrap();
        let inventory = vigil_discover::run(dir.path(), &vigil_core::Scope::default())
            .unwrap()
            .inventory;
        let out = vigil_vulns::run(&inventory, Some(&index));
        assert!(out.not_checked.is_empty(), "{name}: {:?}", out.not_checked);
        // The reference leaves the standard library out (its version is a minimum, see go_mod.rs).
        let actual: BTreeSet<(String, String, String)> = out
            .findings
            .iter()
            .filter_map(|f| {
                let v = f.vulnerability.as_ref().unwrap();
                (v.package != "stdlib")
                    .then(|| (v.package.clone(), v.installed.clone(), f.advisory_ids[0].clone()))
            })
            .collect();
        assert_eq!(actual, expected, "{name}");
    }
}

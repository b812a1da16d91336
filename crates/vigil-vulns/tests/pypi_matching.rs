//! PyPI pins against the PyPA advisory database: ranges that open and close at pre-releases, checked by
//! hand on real advisories (fixtures/osv/pypa-subset), and equality with the reference lookup over real
//! requirements files when ../shared/data is present.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeSet;

use vigil_vulns::MemoryIndex;

type Matches = BTreeSet<(String, String, String)>;

fn matches_of(index: &MemoryIndex, requirements: &str) -> Matches {
    let inventory = common::inventory_with(&[("requirements.txt", requirements)]);
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

fn ids(index: &MemoryIndex, requirement: &str) -> Vec<String> {
    matches_of(index, &format!("{requirement}\n"))
        .into_iter()
        .map(|(_, _, id)| id)
        .collect()
}

#[test]
fn prerelease_bounds_follow_pep_440() {
    let index = MemoryIndex::load(&[&common::fixtures().join("osv/pypa-subset")]).unwrap();
    // PYSEC-2015-8: [0, 1.7.6) and [1.8a1, 1.8b2). PYSEC-2015-9: ... [1.7, 1.7.7) and [1.8a0, 1.8c1),
    // where `c1` is PEP 440's spelling of `rc1`.
    assert_eq!(ids(&index, "Django==1.7.5"), ["PYSEC-2015-8", "PYSEC-2015-9"]);
    assert_eq!(ids(&index, "Django==1.7.6"), ["PYSEC-2015-9"]);
    assert_eq!(ids(&index, "django==1.8b1"), ["PYSEC-2015-8", "PYSEC-2015-9"]);
    assert_eq!(ids(&index, "Django==1.8b2"), ["PYSEC-2015-9"]);
    assert!(ids(&index, "Django==1.8rc1").is_empty());
    assert!(ids(&index, "Django==1.8").is_empty());
    // PYSEC-2020-176: [5.1, 5.2b1); an alpha of 5.2 comes before its first beta, a post-release of 5.1.2
    // after 5.1.2; names are compared as PEP 503 normalises them.
    assert_eq!(ids(&index, "PyYAML==5.1"), ["PYSEC-2020-176"]);
    assert_eq!(ids(&index, "pyyaml==5.2a1"), ["PYSEC-2020-176"]);
    assert_eq!(ids(&index, "py_yaml==5.1.2.post1").len(), 0, "another project");
    assert_eq!(ids(&index, "PyYaml==5.1.2.post1"), ["PYSEC-2020-176"]);
    assert!(ids(&index, "PyYAML==5.2b1").is_empty());
    assert!(ids(&index, "PyYAML==5.2").is_empty());
}

#[test]
fn real_requirements_match_the_reference_lookup() {
    let Some(shared) = common::shared_data() else {
        println!("skipped: ../shared/data not present");
        return;
    };
    let index = MemoryIndex::load(&[&shared.join("osv/pypa-osv.zip")]).unwrap();
    let reference: serde_json::Value = serde_json::from_slice(
        &std::fs::read(shared.join("ground-truth/pypa-osv-matches-requirements.json")).unwrap(),
    )
    .unwrap();
    for result in reference["results"].as_array().unwrap() {
        let name = result["file"].as_str().unwrap();
        let expected: Matches = result["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let field = |k: &str| m[k].as_str().unwrap().to_owned();
                (field("package"), field("version"), field("id"))
            })
            .collect();
        let text = std::fs::read_to_string(shared.join("lockfiles/pypi").join(name)).unwrap();
        let actual: Matches = matches_of(&index, &text)
            .into_iter()
            .map(|(package, version, id)| (package.to_ascii_lowercase(), version, id))
            .collect();
        let expected: Matches = expected
            .into_iter()
            .map(|(package, version, id)| (package.to_ascii_lowercase(), version, id))
            .collect();
        assert_eq!(actual, expected, "{name}");
    }
}

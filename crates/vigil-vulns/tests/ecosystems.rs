//! Matching for Maven, RubyGems, NuGet and Packagist: each ecosystem's version order decides what is
//! affected, names compare as the registry compares them, and a version the order cannot read is reported
//! as not checked, never as clean. Advisories are written here in OSV form with test ids, their ranges
//! modelled on real ones (log4j-core, rack, Newtonsoft.Json, symfony/http-kernel).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeSet;

use vigil_vulns::{MemoryIndex, VulnOutput};

fn advisory(id: &str, ecosystem: &str, name: &str, events: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"2026-11-01T00:00:00Z","summary":"{id}","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},"ranges":[{{"type":"ECOSYSTEM","events":{events}}}]}}]}}"#
    )
}

fn index() -> (tempfile::TempDir, MemoryIndex) {
    let dir = tempfile::tempdir().unwrap();
    let advisories = [
        advisory(
            "TEST-MAVEN-1",
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            r#"[{"introduced":"2.0-beta9"},{"fixed":"2.3.1"},{"introduced":"2.4"},{"fixed":"2.12.2"},{"introduced":"2.13.0"},{"fixed":"2.15.0"}]"#,
        ),
        advisory(
            "TEST-GEM-1",
            "RubyGems",
            "rack",
            r#"[{"introduced":"0"},{"fixed":"2.0.9.1"}]"#,
        ),
        advisory(
            "TEST-GEM-2",
            "RubyGems",
            "rack",
            r#"[{"introduced":"2.1.0.pre"},{"fixed":"2.2.3"}]"#,
        ),
        advisory(
            "TEST-NUGET-1",
            "NuGet",
            "Newtonsoft.Json",
            r#"[{"introduced":"0"},{"fixed":"13.0.1"}]"#,
        ),
        advisory(
            "TEST-COMPOSER-1",
            "Packagist",
            "symfony/http-kernel",
            r#"[{"introduced":"5.0.0"},{"fixed":"5.4.20"},{"introduced":"6.0.0-BETA1"},{"fixed":"6.0.20"}]"#,
        ),
    ];
    for (i, text) in advisories.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.json")), text).unwrap();
    }
    let index = MemoryIndex::load(&[dir.path()]).unwrap();
    (dir, index)
}

/// (package, installed, advisory) of each finding, and the not-checked entries.
fn run(files: &[(&str, &str)]) -> (BTreeSet<(String, String, String)>, VulnOutput) {
    let (_dir, index) = index();
    let out = vigil_vulns::run(&common::inventory_with(files), Some(&index));
    let found = out
        .findings
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            (v.package.clone(), v.installed.clone(), f.advisory_ids[0].clone())
        })
        .collect();
    (found, out)
}

fn triple(package: &str, installed: &str, id: &str) -> (String, String, String) {
    (package.to_owned(), installed.to_owned(), id.to_owned())
}

fn pom(version: &str) -> String {
    format!(
        "<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>b</artifactId><version>1</version>\
         <dependencies><dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>\
         <version>{version}</version></dependency></dependencies></project>"
    )
}

#[test]
fn maven_qualifiers_and_ranges() {
    let log4j = "org.apache.logging.log4j:log4j-core";
    for (version, affected) in [
        ("2.14.1", true),
        ("2.15.0-rc1", true), // a release candidate comes before its release
        ("2.15.0", false),
        ("2.12.2", false),
        ("2.12.1", true),
        ("2.0-beta9", true),
        ("2.0-beta8", false),
        ("2.0-alpha1", false),
        ("2.3.1", false),
        ("2.17.1", false),
    ] {
        let (found, out) = run(&[("pom.xml", &pom(version))]);
        assert!(out.not_checked.is_empty(), "{version}: {:?}", out.not_checked);
        let expected: BTreeSet<_> = if affected {
            [triple(log4j, version, "TEST-MAVEN-1")].into()
        } else {
            BTreeSet::new()
        };
        assert_eq!(found, expected, "log4j-core {version}");
    }
    let (_, out) = run(&[("pom.xml", &pom("2.14.1"))]);
    let details = out.findings[0].vulnerability.as_ref().unwrap();
    assert_eq!(details.fixed.as_deref(), Some("2.15.0"));
}

fn gemfile_lock(rack: &str) -> String {
    format!(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack ({rack})\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack\n\nBUNDLED WITH\n   2.4.10\n"
    )
}

#[test]
fn rubygems_prereleases_and_four_part_versions() {
    for (version, expected) in [
        ("2.0.9", vec!["TEST-GEM-1"]),
        ("2.0.9.1", vec![]),
        ("2.1.0.pre.1", vec!["TEST-GEM-2"]),
        ("2.2.2", vec!["TEST-GEM-2"]),
        ("2.2.3", vec![]),
        ("1.6.13", vec!["TEST-GEM-1"]),
    ] {
        let (found, out) = run(&[("Gemfile.lock", &gemfile_lock(version))]);
        assert!(out.not_checked.is_empty(), "{version}: {:?}", out.not_checked);
        let expected: BTreeSet<_> = expected.iter().map(|id| triple("rack", version, id)).collect();
        assert_eq!(found, expected, "rack {version}");
    }
}

#[test]
fn nuget_names_are_case_insensitive() {
    let lock = r#"{"version": 1, "dependencies": {"net8.0": {"newtonsoft.json": {"type": "Direct", "requested": "[12.0.3, )", "resolved": "12.0.3"}}}}"#;
    let (found, out) = run(&[("packages.lock.json", lock)]);
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found.first().unwrap().2, "TEST-NUGET-1");
}

fn composer_lock(packages: &[(&str, &str)]) -> String {
    let entries: Vec<String> = packages
        .iter()
        .map(|(name, version)| format!(r#"{{"name": "{name}", "version": "{version}", "type": "library"}}"#))
        .collect();
    format!(r#"{{"packages": [{}], "packages-dev": []}}"#, entries.join(","))
}

#[test]
fn composer_stabilities_and_unreadable_versions() {
    let kernel = "symfony/http-kernel";
    let (found, _) = run(&[("composer.lock", &composer_lock(&[(kernel, "v5.4.19")]))]);
    assert_eq!(found, [triple(kernel, "v5.4.19", "TEST-COMPOSER-1")].into());
    let (found, _) = run(&[("composer.lock", &composer_lock(&[(kernel, "v6.0.0-RC1")]))]);
    assert_eq!(found, [triple(kernel, "v6.0.0-RC1", "TEST-COMPOSER-1")].into());
    let (found, _) = run(&[("composer.lock", &composer_lock(&[(kernel, "v5.4.20")]))]);
    assert!(found.is_empty(), "{found:?}");

    // A branch is not a version: reported as not checked, never as clean.
    let (found, out) = run(&[("composer.lock", &composer_lock(&[(kernel, "dev-main")]))]);
    assert!(found.is_empty());
    assert_eq!(out.not_checked.len(), 1, "{:?}", out.not_checked);
    assert!(out.not_checked[0].what.contains('1'), "{:?}", out.not_checked);
    assert!(
        out.diagnostics.iter().any(|d| d.message.contains("dev-main")),
        "{:?}",
        out.diagnostics
    );
}

//! Graded reachability: a vulnerable package is `imported` when production code beside its lockfile
//! imports it (with the places), `present` when that code does not, `dev-only` for development
//! dependencies, and `unknown` when no such code was read or module names cannot be told from package
//! names.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeMap;

use vigil_vulns::MemoryIndex;

fn advisory(id: &str, ecosystem: &str, name: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"2026-11-01T00:00:00Z","summary":"{id}","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"999"}}]}}]}}]}}"#
    )
}

fn package_lock(packages: &[(&str, bool)]) -> String {
    let entries: Vec<String> = packages
        .iter()
        .map(|(name, dev)| {
            format!(
                r#""node_modules/{name}": {{"version": "1.0.0", "resolved": "https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz"{}}}"#,
                if *dev { r#", "dev": true"# } else { "" }
            )
        })
        .collect();
    format!(
        r#"{{"name": "app", "lockfileVersion": 3, "packages": {{"": {{"name": "app"}}, {}}}}}"#,
        entries.join(", ")
    )
}

/// (manifest, package) -> (reachability, evidence places).
fn grades(files: &[(&str, &str)]) -> BTreeMap<(String, String), (String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let advisories = [
        advisory("T-1", "npm", "lodash"),
        advisory("T-2", "npm", "left-pad"),
        advisory("T-3", "npm", "jest"),
        advisory("T-4", "PyPI", "pyyaml"),
        advisory("T-5", "RubyGems", "rack"),
        advisory("T-6", "RubyGems", "nokogiri"),
    ];
    for (i, text) in advisories.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.json")), text).unwrap();
    }
    let index = MemoryIndex::load(&[dir.path()]).unwrap();
    let out = vigil_vulns::run(&common::inventory_with(files), Some(&index));
    out.findings
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            (
                (f.evidence[0].path.clone(), v.package.clone()),
                (
                    v.reachability.as_str().to_owned(),
                    v.reachability_evidence.iter().map(|e| e.location()).collect(),
                ),
            )
        })
        .collect()
}

fn grade(
    found: &BTreeMap<(String, String), (String, Vec<String>)>,
    manifest: &str,
    package: &str,
) -> (String, Vec<String>) {
    found
        .get(&(manifest.to_owned(), package.to_owned()))
        .cloned()
        .unwrap_or_else(|| panic!("no finding for {package} in {manifest}: {found:?}"))
}

#[test]
fn imports_beside_the_lockfile_decide_the_grade() {
    let api_lock = package_lock(&[("lodash", false), ("left-pad", false), ("jest", true)]);
    let web_lock = package_lock(&[("lodash", false)]);
    let found = grades(&[
        ("api/package-lock.json", &api_lock),
        (
            "api/src/server.js",
            "const express = require('express');\nconst merge = require('lodash/merge');\n",
        ),
        // Only a test imports left-pad: not production code.
        ("api/test/pad.test.js", "import pad from 'left-pad';\n"),
        // A comment or a string naming it is not an import.
        (
            "api/src/util.js",
            "// require('left-pad')\nconst s = \"import 'left-pad'\";\n",
        ),
        ("web/package-lock.json", &web_lock),
        ("web/src/app.js", "import React from 'react';\n"),
    ]);
    assert_eq!(
        grade(&found, "api/package-lock.json", "lodash"),
        ("imported".to_owned(), vec!["api/src/server.js:2".to_owned()])
    );
    assert_eq!(grade(&found, "api/package-lock.json", "left-pad").0, "present");
    assert_eq!(grade(&found, "api/package-lock.json", "jest").0, "dev-only");
    // web pins its own lodash and does not import it, whatever api does.
    assert_eq!(grade(&found, "web/package-lock.json", "lodash").0, "present");
}

#[test]
fn without_code_or_with_unmappable_names_the_grade_is_unknown() {
    let found = grades(&[
        ("lib/package-lock.json", &package_lock(&[("lodash", false)])),
        ("worker/requirements.txt", "PyYAML==5.1\n"),
        ("worker/main.py", "import yaml\n"),
        (
            "rails/Gemfile.lock",
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.0.0)\n    rack (1.0.0)\n\nDEPENDENCIES\n  nokogiri\n  rack\n",
        ),
        ("rails/app.rb", "require 'rack'\n"),
    ]);
    // No JavaScript beside lib's lockfile: nothing says whether it is used.
    assert_eq!(grade(&found, "lib/package-lock.json", "lodash").0, "unknown");
    // PyYAML provides `yaml`.
    assert_eq!(
        grade(&found, "worker/requirements.txt", "PyYAML"),
        ("imported".to_owned(), vec!["worker/main.py:1".to_owned()])
    );
    // Rails loads every gem through Bundler.require: a gem nobody requires may still run.
    assert_eq!(grade(&found, "rails/Gemfile.lock", "rack").0, "imported");
    assert_eq!(grade(&found, "rails/Gemfile.lock", "nokogiri").0, "unknown");
}

//! Fixture ladder for `pypi/pipfile-lock`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::pypi_pipfile_lock::PipfileLock;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/pypi/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&PipfileLock, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::PyPI);
    let direct = match dep.direct {
        Some(true) => "direct",
        Some(false) => "transitive",
        None => "direct?",
    };
    format!(
        "{}@{} {} {direct} {}",
        dep.name,
        dep.version,
        dep.scope.as_str(),
        asset.evidence[0].location()
    )
}

fn summaries(out: &Output) -> Vec<String> {
    out.assets.iter().map(summary).collect()
}

const META: &str = r#"    "_meta": {
        "hash": {
            "sha256": "0000000000000000000000000000000000000000000000000000000000000000"
        },
        "pipfile-spec": 6,
        "requires": {
            "python_version": "3.12"
        },
        "sources": [
            {
                "name": "pypi",
                "url": "https://pypi.org/simple",
                "verify_ssl": true
            }
        ]
    },
"#;

/// A lockfile with `_meta` (lines 2 to 17, so `default` opens on line 18) and the given `default` and `develop` bodies.
fn lock(default: &str, develop: &str) -> String {
    format!("{{\n{META}    \"default\": {{{default}}},\n    \"develop\": {{{develop}}}\n}}\n")
}

fn entry(name: &str, version: &str) -> String {
    format!(
        "\n        \"{name}\": {{\n            \"hashes\": [\n                \"sha256:00\"\n            ],\n            \"index\": \"pypi\",\n            \"version\": \"=={version}\"\n        }}"
    )
}

const PIPFILE: &str = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n[packages]\nRequests = \"*\"\n\n[dev-packages]\npytest = \">=8\"\n\n[requires]\npython_version = \"3.12\"\n";

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &PipfileLock,
        &[("Pipfile.lock", "{\n  \"default\": {\n    oops\n}")],
    )
    .unwrap_err();
    assert_eq!(error.path, "Pipfile.lock");
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("invalid JSON"), "{error}");

    let error = run_extractor(&PipfileLock, &[("Pipfile.lock", "[\"requests==2.0\"]\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("not a JSON object"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [String::new(), "{}".to_owned(), lock("", "")] {
        let out = run(&[("Pipfile.lock", &text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn one_package() {
    let text = lock(&entry("requests", "2.32.3"), "");
    let out = run(&[("Pipfile.lock", &text), ("Pipfile", PIPFILE)]);
    assert_eq!(summaries(&out), ["requests@2.32.3 prod direct Pipfile.lock:19"]);
    assert_eq!(out.assets[0].attr_str("purl"), Some("pkg:pypi/requests@2.32.3"));
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_packages_in_default_and_develop() {
    let text = lock(
        &[entry("idna", "3.10"), ",".to_owned(), entry("requests", "2.32.3")].concat(),
        &[entry("pytest", "8.3.4"), ",".to_owned(), entry("pluggy", "1.5.0")].concat(),
    );
    let out = run(&[("app/Pipfile.lock", &text), ("app/Pipfile", PIPFILE)]);
    assert_eq!(
        summaries(&out),
        [
            "idna@3.10 prod transitive app/Pipfile.lock:19",
            "requests@2.32.3 prod direct app/Pipfile.lock:26",
            "pytest@8.3.4 dev direct app/Pipfile.lock:34",
            "pluggy@1.5.0 dev transitive app/Pipfile.lock:41",
        ]
    );
}

#[test]
fn without_a_pipfile_directness_is_unknown() {
    let text = lock(&entry("requests", "2.32.3"), "");
    let out = run(&[("Pipfile.lock", &text)]);
    assert_eq!(summaries(&out), ["requests@2.32.3 prod direct? Pipfile.lock:19"]);

    let out = run(&[("Pipfile.lock", &text), ("Pipfile", "[packages\n")]);
    assert_eq!(summaries(&out), ["requests@2.32.3 prod direct? Pipfile.lock:19"]);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        (out.diagnostics[0].path.as_str(), out.diagnostics[0].line),
        ("Pipfile", Some(1))
    );
}

#[test]
fn git_path_file_and_private_index_sources() {
    let text = r#"{
    "_meta": {
        "pipfile-spec": 6,
        "sources": [
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
            {"name": "corp", "url": "https://${CORP_USER}:${CORP_TOKEN}@pypi.corp.example/simple", "verify_ssl": true}
        ]
    },
    "default": {
        "app": {"editable": true, "path": "."},
        "from-git": {"editable": true, "git": "https://github.com/o/from-git.git", "ref": "0123456789abcdef0123456789abcdef01234567"},
        "from-git-tagged": {"git": "https://github.com/o/t.git", "ref": "abc", "version": "==1.4.0"},
        "from-path": {"path": "./libs/from-path", "version": "==0.2.0"},
        "from-url": {"file": "https://example.com/from_url-1.0.tar.gz", "version": "==1.0"},
        "from-file-url": {"file": "file:///opt/wheels/w-2.0-py3-none-any.whl", "version": "==2.0"},
        "internal": {"index": "corp", "version": "==3.1.0"},
        "exact": {"index": "pypi", "version": "===1.0.0"},
        "no-version": {"path": "../elsewhere"}
    },
    "develop": {}
}
"#;
    let out = run(&[("Pipfile.lock", text)]);
    let sources: Vec<_> = out
        .assets
        .iter()
        .map(|a| {
            format!(
                "{}@{}={}",
                a.attr_str("name").unwrap(),
                a.attr_str("version").unwrap(),
                a.attr_str("source").unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            "from-git@0123456789abcdef0123456789abcdef01234567=git",
            "from-git-tagged@1.4.0=git",
            "from-path@0.2.0=path",
            "from-url@1.0=url",
            "from-file-url@2.0=path",
            "internal@3.1.0=registry:https://pypi.corp.example/simple",
            "exact@1.0.0=-",
        ]
    );
    assert_eq!(
        summary(&out.assets[0]),
        "from-git@0123456789abcdef0123456789abcdef01234567 prod direct? Pipfile.lock:11"
    );
    // The project itself (`path = "."`) is skipped quietly; another path without a version is a warning.
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(18));
    assert!(
        out.diagnostics[0].message.contains("`no-version`"),
        "{}",
        out.diagnostics[0].message
    );
}

#[test]
fn custom_categories_are_unknown_scope_with_their_own_pipfile_section() {
    let text = format!(
        "{{\n{META}    \"default\": {{}},\n    \"develop\": {{}},\n    \"docs\": {{{}}}\n}}\n",
        [entry("sphinx", "8.1.3"), ",".to_owned(), entry("babel", "2.16.0")].concat()
    );
    let pipfile = format!("{PIPFILE}\n[docs]\nsphinx = \"*\"\n");
    let out = run(&[("Pipfile.lock", &text), ("Pipfile", &pipfile)]);
    assert_eq!(
        summaries(&out),
        [
            "sphinx@8.1.3 unknown direct Pipfile.lock:21",
            "babel@2.16.0 unknown transitive Pipfile.lock:28",
        ]
    );
}

#[test]
fn broken_entries_are_warnings_and_the_rest_is_read() {
    let text = "{\n    \"_meta\": {\"pipfile-spec\": 7},\n    \"default\": {\n        \"a\": 1,\n        \"b\": {\"hashes\": []},\n        \"ok\": {\"version\": \"==1.0\"}\n    },\n    \"develop\": []\n}\n";
    let out = run(&[("Pipfile.lock", text)]);
    assert_eq!(summaries(&out), ["ok@1.0 prod direct? Pipfile.lock:6"]);
    let diagnostics: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        diagnostics,
        [
            (Some(2), "unknown pipfile-spec 7; reading it as spec 6"),
            (Some(4), "`a` in `default`: not an object; skipped"),
            (Some(5), "`b` in `default`: no `version` to read; skipped"),
            (Some(8), "`develop` is not an object of packages; skipped"),
        ]
    );
}

#[test]
fn real_lockfile_and_pipfile() {
    // cider-security-research/cicd-goat 0ed1092 (Apache-2.0), checked with python3's json: 46 packages in
    // `default`, none in `develop`; the Pipfile's [packages] names 8 of them (pytest, requests, jenkinsapi,
    // gitpython, build, twine, python-gitlab, pytest-xdist) and [dev-packages] is empty. Lines from
    // `grep -n '^        "[a-z]' cicd-goat.Pipfile.lock`.
    let out = run(&[
        ("Pipfile.lock", &fixture("cicd-goat.Pipfile.lock")),
        ("Pipfile", &fixture("cicd-goat.Pipfile")),
    ]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 46);
    assert!(deps.iter().all(|d| d.scope == DependencyScope::Prod));
    assert_eq!(deps.iter().filter(|d| d.direct == Some(true)).count(), 8);
    assert!(out.assets.iter().all(|a| a.attr_str("source").is_none()));
    let found = summaries(&out);
    assert_eq!(
        found[0],
        "backports.tarfile@1.2.0 prod transitive Pipfile.lock:19"
    );
    assert!(found.contains(&"gitpython@3.1.43 prod direct Pipfile.lock:268".to_owned()));
    assert!(
        found.contains(&"zipp@3.19.2 prod transitive Pipfile.lock:566".to_owned()),
        "{found:?}"
    );
}

#[test]
fn truncated_input_never_panics() {
    let text = fixture("cicd-goat.Pipfile.lock");
    for cut in (0..text.len()).step_by(text.len() / 80) {
        let Some(prefix) = text.get(..cut) else { continue };
        let _ = run_extractor(&PipfileLock, &[("Pipfile.lock", prefix)]);
    }
}

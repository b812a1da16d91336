//! Fixture ladder for `pypi/uv-lock`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::pypi_uv_lock::UvLock;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/pypi/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(text: &str) -> Output {
    run_extractor(&UvLock, &[("uv.lock", text)]).unwrap_or_else(|e| panic!("{e}"))
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

const HEADER: &str = "version = 1\nrevision = 3\nrequires-python = \">=3.12\"\n\n";

/// A `[[package]]` from PyPI with its edge list (`extra` is written after it, e.g. sub-tables).
fn registry(name: &str, version: &str, dependencies: &[&str], extra: &str) -> String {
    let mut text = format!(
        "[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\n"
    );
    if !dependencies.is_empty() {
        text.push_str("dependencies = [\n");
        for dependency in dependencies {
            text.push_str(&format!("    {{ {dependency} }},\n"));
        }
        text.push_str("]\n");
    }
    text.push_str(&format!(
        "sdist = {{ url = \"https://files.pythonhosted.org/packages/{name}-{version}.tar.gz\", hash = \"sha256:00\", size = 1 }}\n{extra}\n"
    ));
    text
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&UvLock, &[("uv.lock", "version = 1\n[[package]\nname =")]).unwrap_err();
    assert_eq!(error.path, "uv.lock");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("invalid TOML"), "{error}");

    let error = run_extractor(&UvLock, &[("uv.lock", "version = 1\npackage = \"requests\"\n")]).unwrap_err();
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("array of tables"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in ["", HEADER] {
        let out = run(text);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn one_package() {
    let lock = format!(
        "{HEADER}[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = {{ virtual = \".\" }}\ndependencies = [\n    {{ name = \"idna\" }},\n]\n\n[package.metadata]\nrequires-dist = [{{ name = \"idna\", specifier = \">=3\" }}]\n\n{}",
        registry("idna", "3.10", &[], "")
    );
    let out = run(&lock);
    assert_eq!(summaries(&out), ["idna@3.10 prod direct uv.lock:17"]);
    assert_eq!(out.assets[0].attr_str("purl"), Some("pkg:pypi/idna@3.10"));
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_packages() {
    let lock = format!(
        "{HEADER}[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = {{ editable = \".\" }}\ndependencies = [{{ name = \"requests\" }}]\n\n{}{}",
        registry("idna", "3.10", &[], ""),
        registry("requests", "2.32.3", &["name = \"idna\""], ""),
    );
    let out = run(&lock);
    assert_eq!(
        summaries(&out),
        [
            "idna@3.10 prod transitive uv.lock:12",
            "requests@2.32.3 prod direct uv.lock:18"
        ]
    );
}

#[test]
fn scope_from_reachability_through_dependencies_extras_and_groups() {
    // app: prod -> flask -> werkzeug; extra `postgres` -> psycopg; group `dev` -> pytest -> pluggy, and
    // pytest -> werkzeug too (still prod: prod wins); group `docs` -> sphinx -> babel; babel is also in the
    // extra (optional wins over dev). `orphan` is reachable from nothing.
    let app = r#"[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "flask" },
]

[package.optional-dependencies]
postgres = [
    { name = "babel" },
    { name = "psycopg" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]
docs = [
    { name = "sphinx" },
]

[package.metadata]
requires-dist = [
    { name = "babel", marker = "extra == 'postgres'" },
    { name = "flask", specifier = ">=3" },
    { name = "psycopg", marker = "extra == 'postgres'" },
]
provides-extras = ["postgres"]

[package.metadata.requires-dev]
dev = [{ name = "pytest", specifier = ">=8" }]
docs = [{ name = "sphinx" }]

"#;
    let lock = [
        HEADER.to_owned(),
        app.to_owned(),
        registry("babel", "2.16.0", &[], ""),
        registry("flask", "3.1.0", &["name = \"werkzeug\""], ""),
        registry("orphan", "1.0", &[], ""),
        registry("pluggy", "1.5.0", &[], ""),
        registry("psycopg", "3.2.3", &[], ""),
        registry(
            "pytest",
            "8.3.4",
            &["name = \"pluggy\"", "name = \"werkzeug\""],
            "",
        ),
        registry("sphinx", "8.1.3", &["name = \"babel\""], ""),
        registry("werkzeug", "3.1.3", &[], ""),
    ]
    .concat();
    let out = run(&lock);
    let found: Vec<String> = summaries(&out)
        .into_iter()
        .map(|s| s.rsplit_once(' ').unwrap().0.to_owned())
        .collect();
    assert_eq!(
        found,
        [
            "babel@2.16.0 optional direct",
            "flask@3.1.0 prod direct",
            "orphan@1.0 unknown transitive",
            "pluggy@1.5.0 dev transitive",
            "psycopg@3.2.3 optional direct",
            "pytest@8.3.4 dev direct",
            "sphinx@8.1.3 dev direct",
            "werkzeug@3.1.3 prod transitive",
        ]
    );
}

#[test]
fn an_edge_with_extras_follows_that_packages_optional_dependencies() {
    let lock = [
        HEADER.to_owned(),
        "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"httpx\", extra = [\"socks\"] }]\n\n[package.dev-dependencies]\ndev = [{ name = \"respx\" }]\n\n".to_owned(),
        registry("h2", "4.1.0", &[], ""),
        registry("httpx", "0.28.1", &[], "[package.optional-dependencies]\nhttp2 = [\n    { name = \"h2\" },\n]\nsocks = [\n    { name = \"socksio\" },\n]\n"),
        registry("respx", "0.22.0", &["name = \"httpx\", extra = [\"http2\"]"], ""),
        registry("socksio", "1.0.0", &[], ""),
    ]
    .concat();
    let out = run(&lock);
    let scopes: Vec<_> = out
        .assets
        .iter()
        .map(|a| {
            let dep = Dependency::from_asset(a).unwrap();
            (dep.name, dep.scope)
        })
        .collect();
    assert_eq!(
        scopes,
        [
            ("h2".to_owned(), DependencyScope::Dev),
            ("httpx".to_owned(), DependencyScope::Prod),
            ("respx".to_owned(), DependencyScope::Dev),
            ("socksio".to_owned(), DependencyScope::Prod),
        ]
    );
}

#[test]
fn sources_other_than_pypi_are_marked_and_own_packages_skipped() {
    let lock = format!(
        r#"{HEADER}[[package]]
name = "app"
version = "0.1.0"
source = {{ editable = "." }}

[[package]]
name = "from-git"
version = "0.4.0"
source = {{ git = "https://github.com/o/from-git?rev=v0.4.0#0123456789abcdef0123456789abcdef01234567" }}

[[package]]
name = "from-dir"
version = "1.0"
source = {{ directory = "../from-dir" }}

[[package]]
name = "from-wheel"
version = "1.0"
source = {{ path = "wheels/from_wheel-1.0-py3-none-any.whl" }}

[[package]]
name = "from-url"
version = "1.0"
source = {{ url = "https://example.com/from_url-1.0.tar.gz" }}

[[package]]
name = "private"
version = "2.0"
source = {{ registry = "https://user:s3cret@pypi.internal.example/simple" }}

[[package]]
name = "member"
version = "0.2.0"
source = {{ editable = "packages/member" }}

[[package]]
name = "old-workspace-member"
version = "0.3.0"
source = {{ workspace = true }}

[[package]]
name = "pypi-mirror-path"
version = "1.0"
source = {{ registry = "https://pypi.org/simple/" }}
"#
    );
    let out = run(&lock);
    let sources: Vec<_> = out
        .assets
        .iter()
        .map(|a| {
            format!(
                "{}={}",
                a.attr_str("name").unwrap(),
                a.attr_str("source").unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            "from-git=git",
            "from-dir=path",
            "from-wheel=path",
            "from-url=url",
            "private=registry:https://pypi.internal.example/simple",
            "pypi-mirror-path=-",
        ]
    );
    assert_eq!(
        summary(&out.assets[0]),
        "from-git@0.4.0 unknown transitive uv.lock:11"
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn workspace_members_and_forked_versions() {
    let lock = format!(
        r#"{HEADER}resolution-markers = [
    "python_full_version >= '3.13'",
    "python_full_version < '3.13'",
]

[manifest]
members = [
    "api",
    "core",
]

[[package]]
name = "api"
version = "0.1.0"
source = {{ editable = "api" }}
dependencies = [
    {{ name = "core" }},
    {{ name = "numpy", version = "1.26.4", source = {{ registry = "https://pypi.org/simple" }}, marker = "python_full_version < '3.13'" }},
    {{ name = "numpy", version = "2.2.0", source = {{ registry = "https://pypi.org/simple" }}, marker = "python_full_version >= '3.13'" }},
]

[[package]]
name = "core"
version = "0.1.0"
source = {{ editable = "core" }}
dependencies = [{{ name = "attrs" }}]

{}{}{}"#,
        registry("attrs", "24.3.0", &[], ""),
        registry("numpy", "1.26.4", &[], ""),
        registry("numpy", "2.2.0", &[], ""),
    );
    let out = run(&lock);
    assert_eq!(
        summaries(&out),
        [
            "attrs@24.3.0 prod direct uv.lock:33",
            "numpy@1.26.4 prod direct uv.lock:39",
            "numpy@2.2.0 prod direct uv.lock:45",
        ]
    );
}

#[test]
fn non_project_workspace_roots_come_from_the_manifest() {
    // A `[tool.uv.workspace]` root without `[project]`: no own package; the manifest holds its groups.
    let lock = [
        HEADER.to_owned(),
        "[manifest]\nrequirements = [{ name = \"click\", specifier = \">=8\" }]\n\n[manifest.dependency-groups]\ndev = [{ name = \"ruff\", specifier = \">=0.8\" }]\n\n".to_owned(),
        registry("click", "8.1.8", &[], ""),
        registry("ruff", "0.8.4", &[], ""),
    ]
    .concat();
    let out = run(&lock);
    assert_eq!(
        summaries(&out),
        [
            "click@8.1.8 prod direct uv.lock:12",
            "ruff@0.8.4 dev direct uv.lock:18"
        ]
    );

    // The version 2 preview renames `[manifest]` to `[workspace]` and wraps each group's list.
    let lock = [
        "version = 2\n\n[workspace]\n\n[workspace.dependency-groups]\nlint = { requires-python = \">=3.12\", dependencies = [{ name = \"ruff\" }] }\n\n".to_owned(),
        registry("ruff", "0.8.4", &[], ""),
    ]
    .concat();
    let out = run(&lock);
    assert_eq!(summaries(&out), ["ruff@0.8.4 dev direct uv.lock:9"]);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn without_any_root_directness_is_unknown() {
    let out = run(&[HEADER, &registry("idna", "3.10", &[], "")].concat());
    assert_eq!(summaries(&out), ["idna@3.10 unknown direct? uv.lock:6"]);
}

#[test]
fn broken_entries_are_warnings_and_the_rest_is_read() {
    let lock = format!(
        "version = 9\n\n[[package]]\nversion = \"1.0\"\n\n[[package]]\nname = \"no-version\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\n\n[[package]]\nname = \"odd-source\"\nversion = \"1.0\"\nsource = {{ svn = \"x\" }}\n\n[[package]]\nname = \"no-source\"\nversion = \"1.0\"\n\n{}",
        registry("ok", "1.0", &["name = \"missing-target\"", "name = 42"], "")
    );
    let out = run(&lock);
    assert_eq!(
        summaries(&out),
        [
            "no-source@1.0 unknown direct? uv.lock:16",
            "ok@1.0 unknown direct? uv.lock:20"
        ]
    );
    let diagnostics: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        diagnostics,
        [
            (Some(1), "unknown uv.lock version; reading it as version 1"),
            (Some(3), "[[package]] without a string `name`; skipped"),
            (Some(11), "`odd-source` has an unknown `source`; skipped"),
            (Some(7), "`no-version` has no string `version`; skipped"),
            (Some(16), "`no-source` has no `source`; read as a PyPI package"),
        ]
    );
}

#[test]
fn real_lockfile() {
    // astral-sh/uv 26a9dd4 scripts/benchmark/uv.lock (MIT/Apache-2.0), checked with python3's tomllib:
    // 77 [[package]] entries, one the editable project `benchmark` with 7 dependencies, 76 from PyPI.
    // A walk from `benchmark` through `dependencies` reaches 73 of them; following the extras its edges ask
    // for (`httpx[socks]`, `hishel[httpx]`, `pbs-installer[download,install]`, `cachecontrol[filecache]`)
    // reaches all 76, so every one is prod. socksio (line 1107) is only reachable through `httpx[socks]`.
    let out = run(&fixture("uv-scripts-benchmark-26a9dd4.uv.lock"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let deps: Vec<Dependency> = out
        .assets
        .iter()
        .map(|a| Dependency::from_asset(a).unwrap())
        .collect();
    assert_eq!(deps.len(), 76);
    assert!(deps.iter().all(|d| d.scope == DependencyScope::Prod));
    assert_eq!(deps.iter().filter(|d| d.direct == Some(true)).count(), 7);
    assert!(out.assets.iter().all(|a| a.attr_str("source").is_none()));
    let found = summaries(&out);
    assert_eq!(found[0], "anyio@4.14.2 prod transitive uv.lock:15");
    assert!(found.contains(&"socksio@1.0.0 prod transitive uv.lock:1107".to_owned()));
    assert!(
        found.contains(&"virtualenv@20.36.1 prod direct uv.lock:1204".to_owned()),
        "{found:?}"
    );
}

#[test]
fn truncated_input_never_panics() {
    let lock = fixture("uv-scripts-benchmark-26a9dd4.uv.lock");
    for cut in (0..lock.len()).step_by(lock.len() / 80) {
        let Some(prefix) = lock.get(..cut) else { continue };
        let _ = run_extractor(&UvLock, &[("uv.lock", prefix)]);
    }
}

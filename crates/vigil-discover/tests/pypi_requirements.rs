//! Fixture ladder for `pypi/requirements`.

mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, Ecosystem, NotChecked};
use vigil_discover::extractors::pypi_requirements::PipRequirements;
use vigil_discover::{Extractor, Output};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/pypi/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&PipRequirements, files).unwrap_or_else(|e| panic!("{e}"))
}

/// `name@version scope direct path:line`, one string per asset.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).expect("a dependency asset");
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

/// Diagnostic locations in file order (the crate sorts diagnostics after extraction anyway).
fn diagnostics(out: &Output) -> Vec<String> {
    let mut sorted = out.diagnostics.clone();
    sorted.sort();
    sorted
        .iter()
        .map(|d| format!("{}:{}", d.path, d.line.unwrap_or(0)))
        .collect()
}

#[test]
fn claims_requirements_files_only() {
    let claims = |path: &str| PipRequirements.claims(path, path.rsplit('/').next().unwrap());
    for path in [
        "requirements.txt",
        "requirements-dev.txt",
        "requirements_test.txt",
        "dev-requirements.txt",
        "test_requirements.txt",
        "api/requirements.txt",
        "requirements/prod.txt",
        "api/requirements/base.txt",
    ] {
        assert!(claims(path), "{path}");
    }
    for path in [
        "requirements.in",
        "requirements.txt.bak",
        "notes.txt",
        "docs/requirements.md",
        "requirements/x/y.txt",
    ] {
        assert!(!claims(path), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &PipRequirements,
        &[("requirements.txt", "# deps\n{\"name\": \"x\"}\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, "requirements.txt");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("not a pip requirements file"), "{error}");

    let error = run_extractor(
        &PipRequirements,
        &[("requirements.txt", "Install these with pip, then run it\n")],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(1));
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    let documents = [
        "",
        "\n\n",
        "# nothing yet\n",
        "--index-url https://pypi.org/simple\n--extra-index-url=https://mirror.example/simple\n--pre\n",
    ];
    for text in documents {
        let out = run(&[("requirements.txt", text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}");
        assert!(out.not_checked.is_empty(), "{text}");
    }
}

#[test]
fn one_requirement() {
    let out = run(&[("requirements.txt", "flask==2.0.1\n")]);
    assert_eq!(summaries(&out), ["flask@2.0.1 prod direct requirements.txt:1"]);
    assert_eq!(out.assets[0].attr_str("purl"), Some("pkg:pypi/flask@2.0.1"));
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.not_checked.is_empty());
}

#[test]
fn two_requirements_with_comments_and_blank_lines() {
    let text = "# web\nFlask==2.0.1  # the framework\n\n  Django_REST.framework == 3.14.0\n";
    let out = run(&[("api/requirements.txt", text)]);
    assert_eq!(
        summaries(&out),
        [
            "Flask@2.0.1 prod direct api/requirements.txt:2",
            "Django_REST.framework@3.14.0 prod direct api/requirements.txt:4"
        ],
        "names are kept as written"
    );
}

#[test]
fn unpinned_requirements_make_one_not_checked_entry_per_file() {
    let text = "\
flask>=2.0
requests
django==4.*
numpy~=1.26
pinned==1.0.0
attrs>=22,<24
celery[redis]
pinned[extra]
mylib @ git+https://github.com/o/mylib.git@v1
git+https://github.com/o/other.git@abc#egg=other
./vendor/localpkg
dist/pkg-1.0-py3-none-any.whl
-e git+https://github.com/o/editable.git#egg=editable
-e .
";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(summaries(&out), ["pinned@1.0.0 prod direct requirements.txt:5"]);
    assert_eq!(
        out.not_checked,
        [NotChecked {
            what: "requirements.txt".into(),
            why:
                "11 requirements are not pinned to one version (flask>=2.0, requests, django==4.*, …): they \
                  cannot be matched against advisories; pin them or commit a lock file"
                    .into(),
        }],
        "`pinned[extra]` installs the pinned version and `-e .` is the project itself"
    );
    assert!(out.diagnostics.is_empty());

    let out = run(&[("requirements.txt", "requests\n")]);
    assert_eq!(
        out.not_checked[0].why,
        "1 requirement is not pinned to one version (requests): it cannot be matched against advisories; pin it \
         or commit a lock file"
    );
}

#[test]
fn markers_extras_and_arbitrary_equality() {
    let text = "pywin32==306 ; sys_platform == \"win32\"\ncelery[sqs, redis]==5.3.0;python_version>='3.8'\nlegacy===1.0-custom\n";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(
        summaries(&out),
        [
            "pywin32@306 prod direct requirements.txt:1",
            "celery@5.3.0 prod direct requirements.txt:2",
            "legacy@1.0-custom prod direct requirements.txt:3",
        ]
    );
    let markers: Vec<_> = out.assets.iter().map(|a| a.attr_str("marker")).collect();
    assert_eq!(
        markers,
        [
            Some("sys_platform == \"win32\""),
            Some("python_version>='3.8'"),
            None
        ]
    );
}

#[test]
fn hashes_and_continuation_lines() {
    let text = "\
certifi==2024.2.2 \\
    --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \\
    --hash=sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1
idna==3.6 --hash=sha256:c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f
six\\
==1.16.0
";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(
        summaries(&out),
        [
            "certifi@2024.2.2 prod direct requirements.txt:1",
            "idna@3.6 prod direct requirements.txt:4",
            "six@1.16.0 prod direct requirements.txt:5",
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn pip_compile_via_annotations_tell_direct_from_transitive() {
    let text = "\
#
# This file is autogenerated by pip-compile with Python 3.12
# by the following command:
#
#    pip-compile --generate-hashes requirements.in
#
blinker==1.7.0 \\
    --hash=sha256:c3f865d4d54db7abc53758a01601cf343fe55b84c1de4e3fa910e420b438d5b9
    # via flask
click==8.1.7
    # via
    #   -r requirements.in
    #   flask
flask==3.0.0
    # via -r requirements.in
itsdangerous==2.1.2
    # via
    #   flask
    #   itsdangerous-helper
myapp-core==1.0.0
    # via my-app (pyproject.toml)
werkzeug==3.0.1  # via flask, -r requirements.in
jinja2==3.1.3  # via flask
unannotated==1.0.0
";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(
        summaries(&out),
        [
            "blinker@1.7.0 prod transitive requirements.txt:7",
            "click@8.1.7 prod direct requirements.txt:10",
            "flask@3.0.0 prod direct requirements.txt:14",
            "itsdangerous@2.1.2 prod transitive requirements.txt:16",
            "myapp-core@1.0.0 prod direct requirements.txt:20",
            "werkzeug@3.0.1 prod direct requirements.txt:22",
            "jinja2@3.1.3 prod transitive requirements.txt:23",
            "unannotated@1.0.0 prod direct requirements.txt:24",
        ]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn scope_comes_from_the_file_name() {
    let scope = |path: &str| {
        let out = run(&[(path, "a==1.0\n")]);
        Dependency::from_asset(&out.assets[0]).unwrap().scope.as_str()
    };
    assert_eq!(scope("requirements-dev.txt"), "dev");
    assert_eq!(scope("dev-requirements.txt"), "dev");
    assert_eq!(scope("requirements_test.txt"), "dev");
    assert_eq!(scope("requirements/test.txt"), "dev");
    assert_eq!(scope("requirements/development.txt"), "dev");
    assert_eq!(scope("requirements-tests.txt"), "dev");
    assert_eq!(scope("requirements/prod.txt"), "prod");
    assert_eq!(
        scope("requirements-latest.txt"),
        "prod",
        "`latest` is not the word `test`"
    );
}

#[test]
fn includes_are_followed_with_evidence_in_the_included_file() {
    let dev = "-r requirements.txt\n--requirement=tools/common.txt\npytest==8.0.0\n-c constraints.txt\n";
    let prod = "flask==2.0.1\nrequests\n";
    let common = "# shared tooling\nblack==24.1.0\n-r ../requirements.txt\nruff\n";
    let out = run(&[
        ("requirements-dev.txt", dev),
        ("requirements.txt", prod),
        ("tools/common.txt", common),
        ("constraints.txt", "flask==9.9.9\n"),
    ]);
    assert_eq!(
        summaries(&out),
        [
            "flask@2.0.1 prod direct requirements.txt:1",
            "black@24.1.0 dev direct tools/common.txt:2",
            "pytest@8.0.0 dev direct requirements-dev.txt:3",
        ],
        "a file read through -r twice is read once; constraints install nothing"
    );
    // requirements.txt is read on its own by the walk and reports its own unpinned `requests` there;
    // tools/common.txt is not, so its `ruff` is reported here.
    assert_eq!(out.not_checked.len(), 1);
    assert_eq!(out.not_checked[0].what, "tools/common.txt");
    assert!(
        out.not_checked[0].why.contains("(ruff)"),
        "{}",
        out.not_checked[0].why
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn missing_and_escaping_includes_are_warnings() {
    let text = "-r missing.txt\n-r ../../outside.txt\n-r https://example.com/reqs.txt\n-r\nflask==2.0.1\n";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(summaries(&out), ["flask@2.0.1 prod direct requirements.txt:5"]);
    assert_eq!(
        diagnostics(&out),
        [
            "requirements.txt:1",
            "requirements.txt:2",
            "requirements.txt:3",
            "requirements.txt:4"
        ]
    );
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.line == Some(1) && d.message.contains("`missing.txt` does not exist"))
    );
}

#[test]
fn include_cycles_are_reported_and_broken() {
    let a = "-r requirements-b.txt\nalpha==1.0\n";
    let b = "beta==2.0\n-r requirements.txt\n";
    let out = run(&[("requirements.txt", a), ("requirements-b.txt", b)]);
    assert_eq!(
        summaries(&out),
        [
            "beta@2.0 prod direct requirements-b.txt:1",
            "alpha@1.0 prod direct requirements.txt:2"
        ]
    );
    assert_eq!(diagnostics(&out), ["requirements-b.txt:2"]);
    assert!(
        out.diagnostics[0].message.contains("cycle"),
        "{}",
        out.diagnostics[0].message
    );

    let out = run(&[("requirements.txt", "-r requirements.txt\nalpha==1.0\n")]);
    assert_eq!(out.assets.len(), 1);
    assert_eq!(diagnostics(&out), ["requirements.txt:1"]);
}

#[test]
fn include_depth_is_limited() {
    let mut files: Vec<(String, String)> = (0..15)
        .map(|i| {
            (
                format!("level{i}.txt"),
                format!("-r level{}.txt\npkg{i}==1.0\n", i + 1),
            )
        })
        .collect();
    files.insert(0, ("requirements.txt".into(), "-r level0.txt\n".into()));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let out = run(&borrowed);
    assert_eq!(
        out.assets.len(),
        10,
        "requirements.txt and ten levels of includes below it"
    );
    assert_eq!(diagnostics(&out), ["level9.txt:1"]);
    assert!(
        out.diagnostics[0].message.contains("deeper than 10"),
        "{}",
        out.diagnostics[0].message
    );
}

#[test]
fn a_bad_line_is_a_warning_and_the_rest_is_read() {
    let text = "flask==2.0.1\nnot a requirement at all\n--frobnicate\ndjango>=\nrequests==2.31.0\n";
    let out = run(&[("requirements.txt", text)]);
    assert_eq!(
        summaries(&out),
        [
            "flask@2.0.1 prod direct requirements.txt:1",
            "requests@2.31.0 prod direct requirements.txt:5"
        ]
    );
    assert_eq!(
        diagnostics(&out),
        ["requirements.txt:2", "requirements.txt:3", "requirements.txt:4"]
    );
}

#[test]
fn real_requirements_files() {
    // pygoat (MIT): 34 lines, every one `name==version`.
    let out = run(&[("requirements.txt", &fixture("pygoat.requirements.txt"))]);
    assert_eq!(out.assets.len(), 34);
    assert!(out.assets.iter().all(|a| summary(a).contains(" prod direct ")));
    assert_eq!(
        summary(&out.assets[0]),
        "argon2-cffi@21.3.0 prod direct requirements.txt:1"
    );
    assert_eq!(
        summary(&out.assets[33]),
        "zipp@3.8.0 prod direct requirements.txt:34"
    );
    assert!(out.not_checked.is_empty() && out.diagnostics.is_empty());

    // terragoat's packages (Apache-2.0): one line with a trailing space and a blank line.
    let out = run(&[(
        "requirements.txt",
        &fixture("terragoat-packages.requirements.txt"),
    )]);
    assert_eq!(summaries(&out), ["django@1.2 prod direct requirements.txt:1"]);

    // DefectDojo 7cfa159 (BSD-3-Clause): grep counts 64 lines with `==` outside comments; `bleach[css]`
    // adds an extra to the pinned bleach, and django-tagulous comes from a git commit.
    let out = run(&[(
        "requirements.txt",
        &fixture("defectdojo-7cfa159.requirements.txt"),
    )]);
    assert_eq!(out.assets.len(), 64);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let django = out
        .assets
        .iter()
        .find(|a| a.attr_str("name") == Some("Django"))
        .unwrap();
    assert_eq!(summary(django), "Django@5.2.15 prod direct requirements.txt:23");
    let pillow = out
        .assets
        .iter()
        .find(|a| a.attr_str("name") == Some("Pillow"))
        .unwrap();
    assert_eq!(summary(pillow), "Pillow@12.3.0 prod direct requirements.txt:33");
    assert_eq!(out.not_checked.len(), 1);
    assert!(
        out.not_checked[0].why.starts_with("1 requirement is not pinned"),
        "{}",
        out.not_checked[0].why
    );
    assert!(
        out.not_checked[0]
            .why
            .contains("git+https://github.com/valentijnscholten/django-tagulous")
    );
}

#[test]
fn truncated_and_odd_input_never_panics() {
    let text = fixture("defectdojo-7cfa159.requirements.txt");
    for cut in (0..text.len()).step_by(5) {
        let Some(prefix) = text.get(..cut) else { continue };
        let _ = run_extractor(&PipRequirements, &[("requirements.txt", prefix)]);
    }
    let odd = [
        "\\",
        "a\\",
        "#\\\nb==1",
        "-",
        "--",
        "-r",
        "[",
        "a[",
        "a[b",
        "a==",
        "a;",
        "a @",
        "é==1",
        "a==1;é",
        "\u{feff}a==1",
        "a==1 \\\n# c\n",
    ];
    for text in odd {
        let _ = run_extractor(&PipRequirements, &[("requirements.txt", text)]);
    }
}

//! Fixture ladder for `go/go-mod`.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::run_extractor;
use vigil_core::{Asset, Dependency, DependencyScope, Ecosystem};
use vigil_discover::Output;
use vigil_discover::extractors::go_mod::GoMod;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/lockfiles/go/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The extractor's output without the `stdlib` asset (tested on its own below): module requirements only.
fn run(files: &[(&str, &str)]) -> Output {
    let mut out = run_extractor(&GoMod, files).unwrap_or_else(|e| panic!("{e}"));
    out.assets
        .retain(|a| Dependency::from_asset(a).is_none_or(|d| d.name != "stdlib"));
    out
}

/// `version path:line version_from` of the standard library asset, if any.
fn stdlib(text: &str) -> Option<String> {
    let out = run_extractor(&GoMod, &[("go.mod", text)]).unwrap_or_else(|e| panic!("{e}"));
    let mut found = out.assets.iter().filter_map(|a| {
        let dep = Dependency::from_asset(a)?;
        (dep.name == "stdlib").then(|| {
            assert_eq!(dep.scope, DependencyScope::Prod);
            format!(
                "{} {} {}",
                dep.version,
                a.evidence[0].location(),
                a.attr_str("version_from").unwrap()
            )
        })
    });
    let first = found.next();
    assert!(found.next().is_none(), "one stdlib asset");
    first
}

#[test]
fn the_standard_library_comes_from_the_toolchain_or_go_directive() {
    assert_eq!(
        stdlib("module example.com/app\n\ngo 1.22\n\ntoolchain go1.22.4\n").as_deref(),
        Some("1.22.4 go.mod:5 toolchain directive")
    );
    assert_eq!(
        stdlib("module example.com/app\n\ngo 1.21.3\n").as_deref(),
        Some("1.21.3 go.mod:3 go directive")
    );
    assert_eq!(
        stdlib("module m\ngo 1.23\ntoolchain go1.23.1+auto\n").as_deref(),
        Some("1.23.1 go.mod:3 toolchain directive")
    );
    assert_eq!(
        stdlib("module m\ngo 1.23\ntoolchain default\n").as_deref(),
        Some("1.23 go.mod:2 go directive")
    );
    assert_eq!(stdlib("module example.com/app\n"), None);
}

/// `name@version direct|indirect path:line`, one string per asset; every Go asset has scope unknown.
fn summary(asset: &Asset) -> String {
    let dep = Dependency::from_asset(asset).unwrap();
    assert_eq!(dep.ecosystem, Ecosystem::Go);
    assert_eq!(dep.scope, DependencyScope::Unknown);
    let direct = match dep.direct {
        Some(true) => "direct",
        Some(false) => "indirect",
        None => "direct?",
    };
    format!(
        "{}@{} {direct} {}",
        dep.name,
        dep.version,
        asset.evidence[0].location()
    )
}

fn summaries(out: &Output) -> Vec<String> {
    out.assets.iter().map(summary).collect()
}

fn diagnostics(out: &Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.path, d.line.unwrap_or(0), d.message))
        .collect()
}

const SUM: &str = "github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=
github.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=
golang.org/x/sys v0.41.0/go.mod h1:OgkHotnGiDImocRcuBABYBEXf8A9a87e/uXjp9XT3ks=
";

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&GoMod, &[("go.mod", "\n{\"name\": \"not go\"}\n")]).unwrap_err();
    assert_eq!(error.path, "go.mod");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("not a go.mod"), "{error}");

    let error = run_extractor(&GoMod, &[("go.mod", "module \"example.com/x\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.contains("unterminated string"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_dependencies() {
    for text in [
        "",
        "// a comment\n\n",
        "module example.com/app\n\ngo 1.22\n\ntoolchain go1.22.4\n",
    ] {
        let out = run(&[("go.mod", text)]);
        assert!(out.assets.is_empty(), "{text}");
        assert!(out.diagnostics.is_empty(), "{text}: {:?}", out.diagnostics);
    }
}

#[test]
fn one_requirement() {
    let text = "module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n";
    let out = run(&[("go.mod", text), ("go.sum", SUM)]);
    assert_eq!(summaries(&out), ["github.com/google/uuid@v1.6.0 direct go.mod:5"]);
    assert_eq!(
        out.assets[0].attr_str("purl"),
        Some("pkg:golang/github.com/google/uuid@v1.6.0")
    );
    assert_eq!(out.assets[0].attr_str("source"), None);
    assert!(out.diagnostics.is_empty(), "{:?}", diagnostics(&out));
}

#[test]
fn two_requirements_in_a_block_with_indirect() {
    let text = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/sys v0.41.0 // indirect\n)\n";
    let out = run(&[("svc/go.mod", text), ("svc/go.sum", SUM)]);
    assert_eq!(
        summaries(&out),
        [
            "github.com/google/uuid@v1.6.0 direct svc/go.mod:6",
            "golang.org/x/sys@v0.41.0 indirect svc/go.mod:7",
        ]
    );
    // Only a `/go.mod` hash line for x/sys: that is a line, so no warning.
    assert!(out.diagnostics.is_empty(), "{:?}", diagnostics(&out));
}

#[test]
fn versions_keep_their_go_form() {
    let text = r#"module example.com/app

require (
	github.com/wcharczuk/go-chart v2.0.1+incompatible
	github.com/mpvl/unique v0.0.0-20150818121801-cbe035fff7de // indirect; kept by hand
	"github.com/quoted/path" `v1.0.0` // indirectly needed
	golang.org/x/tools/go/packages/packagestest v0.1.1-deprecated
)
"#;
    let out = run(&[("go.mod", text)]);
    assert_eq!(
        summaries(&out),
        [
            "github.com/wcharczuk/go-chart@v2.0.1+incompatible direct go.mod:4",
            "github.com/mpvl/unique@v0.0.0-20150818121801-cbe035fff7de indirect go.mod:5",
            "github.com/quoted/path@v1.0.0 direct go.mod:6",
            "golang.org/x/tools/go/packages/packagestest@v0.1.1-deprecated direct go.mod:7",
        ]
    );
}

#[test]
fn replacements_by_module_and_by_directory() {
    let text = "module example.com/app

go 1.21

require (
	github.com/a/lib v1.0.0
	github.com/b/lib v1.2.0
	github.com/c/lib v0.3.0 // indirect
	github.com/d/lib v2.0.0+incompatible
)

replace github.com/a/lib => github.com/fork/lib v1.0.1

replace (
	github.com/b/lib v1.2.0 => ../b-lib
	github.com/b/lib => github.com/never/used v9.9.9
	github.com/c/lib v0.1.0 => github.com/other/version v0.1.1
)

exclude github.com/d/lib v1.9.0
retract [v0.1.0, v0.2.0] // published by mistake
";
    let out = run(&[("go.mod", text)]);
    assert_eq!(
        summaries(&out),
        [
            "github.com/fork/lib@v1.0.1 direct go.mod:6",
            "github.com/b/lib@v1.2.0 direct go.mod:7",
            "github.com/c/lib@v0.3.0 indirect go.mod:8",
            "github.com/d/lib@v2.0.0+incompatible direct go.mod:9",
        ]
    );
    let fork = &out.assets[0];
    assert_eq!(fork.attr_str("replaced_module"), Some("github.com/a/lib@v1.0.0"));
    assert_eq!(fork.attribute_lines.get("replaced_module"), Some(&12));
    assert_eq!(fork.attr_str("source"), None);
    // The versioned replacement wins over the unversioned one for the same module, as in Go.
    let local = &out.assets[1];
    assert_eq!(local.attr_str("source"), Some("path"));
    assert_eq!(local.attr_str("replaced_by"), Some("../b-lib"));
    assert_eq!(local.attribute_lines.get("replaced_by"), Some(&15));
    // A replacement for another version does not apply.
    assert_eq!(out.assets[2].attr_str("replaced_module"), None);
    // No go.sum at all: one warning for the file, not one per module.
    assert_eq!(
        diagnostics(&out),
        ["go.mod:0 no go.sum beside go.mod: the checksums of the required modules are not recorded"]
    );
}

#[test]
fn a_requirement_missing_from_go_sum_is_a_warning() {
    let text = "module example.com/app\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgithub.com/google/uuid/extra v1.0.0\n\tgithub.com/local/x v1.0.0\n)\n\nreplace github.com/local/x => ./x\n";
    let out = run(&[("go.mod", text), ("go.sum", SUM)]);
    assert_eq!(out.assets.len(), 3);
    // A directory replacement has no checksum to record.
    assert_eq!(
        diagnostics(&out),
        [
            "go.mod:5 github.com/google/uuid/extra v1.0.0 has no line in go.sum: go.mod and go.sum are out of step (`go mod tidy` records it)"
        ]
    );
}

#[test]
fn bad_lines_are_warnings_and_the_rest_is_read() {
    let text = "module example.com/app\n\ngo 1.22\n\nfrobnicate github.com/x v1\nrequire github.com/only/path\nrequire (\n\tgithub.com/ok/one v1.0.0\n\tgithub.com/bad \"v1\n\tgithub.com/ok/two v1.0.0 extra\n)\nreplace github.com/ok/one =>\nfuture (\n\tanything goes here\n)\nrequire (\n\tgithub.com/ok/three v3.0.0\n";
    let out = run(&[("go.mod", text)]);
    assert_eq!(
        summaries(&out),
        [
            "github.com/ok/one@v1.0.0 direct go.mod:8",
            "github.com/ok/three@v3.0.0 direct go.mod:17"
        ]
    );
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(
        lines,
        [
            Some(5),
            Some(6),
            Some(9),
            Some(10),
            Some(12),
            Some(13),
            Some(16),
            None
        ],
        "{:?}",
        diagnostics(&out)
    );
    assert!(
        out.diagnostics[0]
            .message
            .contains("unknown directive `frobnicate`")
    );
    assert!(out.diagnostics[6].message.contains("never closed"));
}

#[test]
fn a_file_without_module_line_is_read_with_a_warning() {
    let out = run(&[
        ("go.mod", "require github.com/google/uuid v1.6.0\n"),
        ("go.sum", SUM),
    ]);
    assert_eq!(summaries(&out), ["github.com/google/uuid@v1.6.0 direct go.mod:1"]);
    assert_eq!(out.diagnostics.len(), 1);
    assert!(out.diagnostics[0].message.contains("no `module` directive"));
}

#[test]
fn windows_line_endings_and_a_byte_order_mark() {
    let text = "\u{feff}module example.com/app\r\n\r\nrequire (\r\n\tgithub.com/google/uuid v1.6.0 // indirect\r\n)\r\n";
    let out = run(&[("go.mod", text), ("go.sum", SUM)]);
    assert_eq!(
        summaries(&out),
        ["github.com/google/uuid@v1.6.0 indirect go.mod:4"]
    );
    assert!(out.diagnostics.is_empty(), "{:?}", diagnostics(&out));
}

#[test]
fn real_go_mod_files() {
    // Threagile 74e323e (MIT): three require blocks, 52 requirements, 15 without `// indirect`
    // (counted with python3: lines of the blocks, split on `//`). Its go.sum is behind its go.mod:
    // `grep golang.org/x/crypto threagile-74e323e.go.sum` shows only v0.48.0 for the required v0.45.0,
    // and x/text has v0.3.0 and v0.34.0 for the required v0.31.0: the two warnings.
    let out = run(&[
        ("go.mod", &fixture("threagile-74e323e.go.mod")),
        ("go.sum", &fixture("threagile-74e323e.go.sum")),
    ]);
    assert_eq!(out.assets.len(), 52);
    let direct = out
        .assets
        .iter()
        .filter(|a| a.attr_bool("direct") == Some(true))
        .count();
    assert_eq!(direct, 15);
    assert_eq!(
        summary(&out.assets[0]),
        "github.com/chzyer/readline@v1.5.1 direct go.mod:6"
    );
    let found = summaries(&out);
    assert!(found.contains(&"github.com/spf13/cobra@v1.9.1 direct go.mod:55".to_owned()));
    assert!(found.contains(&"golang.org/x/sys@v0.41.0 indirect go.mod:41".to_owned()));
    assert_eq!(
        out.diagnostics.iter().map(|d| d.line).collect::<Vec<_>>(),
        [Some(15), Some(16)],
        "{:?}",
        diagnostics(&out)
    );

    // golang/vulndb a752ea5 (BSD-3-Clause): `godebug` and `toolchain` directives, 85 requirements,
    // 33 direct (same python3 count), every one with a go.sum line.
    let out = run(&[
        ("go.mod", &fixture("vulndb-a752ea5.go.mod")),
        ("go.sum", &fixture("vulndb-a752ea5.go.sum")),
    ]);
    assert_eq!(out.assets.len(), 85);
    let direct = out
        .assets
        .iter()
        .filter(|a| a.attr_bool("direct") == Some(true))
        .count();
    assert_eq!(direct, 33);
    assert!(out.diagnostics.is_empty(), "{:?}", diagnostics(&out));
    assert_eq!(
        summary(&out.assets[0]),
        "cloud.google.com/go/errorreporting@v0.4.0 direct go.mod:18"
    );
}

#[test]
fn agpl_go_mod_read_in_place() {
    // OWASP/wrongsecrets aws/ (AGPL-3.0, not copied into fixtures/): one direct requirement on a line of
    // its own and 34 indirect ones in a block (python3 count as above), all in its go.sum.
    let dir = format!("{}/../../../shared/data/lockfiles/go", env!("CARGO_MANIFEST_DIR"));
    let (Ok(module), Ok(sum)) = (
        std::fs::read_to_string(format!("{dir}/wrongsecrets-aws.go.mod")),
        std::fs::read_to_string(format!("{dir}/wrongsecrets-aws.go.sum")),
    ) else {
        println!("skipped: ../shared/data not present");
        return;
    };
    let out = run(&[("aws/go.mod", &module), ("aws/go.sum", &sum)]);
    assert_eq!(out.assets.len(), 35);
    assert_eq!(
        summary(&out.assets[0]),
        "github.com/gruntwork-io/terratest@v0.56.0 direct aws/go.mod:7"
    );
    assert_eq!(
        out.assets
            .iter()
            .filter(|a| a.attr_bool("direct") == Some(false))
            .count(),
        34
    );
    assert!(out.diagnostics.is_empty(), "{:?}", diagnostics(&out));
}

#[test]
fn truncated_input_never_panics() {
    let text = fixture("threagile-74e323e.go.mod");
    for cut in (0..text.len()).step_by(7) {
        let Some(prefix) = text.get(..cut) else { continue };
        let _ = run_extractor(&GoMod, &[("go.mod", prefix)]);
    }
}

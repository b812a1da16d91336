//! `function-called`: a call to a vulnerable function named by a real advisory (RustSec functions, Go
//! symbols) is found in production code, aliases included, comments ignored; no call keeps `imported` with
//! a note; the budget stops the search and says so.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use vigil_core::Scope;
use vigil_vulns::MemoryIndex;
use vigil_vulns::calls::{Budget, SourceFiles, resolve};

struct Dir(PathBuf);

impl SourceFiles for Dir {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(path)).ok()
    }
}

/// advisory id -> (reachability, first evidence, note).
fn graded(
    advisories: &str,
    files: &[(&str, &str)],
    budget: Budget,
) -> BTreeMap<String, (String, Option<String>, Option<String>)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let inventory = vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory;
    let index = MemoryIndex::load(&[&common::fixtures().join(advisories)]).unwrap();
    let mut out = vigil_vulns::run(&inventory, Some(&index));
    resolve(
        &mut out.findings,
        &inventory.imports,
        &Dir(dir.path().to_path_buf()),
        budget,
    );
    out.findings
        .iter()
        .map(|f| {
            let v = f.vulnerability.as_ref().unwrap();
            (
                f.advisory_ids[0].clone(),
                (
                    v.reachability.as_str().to_owned(),
                    v.reachability_evidence.first().map(|e| e.location()),
                    v.reachability_note.clone(),
                ),
            )
        })
        .collect()
}

const CARGO_LOCK: &str = r#"version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["grep-cli", "shlex"]

[[package]]
name = "grep-cli"
version = "0.1.5"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "shlex"
version = "1.1.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

const MAIN_RS: &str = "use grep_cli::DecompressionReader;\n\n// shlex::quote(\"x\") is only mentioned here\nfn main() {\n    let line = shlex::join(vec![\"a\", \"b\"]);\n    let _r: Option<DecompressionReader> = None;\n    println!(\"{line}\");\n}\n";

#[test]
fn rust_calls_to_vulnerable_functions() {
    let found = graded(
        "osv/rustsec-subset",
        &[
            ("Cargo.lock", CARGO_LOCK),
            ("Cargo.toml", "[package]\nname = \"app\"\n"),
            ("src/main.rs", MAIN_RS),
        ],
        Budget::default(),
    );
    // RUSTSEC-2024-0006 names shlex::join: called on line 5.
    let (grade, evidence, note) = &found["RUSTSEC-2024-0006"];
    assert_eq!(
        (grade.as_str(), evidence.as_deref()),
        ("function-called", Some("src/main.rs:5"))
    );
    assert!(note.as_ref().unwrap().contains("src/main.rs:5"));
    // RUSTSEC-2021-0071 names DecompressionReader::new: the type is used, the constructor never called.
    let (grade, _, note) = &found["RUSTSEC-2021-0071"];
    assert_eq!(grade, "imported");
    assert!(note.as_ref().unwrap().contains("not a proof"), "{note:?}");
}

const GO_MOD: &str = "module example.com/bastion\n\ngo 1.22\n\nrequire golang.org/x/crypto v0.0.0-20200128174031-69ecbb4d6d5d\n";

const SERVER_GO: &str = "package main\n\nimport (\n\t\"net\"\n\n\tcssh \"golang.org/x/crypto/ssh\"\n)\n\nfunc serve(c net.Conn, config *cssh.ServerConfig) {\n\t// cssh.Dial is not used here\n\t_, _, _, _ = cssh.NewServerConn(c, config)\n}\n";

#[test]
fn go_symbols_through_an_aliased_import() {
    let found = graded(
        "osv/go-subset",
        &[("go.mod", GO_MOD), ("cmd/server.go", SERVER_GO)],
        Budget::default(),
    );
    // GO-2021-0227 and GO-2022-0968 name ssh.NewServerConn: called through the alias on line 11.
    for id in ["GO-2021-0227", "GO-2022-0968"] {
        let (grade, evidence, _) = &found[id];
        assert_eq!(
            (grade.as_str(), evidence.as_deref()),
            ("function-called", Some("cmd/server.go:11")),
            "{id}"
        );
    }
    // GO-2021-0356 names ServerConfig.AddHostKey: the type is named, the method never called.
    assert_eq!(found["GO-2021-0356"].0, "imported");
    // GO-2024-2961 is in acme/autocert, which the code does not import.
    assert_eq!(found["GO-2024-2961"].0, "imported");
}

#[test]
fn the_budget_stops_the_search_and_says_so() {
    let budget = Budget {
        max_files: 0,
        max_bytes: 1 << 20,
        max_time: Duration::from_secs(5),
    };
    let found = graded(
        "osv/go-subset",
        &[("go.mod", GO_MOD), ("cmd/server.go", SERVER_GO)],
        budget,
    );
    let (grade, _, note) = &found["GO-2021-0227"];
    assert_eq!(grade, "imported");
    assert!(note.as_ref().unwrap().contains("budget"), "{note:?}");
}

//! Hostile and broken repositories: every malformed file is a diagnostic naming the file and line, the run
//! goes on, the output says what was not checked, and nothing panics. A wrong configuration key is a usage
//! error naming its line.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::fs;
use std::path::Path;

use common::{stderr, vigil};

fn write(root: &Path, path: &str, text: impl AsRef<[u8]>) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, text).unwrap();
}

fn broken_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "api/package-lock.json",
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\n",
    );
    write(
        root,
        "worker/requirements.txt",
        "flask==2.0.1\n=== not a requirement\nrequests>=2\n",
    );
    write(
        root,
        "ledger/Cargo.lock",
        "version = 3\n\n[[package]\nname = \"x\"\n",
    );
    write(
        root,
        "worker/poetry.lock",
        "[[package]]\nname = \"a\"\nversion = [\n",
    );
    write(
        root,
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n\nresource {\n",
    );
    write(
        root,
        "infra/ok.tf",
        "resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  acl = \"public-read\"\n}\nresource \"aws_s3_bucket\" \"b\" {}\n",
    );
    write(
        root,
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  a:\n    steps: [\n",
    );
    write(root, ".github/CODEOWNERS", "* @org/team\n");
    // A binary that claims to be a lockfile, and a YAML alias bomb.
    fs::write(root.join("Cargo.lock"), b"\x00\x01\x02binary").unwrap();
    let mut bomb =
        String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("on: push\njobs: *i\n");
    write(root, ".github/workflows/bomb.yml", &bomb);
    dir
}

#[test]
fn broken_files_are_diagnostics_and_the_run_goes_on() {
    let repo = broken_repository();
    let path = repo.path().to_str().unwrap();
    let output = vigil(&["assess", path, "--format", "json", "--as-of", "2026-11-27"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    let diagnostics = document["diagnostics"].as_array().unwrap();
    let located = |file: &str| {
        diagnostics
            .iter()
            .find(|d| d["path"] == file && d["level"] == "error")
            .unwrap_or_else(|| panic!("no error for {file}: {diagnostics:#?}"))
    };
    for file in [
        "api/package-lock.json",
        "ledger/Cargo.lock",
        "worker/poetry.lock",
        "infra/main.tf",
        ".github/workflows/ci.yml",
    ] {
        let diagnostic = located(file);
        assert!(
            diagnostic["line"].as_u64().is_some_and(|l| l >= 1),
            "{file}: no line in {diagnostic}"
        );
    }
    assert!(
        located(".github/workflows/bomb.yml")["message"]
            .as_str()
            .unwrap()
            .len()
            > 10
    );
    // One bad line in a requirements file is a warning with its line; the good pin is still read.
    let warning = diagnostics
        .iter()
        .find(|d| d["path"] == "worker/requirements.txt")
        .unwrap();
    assert_eq!(warning["line"], 2);

    let not_checked: Vec<String> = document["coverage"]["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{}: {}", n["what"].as_str().unwrap(), n["why"].as_str().unwrap()))
        .collect();
    for file in [
        "api/package-lock.json",
        "ledger/Cargo.lock",
        "worker/poetry.lock",
        "infra/main.tf",
        ".github/workflows/ci.yml",
    ] {
        assert!(
            not_checked.iter().any(|n| n.starts_with(file)),
            "{file} missing from {not_checked:#?}"
        );
    }
    assert!(
        not_checked
            .iter()
            .any(|n| n.starts_with("Cargo.lock: skipped: binary file")),
        "{not_checked:#?}"
    );
    assert!(
        not_checked.iter().any(|n| n.contains("requests>=2")),
        "{not_checked:#?}"
    );
    assert_eq!(document["coverage"]["skipped_binary"], 1);

    // What could be read still produced findings and assets.
    let findings = document["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["rule_id"] == "aws-s3-public-access"),
        "{findings:#?}"
    );
    let assets = document["inventory"]["assets"].as_array().unwrap();
    assert!(assets.iter().any(|a| a["name"] == "flask"));
}

#[test]
fn the_terminal_summary_says_what_was_not_checked() {
    let repo = broken_repository();
    let output = vigil(&["assess", repo.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = common::stdout(&output);
    assert!(text.contains("Not checked"), "{text}");
    assert!(text.contains("Diagnostics:"), "{text}");
}

#[test]
fn every_configuration_problem_names_its_line() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "vigil.toml",
        "[scope]\nname = \"x\"\nobjectivs = [\"gdpr\"]\n\n[sla]\ncritical = \"soon\"\n",
    );
    let output = vigil(&["assess", repo.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("vigil.toml:3: error: unknown key `scope.objectivs`; did you mean `scope.objectives`?"),
        "{err}"
    );
    assert!(
        err.contains("vigil.toml:6: error: `sla.critical` must be an integer"),
        "{err}"
    );
    assert!(err.contains("hint: 2 problems in the configuration"), "{err}");

    write(
        repo.path(),
        "vigil.toml",
        "[risk]\npreset = \"cvss\"\n\n[[triage]]\nstatus = \"accepted\"\nrule = \"x\"\nreason = \"r\"\nowner = \"o\"\n",
    );
    let output = vigil(&["assess", repo.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("vigil.toml:2: error: `risk.preset`: unknown value `cvss`")
            && err.contains("(expected one of: rpn, ssvc, bod-26-04)"),
        "{err}"
    );
    assert!(
        err.contains("vigil.toml:4: error: an `accepted` `[[triage]]` entry needs `expires`"),
        "{err}"
    );

    write(repo.path(), "vigil.toml", "[scope\nname = \n");
    let output = vigil(&["assess", repo.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("vigil.toml:1: error: invalid TOML"),
        "{}",
        stderr(&output)
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "Cargo.lock",
        "version = 3\n[[package]]\nname = \"secret\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let repo = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("Cargo.lock"), repo.path().join("Cargo.lock")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("linked-dir")).unwrap();
    let output = vigil(&["assess", repo.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        document["inventory"]["assets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["name"] != "secret")
    );
    assert_eq!(document["coverage"]["skipped_symlink"], 2);
}

#[test]
fn oversized_files_are_skipped_and_counted() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "vigil.toml",
        "[discover]\nmax_file_size = \"1 KiB\"\n",
    );
    write(repo.path(), "requirements.txt", "flask==2.0.1\n".repeat(200));
    let output = vigil(&["assess", repo.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["coverage"]["skipped_too_large"], 1);
    assert!(
        document["coverage"]["not_checked"][0]["why"]
            .as_str()
            .unwrap()
            .contains("over the 1024-byte cap")
    );
}

/// One file of every hostile kind the acceptance list names, each next to a readable manifest so the run
/// has something to do.
#[cfg(unix)]
fn hostile_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "requirements.txt", "flask==2.0.1\n");
    // 50 MB: over the default 8 MiB cap, never read.
    let mut big = "x = 1\n".repeat(50 * 1024 * 1024 / 6);
    big.push_str("token = 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n");
    write(root, "data/huge.py", &big);
    // Just under the cap and a single line: the secret scanner and parsers must stay linear.
    write(
        root,
        "static/bundle.min.js",
        "var a=1;".repeat(7 * 1024 * 1024 / 8),
    );
    // Invalid UTF-8 in a file an extractor must read, and in an ordinary source file.
    write(
        root,
        "worker/requirements.txt",
        b"requests==2.0.0\n\xff\xfe bad\n",
    );
    write(root, "notes.txt", b"caf\xe9\n");
    // 10,000-deep JSON as a lockfile (serde_json's recursion limit) and as an API description (the YAML
    // reader's depth budget).
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    write(
        root,
        "web/package-lock.json",
        format!("{{\"lockfileVersion\": 3, \"packages\": {deep}}}"),
    );
    write(
        root,
        "api/openapi.json",
        format!("{{\"openapi\": \"3.0.0\", \"paths\": {deep}}}"),
    );
    // Billion laughs in a Kubernetes manifest (the workflow reader's case is in `broken_repository`).
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("data: *j\n");
    write(root, "k8s/configmap.yaml", &bomb);
    // A symlink loop, a link to itself, and a directory link back to the root.
    std::os::unix::fs::symlink(root.join("loop-b"), root.join("loop-a")).unwrap();
    std::os::unix::fs::symlink(root.join("loop-a"), root.join("loop-b")).unwrap();
    std::os::unix::fs::symlink(root.join("self"), root.join("self")).unwrap();
    std::os::unix::fs::symlink(root, root.join("web/again")).unwrap();
    // Outside the root.
    std::os::unix::fs::symlink("/etc/passwd", root.join("passwd")).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn hostile_files_each_get_a_diagnostic_within_bounded_memory() {
    let repo = hostile_repository();
    let path = repo.path().to_str().unwrap();
    let output = vigil(&["inventory", path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let coverage = &document["coverage"];
    let reported: Vec<String> = coverage["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{}: {}", n["what"].as_str().unwrap(), n["why"].as_str().unwrap()))
        .chain(document["diagnostics"].as_array().unwrap().iter().map(|d| {
            format!(
                "{}:{}: {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["message"].as_str().unwrap()
            )
        }))
        .collect();
    let says = |prefix: &str, words: &str| {
        assert!(
            reported
                .iter()
                .any(|r| r.starts_with(prefix) && r.contains(words)),
            "nothing for {prefix} ({words}) in {reported:?}"
        );
    };
    says("data/huge.py", "cap");
    says("worker/requirements.txt", "UTF-8");
    says("web/package-lock.json", "recursion limit");
    says("api/openapi.json", "recursion limit");
    says("k8s/configmap.yaml", "invalid YAML");
    says("5 symbolic links", "not followed");
    says("1 binary or non-UTF-8 files", "secrets");
    assert_eq!(coverage["skipped_symlink"], 5);
    assert_eq!(coverage["skipped_too_large"], 1);
    let text = document.to_string();
    assert!(!text.contains("root:x:0"), "read through a link out of the root");
    assert!(text.contains("flask"), "the readable manifest was still read");

    // Peak RSS of the child processes so far (this test binary's, all small): bounded memory means the
    // 50 MB file was never loaded and the bomb never expanded.
    let peak_kib = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .unwrap()
        .max_rss();
    eprintln!("peak RSS of vigil runs: {} MiB", peak_kib / 1024);
    assert!(peak_kib < 160 * 1024, "peak RSS {peak_kib} KiB");
}

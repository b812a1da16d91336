//! Exporting a git revision from the object database: the right tree, nothing but regular files and
//! directories, size-capped, and the working tree, index and HEAD left as they were.

#![allow(clippy::unwrap_used)]
mod common;

use std::fs;
use std::path::Path;

use common::{Tree, commit, git};
use vigil_diff::revision::{RevisionError, export, export_to_temp};

const MIB: u64 = 1024 * 1024;

fn tree(files: &[(&str, &str)]) -> Tree {
    files
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect()
}

/// A repository with two commits, a tag on the first and a branch.
fn repository() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    let first = commit(
        root,
        &tree(&[("README.md", "one\n"), ("src/app.js", "console.log(1);\n")]),
        "first",
    );
    git(root, &["tag", "v1"]);
    let second = commit(
        root,
        &tree(&[
            ("README.md", "two\n"),
            ("src/app.js", "console.log(2);\n"),
            ("src/lib/util.js", "module.exports = {};\n"),
        ]),
        "second",
    );
    git(root, &["branch", "feature", "HEAD~1"]);
    (dir, first, second)
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap()
}

#[test]
fn revisions_resolve_by_sha_branch_tag_and_ancestry() {
    let (dir, first, second) = repository();
    for (rev, commit, readme) in [
        ("HEAD", &second, "two\n"),
        ("HEAD~1", &first, "one\n"),
        ("v1", &first, "one\n"),
        ("feature", &first, "one\n"),
        ("main", &second, "two\n"),
        (first.as_str(), &first, "one\n"),
        (&second[..10], &second, "two\n"),
    ] {
        let checkout = export_to_temp(dir.path(), rev, 8 * MIB).unwrap();
        assert_eq!(&checkout.exported.commit, commit, "{rev}");
        assert_eq!(read(checkout.path(), "README.md"), readme, "{rev}");
        assert!(!checkout.path().join(".git").exists());
    }
    let head = export_to_temp(dir.path(), "HEAD", 8 * MIB).unwrap();
    assert_eq!(head.exported.files, 3);
    assert_eq!(head.exported.skipped, 0);
    assert_eq!(read(head.path(), "src/lib/util.js"), "module.exports = {};\n");
}

#[test]
fn the_working_tree_index_and_head_are_untouched() {
    let (dir, _, second) = repository();
    let root = dir.path();
    fs::write(root.join("README.md"), "dirty\n").unwrap();
    fs::write(root.join("untracked.txt"), "new\n").unwrap();
    git(root, &["add", "untracked.txt"]);
    let status = git(root, &["status", "--porcelain"]);

    let into = tempfile::tempdir().unwrap();
    export(root, "HEAD~1", into.path(), 8 * MIB).unwrap();

    assert_eq!(git(root, &["status", "--porcelain"]), status);
    assert_eq!(git(root, &["rev-parse", "HEAD"]), second);
    assert_eq!(read(root, "README.md"), "dirty\n");
    assert_eq!(read(into.path(), "README.md"), "one\n");
    assert!(!into.path().join("untracked.txt").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_submodules_and_large_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    fs::write(root.join("small.txt"), "small\n").unwrap();
    fs::write(root.join("large.bin"), vec![b'x'; 2048]).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", root.join("passwd")).unwrap();
    git(root, &["add", "-A"]);
    // A submodule is a commit entry in the tree; its repository need not exist to be recorded.
    git(
        root,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            "160000,0123456789abcdef0123456789abcdef01234567,vendor/lib",
        ],
    );
    git(root, &["commit", "-q", "-m", "mixed"]);

    let into = tempfile::tempdir().unwrap();
    let exported = export(root, "HEAD", into.path(), 1024).unwrap();
    assert_eq!(exported.files, 1);
    assert_eq!(
        (
            exported.symlinks,
            exported.submodules,
            exported.too_large,
            exported.skipped
        ),
        (1, 1, 1, 3)
    );
    assert_eq!(read(into.path(), "small.txt"), "small\n");
    assert!(fs::symlink_metadata(into.path().join("passwd")).is_err());
    assert!(!into.path().join("large.bin").exists());
    assert!(!into.path().join("vendor/lib").exists());
}

#[test]
fn a_tree_with_an_escaping_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    fs::write(root.join("payload"), "escaped\n").unwrap();
    let blob = git(root, &["hash-object", "-w", "payload"]);
    // git itself refuses to check such a tree out, but its object database holds whatever it is given.
    let inner = git_stdin(root, &["mktree"], &format!("100644 blob {blob}\tescape.txt\n"));
    let outer = git_stdin(root, &["mktree"], &format!("040000 tree {inner}\t..\n"));
    let commit = git(root, &["commit-tree", &outer, "-m", "evil"]);

    let parent = tempfile::tempdir().unwrap();
    let into = parent.path().join("export");
    fs::create_dir(&into).unwrap();
    let error = export(root, &commit, &into, 8 * MIB).unwrap_err();
    assert!(matches!(error, RevisionError::UnsafePath { .. }), "{error}");
    assert!(error.to_string().contains("`..`"), "{error}");
    assert!(!parent.path().join("escape.txt").exists());
}

#[test]
fn an_unknown_revision_is_named_with_the_repository() {
    let (dir, _, _) = repository();
    let into = tempfile::tempdir().unwrap();
    let error = export(dir.path(), "no-such-branch", into.path(), 8 * MIB).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("unknown revision `no-such-branch` in {}", dir.path().display())
    );
    let not_a_repo = tempfile::tempdir().unwrap();
    let error = export(not_a_repo.path(), "HEAD", into.path(), 8 * MIB).unwrap_err();
    assert!(matches!(error, RevisionError::NotARepository { .. }), "{error}");
}

fn git_stdin(dir: &Path, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join(".no-global-gitconfig"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

//! `vigil diff OLD NEW` on a temporary git repository with three commits: the delta between two
//! revisions, read from the object database while the working tree stays as the developer left it.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::fs;
use std::path::Path;

use common::{stderr, stdout, vigil, workspace};

const SERVER_JS: &str = r#"const express = require("express");
const requireAuth = require("./auth");

const app = express();
app.use(express.json());

app.get("/api/products", (req, res) => {
  res.json([]);
});

app.post("/api/orders", requireAuth, (req, res) => {
  res.status(201).end();
});

app.listen(3000);
"#;

const PACKAGE_LOCK: &str = r#"{
  "name": "shop-api",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "shop-api",
      "version": "1.0.0",
      "dependencies": {
        "express": "4.21.2"
      }
    },
    "node_modules/express": {
      "version": "4.21.2",
      "resolved": "https://registry.npmjs.org/express/-/express-4.21.2.tgz",
      "license": "MIT"
    }
  }
}
"#;

const DATABASE_TF: &str = r#"resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = false
}
"#;

/// Runs git in `dir` with no user or system configuration and fixed identities and dates, so the commit
/// ids (and so the snapshot) are the same on every machine.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Vigil Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.autocrlf=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join(".no-global-gitconfig"))
        .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", message]);
}

/// HEAD~2: an Express API and a private database. HEAD~1: documentation only. HEAD: the orders
/// endpoint loses its guard, the API calls OpenAI and takes a vulnerable lodash, the database goes
/// public.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "."]);
    write(
        root,
        "vigil.toml",
        "[scope]\nname = \"orders\"\n\n[[override]]\npath = \"api/**\"\ninternet_facing = true\n",
    );
    write(
        root,
        "api/package.json",
        "{\n  \"name\": \"shop-api\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"express\": \"4.21.2\"\n  }\n}\n",
    );
    write(root, "api/package-lock.json", PACKAGE_LOCK);
    write(root, "api/src/server.js", SERVER_JS);
    write(
        root,
        "api/src/auth.js",
        "module.exports = function requireAuth(req, res, next) {\n  next();\n};\n",
    );
    write(root, "infra/database.tf", DATABASE_TF);
    commit_all(root, "orders API");

    write(root, "README.md", "# Orders\n");
    commit_all(root, "docs");

    write(
        root,
        "api/src/server.js",
        &SERVER_JS
            .replace("\"/api/orders\", requireAuth,", "\"/api/orders\",")
            .replace(
                "const requireAuth",
                "const OpenAI = require(\"openai\");\nconst _ = require(\"lodash\");\nconst requireAuth",
            ),
    );
    write(
        root,
        "api/package-lock.json",
        &PACKAGE_LOCK
            .replace(
                "\"express\": \"4.21.2\"\n      }",
                "\"express\": \"4.21.2\",\n        \"lodash\": \"4.17.15\"\n      }",
            )
            .replace(
                "    \"node_modules/express\"",
                "    \"node_modules/lodash\": {\n      \"version\": \"4.17.15\",\n      \"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz\",\n      \"license\": \"MIT\"\n    },\n    \"node_modules/express\"",
            ),
    );
    write(
        root,
        "infra/database.tf",
        &DATABASE_TF.replace("publicly_accessible = false", "publicly_accessible = true"),
    );
    commit_all(root, "assistant");
    dir
}

fn diff(repo: &Path, old: &str, new: &str, extra: &[&str]) -> std::process::Output {
    let advisories = workspace().join("examples/shop-advisories");
    let mut args = vec![
        "diff",
        old,
        new,
        "--repo",
        repo.to_str().unwrap(),
        "--advisories",
        advisories.to_str().unwrap(),
        "--as-of",
        "2026-11-27",
    ];
    args.extend(extra);
    vigil(&args)
}

#[test]
fn markdown_delta_between_two_revisions() {
    let dir = repository();
    let output = diff(dir.path(), "HEAD~1", "HEAD", &["--format", "md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for kind in [
        "endpoint lost authentication",
        "ai integration added",
        "resource became public",
        "vulnerable dependency added",
    ] {
        assert!(text.contains(&format!("| {kind} |")), "{kind}:\n{text}");
    }
    insta::with_settings!({filters => vec![(r"`[0-9a-f]{12}`", "`[commit]`")]}, {
        insta::assert_snapshot!("diff_markdown", text);
    });
}

#[test]
fn the_working_tree_and_head_are_left_alone() {
    let dir = repository();
    let root = dir.path();
    // A developer's uncommitted work: a modified tracked file and a new untracked one.
    write(root, "api/src/server.js", "// work in progress\n");
    write(root, "notes.txt", "todo\n");
    let head = git(root, &["rev-parse", "HEAD"]);
    let status = git(root, &["status", "--porcelain"]);

    let output = diff(root, "HEAD~2", "HEAD", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(root, &["status", "--porcelain"]), status);
    assert_eq!(
        fs::read_to_string(root.join("api/src/server.js")).unwrap(),
        "// work in progress\n"
    );
    // The committed revisions were assessed, not the working tree.
    let delta: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(delta["new"]["commit"].as_str().unwrap(), head);
    assert_eq!(delta["old"]["label"], "HEAD~2");
    assert!(
        delta["material_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "endpoint-lost-authentication")
    );
}

#[test]
fn fail_on_material_sets_the_exit_code() {
    let dir = repository();
    let changed = diff(dir.path(), "HEAD~1", "HEAD", &["--fail-on-material"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    assert!(stdout(&changed).contains("REASSESSMENT REQUIRED"));

    let docs_only = diff(dir.path(), "HEAD~2", "HEAD~1", &["--fail-on-material"]);
    assert_eq!(docs_only.status.code(), Some(0), "{}", stderr(&docs_only));
    assert!(stdout(&docs_only).contains("No material change"));
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let dir = repository();
    let output = diff(dir.path(), "no-such-tag", "HEAD", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!(
            "unknown revision `no-such-tag` in {}",
            dir.path().display()
        )),
        "{}",
        stderr(&output)
    );
}

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
//! A small repository assessed through the real engine, so the identities the delta matches on are the
//! ones vigil generates: two services (an Express API that calls Stripe, a Python worker), Terraform for
//! a private bucket and database, and a scope file that puts the API on the Internet.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use vigil_core::{Assessment, Scope};
use vigil_diff::ThreatDelta;
use vigil_vulns::MemoryIndex;

/// Files by root-relative path.
pub type Tree = BTreeMap<String, String>;

pub const SERVER_JS: &str = r#"// Storefront API (test fixture).
const express = require("express");
const Stripe = require("stripe");
const requireAuth = require("./auth");

const app = express();
const payments = new Stripe(process.env.STRIPE_KEY);
app.use(express.json());

app.get("/api/products", (req, res) => {
  res.json([]);
});

app.post("/api/orders", requireAuth, async (req, res) => {
  const intent = await payments.paymentIntents.create({ amount: req.body.amount, currency: "eur" });
  res.status(201).json({ id: intent.id });
});

app.listen(process.env.PORT || 3000);
"#;

pub const AUTH_JS: &str = r#"module.exports = function requireAuth(req, res, next) {
  if (!req.headers.authorization) {
    return res.status(401).end();
  }
  next();
};
"#;

pub const PACKAGE_JSON: &str = r#"{
  "name": "shop-api",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "express": "4.21.2",
    "stripe": "14.25.0"
  }
}
"#;

pub const PACKAGE_LOCK: &str = r#"{
  "name": "shop-api",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "shop-api",
      "version": "1.0.0",
      "dependencies": {
        "express": "4.21.2",
        "stripe": "14.25.0"
      }
    },
    "node_modules/express": {
      "version": "4.21.2",
      "resolved": "https://registry.npmjs.org/express/-/express-4.21.2.tgz",
      "license": "MIT"
    },
    "node_modules/stripe": {
      "version": "14.25.0",
      "resolved": "https://registry.npmjs.org/stripe/-/stripe-14.25.0.tgz",
      "license": "MIT"
    }
  }
}
"#;

pub const WORKER_PY: &str = r#""""Fulfilment worker (test fixture)."""
import yaml


def load_rates(path):
    with open(path) as handle:
        return yaml.safe_load(handle)
"#;

pub const STORAGE_TF: &str = r#"resource "aws_s3_bucket" "exports" {
  bucket = "shop-exports"
}

resource "aws_s3_bucket_public_access_block" "exports" {
  bucket                  = aws_s3_bucket.exports.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"#;

pub const DATABASE_TF: &str = r#"resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = false
}
"#;

pub fn base() -> Tree {
    let files = [
        (
            "vigil.toml",
            "[scope]\nname = \"fixture\"\n\n[[override]]\npath = \"services/api/**\"\ninternet_facing = true\n",
        ),
        ("services/api/package.json", PACKAGE_JSON),
        ("services/api/package-lock.json", PACKAGE_LOCK),
        ("services/api/src/server.js", SERVER_JS),
        ("services/api/src/auth.js", AUTH_JS),
        (
            "services/worker/pyproject.toml",
            "[project]\nname = \"shop-worker\"\nversion = \"1.0.0\"\n",
        ),
        ("services/worker/requirements.txt", "PyYAML==6.0.1\n"),
        ("services/worker/worker.py", WORKER_PY),
        (
            "infra/main.tf",
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
        ),
        ("infra/storage.tf", STORAGE_TF),
        ("infra/database.tf", DATABASE_TF),
    ];
    files
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.to_owned()))
        .collect()
}

/// Replaces `from` with `to` in one file, which must contain it.
pub fn edit(tree: &mut Tree, path: &str, from: &str, to: &str) {
    let text = tree.get_mut(path).expect(path);
    assert!(text.contains(from), "{path} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
}

/// Moves a file or every file under a directory.
pub fn rename(tree: &mut Tree, from: &str, to: &str) {
    let moved: Vec<String> = tree
        .keys()
        .filter(|p| *p == from || p.starts_with(&format!("{from}/")))
        .cloned()
        .collect();
    assert!(!moved.is_empty(), "nothing at {from}");
    for path in moved {
        let text = tree.remove(&path).unwrap();
        tree.insert(format!("{to}{}", &path[from.len()..]), text);
    }
}

pub fn write(tree: &Tree, root: &Path) {
    for (path, text) in tree {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn advisories() -> &'static MemoryIndex {
    static INDEX: OnceLock<MemoryIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let path = workspace().join("examples/shop-advisories");
        MemoryIndex::load(&[path.as_path()]).unwrap()
    })
}

/// Assesses the repository at `root` as `vigil assess` would, with the bundled example advisories.
pub fn assess_dir(root: &Path) -> Assessment {
    let scope = match std::fs::read_to_string(root.join("vigil.toml")) {
        Ok(text) => vigil_core::config::parse("vigil.toml", &text).unwrap(),
        Err(_) => Scope::default(),
    };
    vigil_engine::assess(
        root,
        vigil_engine::Options {
            scope,
            advisories: Some(advisories()),
            intel: Default::default(),
            ingest: Vec::new(),
            as_of: time::macros::date!(2026 - 11 - 27),
            generated_at: "2026-11-27T00:00:00Z".into(),
            on_stage: &|_| {},
            baseline: None,
        },
    )
    .unwrap()
}

pub fn assess(tree: &Tree) -> Assessment {
    let dir = tempfile::tempdir().unwrap();
    write(tree, dir.path());
    assess_dir(dir.path())
}

/// The delta from `old` to `new`, both assessed.
pub fn delta(old: &Tree, new: &Tree) -> ThreatDelta {
    vigil_diff::diff(&assess(old), &assess(new))
}

/// The kinds of the material changes, with their titles, for assertion messages.
pub fn kinds(delta: &ThreatDelta) -> Vec<(&'static str, String)> {
    delta
        .material_changes
        .iter()
        .map(|c| (c.kind.as_str(), c.title.clone()))
        .collect()
}

/// Asserts that every material change is of `kind`, and that there is at least one.
pub fn only(delta: &ThreatDelta, kind: &str) {
    let found = kinds(delta);
    assert!(
        !found.is_empty() && found.iter().all(|(k, _)| *k == kind),
        "expected only {kind}, found {found:#?}"
    );
    assert!(delta.reassessment_required);
}

/// Runs git in `dir` with no user or system configuration and fixed identities and dates, so commit ids
/// are the same on every machine; returns its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
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
            "core.symlinks=true",
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
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Writes `tree` into the repository at `dir` (removing files it no longer has) and commits it all.
pub fn commit(dir: &Path, tree: &Tree, message: &str) -> String {
    for path in git(dir, &["ls-files"]).lines() {
        if !tree.contains_key(path) {
            git(dir, &["rm", "-q", "--", path]);
        }
    }
    write(tree, dir);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// Every file under `root`, as text.
pub fn read_tree(root: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, tree: &mut Tree) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, tree);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                tree.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut tree = Tree::new();
    walk(root, root, &mut tree);
    tree
}

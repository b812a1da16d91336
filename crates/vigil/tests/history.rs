//! Continuous assessment end to end: `vigil assess` saves each run, and a scripted history of a repository
//! that is fixed, regressed, triaged and refactored moves its findings through their lifecycle, on SQLite and
//! (when `VIGIL_TEST_DATABASE_URL` is set) PostgreSQL. Every transition and metric is asserted exactly.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{stderr, stdout, vigil, workspace};
use vigil_store::{State, Store};

const SERVER: &str = r#"const express = require("express");
const _ = require("lodash");

const app = express();
app.use(express.json());

app.post("/api/orders", (req, res) => {
  res.status(202).json(_.pick(req.body, ["sku"]));
});

app.listen(3000);
"#;

const PUBLIC_BUCKET: &str = r#"resource "aws_s3_bucket" "images" {
  bucket = "app-images"
}

resource "aws_s3_bucket_acl" "images" {
  bucket = aws_s3_bucket.images.id
  acl    = "public-read"
}
"#;

const PRIVATE_BUCKET: &str = r#"resource "aws_s3_bucket" "images" {
  bucket = "app-images"
}

resource "aws_s3_bucket_acl" "images" {
  bucket = aws_s3_bucket.images.id
  acl    = "private"
}
"#;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn repository(root: &Path) {
    write(root, "vigil.toml", "[scope]\nname = \"app\"\n");
    write(root, "api/src/server.js", SERVER);
    write(
        root,
        "api/package.json",
        r#"{"name": "api", "version": "1.0.0", "dependencies": {"express": "4.18.2", "lodash": "4.17.15"}}"#,
    );
    let lock = fs::read_to_string(workspace().join("examples/shop/services/api/package-lock.json")).unwrap();
    write(root, "api/package-lock.json", &lock);
    write(root, "infra/storage.tf", PUBLIC_BUCKET);
}

fn assess(root: &Path, database: &str, as_of: &str, stage: &str) -> String {
    let advisories = workspace().join("examples/shop-advisories");
    let output = vigil(&[
        "assess",
        root.to_str().unwrap(),
        "--advisories",
        advisories.to_str().unwrap(),
        "--as-of",
        as_of,
        "--stage",
        stage,
        "--database",
        database,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    err.lines()
        .find(|l| l.starts_with("saved as assessment"))
        .unwrap_or_else(|| panic!("not saved: {err}"))
        .to_owned()
}

/// The state of each finding, by rule or advisory.
fn states(database: &str) -> BTreeMap<String, State> {
    let store = Store::open(database).unwrap();
    let findings = store.findings("app").unwrap();
    findings
        .into_iter()
        .map(|r| {
            let key = r
                .rule
                .clone()
                .unwrap_or_else(|| r.title.split(':').next().unwrap_or("").to_owned());
            (format!("{key} {}", r.display_id), r.state)
        })
        .collect()
}

fn in_state(states: &BTreeMap<String, State>, prefix: &str) -> Vec<State> {
    states
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, s)| *s)
        .collect()
}

#[test]
fn a_repository_changing_over_five_assessments() {
    for backend in common::store_backends() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let db = backend.url.as_str();
        repository(root);

        // 1. A pull request: everything is new.
        let saved = assess(root, db, "2026-01-01", "pr");
        assert!(
            saved.starts_with("saved as assessment 1 of app (") && saved.contains(" new)"),
            "{saved}"
        );
        let first = states(db);
        assert!(first.values().all(|s| *s == State::New), "{first:#?}");
        let lodash = in_state(&first, "lodash").len();
        assert_eq!(lodash, 3, "three lodash advisories: {first:#?}");
        let public = in_state(&first, "aws-s3-public-access");
        assert_eq!(public, vec![State::New], "{first:#?}");

        // 2. On main: the bucket is made private; the code moves down five lines (same findings).
        write(root, "infra/storage.tf", PRIVATE_BUCKET);
        write(
            root,
            "api/src/server.js",
            &format!("// orders API\n\n\n\n\n{SERVER}"),
        );
        let saved = assess(root, db, "2026-01-10", "main");
        assert!(saved.contains("1 fixed"), "{saved}");
        let second = states(db);
        assert_eq!(in_state(&second, "aws-s3-public-access"), vec![State::Fixed]);
        assert!(
            second
                .iter()
                .filter(|(k, _)| !k.starts_with("aws-s3-public-access"))
                .all(|(_, s)| *s == State::Open),
            "moving code changes nothing else: {second:#?}"
        );

        // 3. The lodash advisories are accepted until February 1st.
        write(
            root,
            "vigil.toml",
            "[scope]\nname = \"app\"\n\n[[triage]]\nstatus = \"accepted\"\npath = \"api/package-lock.json\"\n\
             reason = \"upgrade planned with the Node 22 move\"\nowner = \"@app/web\"\nexpires = 2026-02-01\n",
        );
        let saved = assess(root, db, "2026-01-20", "main");
        assert!(saved.contains("3 accepted"), "{saved}");
        let store = Store::open(db).unwrap();
        let accepted: Vec<_> = store
            .findings("app")
            .unwrap()
            .into_iter()
            .filter(|r| r.state == State::Accepted)
            .map(|r| r.accepted_until)
            .collect();
        assert_eq!(accepted, vec![Some(time::macros::date!(2026 - 02 - 01)); 3]);

        // 4. In production: the bucket is public again.
        write(root, "infra/storage.tf", PUBLIC_BUCKET);
        let saved = assess(root, db, "2026-01-25", "prod");
        assert!(saved.contains("1 reopened"), "{saved}");
        assert_eq!(
            in_state(&states(db), "aws-s3-public-access"),
            vec![State::Reopened]
        );

        // 5. After the acceptance expired: the lodash findings are open again; the bucket stays reopened→open.
        let saved = assess(root, db, "2026-02-10", "main");
        assert!(saved.contains("4 open"), "{saved}");
        let fifth = states(db);
        assert_eq!(in_state(&fifth, "lodash"), vec![State::Open; 3]);
        assert_eq!(in_state(&fifth, "aws-s3-public-access"), vec![State::Open]);

        let events = store.events("app").unwrap();
        let bucket: Vec<(String, String)> = events
            .iter()
            .filter(|e| {
                fifth
                    .keys()
                    .any(|k| k.starts_with("aws-s3-public-access") && k.ends_with(&short(&e.fingerprint)))
            })
            .map(|e| (e.from.clone().unwrap_or_default(), e.to.clone()))
            .collect();
        let expected: Vec<(String, String)> = [
            ("", "new"),
            ("new", "fixed"),
            ("fixed", "reopened"),
            ("reopened", "open"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(bucket, expected, "{}", backend.name);

        // The metrics, from the CLI, as JSON.
        let output = vigil(&[
            "metrics",
            "--database",
            db,
            "--as-of",
            "2026-02-10",
            "--format",
            "json",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let metrics: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        let total = first.len() as u64;
        assert_eq!(metrics["escape_rate"]["first_seen_pr"], total, "{}", backend.name);
        assert_eq!(metrics["escape_rate"]["first_seen_main"], 0);
        assert_eq!(metrics["escape_rate"]["rate_pct"], 0.0);
        assert_eq!(metrics["coverage_pct"], 100.0);
        assert_eq!(metrics["open_over_time"].as_array().unwrap().len(), 5);
        let history = vigil(&["history", "--database", db, "--format", "json"]);
        let rows: serde_json::Value = serde_json::from_str(&stdout(&history)).unwrap();
        let stages: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stage"].as_str().unwrap())
            .collect();
        assert_eq!(stages, vec!["main", "prod", "main", "main", "pr"]);
        let shown = vigil(&["show", "1", "--database", db, "--format", "json"]);
        let document: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
        assert_eq!(document["as_of"], "2026-01-01");
        // The HTML report of a saved assessment charts the open findings of the runs up to it.
        let html = stdout(&vigil(&["show", "4", "--database", db, "--format", "html"]));
        assert!(html.contains("<figure id=\"trend\">"), "{}", backend.name);
        assert_eq!(html.matches("<g><title>2026-").count(), 4);
    }
}

/// The display id is `VF-` and the fingerprint's first ten hex digits.
fn short(fingerprint: &str) -> String {
    format!("VF-{}", &fingerprint[..10])
}

#[test]
fn no_save_and_baseline_runs_leave_the_store_alone() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let db = format!("sqlite://{}", home.path().join("h.db").display());
    let run = |extra: &[&str]| {
        let mut args = vec!["assess", dir.path().to_str().unwrap(), "--database", db.as_str()];
        args.extend(extra);
        vigil(&args)
    };
    assert_eq!(run(&["--no-save"]).status.code(), Some(0));
    let output = vigil(&["history", "--database", db.as_str()]);
    assert!(
        stdout(&output).starts_with("No saved assessments"),
        "{}",
        stdout(&output)
    );
    let baseline = home.path().join("base.json");
    let json = run(&["--no-save", "--format", "json"]);
    fs::write(&baseline, &json.stdout).unwrap();
    let output = run(&["--baseline", baseline.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("not saved: a --baseline run"),
        "{}",
        stderr(&output)
    );
    let output = vigil(&["show", "1", "--database", db.as_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("assessment 1 is not in the history store"));
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let output = vigil(&["history", "--database", "mysql://x/y"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.starts_with("error: history store: unsupported database URL `mysql://x/y`"),
        "{err}"
    );
}

#[test]
fn due_lists_scopes_past_their_cadence() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    write(
        dir.path(),
        "vigil.toml",
        "[scope]\nname = \"app\"\nindustry = \"retail\"\n",
    );
    let db = format!("sqlite://{}", home.path().join("h.db").display());
    assess(dir.path(), &db, "2026-01-01", "main");
    let due = |as_of: &str| stdout(&vigil(&["due", "--database", db.as_str(), "--as-of", as_of]));
    assert_eq!(
        due("2026-06-01"),
        "app                      last assessed 2026-01-01 (every 182 days): next due 2026-07-02\n"
    );
    assert!(due("2026-07-12").ends_with("OVERDUE by 10 days\n"));
}

/// `vigil diff #OLD #NEW` compares saved assessments; its material changes are recorded as triggers that
/// `vigil due` reports until the scope is assessed again.
#[test]
fn diff_of_saved_assessments_records_reassessment_triggers() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let db = format!("sqlite://{}", home.path().join("h.db").display());
    assess(dir.path(), &db, "2026-01-01", "main");
    write(
        dir.path(),
        "api/src/server.js",
        &SERVER.replace(
            "app.listen(3000);",
            "app.delete(\"/api/orders/:id\", (req, res) => res.sendStatus(204));\n\napp.listen(3000);",
        ),
    );
    assess(dir.path(), &db, "2026-01-02", "main");
    let output = vigil(&[
        "diff",
        "#1",
        "#2",
        "--database",
        db.as_str(),
        "--format",
        "json",
        "--as-of",
        "2026-01-02",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let delta: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(delta["reassessment_required"], true);
    let kinds: Vec<&str> = delta["material_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"endpoint-added"), "{kinds:?}");
    let due = stdout(&vigil(&[
        "due",
        "--database",
        db.as_str(),
        "--as-of",
        "2026-01-03",
    ]));
    assert!(
        due.contains("DUE: material changes since the last assessment"),
        "{due}"
    );
    assert!(due.contains("endpoint-added"), "{due}");
    assess(dir.path(), &db, "2026-01-04", "main");
    let due = stdout(&vigil(&[
        "due",
        "--database",
        db.as_str(),
        "--as-of",
        "2026-01-05",
    ]));
    assert!(due.contains("next due 2026-04-05"), "{due}");
    let output = vigil(&["diff", "#1", "#9", "--database", db.as_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("assessment #9 is not in the history store"));
}

/// A finding's deadline counts from when the history first saw it: assessing again ten days later does
/// not push the roadmap's due dates out; without the history (`--no-save`) they count from the run's day.
#[test]
fn due_dates_count_from_the_first_sighting() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    repository(dir.path());
    let db = format!("sqlite://{}", home.path().join("h.db").display());
    let advisories = workspace().join("examples/shop-advisories");
    let dues = |as_of: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "assess",
            dir.path().to_str().unwrap(),
            "--advisories",
            advisories.to_str().unwrap(),
            "--as-of",
            as_of,
            "--database",
            db.as_str(),
            "--format",
            "json",
        ];
        args.extend(extra);
        let output = vigil(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        document["roadmap"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["due"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = dues("2026-01-01", &[]);
    assert_eq!(
        dues("2026-01-11", &[]),
        first,
        "the same deadlines ten days later"
    );
    let unsaved = dues("2026-01-11", &["--no-save"]);
    assert_ne!(
        unsaved, first,
        "without the history, deadlines count from the run's day"
    );
}

//! `vigil tickets sync` end to end, on each tracker's fake (`vigil_tickets::testing`): a repository is
//! assessed, its actions become tickets, a fix closes one, a regression reopens the same one, an idle sync
//! writes nothing and a ticket a person closed is reported and left closed. A dry run sends no write and
//! prints each one. Throughout, the token is looked for in everything vigil printed and sent: it may only
//! appear in the Authorization header.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use common::{stderr, stdout, workspace};
use serde_json::Value;
use tempfile::TempDir;
use vigil_tickets::jira::Deployment;
use vigil_tickets::testing::azure_devops::{AzureDevOpsSettings, FakeAzureDevOps};
use vigil_tickets::testing::github::{FakeGitHub, GitHubSettings};
use vigil_tickets::testing::jira::{FakeJira, JiraSettings};
use vigil_tickets::testing::{FakeTracker, Req, Server, StoredTicket, base64, basic_authorization};

/// The variable vigil.toml's `token_env` names in these tests; the trackers' default variables are
/// removed from the environment, so only this one can supply a credential.
const TOKEN_VARIABLE: &str = "VIGIL_TEST_TOKEN";
const DEFAULT_VARIABLES: [&str; 3] = ["GITHUB_TOKEN", "VIGIL_JIRA_TOKEN", "VIGIL_AZURE_DEVOPS_TOKEN"];
/// Each assessment runs a day after the one before: a ticket's due date counts from when the history first
/// saw its findings, so later runs leave unchanged tickets alone.
const FIRST_DAY: time::Date = time::macros::date!(2026 - 01 - 01);
const JIRA_EMAIL: &str = "bot@acme.example";

const SERVER: &str = r#"const express = require("express");
const _ = require("lodash");

const app = express();
app.use(express.json());

app.post("/api/orders", (req, res) => {
  res.status(202).json(_.pick(req.body, ["sku"]));
});

app.listen(3000);
"#;

/// A bucket hardened in every way but its ACL, so that making it private fixes every finding of its action
/// (an action gathers all the findings of one resource). Its log bucket keeps an action of its own that no
/// step touches.
const BUCKET: &str = r#"resource "aws_kms_key" "images" {
  description         = "app-images default encryption"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "logs" {
  bucket = "app-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "images" {
  bucket = "app-images"
}

resource "aws_s3_bucket_acl" "images" {
  bucket = aws_s3_bucket.images.id
  acl    = "ACL"
}

resource "aws_s3_bucket_versioning" "images" {
  bucket = aws_s3_bucket.images.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "images" {
  bucket        = aws_s3_bucket.images.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "images/"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "images" {
  bucket = aws_s3_bucket.images.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.images.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_policy" "images" {
  bucket = aws_s3_bucket.images.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.images.arn, "${aws_s3_bucket.images.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
"#;

// ---------------------------------------------------------------------------------------------------
// The trackers.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tracker {
    GitHub,
    Jira,
    /// Jira Data Center: REST v2, wiki-markup descriptions, a bearer personal access token.
    JiraDataCenter,
    AzureDevOps,
}

impl Tracker {
    /// The name `--to` and `[tickets.<name>]` use.
    fn name(self) -> &'static str {
        match self {
            Self::GitHub => "github",
            Self::Jira | Self::JiraDataCenter => "jira",
            Self::AzureDevOps => "azure-devops",
        }
    }

    fn token(self) -> String {
        let variant = if self == Self::JiraDataCenter { "-dc" } else { "" };
        format!("s3cr3t-token-for-tests-{}{variant}", self.name())
    }

    /// What sending the token as Basic authentication would show: base64 of `user:token`.
    fn basic_user(self) -> &'static str {
        match self {
            Self::GitHub | Self::AzureDevOps | Self::JiraDataCenter => "",
            Self::Jira => JIRA_EMAIL,
        }
    }

    /// The `Authorization` header the tracker expects, the only place the token may travel.
    fn authorization(self) -> String {
        match self {
            Self::GitHub | Self::JiraDataCenter => format!("Bearer {}", self.token()),
            Self::Jira | Self::AzureDevOps => basic_authorization(self.basic_user(), &self.token()),
        }
    }

    /// Whether a request changes something on the tracker (searches sent by POST are reads).
    fn writes(self, req: &Req) -> bool {
        let path = req.path.split('?').next().unwrap_or_default();
        match self {
            Self::GitHub => req.method != "GET",
            Self::Jira => req.method != "GET" && !path.ends_with("/rest/api/3/search/jql"),
            Self::JiraDataCenter => req.method != "GET" && !path.ends_with("/rest/api/2/search"),
            Self::AzureDevOps => req.method != "GET" && !path.ends_with("/_apis/wit/wiql"),
        }
    }
}

/// A fake tracker running for one test, and the vigil.toml section pointing at it.
struct Fake {
    tracker: Tracker,
    tickets: Box<dyn FakeTracker>,
    server: Server,
    section: String,
}

impl Fake {
    fn start(tracker: Tracker) -> Self {
        let token = tracker.token();
        match tracker {
            Tracker::GitHub => {
                let (fake, server) = FakeGitHub::start(GitHubSettings {
                    token,
                    repository: "acme/shop".into(),
                    api_prefix: "/api/v3".into(),
                })
                .unwrap();
                let section = format!(
                    "[tickets.github]\nbase_url = \"{}/api/v3\"\nrepository = \"acme/shop\"\nlabels = [\"security\"]\n\
                     token_env = \"{TOKEN_VARIABLE}\"\n",
                    server.url
                );
                Self {
                    tracker,
                    tickets: Box::new(fake),
                    server,
                    section,
                }
            }
            Tracker::Jira | Tracker::JiraDataCenter => {
                let settings = JiraSettings {
                    authorization: tracker.authorization(),
                    project: "VIG".into(),
                    epic: "VIG-100".into(),
                    component: "security".into(),
                };
                let (fake, server) = if tracker == Tracker::JiraDataCenter {
                    FakeJira::start_as(settings, Deployment::DataCenter)
                } else {
                    FakeJira::start(settings)
                }
                .unwrap();
                let identity = if tracker == Tracker::JiraDataCenter {
                    "deployment = \"data-center\"\n".to_owned()
                } else {
                    format!("email = \"{JIRA_EMAIL}\"\n")
                };
                let section = format!(
                    "[tickets.jira]\nbase_url = \"{}\"\nproject = \"VIG\"\n{identity}token_env = \"{TOKEN_VARIABLE}\"\n",
                    server.url
                );
                Self {
                    tracker,
                    tickets: Box::new(fake),
                    server,
                    section,
                }
            }
            Tracker::AzureDevOps => {
                let (fake, server) = FakeAzureDevOps::start(AzureDevOpsSettings {
                    authorization: tracker.authorization(),
                    organization: "acme".into(),
                    project: "Shop Platform".into(),
                })
                .unwrap();
                let section = format!(
                    "[tickets.azure-devops]\norganization_url = \"{}\"\nproject = \"Shop Platform\"\n\
                     token_env = \"{TOKEN_VARIABLE}\"\n",
                    fake.organization_url(&server)
                );
                Self {
                    tracker,
                    tickets: Box::new(fake),
                    server,
                    section,
                }
            }
        }
    }

    fn tickets(&self) -> Vec<StoredTicket> {
        self.tickets.tickets()
    }

    /// The one ticket carrying `key`.
    fn ticket(&self, key: &str) -> StoredTicket {
        let found = self.tickets.tickets_with(key);
        assert_eq!(found.len(), 1, "{key}: {found:#?}");
        found.into_iter().next().unwrap()
    }

    fn writes(&self) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| self.tracker.writes(r))
            .count()
    }
}

// ---------------------------------------------------------------------------------------------------
// A repository, its history store and everything vigil printed.

struct Session {
    tracker: Tracker,
    repository: TempDir,
    home: TempDir,
    database: String,
    /// stdout and stderr of every command run, for the credential check.
    transcript: String,
    /// Assessments run so far; each runs a day later.
    runs: i64,
}

impl Session {
    fn new(tracker: Tracker, tickets_section: &str) -> Self {
        let repository = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let database = format!("sqlite://{}", home.path().join("h.db").display());
        let root = repository.path();
        write(
            root,
            "vigil.toml",
            &format!(
                "[scope]\nname = \"app\"\n\n[tickets]\nbands = [\"critical\", \"high\", \"medium\", \"low\"]\n\n{tickets_section}"
            ),
        );
        write(root, "api/src/server.js", SERVER);
        write(
            root,
            "api/package.json",
            r#"{"name": "api", "version": "1.0.0", "dependencies": {"express": "4.18.2", "lodash": "4.17.15"}}"#,
        );
        let lock =
            fs::read_to_string(workspace().join("examples/shop/services/api/package-lock.json")).unwrap();
        write(root, "api/package-lock.json", &lock);
        let session = Self {
            tracker,
            repository,
            home,
            database,
            transcript: String::new(),
            runs: 0,
        };
        session.set_bucket_acl("public-read");
        session
    }

    fn root(&self) -> &str {
        self.repository.path().to_str().unwrap()
    }

    fn set_bucket_acl(&self, acl: &str) {
        write(
            self.repository.path(),
            "infra/storage.tf",
            &BUCKET.replace("\"ACL\"", &format!("\"{acl}\"")),
        );
    }

    /// `vigil ARGS --database DB` with `credential` (a variable and its value) as the only token in the
    /// environment.
    fn vigil_with(&mut self, args: &[&str], credential: (&str, &str)) -> Output {
        let mut command = Command::cargo_bin("vigil").unwrap();
        command
            .current_dir(workspace())
            .env("VIGIL_HOME", self.home.path())
            .env_remove("VIGIL_LOG")
            .env_remove("VIGIL_DATABASE_URL")
            .env_remove(TOKEN_VARIABLE)
            .env("NO_COLOR", "1");
        for variable in DEFAULT_VARIABLES {
            command.env_remove(variable);
        }
        command.env(credential.0, credential.1);
        let output = command
            .args(args)
            .args(["--database", &self.database])
            .output()
            .unwrap();
        self.transcript.push_str(&stdout(&output));
        self.transcript.push_str(&stderr(&output));
        output
    }

    fn vigil(&mut self, args: &[&str]) -> Output {
        let token = self.tracker.token();
        self.vigil_with(args, (TOKEN_VARIABLE, &token))
    }

    fn assess(&mut self) {
        self.runs += 1;
        let as_of = vigil_core::date::format(FIRST_DAY.saturating_add(time::Duration::days(self.runs)));
        let advisories = workspace().join("examples/shop-advisories");
        let root = self.root().to_owned();
        let output = self.vigil(&[
            "assess",
            &root,
            "--advisories",
            advisories.to_str().unwrap(),
            "--as-of",
            &as_of,
            "--format",
            "json",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }

    /// The ticket keys of the roadmap of saved assessment `id`, as `vigil show` gives it.
    fn keys_of(&mut self, id: u32) -> BTreeSet<String> {
        let output = self.vigil(&["show", &id.to_string(), "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let assessment: Value = serde_json::from_slice(&output.stdout).unwrap();
        assessment["roadmap"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| format!("vigil-{}", a["id"].as_str().unwrap()))
            .collect()
    }

    /// `vigil tickets sync` to the session's tracker; its stdout, after checking it exited with 0.
    fn sync(&mut self, extra: &[&str]) -> String {
        let root = self.root().to_owned();
        let mut args = vec!["tickets", "sync", &root, "--to", self.tracker.name()];
        args.extend(extra);
        let output = self.vigil(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
        stdout(&output)
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The sync's closing line: `github: 3 created, 0 updated, …`.
fn summary(stdout: &str, tracker: Tracker) -> String {
    stdout
        .lines()
        .find(|l| {
            l.starts_with(&format!("{}:", tracker.name())) || l.starts_with(&format!("{} (", tracker.name()))
        })
        .unwrap_or_else(|| panic!("no summary in {stdout}"))
        .to_owned()
}

fn counts(created: usize, closed: usize, reopened: usize, unchanged: usize, without_fix: usize) -> String {
    format!(
        "{created} created, 0 updated, {closed} closed, {reopened} reopened, {unchanged} unchanged, \
         {without_fix} closed without a fix, 0 failed"
    )
}

/// The token never travels or prints except in the Authorization header: not in any output of vigil, not in
/// any URL, body or other header sent to the tracker, neither plain nor encoded.
fn assert_no_credential_leak(tracker: Tracker, transcript: &str, requests: &[Req]) {
    let token = tracker.token();
    let forms = [
        token.clone(),
        base64(token.as_bytes()),
        base64(format!("{}:{token}", tracker.basic_user()).as_bytes()),
    ];
    let leaks = |text: &str| forms.iter().find(|form| text.contains(form.as_str())).cloned();
    assert_eq!(leaks(transcript), None, "printed by vigil:\n{transcript}");
    assert!(!requests.is_empty());
    for req in requests {
        assert_eq!(leaks(&req.path), None, "in the URL {}", req.path);
        assert_eq!(
            leaks(&req.body),
            None,
            "in the body of {} {}",
            req.method,
            req.path
        );
        for (name, value) in &req.headers {
            if name.eq_ignore_ascii_case("authorization") {
                assert_eq!(value, &tracker.authorization(), "{} {}", req.method, req.path);
            } else {
                assert_eq!(leaks(value), None, "in the header {name}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The lifecycle.

fn lifecycle(tracker: Tracker) {
    let fake = Fake::start(tracker);
    let mut session = Session::new(tracker, &fake.section);

    // 1. Every action of the first assessment gets one open ticket.
    session.assess();
    let keys = session.keys_of(1);
    assert!(keys.len() >= 2, "{keys:?}");
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(keys.len(), 0, 0, 0, 0)),
        "{out}"
    );
    assert_eq!(fake.tickets().len(), keys.len());
    for key in &keys {
        assert!(fake.ticket(key).open, "{key}");
    }

    // 2. The bucket is made private: its action is gone, its ticket closed, the others left alone.
    session.set_bucket_acl("private");
    session.assess();
    let remaining = session.keys_of(2);
    let fixed: Vec<&String> = keys.difference(&remaining).collect();
    assert_eq!(
        fixed.len(),
        1,
        "only the bucket's action goes: {keys:?} → {remaining:?}"
    );
    assert!(remaining.is_subset(&keys), "{remaining:?}");
    let bucket = fixed[0].clone();
    let bucket_ticket = fake.ticket(&bucket);
    let others_before: Vec<StoredTicket> = remaining.iter().map(|k| fake.ticket(k)).collect();
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(0, 1, 0, remaining.len(), 0)),
        "{out}"
    );
    let closed = fake.ticket(&bucket);
    assert!(!closed.open);
    assert_eq!(
        closed.comments,
        bucket_ticket.comments + 1,
        "closed with a comment"
    );
    let others_after: Vec<StoredTicket> = remaining.iter().map(|k| fake.ticket(k)).collect();
    assert_eq!(others_after, others_before, "the other tickets are untouched");

    // 3. The bucket is public again: the same ticket is reopened, none is created.
    session.set_bucket_acl("public-read");
    session.assess();
    assert_eq!(
        session.keys_of(3),
        keys,
        "the regression brings back the same action"
    );
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(0, 0, 1, remaining.len(), 0)),
        "{out}"
    );
    let reopened = fake.ticket(&bucket);
    assert!(reopened.open);
    assert_eq!(reopened.id, bucket_ticket.id, "the same ticket");
    assert_eq!(fake.tickets().len(), keys.len(), "no ticket created");

    // 4. Nothing changed since: nothing is written.
    let writes = fake.writes();
    let before = fake.tickets();
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(0, 0, 0, keys.len(), 0)),
        "{out}"
    );
    assert_eq!(fake.writes(), writes, "an idle sync writes nothing");
    assert_eq!(fake.tickets(), before);

    // 5. A person closes a ticket whose findings are still there: reported, not an error, left closed.
    let kept = remaining.iter().next().unwrap().clone();
    let by_hand = fake.ticket(&kept);
    assert!(fake.tickets.close_by_a_person(&by_hand.id));
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(0, 0, 0, keys.len() - 1, 1)),
        "{out}"
    );
    let line = out.lines().find(|l| l.contains(&kept)).unwrap();
    assert!(
        line.contains("closed on the tracker while its findings are still open"),
        "{line}"
    );
    assert!(!fake.ticket(&kept).open, "left closed");
    assert_eq!(fake.tickets().len(), keys.len());

    assert_no_credential_leak(tracker, &session.transcript, &fake.server.requests());
}

#[test]
fn github_issues_follow_the_roadmap_through_fix_regression_and_a_manual_close() {
    lifecycle(Tracker::GitHub);
}

#[test]
fn jira_issues_follow_the_roadmap_through_fix_regression_and_a_manual_close() {
    lifecycle(Tracker::Jira);
}

#[test]
fn jira_data_center_issues_follow_the_roadmap_through_fix_regression_and_a_manual_close() {
    lifecycle(Tracker::JiraDataCenter);
}

#[test]
fn azure_devops_work_items_follow_the_roadmap_through_fix_regression_and_a_manual_close() {
    lifecycle(Tracker::AzureDevOps);
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

fn dry_run(tracker: Tracker) {
    let fake = Fake::start(tracker);
    let mut session = Session::new(tracker, &fake.section);
    session.assess();
    let keys = session.keys_of(1);
    let out = session.sync(&["--dry-run"]);

    assert!(fake.tickets().is_empty(), "nothing created");
    assert_eq!(fake.writes(), 0, "no write reached the tracker");
    let writes: Vec<Value> = out
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(writes.len(), keys.len(), "one create per action:\n{out}");
    for write in &writes {
        assert_eq!(write["method"], "POST", "{write}");
        let url = write["url"].as_str().unwrap();
        assert!(url.starts_with(&fake.server.url), "{url}");
        assert!(write["body"].is_array() || write["body"].is_object(), "{write}");
    }
    for key in &keys {
        let carried = writes
            .iter()
            .filter(|w| w["body"].to_string().contains(key.as_str()))
            .count();
        assert_eq!(carried, 1, "{key} is created once:\n{out}");
    }
    assert!(summary(&out, tracker).contains("(dry run)"), "{out}");

    // Nothing was remembered either: a real sync creates every ticket.
    let out = session.sync(&[]);
    assert!(
        summary(&out, tracker).contains(&counts(keys.len(), 0, 0, 0, 0)),
        "{out}"
    );
    assert_no_credential_leak(tracker, &session.transcript, &fake.server.requests());
}

#[test]
fn a_dry_run_to_github_prints_each_write_and_sends_none() {
    dry_run(Tracker::GitHub);
}

#[test]
fn a_dry_run_to_jira_prints_each_write_and_sends_none() {
    dry_run(Tracker::Jira);
}

#[test]
fn a_dry_run_to_azure_devops_prints_each_write_and_sends_none() {
    dry_run(Tracker::AzureDevOps);
}

// ---------------------------------------------------------------------------------------------------
// Credentials come from the environment only.

/// The token sits in the tracker's default variable, but vigil.toml names another, unset one: the sync
/// stops before sending anything, names the variable it looked in and prints no value.
#[test]
fn a_missing_token_variable_is_named_and_nothing_is_sent() {
    let trackers = [Tracker::GitHub, Tracker::Jira, Tracker::AzureDevOps];
    for (tracker, default_variable) in trackers.into_iter().zip(DEFAULT_VARIABLES) {
        let fake = Fake::start(tracker);
        let mut session = Session::new(tracker, &fake.section);
        session.assess();
        let root = session.root().to_owned();
        let token = tracker.token();
        let output = session.vigil_with(
            &["tickets", "sync", &root, "--to", tracker.name()],
            (default_variable, &token),
        );
        assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
        let err = stderr(&output);
        assert!(
            err.contains(&format!("{}: no token in ${TOKEN_VARIABLE}", tracker.name())),
            "{err}"
        );
        assert!(!session.transcript.contains(&token), "{}", session.transcript);
        assert!(
            fake.server.requests().is_empty(),
            "{}: nothing sent",
            tracker.name()
        );
    }
}

#[test]
fn a_token_written_in_vigil_toml_is_refused_with_its_line() {
    let secret = "ghp_pasted_into_the_config_by_mistake";
    let section = format!("[tickets.github]\nrepository = \"acme/shop\"\ntoken = \"{secret}\"\n");
    let mut session = Session::new(Tracker::GitHub, &section);
    // [scope] (2 lines), a blank, [tickets] (2 lines), a blank, [tickets.github], repository, token.
    let line = fs::read_to_string(session.repository.path().join("vigil.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("token ="))
        .unwrap()
        + 1;
    assert_eq!(line, 9);
    let root = session.root().to_owned();
    let output = session.vigil(&["tickets", "sync", &root, "--to", "github"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "vigil.toml:{line}: error: `tickets.github.token`: credentials are not read from vigil.toml"
        )),
        "{err}"
    );
    assert!(err.contains("token_env"), "the fix is named: {err}");
    assert!(!err.contains(secret), "{err}");
}

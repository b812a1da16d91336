//! `vigil design FILE`: the three design documents in tests/fixtures/design (a Markdown checkout design, a
//! Jira issue for an LLM support bot, a GitHub issue for a file upload service) as Markdown snapshots, the
//! exact facts extracted from each, the threat rules that must fire on them (when the registry has them),
//! negation, bad input, merging over a repository, and the optional LLM pass against a local stub server.
//!
//! The threats part of the snapshots follows the rule registry, which grows: re-accept the snapshots when
//! rules land. The extraction assertions are exact.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use common::{stderr, stdout};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/design")
}

/// `vigil design ARGS` run from `dir` (not a repository, so the plan stands alone unless --repo says).
fn design_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::cargo_bin("vigil").unwrap();
    command
        .current_dir(dir)
        .env("VIGIL_HOME", home.path())
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_LLM_API_KEY")
        .env("NO_COLOR", "1")
        .arg("design")
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn design(args: &[&str]) -> Output {
    design_in(&fixtures(), args, &[])
}

fn markdown(file: &str) -> String {
    let output = design(&[file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

fn report(file: &str) -> Value {
    let output = design(&[file, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn component<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["model"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

fn names(value: &Value, key: &str, field: Option<&str>) -> BTreeSet<String> {
    value[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| match field {
            Some(field) => item[field].as_str().unwrap().to_owned(),
            None => item.as_str().unwrap().to_owned(),
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn ids(report: &Value, key: &str) -> BTreeSet<String> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The facts with a status other than applied, as (kind, value, status).
fn not_applied(report: &Value) -> BTreeSet<(String, String, String)> {
    report["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "applied")
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn triple(kind: &str, value: &str, status: &str) -> (String, String, String) {
    (kind.to_owned(), value.to_owned(), status.to_owned())
}

/// Each of `expected` fired on the document.
fn assert_rules_fire(report: &Value, expected: &[&str]) {
    let fired: BTreeSet<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule_id"].as_str().map(str::to_owned))
        .collect();
    for rule in expected {
        assert!(fired.contains(*rule), "{rule} did not fire; fired: {fired:?}");
    }
}

#[test]
fn markdown_of_the_three_designs() {
    insta::assert_snapshot!("payments_md", markdown("payments.md"));
    insta::assert_snapshot!("support_bot_md", markdown("support-bot.json"));
    insta::assert_snapshot!("file_upload_md", markdown("file-upload.json"));
}

#[test]
fn payments_design_extraction() {
    let report = report("payments.md");
    assert_eq!(report["document"]["format"], "markdown");
    assert_eq!(
        ids(&report["model"], "components"),
        set(&[
            "design:admin-dashboard",
            "design:checkout-service",
            "design:postgresql",
            "design:refunds-api",
            "ext:aws-secrets-manager",
            "ext:stripe",
            "internet",
        ])
    );
    let checkout = component(&report, "design:checkout-service");
    assert_eq!(checkout["internet_facing"], true);
    assert_eq!(
        names(checkout, "capabilities", Some("kind")),
        set(&[
            "authenticates",
            "processes-payments",
            "queries-sql",
            "receives-webhooks",
            "sends-email",
        ])
    );
    assert_eq!(
        names(checkout, "data_classes", None),
        set(&["pci", "pii", "secrets"])
    );
    assert_eq!(
        names(checkout, "controls", Some("name")),
        set(&[
            "authentication",
            "input-validation",
            "rate-limiting",
            "secrets-manager",
            "webhook-signature",
        ])
    );
    let refunds = component(&report, "design:refunds-api");
    assert_eq!(refunds["internet_facing"], false);
    assert_eq!(
        names(refunds, "capabilities", Some("kind")),
        set(&["processes-payments"])
    );
    assert_eq!(names(refunds, "controls", Some("name")), set(&["audit-logging"]));
    let dashboard = component(&report, "design:admin-dashboard");
    assert_eq!(dashboard["internet_facing"], false);
    assert_eq!(
        names(dashboard, "controls", Some("name")),
        set(&["authentication", "mfa"])
    );
    let postgres = component(&report, "design:postgresql");
    assert_eq!(postgres["kind"], "datastore");
    assert_eq!(
        names(postgres, "controls", Some("name")),
        set(&["encryption-at-rest"])
    );
    assert_eq!(component(&report, "ext:stripe")["boundary"], "third-party");
    // Evidence is the document's line and phrase.
    let webhooks = checkout["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "receives-webhooks")
        .unwrap();
    assert_eq!(webhooks["evidence"][0]["path"], "payments.md");
    assert_eq!(webhooks["evidence"][0]["line"], 25);
    assert_eq!(webhooks["evidence"][0]["note"], "design: \"webhooks\"");
    // "never the card number itself", the WAF under Non-goals and the question are kept out.
    assert_eq!(
        not_applied(&report),
        BTreeSet::from([
            triple("data", "pci", "negated"),
            triple("capability", "processes-payments", "not-planned"),
            triple("control", "waf", "not-planned"),
            triple("data", "pci", "not-planned"),
        ])
    );
    assert_rules_fire(
        &report,
        &[
            "unverified-webhook",
            "sql-injection",
            "missing-audit-log",
            "sensitive-data-to-third-party",
        ],
    );
}

#[test]
fn support_bot_issue_extraction() {
    let report = report("support-bot.json");
    assert_eq!(report["document"]["format"], "jira-issue");
    assert_eq!(report["document"]["key"], "SUP-214");
    assert_eq!(
        ids(&report["model"], "components"),
        set(&[
            "design:llm-support-bot",
            "design:orders-service",
            "design:pinecone",
            "design:postgresql",
            "design:refunds-api",
            "ext:anthropic",
            "ext:zendesk",
            "internet",
        ])
    );
    let bot = component(&report, "design:llm-support-bot");
    assert_eq!(bot["internet_facing"], true);
    assert_eq!(
        names(bot, "capabilities", Some("kind")),
        set(&[
            "authenticates",
            "calls-llm",
            "llm-tool-use",
            "processes-payments",
            "queries-sql",
            "uses-vector-store",
        ])
    );
    assert_eq!(names(bot, "data_classes", None), set(&["pii"]));
    assert_eq!(
        names(bot, "controls", Some("name")),
        set(&[
            "llm-guardrails",
            "llm-output-validation",
            "llm-usage-quota",
            "rate-limiting",
        ])
    );
    assert_eq!(
        component(&report, "ext:anthropic")["name"],
        "Anthropic (LLM provider)"
    );
    let flows: BTreeSet<String> = ids(&report["model"], "flows");
    assert!(
        flows.contains("flow:design:llm-support-bot->ext:anthropic"),
        "{flows:?}"
    );
    // The tools reach the orders service and the refunds API.
    assert!(flows.contains("flow:design:llm-support-bot->design:orders-service"));
    assert!(flows.contains("flow:design:llm-support-bot->design:refunds-api"));
    // The PII-redaction question in the panel and the out-of-scope e-mails are not applied.
    assert_eq!(
        not_applied(&report),
        BTreeSet::from([
            triple("data", "pii", "question"),
            triple("control", "pii-redaction", "question"),
            triple("capability", "sends-email", "not-planned"),
            triple("data", "pii", "not-planned"),
        ])
    );
    assert_rules_fire(
        &report,
        &[
            "llm-prompt-injection",
            "llm-excessive-agency",
            "sensitive-data-to-llm",
            "llm-embedding-leakage",
        ],
    );
}

#[test]
fn file_upload_issue_extraction() {
    let report = report("file-upload.json");
    assert_eq!(report["document"]["format"], "github-issue");
    assert_eq!(report["document"]["key"], "#512");
    assert_eq!(
        ids(&report["model"], "components"),
        set(&["design:aws-s3", "design:file-upload-service", "internet"])
    );
    let service = component(&report, "design:file-upload-service");
    assert_eq!(service["internet_facing"], true);
    assert_eq!(
        names(service, "capabilities", Some("kind")),
        set(&[
            "accepts-uploads",
            "authenticates",
            "executes-commands",
            "fetches-urls",
            "parses-xml",
        ])
    );
    assert_eq!(
        names(service, "controls", Some("name")),
        set(&[
            "authentication",
            "file-type-validation",
            "malware-scanning",
            "request-size-limit",
        ])
    );
    assert_eq!(
        not_applied(&report),
        BTreeSet::from([
            triple("control", "rate-limiting", "negated"),
            triple("capability", "accepts-uploads", "not-planned"),
            triple("exposure", "internet", "not-planned"),
            triple("control", "malware-scanning", "not-planned"),
            triple("datastore", "aws-s3", "not-planned"),
        ])
    );
    assert_rules_fire(
        &report,
        &[
            "unrestricted-file-upload",
            "command-injection",
            "ssrf",
            "xxe",
            "missing-rate-limiting",
        ],
    );
}

#[test]
fn json_output_has_stable_top_level_fields() {
    let report = report("file-upload.json");
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "document",
        "components",
        "facts",
        "model",
        "findings",
        "requirements",
        "rules",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    // One requirement per rule, each citing the findings it answers.
    let requirements = report["requirements"].as_array().unwrap();
    let rules: BTreeSet<&str> = requirements
        .iter()
        .map(|r| r["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules.len(), requirements.len());
    for finding in report["findings"].as_array().unwrap() {
        let id = finding["id"].as_str().unwrap();
        assert!(
            requirements
                .iter()
                .any(|r| r["findings"].as_array().unwrap().iter().any(|f| f == id)),
            "{id}"
        );
    }
}

#[test]
fn negated_controls_and_capabilities_are_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notify.md"),
        "# Notification service\n\n\
         A new notification service sends email notifications to customers.\n\
         It launches without rate limiting and with no MFA for the admin screen.\n\
         We will not put a WAF in front of it, and it does not accept uploads.\n\
         Audit logging is not planned for v1.\n\
         Input validation on every request.\n",
    )
    .unwrap();
    let output = design_in(dir.path(), &["notify.md", "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let service = component(&report, "design:notification-service");
    assert_eq!(
        names(service, "controls", Some("name")),
        set(&["input-validation"])
    );
    assert_eq!(
        names(service, "capabilities", Some("kind")),
        set(&["sends-email"])
    );
    assert_eq!(
        not_applied(&report),
        BTreeSet::from([
            triple("control", "rate-limiting", "negated"),
            triple("control", "mfa", "negated"),
            triple("control", "waf", "negated"),
            triple("control", "audit-logging", "negated"),
            triple("capability", "accepts-uploads", "negated"),
        ])
    );
}

#[test]
fn bad_input_is_one_line_naming_the_file_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 5] = [
        ("broken.json", b"{\"title\": \"x\", \"body\": "),
        ("shape.json", b"{\"name\": \"not an issue\", \"items\": [1, 2]}"),
        ("wrong-body.json", b"{\"title\": \"x\", \"body\": 42}"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("slides.pptx", b"PK\x03\x04 not a design document"),
    ];
    for (name, bytes) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let output = design_in(dir.path(), &[name], &[]);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        let text = stderr(&output);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {text}");
        assert!(lines[0].starts_with(&format!("error: {name}: ")), "{text}");
        assert!(stdout(&output).is_empty());
    }
    let output = design_in(dir.path(), &["missing.md"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: missing.md: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn merged_over_a_repository_the_plan_extends_its_service() {
    let repo = tempfile::tempdir().unwrap();
    let service = repo.path().join("services/checkout");
    std::fs::create_dir_all(service.join("src")).unwrap();
    std::fs::write(
        service.join("package.json"),
        r#"{"name": "checkout", "version": "1.0.0", "dependencies": {"express": "4.18.2", "pg": "8.11.0"}}"#,
    )
    .unwrap();
    std::fs::write(
        service.join("src/app.js"),
        "const express = require('express');\nconst { Pool } = require('pg');\nconst app = express();\n\
         const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\
         app.get('/orders/:id', async (req, res) => res.json((await pool.query('select 1', [])).rows));\n\
         app.listen(3000);\n",
    )
    .unwrap();
    std::fs::create_dir_all(repo.path().join("docs")).unwrap();
    std::fs::copy(
        fixtures().join("payments.md"),
        repo.path().join("docs/payments.md"),
    )
    .unwrap();
    let output = design_in(
        repo.path(),
        &["docs/payments.md", "--repo", ".", "--format", "json"],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let extended: BTreeSet<(String, String)> = report["extended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["planned"].as_str().unwrap().to_owned(),
                e["existing"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(extended.contains(&(
        "design:checkout-service".to_owned(),
        "svc:services/checkout".to_owned()
    )));
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for finding in findings {
        let components = finding["components"].as_array().unwrap();
        assert!(
            components.iter().all(|c| c != "design:checkout-service"),
            "the planned checkout service is the repository's: {finding}"
        );
        // Every finding is the plan's: it cites the document (relative to the repository) or is about a
        // planned component.
        let cites = finding["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "docs/payments.md");
        let planned = components.iter().any(|c| {
            let c = c.as_str().unwrap();
            c.starts_with("design:") || c.starts_with("ext:") || c == "svc:services/checkout"
        });
        assert!(cites || planned, "{finding}");
    }
}

/// A one-route OpenAI-compatible server answering every request with `reply`, recording what it got.
struct Stub {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    fn start(reply: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                seen.lock()
                    .unwrap()
                    .push(format!("{head}\n{}", String::from_utf8_lossy(&body)));
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = stream.write_all(response.as_bytes());
                let _ = stream.flush();
            }
        });
        Self { url, requests }
    }
}

fn completion(content: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    })
    .to_string()
}

#[test]
fn llm_suggestions_are_checked_and_marked() {
    let content = serde_json::json!({"facts": [
        // Line 14: "Refunds above 50 EUR are not done by the bot: they create a ticket for a human agent."
        {"kind": "control", "value": "human-in-the-loop", "component": "LLM support bot", "line": 14,
         "phrase": "create a ticket for a human agent"},
        {"kind": "capability", "value": "reads-minds", "line": 14, "phrase": "human agent"},
        {"kind": "data", "value": "phi", "line": 3, "phrase": "medical records of every customer"},
    ]})
    .to_string();
    let stub = Stub::start(completion(&content));
    let output = design_in(
        &fixtures(),
        &[
            "support-bot.json",
            "--format",
            "json",
            "--llm-endpoint",
            &stub.url,
            "--llm-model",
            "test-model",
        ],
        &[("VIGIL_LLM_API_KEY", "sk-test-secret-123")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = stub.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("POST /v1/chat/completions "),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].contains("authorization: Bearer sk-test-secret-123")
            || requests[0].contains("Authorization: Bearer sk-test-secret-123")
    );
    assert!(requests[0].contains("\"model\":\"test-model\""));
    assert!(requests[0].contains("14: Refunds above 50 EUR"));
    // The key is sent, never shown.
    assert!(!stdout(&output).contains("sk-test-secret-123"));
    assert!(!stderr(&output).contains("sk-test-secret-123"));

    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let suggested: Vec<&Value> = report["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == "llm")
        .collect();
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert_eq!(suggested[0]["value"], "human-in-the-loop");
    assert_eq!(suggested[0]["line"], 14);
    let bot = component(&report, "design:llm-support-bot");
    let control = bot["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "human-in-the-loop")
        .unwrap();
    assert_eq!(
        control["evidence"][0]["note"],
        "suggested by LLM: \"create a ticket for a human agent\""
    );
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(stderr(&output).contains("reads-minds"));
}

#[test]
fn a_malformed_llm_reply_is_a_warning_and_the_deterministic_result_stands() {
    let deterministic = report("support-bot.json");
    for reply in [
        "this is not JSON".to_owned(),
        completion("Sure! The document mentions refunds."),
        completion(r#"{"facts": "none"}"#),
    ] {
        let stub = Stub::start(reply);
        let output = design_in(
            &fixtures(),
            &[
                "support-bot.json",
                "--format",
                "json",
                "--llm-endpoint",
                &format!("{}/v1", stub.url),
                "--llm-model",
                "test-model",
            ],
            &[],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("LLM refinement skipped"),
            "{}",
            stderr(&output)
        );
        let mut refined: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(refined["warnings"].as_array().unwrap().len(), 1);
        refined.as_object_mut().unwrap().remove("warnings");
        assert_eq!(refined, deterministic);
    }
}

#[test]
fn an_unreachable_llm_endpoint_is_a_warning_too() {
    // A port nothing listens on: bind, read the port, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = design(&[
        "file-upload.json",
        "--llm-endpoint",
        &format!("http://user:pw@127.0.0.1:{port}"),
        "--llm-model",
        "m",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("LLM refinement skipped"));
    assert!(!stderr(&output).contains("user:pw"));
    assert!(stdout(&output).contains("## Warnings"));
}

#[test]
fn help_explains_the_command() {
    let output = common::vigil(&["design", "--help"]);
    let help = stdout(&output);
    for words in [
        "design document",
        "Jira",
        "GitHub",
        "--repo",
        "VIGIL_LLM_API_KEY",
        "negate",
    ] {
        assert!(help.contains(words), "{words}: {help}");
    }
}

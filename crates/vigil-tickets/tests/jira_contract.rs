//! The Jira sink against the fake Jira of `vigil_tickets::testing::jira`, which enforces the request shapes the real REST v3 API requires:
//! Basic authentication, JSON bodies, the required issue fields, labels without spaces and a structurally
//! valid Atlassian Document Format. The fake can fail the way Jira does (429 with Retry-After, a 500, a
//! create answered after the client gave up, a twin created by a concurrent sync), and every case is run
//! through the sync engine: one open ticket per key and the right final state, every time.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vigil_core::Band;
use vigil_tickets::Secret;
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::jira::{JiraConfig, JiraSink};
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::testing::Server;
use vigil_tickets::testing::jira::{FakeJira, Fault, JiraSettings, Route};
use vigil_tickets::ticket::{Ticket, TicketFinding};

const EMAIL: &str = "bot@acme.example";
const TOKEN: &str = "jira-s3cret-token";
/// `base64("bot@acme.example:jira-s3cret-token")`, computed outside the code under test.
const CREDENTIALS_BASE64: &str = "Ym90QGFjbWUuZXhhbXBsZTpqaXJhLXMzY3JldC10b2tlbg==";
const PROJECT: &str = "VIG";
const EPIC: &str = "VIG-100";
const COMPONENT: &str = "security";

// ---------------------------------------------------------------------------------------------------
// The fake Jira (`vigil_tickets::testing::jira`), expecting this test's project and credentials.

fn start() -> (FakeJira, Server) {
    FakeJira::start(JiraSettings {
        authorization: format!("Basic {CREDENTIALS_BASE64}"),
        project: PROJECT.into(),
        epic: EPIC.into(),
        component: COMPONENT.into(),
    })
    .unwrap()
}

fn sink(server: &Server) -> JiraSink {
    sink_with(server, TOKEN, false)
}

fn sink_with(server: &Server, token: &str, dry_run: bool) -> JiraSink {
    JiraSink::new(
        config(&server.url),
        Auth::Basic {
            user: EMAIL.into(),
            token: Secret::new(token),
        },
        "VIGIL_JIRA_TOKEN",
        retry(),
        dry_run,
    )
    .unwrap()
}

/// How many requests with this method and path reached the fake.
fn count(server: &Server, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

fn config(base_url: &str) -> JiraConfig {
    JiraConfig {
        base_url: base_url.into(),
        project: PROJECT.into(),
        components: vec![COMPONENT.into()],
        parent: Some(EPIC.into()),
        ..JiraConfig::default()
    }
}

fn retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_millis(300),
    }
}

// ---------------------------------------------------------------------------------------------------
// Helpers, as in tests/sync.rs.

use vigil_tickets::testing::ticket;

/// A ticket using every part of the description, and the things Jira refuses unless the sink adapts
/// them: a title too long and on two lines, a label with spaces.
fn rich_ticket(action: &str) -> Ticket {
    Ticket {
        title: format!("Upgrade lodash\nand {}", "everything else ".repeat(20)),
        band: Band::Critical,
        labels: vec!["vigil".into(), "needs triage".into()],
        summary: "Prototype pollution reachable from the checkout.".into(),
        findings: vec![
            TicketFinding {
                id: "VF-1".into(),
                title: "lodash 4.17.15".into(),
                band: Band::Critical,
                rpn: 400,
                location: Some("package-lock.json:12".into()),
                link: Some("https://github.com/acme/shop/blob/abc/package-lock.json#L12".into()),
            },
            TicketFinding {
                id: "VF-2".into(),
                title: "lodash in the admin".into(),
                band: Band::High,
                rpn: 200,
                location: Some("admin/package.json:4".into()),
                link: None,
            },
            TicketFinding {
                id: "VF-3".into(),
                title: String::new(),
                band: Band::Low,
                rpn: 1,
                location: None,
                link: None,
            },
        ],
        steps: vec!["npm install lodash@4.17.21\nnpm audit".into(), String::new()],
        verify: vec!["`vigil assess` no longer lists VF-1".into()],
        references: vec![
            "https://github.com/advisories/GHSA-p6mc-m468-83gw".into(),
            "CWE-1321".into(),
        ],
        compliance: vec!["PCI DSS 6.3.3".into()],
        ..ticket(action, "")
    }
}

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(sink: &JiraSink, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(sink, wanted, &known, "All findings fixed.", &mut |l| {
        saved.push(l.clone())
    });
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

fn outcome(key: &str, outcome: Outcome) -> (String, Outcome) {
    (key.to_owned(), outcome)
}

fn hash_label(ticket: &Ticket) -> String {
    format!("vigil-hash-{}", ticket.content_hash())
}

// ---------------------------------------------------------------------------------------------------
// The fake itself is strict: a passing test means the real API would have accepted the requests.

#[test]
fn the_fakes_basic_credentials_match_an_independent_encoding() {
    assert_eq!(
        vigil_tickets::testing::basic_authorization(EMAIL, TOKEN),
        format!("Basic {CREDENTIALS_BASE64}")
    );
}

#[test]
fn the_fake_refuses_what_jira_refuses() {
    let (jira, server) = start();
    let http = |token: &str| {
        Http::new(
            &server.url,
            Auth::Basic {
                user: EMAIL.into(),
                token: Secret::new(token),
            },
            "VIGIL_JIRA_TOKEN",
            retry(),
            false,
        )
        .unwrap()
    };
    let valid = json!({ "fields": {
        "project": { "key": PROJECT },
        "summary": "ok",
        "issuetype": { "name": "Task" },
        "description": { "type": "doc", "version": 1, "content": [] },
    }});
    let status = |result: Result<_, SinkError>| match result {
        Ok(_) => 200,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other}"),
    };
    let post = |body: &Value| Request::send(Method::Post, "/rest/api/3/issue", body.clone());

    let with = |pointer: &str, value: Value| {
        let mut body = valid.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        status(http(TOKEN).send(post(&body)))
    };
    assert_eq!(with("/fields/summary", json!("two\nlines")), 400);
    assert_eq!(with("/fields/project", json!({})), 400);
    assert_eq!(with("/fields/issuetype", json!({ "name": "" })), 400);
    assert_eq!(
        with(
            "/fields/description/content",
            json!([{ "type": "paragraph", "content": [{ "type": "text", "text": "" }] }])
        ),
        400,
        "empty text node"
    );
    assert_eq!(
        with("/fields/description/content", json!([{ "type": "table" }])),
        400,
        "unknown node"
    );
    assert_eq!(
        with(
            "/fields/description/content",
            json!([{ "type": "paragraph", "content": [{ "type": "text", "text": "x", "marks": [{ "type": "code" }, { "type": "strong" }] }] }])
        ),
        400,
        "invalid marks"
    );
    assert_eq!(with("/fields/description/version", json!(2)), 400);
    let mut labelled = valid.clone();
    labelled["fields"]["labels"] = json!(["needs triage"]);
    assert_eq!(status(http(TOKEN).send(post(&labelled))), 400);
    assert_eq!(
        status(http(TOKEN).send(post(&valid).content_type("text/plain"))),
        415
    );
    assert_eq!(status(http("wrong").send(post(&valid))), 401);
    assert!(jira.issues().is_empty());
    assert_eq!(status(http(TOKEN).send(post(&valid))), 200);
    assert_eq!(jira.issues().len(), 1);
}

// ---------------------------------------------------------------------------------------------------
// The lifecycle.

#[test]
fn a_lifecycle_creates_closes_reopens_updates_and_reports_a_close_without_fix() {
    let (jira, server) = start();
    let sink = sink(&server);
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    let key = "vigil-VA-a";

    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![outcome(key, Outcome::Created)]
    );
    let issue = jira.issue("VIG-1").unwrap();
    assert_eq!(issue.fields["summary"], "Upgrade lodash");
    assert_eq!(issue.fields["issuetype"]["name"], "Task");
    assert_eq!(issue.fields["priority"]["name"], "High");
    assert_eq!(issue.fields["duedate"], "2026-12-27");
    assert_eq!(issue.fields["components"], json!([{ "name": COMPONENT }]));
    assert_eq!(issue.fields["parent"]["key"], EPIC);
    assert_eq!(issue.labels(), vec!["vigil".into(), key.into(), hash_label(&a)]);
    assert_eq!(links[0].id, "VIG-1");
    assert_eq!(links[0].url, format!("{}/browse/VIG-1", server.url));
    let found = sink.find(key).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].open);
    assert_eq!(found[0].content_hash, Some(a.content_hash()));
    assert_eq!(found[0].created, "2026-01-05T09:00:01.000Z");

    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![outcome(key, Outcome::Unchanged)]
    );
    assert_eq!(
        count(&server, "PUT", "/rest/api/3/issue/VIG-1"),
        0,
        "nothing changed, nothing written"
    );

    // Every finding fixed: the action is gone.
    assert_eq!(run(&sink, &[], &mut links), vec![outcome(key, Outcome::Closed)]);
    let issue = jira.issue("VIG-1").unwrap();
    assert_eq!(issue.category, "done");
    assert_eq!(
        issue.comments[0]["content"][0]["content"][0]["text"],
        "All findings fixed."
    );

    // The findings are back: the same ticket is reopened.
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![outcome(key, Outcome::Reopened)]
    );
    assert_eq!(jira.with_label(key).len(), 1, "reopened, not created again");
    assert_eq!(jira.open_with(key), 1);
    assert_eq!(jira.issue("VIG-1").unwrap().comments.len(), 2);

    // The content changes, with everything the description can hold.
    let rich = rich_ticket("VA-a");
    assert_eq!(
        run(&sink, std::slice::from_ref(&rich), &mut links),
        vec![outcome(key, Outcome::Updated)]
    );
    let issue = jira.issue("VIG-1").unwrap();
    let summary = issue.fields["summary"].as_str().unwrap();
    assert!(summary.starts_with("Upgrade lodash and everything else"));
    assert_eq!(summary.chars().count(), 255);
    assert_eq!(issue.fields["priority"]["name"], "Highest");
    assert!(issue.labels().contains(&"needs-triage".to_owned()));
    assert!(issue.labels().contains(&hash_label(&rich)));
    assert!(
        !issue.labels().contains(&hash_label(&a)),
        "the stale hash is replaced"
    );
    let description = issue.fields["description"].to_string();
    assert!(description.contains(r#""href":"https://github.com/acme/shop/blob/abc/package-lock.json#L12""#));
    assert!(description.contains(r#""href":"https://github.com/advisories/GHSA-p6mc-m468-83gw""#));
    assert!(description.contains(r#"{"type":"hardBreak"}"#));
    assert!(description.contains("@shop/platform"), "the owner is named");
    assert_eq!(
        jira.issue("VIG-1").unwrap().category,
        "new",
        "an update leaves the status alone"
    );

    // A person closes it while its findings are still there: reported, left closed.
    jira.set_category("VIG-1", "done");
    for _ in 0..2 {
        assert_eq!(
            run(&sink, std::slice::from_ref(&rich), &mut links),
            vec![outcome(key, Outcome::ClosedWithoutFix)]
        );
    }
    assert_eq!(jira.open_with(key), 0);
    assert_eq!(jira.with_label(key).len(), 1);
    assert_eq!(sink.get("VIG-404"), Ok(None));
}

#[test]
fn configured_transitions_and_priorities_are_used() {
    let (jira, server) = start();
    let sink = JiraSink::new(
        JiraConfig {
            issue_type: Some("Bug".into()),
            priority_high: Some("Medium".into()),
            done_transition: Some("done".into()),
            reopen_transition: Some("Reopen".into()),
            components: vec![],
            parent: None,
            ..config(&server.url)
        },
        Auth::Basic {
            user: EMAIL.into(),
            token: Secret::new(TOKEN),
        },
        "VIGIL_JIRA_TOKEN",
        retry(),
        false,
    )
    .unwrap();
    let a = ticket("VA-a", "x");
    let mut links = Vec::new();
    run(&sink, std::slice::from_ref(&a), &mut links);
    let issue = jira.issue("VIG-1").unwrap();
    assert_eq!(issue.fields["issuetype"]["name"], "Bug");
    assert_eq!(issue.fields["priority"]["name"], "Medium");
    assert!(!issue.fields.contains_key("components"));
    assert!(!issue.fields.contains_key("parent"));
    run(&sink, &[], &mut links);
    assert_eq!(jira.issue("VIG-1").unwrap().category, "done");
    run(&sink, std::slice::from_ref(&a), &mut links);
    assert_eq!(jira.issue("VIG-1").unwrap().category, "new");

    let unknown = JiraSink::new(
        JiraConfig {
            done_transition: Some("Resolve".into()),
            ..config(&server.url)
        },
        Auth::Basic {
            user: EMAIL.into(),
            token: Secret::new(TOKEN),
        },
        "VIGIL_JIRA_TOKEN",
        retry(),
        false,
    )
    .unwrap();
    let error = unknown.close("VIG-1", "bye").unwrap_err();
    assert!(error.to_string().contains("Resolve"), "{error}");
    assert_eq!(jira.issue("VIG-1").unwrap().category, "new");
}

// ---------------------------------------------------------------------------------------------------
// Faults: zero duplicate open tickets and the right final state each time.

#[test]
fn a_rate_limit_is_waited_out_and_the_create_repeated() {
    let (jira, server) = start();
    jira.inject(Route::Create, Fault::RateLimited);
    let mut links = Vec::new();
    let started = Instant::now();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(count(&server, "POST", "/rest/api/3/issue"), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_server_error_is_retried_for_a_search_and_searched_around_for_a_create() {
    let (jira, server) = start();
    jira.inject(Route::Search, Fault::ServerError);
    jira.inject(Route::Create, Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    // The create failed without effect; the engine searched (nothing) and created again.
    assert_eq!(count(&server, "POST", "/rest/api/3/issue"), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1");
}

#[test]
fn a_create_answered_after_the_timeout_is_found_not_repeated() {
    let (jira, server) = start();
    jira.inject(Route::Create, Fault::AnsweredLate);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        count(&server, "POST", "/rest/api/3/issue"),
        1,
        "a create is never retried blind"
    );
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(links[0].id, "VIG-1");
}

#[test]
fn a_concurrent_create_leaves_the_oldest_open_and_closes_the_twin() {
    let (jira, server) = start();
    jira.inject(Route::Create, Fault::Twin);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&outcome("vigil-VA-a", Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(jira.with_label("vigil-VA-a").len(), 2);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1", "the oldest is kept");
    let twin = jira.issue("VIG-2").unwrap();
    assert_eq!(twin.category, "done");
    let comment = twin.comments[0].to_string();
    assert!(comment.contains("Duplicate of VIG-1"), "{comment}");

    // The next sync sees one open ticket and leaves everything as it is.
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Unchanged)]);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let (jira, server) = start();
    let sink = sink_with(&server, TOKEN, true);
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    let outcomes = run(&sink, std::slice::from_ref(&a), &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(links[0].id, "dry-run");
    assert!(jira.issues().is_empty());
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.path == "/rest/api/3/search/jql"),
        "only searches reach the server"
    );
    let text = |text: &str| json!({ "type": "text", "text": text });
    let marked =
        |text: &str, mark: &str| json!({ "type": "text", "text": text, "marks": [{ "type": mark }] });
    let expected = json!({ "fields": {
        "project": { "key": PROJECT },
        "summary": "Upgrade lodash",
        "issuetype": { "name": "Task" },
        "description": { "type": "doc", "version": 1, "content": [
            { "type": "paragraph", "content": [
                marked("high", "strong"),
                text(" · due "),
                marked("2026-12-27", "strong"),
                text(" (30 days) · vigil action "),
                marked("VA-a", "code"),
                text(" · scope "),
                marked("shop", "code"),
            ]},
            { "type": "paragraph", "content": [text("Owner: "), marked("@shop/platform", "strong")] },
            { "type": "paragraph", "content": [text("why")] },
            { "type": "heading", "attrs": { "level": 3 }, "content": [text("Steps")] },
            { "type": "orderedList", "content": [
                { "type": "listItem", "content": [{ "type": "paragraph", "content": [text("fix it")] }] },
            ]},
            { "type": "paragraph", "content": [
                text("Managed by vigil: edits to this description are replaced on the next sync. Key "),
                marked("vigil-VA-a", "code"),
                text("."),
            ]},
        ]},
        "labels": ["vigil", "vigil-VA-a", hash_label(&a)],
        "priority": { "name": "High" },
        "duedate": "2026-12-27",
        "components": [{ "name": COMPONENT }],
        "parent": { "key": EPIC },
    }});
    assert_eq!(
        sink.recorded(),
        vec![Request::send(Method::Post, "/rest/api/3/issue", expected)]
    );
}

#[test]
fn a_dry_run_close_reads_the_workflow_and_records_the_comment_and_transition() {
    let (jira, server) = start();
    let mut links = Vec::new();
    run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    let dry = sink_with(&server, TOKEN, true);
    let outcomes = run(&dry, &[], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Closed)]);
    assert_eq!(
        jira.issue("VIG-1").unwrap().category,
        "new",
        "nothing changed on the tracker"
    );
    assert!(jira.issue("VIG-1").unwrap().comments.is_empty());
    let comment = json!({ "body": { "type": "doc", "version": 1, "content": [
        { "type": "paragraph", "content": [{ "type": "text", "text": "All findings fixed." }] },
    ]}});
    assert_eq!(
        dry.recorded(),
        vec![
            Request::send(Method::Post, "/rest/api/3/issue/VIG-1/comment", comment),
            Request::send(
                Method::Post,
                "/rest/api/3/issue/VIG-1/transitions",
                json!({ "transition": { "id": "31" } })
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------
// Credentials.

fn assert_no_credential(text: &str) {
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains(CREDENTIALS_BASE64), "credentials leaked: {text}");
}

#[test]
fn no_error_carries_the_credential() {
    let (jira, server) = start();
    let wrong = "wrong-but-still-secret-token";
    let sink = sink_with(&server, wrong, false);
    let error = sink.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(&error, SinkError::Unauthorised { status: 401, variable, .. } if variable == "VIGIL_JIRA_TOKEN"),
        "{error:?}"
    );
    for text in [error.to_string(), format!("{error:?}"), format!("{sink:?}")] {
        assert!(!text.contains(wrong), "token leaked: {text}");
    }
    let report = sync(&sink, &[ticket("VA-a", "x")], &[], "", &mut |_| {});
    assert_eq!(report.failed(), 1);
    assert!(!format!("{report:?}").contains(wrong));

    let sink = sink_with(&server, TOKEN, false);
    for _ in 0..3 {
        jira.inject(Route::Search, Fault::ServerError);
    }
    let error = sink.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(
            error,
            SinkError::Server {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
    assert_no_credential(&error.to_string());
    assert_no_credential(&format!("{error:?}"));
    assert_no_credential(&format!("{sink:?}"));

    jira.inject(Route::Create, Fault::ServerError);
    let error = sink.create(&ticket("VA-a", "x")).unwrap_err();
    assert!(
        matches!(error, SinkError::Server { attempts: 1, .. }),
        "{error:?}"
    );
    assert_no_credential(&format!("{error} {error:?}"));
}

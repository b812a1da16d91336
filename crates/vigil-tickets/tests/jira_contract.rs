//! The Jira sink against the fake Jira of `vigil_tickets::testing::jira`, which enforces the request shapes
//! the real API requires: on Cloud (REST v3) Basic authentication and a structurally valid Atlassian
//! Document Format, on Data Center (REST v2 only) a bearer personal access token and wiki-markup strings;
//! on both JSON bodies, the required issue fields and labels without spaces. The fake can fail the way
//! Jira does (429 with Retry-After, a 500, a create answered after the client gave up, a twin created by a
//! concurrent sync), and every case is run through the sync engine, on both deployments: one open ticket
//! per key and the right final state, every time.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vigil_core::Band;
use vigil_tickets::Secret;
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::jira::{Deployment, JiraConfig, JiraSink};
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::testing::jira::{FakeJira, Fault, JiraSettings, Route, wiki_markup};
use vigil_tickets::testing::{Req, Server};
use vigil_tickets::ticket::{Ticket, TicketFinding};

const EMAIL: &str = "bot@acme.example";
const TOKEN: &str = "jira-s3cret-token";
/// `base64("bot@acme.example:jira-s3cret-token")`, computed outside the code under test.
const CREDENTIALS_BASE64: &str = "Ym90QGFjbWUuZXhhbXBsZTpqaXJhLXMzY3JldC10b2tlbg==";
const PROJECT: &str = "VIG";
const EPIC: &str = "VIG-100";
const COMPONENT: &str = "security";

// ---------------------------------------------------------------------------------------------------
// Every test of the sink's contract runs once per deployment.

macro_rules! on_both_deployments {
    ($($test:ident),* $(,)?) => {
        mod cloud {
            $( #[test] fn $test() { super::$test(super::Deployment::Cloud) } )*
        }
        mod data_center {
            $( #[test] fn $test() { super::$test(super::Deployment::DataCenter) } )*
        }
    };
}

on_both_deployments!(
    a_lifecycle_creates_closes_reopens_updates_and_reports_a_close_without_fix,
    configured_transitions_and_priorities_are_used,
    a_search_follows_every_page,
    a_rate_limit_is_waited_out_and_the_create_repeated,
    a_server_error_is_retried_for_a_search_and_searched_around_for_a_create,
    a_create_answered_after_the_timeout_is_found_not_repeated,
    a_concurrent_create_leaves_the_oldest_open_and_closes_the_twin,
    a_dry_run_creates_nothing_and_records_the_exact_payloads,
    a_dry_run_close_reads_the_workflow_and_records_the_comment_and_transition,
    markup_in_the_tickets_text_adds_no_link_or_macro,
    no_error_carries_the_credential,
);

// ---------------------------------------------------------------------------------------------------
// The fake Jira (`vigil_tickets::testing::jira`), expecting this test's project and credentials: Basic
// with an email on Cloud, the token as a bearer personal access token on Data Center.

fn start(deployment: Deployment) -> (FakeJira, Server) {
    let authorization = match deployment {
        Deployment::Cloud => format!("Basic {CREDENTIALS_BASE64}"),
        Deployment::DataCenter => format!("Bearer {TOKEN}"),
    };
    FakeJira::start_as(
        JiraSettings {
            authorization,
            project: PROJECT.into(),
            epic: EPIC.into(),
            component: COMPONENT.into(),
        },
        deployment,
    )
    .unwrap()
}

fn auth(deployment: Deployment, token: &str) -> Auth {
    match deployment {
        Deployment::Cloud => Auth::Basic {
            user: EMAIL.into(),
            token: Secret::new(token),
        },
        Deployment::DataCenter => Auth::Bearer(Secret::new(token)),
    }
}

fn sink(deployment: Deployment, server: &Server) -> JiraSink {
    sink_with(deployment, server, TOKEN, false)
}

fn sink_with(deployment: Deployment, server: &Server, token: &str, dry_run: bool) -> JiraSink {
    JiraSink::new(
        config(deployment, &server.url),
        auth(deployment, token),
        "VIGIL_JIRA_TOKEN",
        retry(),
        dry_run,
    )
    .unwrap()
}

/// `path` under the deployment's REST root: `/rest/api/3` on Cloud, `/rest/api/2` on Data Center.
fn api(deployment: Deployment, path: &str) -> String {
    match deployment {
        Deployment::Cloud => format!("/rest/api/3{path}"),
        Deployment::DataCenter => format!("/rest/api/2{path}"),
    }
}

/// Whether a request is the sink's search by label.
fn is_search(deployment: Deployment, req: &Req) -> bool {
    match deployment {
        Deployment::Cloud => req.method == "POST" && req.path == "/rest/api/3/search/jql",
        Deployment::DataCenter => req.method == "GET" && req.path.starts_with("/rest/api/2/search?"),
    }
}

/// How many requests with this method and path reached the fake.
fn count(server: &Server, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// What a reader sees of a description or comment: the text, with line breaks as `\n`.
fn shown_text(deployment: Deployment, rich: &Value) -> String {
    fn walk(node: &Value, out: &mut String) {
        match node["type"].as_str() {
            Some("text") => out.push_str(node["text"].as_str().unwrap_or_default()),
            Some("hardBreak") => out.push('\n'),
            _ => {
                for child in node["content"].as_array().into_iter().flatten() {
                    walk(child, out);
                }
                out.push('\n');
            }
        }
    }
    match deployment {
        Deployment::Cloud => {
            let mut out = String::new();
            walk(rich, &mut out);
            out.trim().to_owned()
        }
        Deployment::DataCenter => wiki_markup(rich.as_str().unwrap()).text,
    }
}

/// The targets of every link a description would render.
fn link_targets(deployment: Deployment, rich: &Value) -> Vec<String> {
    fn walk(node: &Value, out: &mut Vec<String>) {
        for mark in node["marks"].as_array().into_iter().flatten() {
            if mark["type"] == "link" {
                out.push(mark["attrs"]["href"].as_str().unwrap().to_owned());
            }
        }
        for child in node["content"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    match deployment {
        Deployment::Cloud => {
            let mut out = Vec::new();
            walk(rich, &mut out);
            out
        }
        Deployment::DataCenter => wiki_markup(rich.as_str().unwrap()).links,
    }
}

fn config(deployment: Deployment, base_url: &str) -> JiraConfig {
    JiraConfig {
        base_url: base_url.into(),
        // Cloud is the default, so it is left unsaid.
        deployment: (deployment == Deployment::DataCenter).then(|| "data-center".into()),
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
fn the_cloud_fake_refuses_what_jira_cloud_refuses() {
    let (jira, server) = start(Deployment::Cloud);
    let http = |token: &str| {
        Http::new(
            &server.url,
            auth(Deployment::Cloud, token),
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
    assert_eq!(
        with("/fields/description", json!("wiki *markup*")),
        400,
        "v3 takes ADF only"
    );
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

#[test]
fn the_data_center_fake_refuses_what_jira_data_center_refuses() {
    let (jira, server) = start(Deployment::DataCenter);
    let http = |auth: Auth| Http::new(&server.url, auth, "VIGIL_JIRA_TOKEN", retry(), false).unwrap();
    let bearer = || auth(Deployment::DataCenter, TOKEN);
    let valid = json!({ "fields": {
        "project": { "key": PROJECT },
        "summary": "ok",
        "issuetype": { "name": "Task" },
        "description": "h3. Wiki\n* markup",
    }});
    let post = |path: &str, body: &Value| Request::send(Method::Post, path, body.clone());

    assert_eq!(
        status(http(bearer()).send(post("/rest/api/3/issue", &valid))),
        404,
        "no REST v3 on Data Center"
    );
    let mut adf = valid.clone();
    adf["fields"]["description"] = json!({ "type": "doc", "version": 1, "content": [] });
    assert_eq!(
        status(http(bearer()).send(post("/rest/api/2/issue", &adf))),
        400,
        "v2 takes a string"
    );
    assert_eq!(
        status(http(auth(Deployment::Cloud, TOKEN)).send(post("/rest/api/2/issue", &valid))),
        401,
        "Basic is not a personal access token"
    );
    assert_eq!(
        status(http(auth(Deployment::DataCenter, "wrong")).send(post("/rest/api/2/issue", &valid))),
        401
    );
    assert!(jira.issues().is_empty());
    assert_eq!(
        status(http(bearer()).send(post("/rest/api/2/issue", &valid))),
        200
    );
    let comment = |body: Value| {
        status(http(bearer()).send(post("/rest/api/2/issue/VIG-1/comment", &json!({ "body": body }))))
    };
    assert_eq!(
        comment(json!({ "type": "doc", "version": 1, "content": [] })),
        400
    );
    assert_eq!(comment(json!("A *wiki* comment")), 200);
    let search =
        |query: &str| status(http(bearer()).send(Request::get(format!("/rest/api/2/search?{query}"))));
    assert_eq!(
        search("jql=labels%20%3D%20%22x%22%20ORDER%20BY%20created%20ASC&fields=status&maxResults=50"),
        200
    );
    assert_eq!(search("jql=project%20%3D%20VIG&fields=status&maxResults=50"), 400);
    assert_eq!(jira.issues().len(), 1);
}

/// The status a request was answered with.
fn status<T>(result: Result<T, SinkError>) -> u16 {
    match result {
        Ok(_) => 200,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn an_unknown_deployment_is_refused_before_any_request() {
    let (_jira, server) = start(Deployment::Cloud);
    let error = JiraSink::new(
        JiraConfig {
            deployment: Some("server".into()),
            ..config(Deployment::Cloud, &server.url)
        },
        auth(Deployment::Cloud, TOKEN),
        "VIGIL_JIRA_TOKEN",
        retry(),
        false,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("unknown deployment `server`"),
        "{error}"
    );
    let explicit = JiraSink::new(
        JiraConfig {
            deployment: Some("cloud".into()),
            ..config(Deployment::Cloud, &server.url)
        },
        auth(Deployment::Cloud, TOKEN),
        "VIGIL_JIRA_TOKEN",
        retry(),
        false,
    )
    .unwrap();
    assert_eq!(explicit.deployment(), Deployment::Cloud);
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------------
// The lifecycle.

fn a_lifecycle_creates_closes_reopens_updates_and_reports_a_close_without_fix(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let sink = sink(deployment, &server);
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
        count(&server, "PUT", &api(deployment, "/issue/VIG-1")),
        0,
        "nothing changed, nothing written"
    );

    // Every finding fixed: the action is gone.
    assert_eq!(run(&sink, &[], &mut links), vec![outcome(key, Outcome::Closed)]);
    let issue = jira.issue("VIG-1").unwrap();
    assert_eq!(issue.category, "done");
    assert_eq!(shown_text(deployment, &issue.comments[0]), "All findings fixed.");

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
    let description = &issue.fields["description"];
    assert_eq!(
        link_targets(deployment, description),
        [
            "https://github.com/acme/shop/blob/abc/package-lock.json#L12",
            "https://github.com/advisories/GHSA-p6mc-m468-83gw",
        ]
    );
    let shown = shown_text(deployment, description);
    assert!(shown.contains("npm install lodash@4.17.21\nnpm audit"), "{shown}");
    assert!(shown.contains("@shop/platform"), "the owner is named");
    assert!(shown.contains("`vigil assess` no longer lists VF-1"), "{shown}");
    if deployment == Deployment::DataCenter {
        let wiki = description.as_str().unwrap();
        for part in [
            "h3. Findings\n* {{VF-1}}",
            "h3. Steps\n# npm",
            "h3. References\n* [https://",
        ] {
            assert!(wiki.contains(part), "{part} in {wiki}");
        }
    }
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

fn configured_transitions_and_priorities_are_used(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let sink = JiraSink::new(
        JiraConfig {
            issue_type: Some("Bug".into()),
            priority_high: Some("Medium".into()),
            done_transition: Some("done".into()),
            reopen_transition: Some("Reopen".into()),
            components: vec![],
            parent: None,
            ..config(deployment, &server.url)
        },
        auth(deployment, TOKEN),
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
            ..config(deployment, &server.url)
        },
        auth(deployment, TOKEN),
        "VIGIL_JIRA_TOKEN",
        retry(),
        false,
    )
    .unwrap();
    let error = unknown.close("VIG-1", "bye").unwrap_err();
    assert!(error.to_string().contains("Resolve"), "{error}");
    assert_eq!(jira.issue("VIG-1").unwrap().category, "new");
}

fn a_search_follows_every_page(deployment: Deployment) {
    let (jira, server) = start(deployment);
    jira.inject(Route::Create, Fault::Twin);
    let sink = sink(deployment, &server);
    sink.create(&ticket("VA-a", "x")).unwrap();
    assert_eq!(jira.with_label("vigil-VA-a").len(), 2);
    jira.limit_page_size(1);
    let before = server.requests().len();
    let found = sink.find("vigil-VA-a").unwrap();
    let ids: Vec<&str> = found.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["VIG-1", "VIG-2"], "both pages, oldest first");
    let searches: Vec<Req> = server.requests().into_iter().skip(before).collect();
    assert_eq!(searches.len(), 2, "{searches:?}");
    assert!(searches.iter().all(|r| is_search(deployment, r)));
    if deployment == Deployment::DataCenter {
        assert_eq!(
            searches[0].path,
            "/rest/api/2/search?jql=labels%20%3D%20%22vigil-VA-a%22%20ORDER%20BY%20created%20ASC\
             &fields=status,created,labels&maxResults=50&startAt=0"
        );
        assert!(searches[1].path.ends_with("&startAt=1"), "{}", searches[1].path);
    }
}

// ---------------------------------------------------------------------------------------------------
// Faults: zero duplicate open tickets and the right final state each time.

fn a_rate_limit_is_waited_out_and_the_create_repeated(deployment: Deployment) {
    let (jira, server) = start(deployment);
    jira.inject(Route::Create, Fault::RateLimited);
    let mut links = Vec::new();
    let started = Instant::now();
    let outcomes = run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(count(&server, "POST", &api(deployment, "/issue")), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

fn a_server_error_is_retried_for_a_search_and_searched_around_for_a_create(deployment: Deployment) {
    let (jira, server) = start(deployment);
    jira.inject(Route::Search, Fault::ServerError);
    jira.inject(Route::Create, Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    // The create failed without effect; the engine searched (nothing) and created again.
    assert_eq!(count(&server, "POST", &api(deployment, "/issue")), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1");
}

fn a_create_answered_after_the_timeout_is_found_not_repeated(deployment: Deployment) {
    let (jira, server) = start(deployment);
    jira.inject(Route::Create, Fault::AnsweredLate);
    let mut links = Vec::new();
    let outcomes = run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        count(&server, "POST", &api(deployment, "/issue")),
        1,
        "a create is never retried blind"
    );
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(links[0].id, "VIG-1");
}

fn a_concurrent_create_leaves_the_oldest_open_and_closes_the_twin(deployment: Deployment) {
    let (jira, server) = start(deployment);
    jira.inject(Route::Create, Fault::Twin);
    let mut links = Vec::new();
    let outcomes = run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&outcome("vigil-VA-a", Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(jira.with_label("vigil-VA-a").len(), 2);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1", "the oldest is kept");
    let twin = jira.issue("VIG-2").unwrap();
    assert_eq!(twin.category, "done");
    let comment = shown_text(deployment, &twin.comments[0]);
    assert!(comment.contains("Duplicate of VIG-1"), "{comment}");

    // The next sync sees one open ticket and leaves everything as it is.
    let outcomes = run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Unchanged)]);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

fn a_dry_run_creates_nothing_and_records_the_exact_payloads(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let sink = sink_with(deployment, &server, TOKEN, true);
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    let outcomes = run(&sink, std::slice::from_ref(&a), &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(links[0].id, "dry-run");
    assert!(jira.issues().is_empty());
    assert!(
        server.requests().iter().all(|r| is_search(deployment, r)),
        "only searches reach the server"
    );
    let text = |text: &str| json!({ "type": "text", "text": text });
    let marked =
        |text: &str, mark: &str| json!({ "type": "text", "text": text, "marks": [{ "type": mark }] });
    let description = match deployment {
        Deployment::Cloud => json!({ "type": "doc", "version": 1, "content": [
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
        ]}),
        Deployment::DataCenter => json!(
            "*high* · due *2026-12-27* (30 days) · vigil action {{VA-a}} · scope {{shop}}\n\
             \n\
             Owner: *@shop/platform*\n\
             \n\
             why\n\
             \n\
             h3. Steps\n\
             # fix it\n\
             \n\
             Managed by vigil: edits to this description are replaced on the next sync. Key {{vigil-VA-a}}."
        ),
    };
    let expected = json!({ "fields": {
        "project": { "key": PROJECT },
        "summary": "Upgrade lodash",
        "issuetype": { "name": "Task" },
        "description": description,
        "labels": ["vigil", "vigil-VA-a", hash_label(&a)],
        "priority": { "name": "High" },
        "duedate": "2026-12-27",
        "components": [{ "name": COMPONENT }],
        "parent": { "key": EPIC },
    }});
    assert_eq!(
        sink.recorded(),
        vec![Request::send(Method::Post, api(deployment, "/issue"), expected)]
    );
}

fn a_dry_run_close_reads_the_workflow_and_records_the_comment_and_transition(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let mut links = Vec::new();
    run(&sink(deployment, &server), &[ticket("VA-a", "x")], &mut links);
    let dry = sink_with(deployment, &server, TOKEN, true);
    let outcomes = run(&dry, &[], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Closed)]);
    assert_eq!(
        jira.issue("VIG-1").unwrap().category,
        "new",
        "nothing changed on the tracker"
    );
    assert!(jira.issue("VIG-1").unwrap().comments.is_empty());
    let body = match deployment {
        Deployment::Cloud => json!({ "type": "doc", "version": 1, "content": [
            { "type": "paragraph", "content": [{ "type": "text", "text": "All findings fixed." }] },
        ]}),
        Deployment::DataCenter => json!("All findings fixed."),
    };
    assert_eq!(
        dry.recorded(),
        vec![
            Request::send(
                Method::Post,
                api(deployment, "/issue/VIG-1/comment"),
                json!({ "body": body })
            ),
            Request::send(
                Method::Post,
                api(deployment, "/issue/VIG-1/transitions"),
                json!({ "transition": { "id": "31" } })
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------
// The ticket's text is shown, never rendered: on Data Center it is wiki markup, where a finding title
// could otherwise add a link, an image or a macro.

/// Markup a finding, a step or an owner could carry, whether by accident or by design.
const HOSTILE: &str = "`{code}` [x|javascript:alert(1)] !https://evil.example/p.png! {html}<b>x</b>{html} \
                       [~admin] -struck- *bold* _em_ a\\b";

fn markup_in_the_tickets_text_adds_no_link_or_macro(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let source = "https://github.com/acme/shop/blob/abc/src/x.js#L1";
    let hostile = Ticket {
        title: HOSTILE.into(),
        owner: Some(format!("{HOSTILE} <a@b.example>")),
        summary: format!("h1. {HOSTILE}\n* injected item\n----\n{{noformat}}\nbq. quoted"),
        findings: vec![
            TicketFinding {
                id: "VF-1".into(),
                title: HOSTILE.into(),
                band: Band::High,
                rpn: 300,
                location: Some("src/x.js:1|javascript:alert(1)]".into()),
                link: Some(source.into()),
            },
            TicketFinding {
                id: "{code}".into(),
                title: String::new(),
                band: Band::Low,
                rpn: 1,
                location: Some("}}{code}".into()),
                link: Some("javascript:alert(1)".into()),
            },
        ],
        steps: vec![HOSTILE.into(), "# not a number\n# nor this".into()],
        verify: vec![HOSTILE.into()],
        references: vec!["[x|javascript:alert(1)]".into(), "javascript:alert(1)".into()],
        compliance: vec![HOSTILE.into()],
        ..ticket("VA-a", "")
    };
    let mut links = Vec::new();
    run(
        &sink(deployment, &server),
        std::slice::from_ref(&hostile),
        &mut links,
    );
    let issue = jira.issue("VIG-1").unwrap();
    let description = &issue.fields["description"];
    assert_eq!(
        link_targets(deployment, description),
        [source],
        "only vigil's own link"
    );
    assert_eq!(
        issue.fields["summary"], HOSTILE,
        "the summary is plain text on both"
    );
    let shown = shown_text(deployment, description);
    assert!(shown.contains(HOSTILE), "the text survives as text: {shown}");
    if deployment == Deployment::DataCenter {
        let wiki = description.as_str().unwrap();
        let read = wiki_markup(wiki);
        assert!(read.macros.is_empty(), "{:?} in {wiki}", read.macros);
        assert!(read.images.is_empty(), "{:?} in {wiki}", read.images);
        // Every line starts with vigil's own markup: no heading, list, rule or quote from the text.
        let summary_line = wiki.split("\n\n").nth(2).unwrap();
        assert!(summary_line.starts_with(r"h1\. `\{code\}`"), "{summary_line}");
        for line in wiki.lines().filter(|l| !l.is_empty()) {
            let ours = [
                "*high* ",
                "Owner: ",
                "h1\\. ",
                "h3. ",
                "* ",
                "# ",
                "Managed by vigil",
            ];
            assert!(ours.iter().any(|p| line.starts_with(p)), "{line}");
        }
        assert!(shown.contains("h1. "), "{shown}");
        assert!(
            shown.contains("\n* injected item\n----\n{noformat}\nbq. quoted"),
            "{shown}"
        );
        assert!(wiki.contains(r"a&#92;b"), "a backslash is not half a line break");
        let comment = issue.comments.first().map(|c| c.to_string()).unwrap_or_default();
        assert!(comment.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------------
// Credentials.

fn assert_no_credential(text: &str) {
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains(CREDENTIALS_BASE64), "credentials leaked: {text}");
}

fn no_error_carries_the_credential(deployment: Deployment) {
    let (jira, server) = start(deployment);
    let wrong = "wrong-but-still-secret-token";
    let sink = sink_with(deployment, &server, wrong, false);
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

    let sink = sink_with(deployment, &server, TOKEN, false);
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
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path.contains(TOKEN) && !r.body.contains(TOKEN)),
        "the token travels in the Authorization header only"
    );
}

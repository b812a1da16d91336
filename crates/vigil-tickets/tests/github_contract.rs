//! The GitHub sink against a fake GitHub Issues API on a local server. The fake enforces the request
//! shapes the real API requires (bearer token, JSON content type, a title, labels as strings, the body
//! size limit, known fields only) and can fail the way the real one does: a 429 with Retry-After, a 500,
//! a create that answers after the client gave up, a concurrent create of the same ticket. Every case is
//! driven through the sync engine and ends with one open issue per key.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Req, Resp, Server};
use serde_json::{Value, json};
use time::macros::date;
use vigil_core::Band;
use vigil_tickets::github::{DRY_RUN_ID, GitHubConfig, GitHubSink};
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::{Secret, Ticket};

const TOKEN: &str = "ghp_contract_test_token_0123456789";
const REPO: &str = "acme/shop";
/// GitHub Enterprise Server's API prefix: the sink must keep it on every path.
const PREFIX: &str = "/api/v3";
const VARIABLE: &str = "VIGIL_GITHUB_TOKEN";
const MAX_BODY_CHARS: usize = 65_536;

// ---------------------------------------------------------------------------------------------------
// The fake GitHub
// ---------------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Issue {
    number: u64,
    title: String,
    body: String,
    labels: Vec<String>,
    assignees: Vec<String>,
    milestone: Option<u64>,
    state: String,
    state_reason: Option<String>,
    created_at: String,
    /// The issues endpoint lists pull requests too.
    pull_request: bool,
}

/// What the next create meets.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// 429 with `Retry-After: 1`; nothing created.
    RateLimited,
    /// 500; nothing created.
    ServerError,
    /// The issue is created, but the answer comes after the client's timeout.
    SlowAfterCreating,
    /// Another machine creates the same ticket just before this create.
    Race,
}

#[derive(Debug, Default)]
struct State {
    issues: Vec<Issue>,
    comments: Vec<(u64, String)>,
    clock: u64,
    create_faults: VecDeque<Fault>,
    /// The next this-many reads answer 500.
    failing_reads: u32,
    /// Every request answers 500.
    broken: bool,
}

impl State {
    fn insert(&mut self, title: &str, body: &str, labels: Vec<String>) -> Issue {
        self.clock += 1;
        let issue = Issue {
            number: self.issues.len() as u64 + 1,
            title: title.to_owned(),
            body: body.to_owned(),
            labels,
            assignees: vec![],
            milestone: None,
            state: "open".to_owned(),
            state_reason: None,
            created_at: format!(
                "2026-01-01T{:02}:{:02}:{:02}Z",
                self.clock / 3600,
                self.clock / 60 % 60,
                self.clock % 60
            ),
            pull_request: false,
        };
        self.issues.push(issue.clone());
        issue
    }
}

#[derive(Clone, Default)]
struct FakeGitHub {
    state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    fn start() -> (Self, Server) {
        let fake = Self::default();
        let handler = fake.clone();
        let server = Server::start(move |req| handler.handle(req));
        (fake, server)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    fn fault(&self, fault: Fault) {
        self.state().create_faults.push_back(fault);
    }

    fn issues_with(&self, key: &str) -> Vec<Issue> {
        self.state()
            .issues
            .iter()
            .filter(|i| !i.pull_request && i.labels.iter().any(|l| l == key))
            .cloned()
            .collect()
    }

    fn open_with(&self, key: &str) -> usize {
        self.issues_with(key).iter().filter(|i| i.state == "open").count()
    }

    fn issue(&self, number: u64) -> Issue {
        self.state().issues[number as usize - 1].clone()
    }

    fn comments_on(&self, number: u64) -> Vec<String> {
        self.state()
            .comments
            .iter()
            .filter(|(n, _)| *n == number)
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// A person closing the issue on github.com.
    fn close_by_hand(&self, number: u64) {
        let mut state = self.state();
        let issue = &mut state.issues[number as usize - 1];
        issue.state = "closed".to_owned();
        issue.state_reason = Some("completed".to_owned());
    }

    fn handle(&self, req: &Req) -> Resp {
        let mut state = self.state();
        if req.header("Authorization") != Some(format!("Bearer {TOKEN}").as_str()) {
            return error(401, "Bad credentials");
        }
        if state.broken {
            return error(500, "Server Error");
        }
        if !req
            .header("Accept")
            .is_some_and(|a| a.contains("application/json") || a.contains("application/vnd.github"))
        {
            return error(415, "Unsupported 'Accept' header");
        }
        let (path, query) = req.path.split_once('?').unwrap_or((req.path.as_str(), ""));
        let Some(rest) = path
            .strip_prefix(PREFIX)
            .and_then(|p| p.strip_prefix(&format!("/repos/{REPO}/issues")))
        else {
            return error(404, "Not Found");
        };
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        if req.method == "GET" {
            if state.failing_reads > 0 {
                state.failing_reads -= 1;
                return error(500, "Server Error");
            }
            return match segments.as_slice() {
                [] => list(&state, query),
                [number] => match find_issue(&mut state, number) {
                    Some(issue) => Resp::json(200, issue_json(issue)),
                    None => error(404, "Not Found"),
                },
                _ => error(404, "Not Found"),
            };
        }
        if req.header("Content-Type") != Some("application/json") {
            return error(400, "Content-Type must be application/json");
        }
        let body = match serde_json::from_str::<Value>(&req.body) {
            Ok(body @ Value::Object(_)) => body,
            _ => return error(400, "Problems parsing JSON"),
        };
        match (req.method.as_str(), segments.as_slice()) {
            ("POST", []) => create(&mut state, &body),
            ("PATCH", [number]) => patch(&mut state, number, &body),
            ("POST", [number, "comments"]) => comment(&mut state, number, &body),
            _ => error(404, "Not Found"),
        }
    }
}

fn error(status: u16, message: &str) -> Resp {
    Resp::json(status, json!({ "message": message }))
}

fn issue_json(issue: &Issue) -> Value {
    let mut value = json!({
        "number": issue.number,
        "html_url": format!("https://github.example/{REPO}/issues/{}", issue.number),
        "title": issue.title,
        "body": issue.body,
        "state": issue.state,
        "state_reason": issue.state_reason,
        "labels": issue.labels.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>(),
        "assignees": issue.assignees.iter().map(|a| json!({ "login": a })).collect::<Vec<_>>(),
        "milestone": issue.milestone.map(|n| json!({ "number": n })),
        "created_at": issue.created_at,
    });
    if issue.pull_request {
        value["pull_request"] = json!({ "url": "https://github.example/pulls/1" });
    }
    value
}

fn find_issue<'a>(state: &'a mut State, number: &str) -> Option<&'a mut Issue> {
    let number = number.parse::<u64>().ok()?;
    state.issues.iter_mut().find(|i| i.number == number)
}

/// `GET /issues`: GitHub's defaults are `state=open`, 30 per page, newest first.
fn list(state: &State, query: &str) -> Resp {
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| percent_decode(v))
    };
    let labels: Vec<String> = param("labels")
        .map(|l| l.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let wanted_state = param("state").unwrap_or_else(|| "open".to_owned());
    let per_page = param("per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(30)
        .min(100);
    let page = param("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let mut matching: Vec<&Issue> = state
        .issues
        .iter()
        .filter(|i| labels.iter().all(|l| i.labels.contains(l)))
        .filter(|i| wanted_state == "all" || i.state == wanted_state)
        .collect();
    matching.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let items: Vec<Value> = matching
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(issue_json)
        .collect();
    Resp::json(200, Value::Array(items))
}

/// The checks GitHub makes on an issue payload (422 Validation Failed), plus one it does not: an unknown
/// field is refused, because the real API silently ignores a misspelt one.
fn validate(body: &Value, creating: bool) -> Result<(), Resp> {
    let allowed: &[&str] = if creating {
        &["title", "body", "labels", "assignees", "milestone"]
    } else {
        &[
            "title",
            "body",
            "labels",
            "assignees",
            "milestone",
            "state",
            "state_reason",
        ]
    };
    let object = body
        .as_object()
        .ok_or_else(|| error(400, "Problems parsing JSON"))?;
    if let Some(unknown) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(error(422, &format!("unknown field `{unknown}`")));
    }
    match body.get("title") {
        Some(Value::String(t)) if !t.trim().is_empty() => {}
        None if !creating => {}
        _ => return Err(error(422, "title: missing_field")),
    }
    match body.get("body") {
        None | Some(Value::Null) => {}
        Some(Value::String(b)) if b.chars().count() <= MAX_BODY_CHARS => {}
        Some(Value::String(_)) => {
            return Err(error(422, "body is too long (maximum is 65536 characters)"));
        }
        Some(_) => return Err(error(422, "body: invalid")),
    }
    for field in ["labels", "assignees"] {
        match body.get(field) {
            None => {}
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
            Some(_) => return Err(error(422, &format!("{field}: must be an array of strings"))),
        }
    }
    let assigns_a_team = body.get("assignees").and_then(Value::as_array).is_some_and(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .any(|a| a.contains('/') || a.starts_with('@'))
    });
    if assigns_a_team {
        return Err(error(422, "assignees: invalid"));
    }
    match body.get("milestone") {
        None | Some(Value::Null) => {}
        Some(m) if m.is_u64() => {}
        Some(_) => return Err(error(422, "milestone: invalid")),
    }
    match body.get("state").map(Value::as_str) {
        None | Some(Some("open" | "closed")) => {}
        Some(_) => return Err(error(422, "state: invalid")),
    }
    match body.get("state_reason") {
        None | Some(Value::Null) => {}
        Some(Value::String(r)) if matches!(r.as_str(), "completed" | "not_planned" | "reopened") => {}
        Some(_) => return Err(error(422, "state_reason: invalid")),
    }
    Ok(())
}

fn strings(body: &Value, field: &str) -> Option<Vec<String>> {
    body.get(field).and_then(Value::as_array).map(|items| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

fn create(state: &mut State, body: &Value) -> Resp {
    if let Err(rejected) = validate(body, true) {
        return rejected;
    }
    let fault = state.create_faults.pop_front();
    match fault {
        Some(Fault::RateLimited) => {
            return error(429, "API rate limit exceeded").header("Retry-After", "1");
        }
        Some(Fault::ServerError) => return error(500, "Server Error"),
        _ => {}
    }
    let title = body["title"].as_str().unwrap_or_default();
    let text = body.get("body").and_then(Value::as_str).unwrap_or_default();
    let labels = strings(body, "labels").unwrap_or_default();
    if let Some(Fault::Race) = fault {
        state.insert(title, text, labels.clone());
    }
    let mut issue = state.insert(title, text, labels);
    issue.assignees = strings(body, "assignees").unwrap_or_default();
    issue.milestone = body.get("milestone").and_then(Value::as_u64);
    if let Some(stored) = state.issues.last_mut() {
        *stored = issue.clone();
    }
    let response = Resp::json(201, issue_json(&issue));
    match fault {
        Some(Fault::SlowAfterCreating) => response.delayed(Duration::from_millis(600)),
        _ => response,
    }
}

fn patch(state: &mut State, number: &str, body: &Value) -> Resp {
    if let Err(rejected) = validate(body, false) {
        return rejected;
    }
    let Some(issue) = find_issue(state, number) else {
        return error(404, "Not Found");
    };
    if let Some(title) = body.get("title").and_then(Value::as_str) {
        issue.title = title.to_owned();
    }
    if let Some(text) = body.get("body").and_then(Value::as_str) {
        issue.body = text.to_owned();
    }
    if let Some(labels) = strings(body, "labels") {
        issue.labels = labels;
    }
    if let Some(new_state) = body.get("state").and_then(Value::as_str) {
        issue.state = new_state.to_owned();
        issue.state_reason = match new_state {
            "open" => Some("reopened".to_owned()),
            _ => Some(
                body.get("state_reason")
                    .and_then(Value::as_str)
                    .unwrap_or("completed")
                    .to_owned(),
            ),
        };
    }
    Resp::json(200, issue_json(issue))
}

fn comment(state: &mut State, number: &str, body: &Value) -> Resp {
    let text = match body.get("body") {
        Some(Value::String(t)) if !t.trim().is_empty() && t.chars().count() <= MAX_BODY_CHARS => t.clone(),
        _ => return error(422, "body: missing_field"),
    };
    if let Some(unknown) = body.as_object().and_then(|o| o.keys().find(|k| *k != "body")) {
        return error(422, &format!("unknown field `{unknown}`"));
    }
    let Some(issue) = find_issue(state, number) else {
        return error(404, "Not Found");
    };
    let number = issue.number;
    state.comments.push((number, text.clone()));
    Resp::json(201, json!({ "id": state.comments.len(), "body": text }))
}

fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------------
// The client side
// ---------------------------------------------------------------------------------------------------

fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_millis(300),
    }
}

fn config(server: &Server) -> GitHubConfig {
    GitHubConfig {
        base_url: format!("{}{PREFIX}", server.url),
        repository: REPO.into(),
        milestone: Some("3".into()),
        extra_labels: vec!["security".into()],
    }
}

fn sink_with(server: &Server, token: &str, dry_run: bool) -> GitHubSink {
    GitHubSink::new(
        config(server),
        Auth::Bearer(Secret::new(token)),
        VARIABLE,
        policy(),
        dry_run,
    )
    .unwrap()
}

fn sink(server: &Server) -> GitHubSink {
    sink_with(server, TOKEN, false)
}

fn ticket(action: &str, title: &str) -> Ticket {
    Ticket {
        key: format!("vigil-{action}"),
        action_id: action.into(),
        scope: "shop".into(),
        title: title.into(),
        band: Band::High,
        due: date!(2026 - 12 - 27),
        sla_days: 30,
        owner: Some("@shop/platform".into()),
        labels: vec!["vigil".into()],
        summary: "why".into(),
        findings: vec![],
        steps: vec!["fix it".into()],
        verify: vec![],
        references: vec![],
        compliance: vec![],
    }
}

fn marker(ticket: &Ticket) -> String {
    format!("\n<!-- vigil:content-hash={} -->\n", ticket.content_hash())
}

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(sink: &GitHubSink, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(sink, wanted, &known, "All findings fixed.", &mut |l| {
        saved.push(l.clone())
    });
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

fn creates_sent(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == format!("{PREFIX}/repos/{REPO}/issues"))
        .count()
}

// ---------------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_created_issue_has_the_shape_github_needs_and_reads_back() {
    let (fake, server) = FakeGitHub::start();
    let sink = sink(&server);
    let mut team = ticket("VA-a", "Upgrade lodash");
    team.band = Band::Critical;
    let mut person = ticket("VA-b", "Fix the bucket");
    person.owner = Some("@alice".into());
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[team.clone(), person.clone()], &mut links),
        vec![
            ("vigil-VA-a".into(), Outcome::Created),
            ("vigil-VA-b".into(), Outcome::Created)
        ]
    );

    let issue = fake.issue(1);
    assert_eq!(issue.title, "Upgrade lodash");
    assert_eq!(
        issue.labels,
        vec!["vigil", "security", "priority: critical", "vigil-VA-a"]
    );
    assert!(issue.assignees.is_empty(), "a team is not assignable");
    assert!(issue.body.contains("**Owner:** @shop/platform"), "{}", issue.body);
    assert!(issue.body.ends_with(&marker(&team)));
    assert_eq!(issue.milestone, Some(3));

    let issue = fake.issue(2);
    assert_eq!(issue.assignees, vec!["alice"]);
    assert!(!issue.body.contains("**Owner:**"), "an assignee needs no mention");
    assert_eq!(issue.body, format!("{}{}", person.markdown(), marker(&person)));

    let found = sink.find("vigil-VA-a").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "1");
    assert_eq!(found[0].url, format!("https://github.example/{REPO}/issues/1"));
    assert!(found[0].open);
    assert_eq!(found[0].content_hash, Some(team.content_hash()));
    assert_eq!(
        sink.get("2").unwrap().unwrap().content_hash,
        Some(person.content_hash())
    );
    assert_eq!(sink.get("99").unwrap(), None, "404 is a deleted issue");
    assert_eq!(links[1].id, "2");
}

#[test]
fn a_lifecycle_closes_reopens_updates_and_reports_a_close_by_a_person() {
    let (fake, server) = FakeGitHub::start();
    let sink = sink(&server);
    let key = "vigil-VA-a";
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();

    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![(key.into(), Outcome::Created)]
    );
    assert_eq!(links[0].id, "1");

    // Every finding fixed: the action is gone.
    assert_eq!(run(&sink, &[], &mut links), vec![(key.into(), Outcome::Closed)]);
    let issue = fake.issue(1);
    assert_eq!(
        (issue.state.as_str(), issue.state_reason.as_deref()),
        ("closed", Some("completed"))
    );
    assert_eq!(fake.comments_on(1), vec!["All findings fixed."]);

    // The findings come back: the same issue is reopened.
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![(key.into(), Outcome::Reopened)]
    );
    assert_eq!(fake.issues_with(key).len(), 1, "reopened, not created again");
    assert_eq!(fake.open_with(key), 1);
    assert_eq!(fake.comments_on(1).len(), 2);

    // The action changes: the issue is rewritten, and an unchanged one is left alone.
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    assert_eq!(
        run(&sink, std::slice::from_ref(&a2), &mut links),
        vec![(key.into(), Outcome::Updated)]
    );
    let issue = fake.issue(1);
    assert_eq!(issue.title, "Upgrade lodash (now 3 advisories)");
    assert!(issue.body.ends_with(&marker(&a2)));
    let patches = server.requests().iter().filter(|r| r.method == "PATCH").count();
    assert_eq!(
        run(&sink, std::slice::from_ref(&a2), &mut links),
        vec![(key.into(), Outcome::Unchanged)]
    );
    assert_eq!(
        server.requests().iter().filter(|r| r.method == "PATCH").count(),
        patches,
        "nothing changed, nothing written"
    );

    // Someone closes it on GitHub while the findings are still there: reported, left closed.
    fake.close_by_hand(1);
    for _ in 0..2 {
        assert_eq!(
            run(&sink, std::slice::from_ref(&a2), &mut links),
            vec![(key.into(), Outcome::ClosedWithoutFix)]
        );
    }
    assert_eq!(fake.open_with(key), 0);
    assert_eq!(fake.issues_with(key).len(), 1);
}

#[test]
fn a_closed_issue_is_found_by_key_when_the_links_were_lost() {
    let (fake, server) = FakeGitHub::start();
    let sink = sink(&server);
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    run(&sink, std::slice::from_ref(&a), &mut links);
    run(&sink, &[], &mut links);
    assert_eq!(fake.open_with("vigil-VA-a"), 0);

    // The store was lost: only the key on GitHub tells which issue is this action's.
    assert_eq!(
        sink.find("vigil-VA-a").unwrap().len(),
        1,
        "closed issues are found too"
    );
    let mut lost = Vec::new();
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut lost),
        vec![("vigil-VA-a".into(), Outcome::Reopened)]
    );
    assert_eq!(
        fake.issues_with("vigil-VA-a").len(),
        1,
        "reopened, not created again"
    );
    assert_eq!(lost[0].id, "1");
}

#[test]
fn a_rate_limited_create_waits_for_retry_after_and_creates_once() {
    let (fake, server) = FakeGitHub::start();
    fake.fault(Fault::RateLimited);
    let started = Instant::now();
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(creates_sent(&server), 2, "the refused create is sent again");
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_create_answered_with_500_is_searched_for_then_created_once() {
    let (fake, server) = FakeGitHub::start();
    fake.fault(Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(creates_sent(&server), 2);
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_500_on_a_read_is_retried() {
    let (fake, server) = FakeGitHub::start();
    fake.state().failing_reads = 2;
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
}

#[test]
fn a_create_that_times_out_after_github_made_the_issue_is_not_repeated() {
    let (fake, server) = FakeGitHub::start();
    fake.fault(Fault::SlowAfterCreating);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(creates_sent(&server), 1, "a create is never retried blind");
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");

    // The sink itself reports the lost answer as a timeout (which is what makes the engine search).
    fake.fault(Fault::SlowAfterCreating);
    let error = sink(&server).create(&ticket("VA-b", "y")).unwrap_err();
    assert!(
        matches!(error, SinkError::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
}

#[test]
fn a_concurrent_create_leaves_one_open_issue_and_closes_the_twin_as_not_planned() {
    let (fake, server) = FakeGitHub::start();
    fake.fault(Fault::Race);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&("vigil-VA-a".into(), Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 2);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1", "the oldest is kept");
    let twin = fake.issue(2);
    assert_eq!(
        (twin.state.as_str(), twin.state_reason.as_deref()),
        ("closed", Some("not_planned"))
    );
    let comments = fake.comments_on(2);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].starts_with("Duplicate of #1"), "{comments:?}");

    // The next sync sees one open issue and a closed twin: nothing to do.
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Unchanged)]);
}

#[test]
fn pull_requests_carrying_the_key_are_not_tickets() {
    let (fake, server) = FakeGitHub::start();
    {
        let mut state = fake.state();
        state.insert("A pull request", "", vec!["vigil-VA-a".into()]);
        if let Some(pr) = state.issues.last_mut() {
            pr.pull_request = true;
        }
    }
    let sink = sink(&server);
    assert_eq!(sink.find("vigil-VA-a").unwrap(), vec![]);
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[ticket("VA-a", "x")], &mut links),
        vec![("vigil-VA-a".into(), Outcome::Created)]
    );
    assert_eq!(links[0].id, "2");
}

#[test]
fn a_body_over_the_limit_is_cut_and_keeps_its_marker() {
    let (fake, server) = FakeGitHub::start();
    let mut long = ticket("VA-a", "Rotate every key");
    long.steps = (0..3000)
        .map(|i| format!("rotate key number {i} of the legacy keyring"))
        .collect();
    assert!(long.markdown().chars().count() > MAX_BODY_CHARS);
    let sink = sink(&server);
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[long.clone()], &mut links),
        vec![("vigil-VA-a".into(), Outcome::Created)]
    );
    let body = fake.issue(1).body;
    assert!(body.chars().count() <= MAX_BODY_CHARS);
    assert!(body.ends_with(&marker(&long)));
    assert_eq!(
        sink.get("1").unwrap().unwrap().content_hash,
        Some(long.content_hash())
    );
}

#[test]
fn the_fake_refuses_what_github_refuses() {
    let (_fake, server) = FakeGitHub::start();
    let http = Http::new(
        &format!("{}{PREFIX}", server.url),
        Auth::Bearer(Secret::new(TOKEN)),
        VARIABLE,
        policy(),
        false,
    )
    .unwrap();
    let issues = format!("/repos/{REPO}/issues");
    let status = |request: Request| match http.send(request) {
        Ok(response) => response.status,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other}"),
    };
    let post = |body: Value| Request::send(Method::Post, issues.clone(), body);
    assert_eq!(status(post(json!({ "body": "no title" }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "labels": [1] }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "labels": "vigil" }))), 422);
    assert_eq!(
        status(post(
            json!({ "title": "x", "body": "b".repeat(MAX_BODY_CHARS + 1) })
        )),
        422
    );
    assert_eq!(
        status(post(json!({ "title": "x", "assignees": ["shop/platform"] }))),
        422
    );
    assert_eq!(status(post(json!({ "title": "x", "milestone": "3" }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "lables": ["vigil"] }))), 422);
    assert_eq!(
        status(post(json!({ "title": "x" })).content_type("text/plain")),
        400
    );
    assert_eq!(status(post(json!(["not an object"]))), 400);
    assert_eq!(status(post(json!({ "title": "x" }))), 201);
    let patch = |body: Value| Request::send(Method::Patch, format!("{issues}/1"), body);
    assert_eq!(status(patch(json!({ "state": "done" }))), 422);
    assert_eq!(
        status(patch(json!({ "state": "closed", "state_reason": "fixed" }))),
        422
    );
    assert_eq!(
        status(patch(json!({ "state": "closed", "state_reason": "completed" }))),
        200
    );

    let stranger = Http::new(
        &format!("{}{PREFIX}", server.url),
        Auth::Basic {
            user: "x".into(),
            token: Secret::new(TOKEN),
        },
        VARIABLE,
        policy(),
        false,
    )
    .unwrap();
    assert!(matches!(
        stranger.send(Request::get(issues.clone())),
        Err(SinkError::Unauthorised { status: 401, .. })
    ));
}

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let (fake, server) = FakeGitHub::start();
    let a = ticket("VA-a", "Upgrade lodash");
    let mut b = ticket("VA-b", "Fix the bucket");
    b.owner = Some("@alice".into());
    // An issue for `a` from an older sync, with different content: a dry run would update it.
    fake.state().insert(
        "Upgrade lodash (old)",
        "old\n<!-- vigil:content-hash=00000000deadbeef -->\n",
        vec!["vigil".into(), "vigil-VA-a".into()],
    );

    let sink = sink_with(&server, TOKEN, true);
    let mut links = Vec::new();
    let outcomes = run(&sink, &[a.clone(), b.clone()], &mut links);
    assert_eq!(
        outcomes,
        vec![
            ("vigil-VA-a".into(), Outcome::Updated),
            ("vigil-VA-b".into(), Outcome::Created)
        ]
    );
    assert_eq!(links[1].id, DRY_RUN_ID);

    assert_eq!(fake.state().issues.len(), 1, "nothing created");
    assert_eq!(fake.issue(1).title, "Upgrade lodash (old)", "nothing updated");
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "a dry run only reads"
    );

    let expected = vec![
        Request::send(
            Method::Patch,
            format!("/repos/{REPO}/issues/1"),
            json!({
                "title": "Upgrade lodash",
                "body": format!("{}\n**Owner:** @shop/platform\n{}", a.markdown(), marker(&a)),
                "labels": ["vigil", "security", "priority: high", "vigil-VA-a"],
            }),
        )
        .idempotent(),
        Request::send(
            Method::Post,
            format!("/repos/{REPO}/issues"),
            json!({
                "title": "Fix the bucket",
                "body": format!("{}{}", b.markdown(), marker(&b)),
                "labels": ["vigil", "security", "priority: high", "vigil-VA-b"],
                "assignees": ["alice"],
                "milestone": 3,
            }),
        ),
    ];
    assert_eq!(sink.recorded(), expected);
}

#[test]
fn the_token_never_appears_in_an_error() {
    let (fake, server) = FakeGitHub::start();
    let wrong = "ghp_wrong_token_that_must_not_leak";
    let leaks = |text: &str| text.contains(TOKEN) || text.contains(wrong);

    // 401: a wrong token.
    let stranger = sink_with(&server, wrong, false);
    let error = stranger.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(error, SinkError::Unauthorised { status: 401, .. }),
        "{error:?}"
    );
    let text = format!("{error} {error:?}");
    assert!(!leaks(&text), "{text}");
    assert!(
        text.contains(VARIABLE),
        "the error names where the token came from: {text}"
    );
    let mut links = Vec::new();
    let outcomes = run(&stranger, &[ticket("VA-a", "x")], &mut links);
    assert!(
        matches!(&outcomes[0].1, Outcome::Failed(message) if !leaks(message)),
        "{outcomes:?}"
    );
    assert!(!leaks(&format!("{stranger:?}")));

    // 500: a broken GitHub, for reads and for writes.
    fake.state().broken = true;
    let sink = sink(&server);
    let errors = [
        sink.find("vigil-VA-a").unwrap_err(),
        sink.create(&ticket("VA-a", "x")).unwrap_err(),
        sink.close("1", "done").unwrap_err(),
    ];
    for error in errors {
        assert!(
            matches!(error, SinkError::Server { status: 500, .. }),
            "{error:?}"
        );
        let text = format!("{error} {error:?}");
        assert!(!leaks(&text), "{text}");
    }
    assert!(fake.issues_with("vigil-VA-a").is_empty());
}

#[test]
fn the_public_api_is_the_default_base_and_the_configuration_is_checked() {
    let auth = || Auth::Bearer(Secret::new(TOKEN));
    let default = GitHubSink::new(
        GitHubConfig {
            repository: REPO.into(),
            ..GitHubConfig::default()
        },
        auth(),
        VARIABLE,
        policy(),
        true,
    )
    .unwrap();
    assert!(format!("{default:?}").contains("https://api.github.com"));
    assert!(!format!("{default:?}").contains(TOKEN));
    for bad in [
        GitHubConfig {
            repository: "acme".into(),
            ..GitHubConfig::default()
        },
        GitHubConfig {
            repository: REPO.into(),
            milestone: Some("v1.0".into()),
            ..GitHubConfig::default()
        },
        GitHubConfig {
            base_url: "ftp://github.example".into(),
            repository: REPO.into(),
            ..GitHubConfig::default()
        },
    ] {
        assert!(GitHubSink::new(bad, auth(), VARIABLE, policy(), false).is_err());
    }
}

//! The Jira sink against a fake Jira that enforces the request shapes the real REST v3 API requires:
//! Basic authentication, JSON bodies, the required issue fields, labels without spaces and a structurally
//! valid Atlassian Document Format. The fake can fail the way Jira does (429 with Retry-After, a 500, a
//! create answered after the client gave up, a twin created by a concurrent sync), and every case is run
//! through the sync engine: one open ticket per key and the right final state, every time.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use time::macros::date;
use vigil_core::Band;
use vigil_tickets::Secret;
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::jira::{JiraConfig, JiraSink};
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::ticket::{Ticket, TicketFinding};

use common::{Req, Resp, Server};

const EMAIL: &str = "bot@acme.example";
const TOKEN: &str = "jira-s3cret-token";
/// `base64("bot@acme.example:jira-s3cret-token")`, computed outside the code under test.
const CREDENTIALS_BASE64: &str = "Ym90QGFjbWUuZXhhbXBsZTpqaXJhLXMzY3JldC10b2tlbg==";
const PROJECT: &str = "VIG";
const EPIC: &str = "VIG-100";
const COMPONENT: &str = "security";
const SLOW_ANSWER: Duration = Duration::from_millis(600);

// ---------------------------------------------------------------------------------------------------
// The fake Jira.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Search,
    Create,
    Update,
    Get,
    Comment,
    Transitions,
    Transition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// 429 with `Retry-After: 1`; the request is not carried out.
    RateLimited,
    /// 500; the request is not carried out.
    ServerError,
    /// The request is carried out, the answer comes after the client's timeout.
    AnsweredLate,
    /// Another machine creates the same ticket just before this create.
    Twin,
}

#[derive(Debug, Clone)]
struct Issue {
    key: String,
    fields: Map<String, Value>,
    /// Status category: `new`, `indeterminate` or `done`.
    category: &'static str,
    created: String,
    comments: Vec<Value>,
}

impl Issue {
    fn labels(&self) -> Vec<String> {
        self.fields
            .get("labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect()
    }
}

#[derive(Debug, Default)]
struct State {
    issues: Vec<Issue>,
    clock: u32,
    /// Faults to inject, each consumed by the first request on its route.
    faults: Vec<(Route, Fault)>,
}

struct FakeJira {
    server: Server,
    state: Arc<Mutex<State>>,
}

impl FakeJira {
    fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let server = Server::start(move |req| handle(&shared, req));
        Self { server, state }
    }

    fn inject(&self, route: Route, fault: Fault) {
        self.state.lock().unwrap().faults.push((route, fault));
    }

    fn issues(&self) -> Vec<Issue> {
        self.state.lock().unwrap().issues.clone()
    }

    fn issue(&self, key: &str) -> Issue {
        self.issues().into_iter().find(|i| i.key == key).unwrap()
    }

    fn with_label(&self, label: &str) -> Vec<Issue> {
        self.issues()
            .into_iter()
            .filter(|i| i.labels().iter().any(|l| l == label))
            .collect()
    }

    fn open_with(&self, label: &str) -> usize {
        self.with_label(label)
            .iter()
            .filter(|i| i.category != "done")
            .count()
    }

    /// What a person does in the Jira UI.
    fn set_category(&self, key: &str, category: &'static str) {
        let mut state = self.state.lock().unwrap();
        for issue in state.issues.iter_mut().filter(|i| i.key == key) {
            issue.category = category;
        }
    }

    fn count(&self, method: &str, path: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    }

    fn sink(&self) -> JiraSink {
        self.sink_with(TOKEN, false)
    }

    fn sink_with(&self, token: &str, dry_run: bool) -> JiraSink {
        JiraSink::new(
            config(&self.server.url),
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

fn errors(messages: &[&str]) -> Resp {
    Resp::json(400, json!({ "errorMessages": messages, "errors": {} }))
}

fn field_errors(errors: Map<String, Value>) -> Resp {
    Resp::json(400, json!({ "errorMessages": [], "errors": errors }))
}

fn not_found() -> Resp {
    Resp::json(
        404,
        json!({ "errorMessages": ["Issue does not exist or you do not have permission to see it."] }),
    )
}

fn route(method: &str, path: &str) -> Option<(Route, Option<String>)> {
    let segments: Vec<&str> = path.strip_prefix("/rest/api/3/")?.split('/').collect();
    match (method, segments.as_slice()) {
        ("POST", ["search", "jql"]) => Some((Route::Search, None)),
        ("POST", ["issue"]) => Some((Route::Create, None)),
        ("PUT", ["issue", key]) => Some((Route::Update, Some((*key).to_owned()))),
        ("GET", ["issue", key]) => Some((Route::Get, Some((*key).to_owned()))),
        ("POST", ["issue", key, "comment"]) => Some((Route::Comment, Some((*key).to_owned()))),
        ("GET", ["issue", key, "transitions"]) => Some((Route::Transitions, Some((*key).to_owned()))),
        ("POST", ["issue", key, "transitions"]) => Some((Route::Transition, Some((*key).to_owned()))),
        _ => None,
    }
}

fn handle(state: &Mutex<State>, req: &Req) -> Resp {
    let expected = format!("Basic {CREDENTIALS_BASE64}");
    if req.header("Authorization") != Some(expected.as_str()) {
        return Resp::json(
            401,
            json!({ "errorMessages": ["You are not authenticated. Authentication required to perform this operation."] }),
        );
    }
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let Some((route, key)) = route(&req.method, path) else {
        return Resp::json(404, json!({ "errorMessages": ["No such resource"] }));
    };
    let body = if req.method == "GET" {
        Value::Null
    } else {
        // Jira answers a body that is not JSON with 415 before looking at it.
        if !req
            .header("Content-Type")
            .is_some_and(|c| c.starts_with("application/json"))
        {
            return Resp::json(415, json!({ "errorMessages": ["Unsupported Media Type"] }));
        }
        match serde_json::from_str::<Value>(&req.body) {
            Ok(body) => body,
            Err(_) => return errors(&["Unexpected character in the request body"]),
        }
    };
    let mut state = state.lock().unwrap();
    let fault = state
        .faults
        .iter()
        .position(|(r, _)| *r == route)
        .map(|at| state.faults.remove(at).1);
    match fault {
        Some(Fault::RateLimited) => {
            return Resp::json(429, json!({ "errorMessages": ["Rate limit exceeded."] }))
                .header("Retry-After", "1");
        }
        Some(Fault::ServerError) => {
            return Resp::json(500, json!({ "errorMessages": ["Internal server error"] }));
        }
        _ => {}
    }
    let key = key.unwrap_or_default();
    let resp = match route {
        Route::Search => search(&state, &body),
        Route::Create => {
            if fault == Some(Fault::Twin) {
                let twin = create(&mut state, &body);
                assert_eq!(twin.status, 201, "the twin is the same valid request");
            }
            create(&mut state, &body)
        }
        Route::Update => update(&mut state, &key, &body),
        Route::Get => match state.issues.iter().find(|i| i.key == key) {
            Some(issue) => Resp::json(200, issue_json(issue, &requested_fields(query))),
            None => not_found(),
        },
        Route::Comment => comment(&mut state, &key, &body),
        Route::Transitions => match state.issues.iter().find(|i| i.key == key) {
            Some(issue) => Resp::json(200, json!({ "transitions": transitions(issue.category) })),
            None => not_found(),
        },
        Route::Transition => transition(&mut state, &key, &body),
    };
    if fault == Some(Fault::AnsweredLate) {
        resp.delayed(SLOW_ANSWER)
    } else {
        resp
    }
}

fn requested_fields(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("fields="))
        .flat_map(|list| list.split(','))
        .map(str::to_owned)
        .collect()
}

fn issue_json(issue: &Issue, fields: &[String]) -> Value {
    let mut out = Map::new();
    for field in fields {
        let value = match field.as_str() {
            "status" => json!({
                "name": match issue.category { "done" => "Done", "new" => "To Do", _ => "In Progress" },
                "statusCategory": { "key": issue.category },
            }),
            "created" => json!(issue.created),
            other => issue.fields.get(other).cloned().unwrap_or(Value::Null),
        };
        out.insert(field.clone(), value);
    }
    json!({
        "id": issue.key.trim_start_matches("VIG-"),
        "key": issue.key,
        // Never followed by the sink: a link to another host would be refused.
        "self": format!("https://jira.invalid/rest/api/3/issue/{}", issue.key),
        "fields": out,
    })
}

fn search(state: &State, body: &Value) -> Resp {
    let jql = body["jql"].as_str().unwrap_or_default();
    let Some(label) = jql
        .strip_prefix("labels = \"")
        .and_then(|rest| rest.strip_suffix("\" ORDER BY created ASC"))
    else {
        return errors(&[&format!(
            "Error in the JQL Query: `{jql}` is not what vigil sends"
        )]);
    };
    let Some(fields) = body["fields"].as_array() else {
        return errors(&["`fields` must be a list"]);
    };
    let fields: Vec<String> = fields
        .iter()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    if !body["maxResults"]
        .as_u64()
        .is_some_and(|n| (1..=5000).contains(&n))
    {
        return errors(&["`maxResults` must be between 1 and 5000"]);
    }
    let mut issues: Vec<&Issue> = state
        .issues
        .iter()
        .filter(|i| i.labels().iter().any(|l| l == label))
        .collect();
    issues.sort_by(|a, b| a.created.cmp(&b.created));
    let issues: Vec<Value> = issues.into_iter().map(|i| issue_json(i, &fields)).collect();
    Resp::json(200, json!({ "issues": issues, "isLast": true }))
}

fn create(state: &mut State, body: &Value) -> Resp {
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(fields, true) {
        return field_errors(problems);
    }
    state.clock += 1;
    let number = state.issues.len() + 1;
    let key = format!("{PROJECT}-{number}");
    // Jira writes its timestamps in the site's offset; +0100 checks the sink compares them as instants.
    let created = format!(
        "2026-01-05T10:{:02}:{:02}.000+0100",
        state.clock / 60,
        state.clock % 60
    );
    state.issues.push(Issue {
        key: key.clone(),
        fields: fields.clone(),
        category: "new",
        created,
        comments: Vec::new(),
    });
    Resp::json(
        201,
        json!({ "id": format!("{}", 10000 + number), "key": key, "self": "https://jira.invalid/x" }),
    )
}

fn update(state: &mut State, key: &str, body: &Value) -> Resp {
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(fields, false) {
        return field_errors(problems);
    }
    let Some(issue) = state.issues.iter_mut().find(|i| i.key == key) else {
        return not_found();
    };
    for (name, value) in fields {
        issue.fields.insert(name.clone(), value.clone());
    }
    Resp::empty(204)
}

fn comment(state: &mut State, key: &str, body: &Value) -> Resp {
    if let Err(problem) = check_adf(&body["body"]) {
        return errors(&[&format!("Comment body is not valid: {problem}")]);
    }
    let Some(issue) = state.issues.iter_mut().find(|i| i.key == key) else {
        return not_found();
    };
    issue.comments.push(body["body"].clone());
    Resp::json(201, json!({ "id": format!("{}", issue.comments.len()) }))
}

/// A workflow whose first transition is not the closing one, so the sink must choose by category.
fn transitions(category: &str) -> Value {
    let to = |id: &str, name: &str, category: &str| json!({ "id": id, "name": name, "to": { "statusCategory": { "key": category } } });
    match category {
        "new" => json!([
            to("11", "Start progress", "indeterminate"),
            to("31", "Done", "done")
        ]),
        "indeterminate" => json!([to("12", "Stop progress", "new"), to("31", "Done", "done")]),
        _ => json!([to("41", "Reopen", "new")]),
    }
}

fn transition(state: &mut State, key: &str, body: &Value) -> Resp {
    let Some(id) = body["transition"]["id"].as_str() else {
        return errors(&["`transition.id` is required"]);
    };
    let Some(issue) = state.issues.iter_mut().find(|i| i.key == key) else {
        return not_found();
    };
    let available = transitions(issue.category);
    let Some(chosen) = available.as_array().into_iter().flatten().find(|t| t["id"] == id) else {
        return errors(&[&format!("Transition id '{id}' is not valid for this issue.")]);
    };
    issue.category = match chosen["to"]["statusCategory"]["key"].as_str() {
        Some("done") => "done",
        Some("indeterminate") => "indeterminate",
        _ => "new",
    };
    Resp::empty(204)
}

/// What Jira checks of the issue fields, as `field → message`.
fn check_fields(fields: &Map<String, Value>, creating: bool) -> Result<(), Map<String, Value>> {
    let mut problems = Map::new();
    let mut problem = |field: &str, message: &str| {
        problems.insert(field.to_owned(), json!(message));
    };
    let settable: &[&str] = if creating {
        &[
            "project",
            "summary",
            "issuetype",
            "description",
            "labels",
            "priority",
            "duedate",
            "components",
            "parent",
        ]
    } else {
        &[
            "summary",
            "description",
            "labels",
            "priority",
            "duedate",
            "components",
            "parent",
        ]
    };
    for name in fields.keys().filter(|k| !settable.contains(&k.as_str())) {
        problem(
            name,
            "Field cannot be set. It is not on the appropriate screen, or unknown.",
        );
    }
    if creating {
        if fields.get("project").and_then(|p| p["key"].as_str()) != Some(PROJECT) {
            problem("project", "Specify a valid project ID or key");
        }
        if !fields
            .get("issuetype")
            .and_then(|t| t["name"].as_str())
            .is_some_and(|t| ["Task", "Bug", "Story"].contains(&t))
        {
            problem("issuetype", "Specify an issue type");
        }
        if !fields.contains_key("summary") {
            problem("summary", "You must specify a summary of the issue.");
        }
    }
    if let Some(summary) = fields.get("summary") {
        let ok = summary
            .as_str()
            .is_some_and(|s| !s.trim().is_empty() && s.chars().count() <= 255 && !s.contains(['\n', '\r']));
        if !ok {
            problem("summary", "Summary must be one line of 1 to 255 characters.");
        }
    }
    if let Some(description) = fields.get("description")
        && let Err(message) = check_adf(description)
    {
        problem(
            "description",
            &format!("Operation value must be an Atlassian Document: {message}"),
        );
    }
    if let Some(labels) = fields.get("labels") {
        let ok = labels.as_array().is_some_and(|labels| {
            labels.iter().all(|l| {
                l.as_str().is_some_and(|l| {
                    !l.is_empty() && l.chars().count() <= 255 && !l.contains(char::is_whitespace)
                })
            })
        });
        if !ok {
            problem("labels", "The label can't contain spaces.");
        }
    }
    if let Some(priority) = fields.get("priority")
        && !priority["name"]
            .as_str()
            .is_some_and(|p| ["Highest", "High", "Medium", "Low", "Lowest"].contains(&p))
    {
        problem("priority", "Specify a valid priority");
    }
    if let Some(due) = fields.get("duedate")
        && due.as_str().is_none_or(|d| vigil_core::date::parse(d).is_none())
    {
        problem("duedate", "Error parsing date string. Use the format YYYY-MM-DD.");
    }
    if let Some(components) = fields.get("components") {
        let ok = components
            .as_array()
            .is_some_and(|components| components.iter().all(|c| c["name"] == COMPONENT));
        if !ok {
            problem("components", "Component name is not valid");
        }
    }
    if let Some(parent) = fields.get("parent")
        && parent["key"] != EPIC
    {
        problem("parent", "Could not find issue by id or key.");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A structural check of Atlassian Document Format, as strict as Jira's on the nodes vigil may write.
fn check_adf(doc: &Value) -> Result<(), String> {
    if doc["type"] != "doc" {
        return Err("the root must be of type doc".into());
    }
    if doc["version"] != 1 {
        return Err("version must be 1".into());
    }
    check_children(
        doc,
        &["paragraph", "heading", "bulletList", "orderedList", "rule"],
        false,
    )
}

fn check_children(node: &Value, allowed: &[&str], at_least_one: bool) -> Result<(), String> {
    let children = match &node["content"] {
        Value::Array(children) => children.as_slice(),
        Value::Null if !at_least_one => &[],
        _ => return Err(format!("{}: content must be a list", node["type"])),
    };
    if at_least_one && children.is_empty() {
        return Err(format!("{} must not be empty", node["type"]));
    }
    children.iter().try_for_each(|child| check_node(child, allowed))
}

fn check_node(node: &Value, allowed: &[&str]) -> Result<(), String> {
    const INLINE: &[&str] = &["text", "hardBreak"];
    let kind = node["type"].as_str().unwrap_or_default();
    if !allowed.contains(&kind) {
        return Err(format!("node type `{kind}` is not allowed here"));
    }
    match kind {
        "paragraph" => check_children(node, INLINE, false),
        "heading" => {
            if !node["attrs"]["level"]
                .as_u64()
                .is_some_and(|l| (1..=6).contains(&l))
            {
                return Err("heading needs attrs.level from 1 to 6".into());
            }
            check_children(node, INLINE, false)
        }
        "bulletList" | "orderedList" => check_children(node, &["listItem"], true),
        "listItem" => {
            if node["content"][0]["type"] != "paragraph" {
                return Err("a listItem starts with a paragraph".into());
            }
            check_children(node, &["paragraph", "bulletList", "orderedList"], true)
        }
        "text" => {
            if node["text"].as_str().is_none_or(str::is_empty) {
                return Err("text nodes must not be empty".into());
            }
            check_marks(&node["marks"])
        }
        _ => Ok(()),
    }
}

fn check_marks(marks: &Value) -> Result<(), String> {
    let marks = match marks {
        Value::Null => return Ok(()),
        Value::Array(marks) => marks,
        _ => return Err("marks must be a list".into()),
    };
    let mut seen = HashSet::new();
    for mark in marks {
        let kind = mark["type"].as_str().unwrap_or_default();
        if !["strong", "em", "code", "link", "strike", "underline"].contains(&kind) {
            return Err(format!("mark `{kind}` is unknown"));
        }
        if !seen.insert(kind) {
            return Err(format!("mark `{kind}` is repeated"));
        }
        if kind == "link" && mark["attrs"]["href"].as_str().is_none_or(str::is_empty) {
            return Err("a link mark needs attrs.href".into());
        }
    }
    // In ADF, code combines with link only.
    if seen.contains("code") && seen.iter().any(|m| !["code", "link"].contains(m)) {
        return Err("code combines with link only".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Helpers, as in tests/sync.rs.

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
fn the_fake_refuses_what_jira_refuses() {
    let jira = FakeJira::start();
    let http = |token: &str| {
        Http::new(
            &jira.server.url,
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
    let jira = FakeJira::start();
    let sink = jira.sink();
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    let key = "vigil-VA-a";

    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![outcome(key, Outcome::Created)]
    );
    let issue = jira.issue("VIG-1");
    assert_eq!(issue.fields["summary"], "Upgrade lodash");
    assert_eq!(issue.fields["issuetype"]["name"], "Task");
    assert_eq!(issue.fields["priority"]["name"], "High");
    assert_eq!(issue.fields["duedate"], "2026-12-27");
    assert_eq!(issue.fields["components"], json!([{ "name": COMPONENT }]));
    assert_eq!(issue.fields["parent"]["key"], EPIC);
    assert_eq!(issue.labels(), vec!["vigil".into(), key.into(), hash_label(&a)]);
    assert_eq!(links[0].id, "VIG-1");
    assert_eq!(links[0].url, format!("{}/browse/VIG-1", jira.server.url));
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
        jira.count("PUT", "/rest/api/3/issue/VIG-1"),
        0,
        "nothing changed, nothing written"
    );

    // Every finding fixed: the action is gone.
    assert_eq!(run(&sink, &[], &mut links), vec![outcome(key, Outcome::Closed)]);
    let issue = jira.issue("VIG-1");
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
    assert_eq!(jira.issue("VIG-1").comments.len(), 2);

    // The content changes, with everything the description can hold.
    let rich = rich_ticket("VA-a");
    assert_eq!(
        run(&sink, std::slice::from_ref(&rich), &mut links),
        vec![outcome(key, Outcome::Updated)]
    );
    let issue = jira.issue("VIG-1");
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
        jira.issue("VIG-1").category,
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
    let jira = FakeJira::start();
    let sink = JiraSink::new(
        JiraConfig {
            issue_type: Some("Bug".into()),
            priority_high: Some("Medium".into()),
            done_transition: Some("done".into()),
            reopen_transition: Some("Reopen".into()),
            components: vec![],
            parent: None,
            ..config(&jira.server.url)
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
    let issue = jira.issue("VIG-1");
    assert_eq!(issue.fields["issuetype"]["name"], "Bug");
    assert_eq!(issue.fields["priority"]["name"], "Medium");
    assert!(!issue.fields.contains_key("components"));
    assert!(!issue.fields.contains_key("parent"));
    run(&sink, &[], &mut links);
    assert_eq!(jira.issue("VIG-1").category, "done");
    run(&sink, std::slice::from_ref(&a), &mut links);
    assert_eq!(jira.issue("VIG-1").category, "new");

    let unknown = JiraSink::new(
        JiraConfig {
            done_transition: Some("Resolve".into()),
            ..config(&jira.server.url)
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
    assert_eq!(jira.issue("VIG-1").category, "new");
}

// ---------------------------------------------------------------------------------------------------
// Faults: zero duplicate open tickets and the right final state each time.

#[test]
fn a_rate_limit_is_waited_out_and_the_create_repeated() {
    let jira = FakeJira::start();
    jira.inject(Route::Create, Fault::RateLimited);
    let mut links = Vec::new();
    let started = Instant::now();
    let outcomes = run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(jira.count("POST", "/rest/api/3/issue"), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_server_error_is_retried_for_a_search_and_searched_around_for_a_create() {
    let jira = FakeJira::start();
    jira.inject(Route::Search, Fault::ServerError);
    jira.inject(Route::Create, Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    // The create failed without effect; the engine searched (nothing) and created again.
    assert_eq!(jira.count("POST", "/rest/api/3/issue"), 2);
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1");
}

#[test]
fn a_create_answered_after_the_timeout_is_found_not_repeated() {
    let jira = FakeJira::start();
    jira.inject(Route::Create, Fault::AnsweredLate);
    let mut links = Vec::new();
    let outcomes = run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        jira.count("POST", "/rest/api/3/issue"),
        1,
        "a create is never retried blind"
    );
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(links[0].id, "VIG-1");
}

#[test]
fn a_concurrent_create_leaves_the_oldest_open_and_closes_the_twin() {
    let jira = FakeJira::start();
    jira.inject(Route::Create, Fault::Twin);
    let mut links = Vec::new();
    let outcomes = run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&outcome("vigil-VA-a", Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(jira.with_label("vigil-VA-a").len(), 2);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "VIG-1", "the oldest is kept");
    let twin = jira.issue("VIG-2");
    assert_eq!(twin.category, "done");
    let comment = twin.comments[0].to_string();
    assert!(comment.contains("Duplicate of VIG-1"), "{comment}");

    // The next sync sees one open ticket and leaves everything as it is.
    let outcomes = run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Unchanged)]);
    assert_eq!(jira.open_with("vigil-VA-a"), 1);
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let jira = FakeJira::start();
    let sink = jira.sink_with(TOKEN, true);
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    let outcomes = run(&sink, std::slice::from_ref(&a), &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(links[0].id, "dry-run");
    assert!(jira.issues().is_empty());
    assert!(
        jira.server
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
    let jira = FakeJira::start();
    let mut links = Vec::new();
    run(&jira.sink(), &[ticket("VA-a", "x")], &mut links);
    let dry = jira.sink_with(TOKEN, true);
    let outcomes = run(&dry, &[], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Closed)]);
    assert_eq!(
        jira.issue("VIG-1").category,
        "new",
        "nothing changed on the tracker"
    );
    assert!(jira.issue("VIG-1").comments.is_empty());
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
    let jira = FakeJira::start();
    let wrong = "wrong-but-still-secret-token";
    let sink = jira.sink_with(wrong, false);
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

    let sink = jira.sink();
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

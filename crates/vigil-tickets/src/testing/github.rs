//! A fake GitHub Issues API. It enforces the request shapes the real API requires (bearer token, JSON
//! content type, a title, labels as strings, the body size limit, known fields only) and can fail the way
//! the real one does: a 429 with Retry-After, a 500, a create that answers after the client gave up, a
//! concurrent create of the same ticket.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};

use super::server::{Req, Resp, Server, lock};
use super::{FakeTracker, StoredTicket, percent_decode};

/// GitHub's limit on an issue body or comment, in characters.
pub const MAX_BODY_CHARS: usize = 65_536;

/// What the fake accepts: the token, the repository and the API prefix (`/api/v3` for GitHub Enterprise
/// Server, empty for api.github.com).
#[derive(Debug, Clone)]
pub struct GitHubSettings {
    pub token: String,
    /// `owner/name`.
    pub repository: String,
    pub api_prefix: String,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    pub milestone: Option<u64>,
    pub state: String,
    pub state_reason: Option<String>,
    pub created_at: String,
    /// The issues endpoint lists pull requests too.
    pub pull_request: bool,
}

/// What the next create meets.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
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
pub struct State {
    pub issues: Vec<Issue>,
    pub comments: Vec<(u64, String)>,
    clock: u64,
    pub create_faults: VecDeque<Fault>,
    /// The next this-many reads answer 500.
    pub failing_reads: u32,
    /// Every request answers 500.
    pub broken: bool,
}

impl State {
    /// Adds an open issue, as if created through the API.
    pub fn insert(&mut self, title: &str, body: &str, labels: Vec<String>) -> Issue {
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

    fn issue_mut(&mut self, number: &str) -> Option<&mut Issue> {
        let number = number.parse::<u64>().ok()?;
        self.issues.iter_mut().find(|i| i.number == number)
    }
}

#[derive(Debug, Clone)]
pub struct FakeGitHub {
    settings: Arc<GitHubSettings>,
    state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    pub fn start(settings: GitHubSettings) -> std::io::Result<(Self, Server)> {
        let fake = Self {
            settings: Arc::new(settings),
            state: Arc::default(),
        };
        let handler = fake.clone();
        let server = Server::start(move |req| handler.handle(req))?;
        Ok((fake, server))
    }

    /// The fake's state, to inspect or to change as a person (or another machine) would.
    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub fn fault(&self, fault: Fault) {
        self.state().create_faults.push_back(fault);
    }

    /// The issues (not pull requests) carrying the label `key`.
    pub fn issues_with(&self, key: &str) -> Vec<Issue> {
        self.state()
            .issues
            .iter()
            .filter(|i| !i.pull_request && i.labels.iter().any(|l| l == key))
            .cloned()
            .collect()
    }

    pub fn open_with(&self, key: &str) -> usize {
        self.issues_with(key).iter().filter(|i| i.state == "open").count()
    }

    pub fn issue(&self, number: u64) -> Option<Issue> {
        self.state().issues.iter().find(|i| i.number == number).cloned()
    }

    pub fn comments_on(&self, number: u64) -> Vec<String> {
        self.state()
            .comments
            .iter()
            .filter(|(n, _)| *n == number)
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// A person closing the issue on github.com.
    pub fn close_by_hand(&self, number: u64) -> bool {
        let mut state = self.state();
        let Some(issue) = state.issues.iter_mut().find(|i| i.number == number) else {
            return false;
        };
        issue.state = "closed".to_owned();
        issue.state_reason = Some("completed".to_owned());
        true
    }

    fn handle(&self, req: &Req) -> Resp {
        let settings = &self.settings;
        let mut state = self.state();
        if req.header("Authorization") != Some(format!("Bearer {}", settings.token).as_str()) {
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
            .strip_prefix(settings.api_prefix.as_str())
            .and_then(|p| p.strip_prefix(&format!("/repos/{}/issues", settings.repository)))
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
                [] => list(settings, &state, query),
                [number] => match state.issue_mut(number) {
                    Some(issue) => Resp::json(200, issue_json(settings, issue)),
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
            ("POST", []) => create(settings, &mut state, &body),
            ("PATCH", [number]) => patch(settings, &mut state, number, &body),
            ("POST", [number, "comments"]) => comment(&mut state, number, &body),
            _ => error(404, "Not Found"),
        }
    }
}

impl FakeTracker for FakeGitHub {
    fn tickets(&self) -> Vec<StoredTicket> {
        let state = self.state();
        state
            .issues
            .iter()
            .filter(|i| !i.pull_request)
            .map(|i| StoredTicket {
                id: i.number.to_string(),
                title: i.title.clone(),
                labels: i.labels.clone(),
                open: i.state == "open",
                comments: state.comments.iter().filter(|(n, _)| *n == i.number).count(),
            })
            .collect()
    }

    fn close_by_a_person(&self, id: &str) -> bool {
        id.parse::<u64>().is_ok_and(|number| self.close_by_hand(number))
    }
}

fn error(status: u16, message: &str) -> Resp {
    Resp::json(status, json!({ "message": message }))
}

fn issue_json(settings: &GitHubSettings, issue: &Issue) -> Value {
    let mut value = json!({
        "number": issue.number,
        "html_url": format!("https://github.example/{}/issues/{}", settings.repository, issue.number),
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

/// `GET /issues`: GitHub's defaults are `state=open`, 30 per page, newest first.
fn list(settings: &GitHubSettings, state: &State, query: &str) -> Resp {
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
        .map(|issue| issue_json(settings, issue))
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

fn create(settings: &GitHubSettings, state: &mut State, body: &Value) -> Resp {
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
    let title = body.get("title").and_then(Value::as_str).unwrap_or_default();
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
    let response = Resp::json(201, issue_json(settings, &issue));
    match fault {
        Some(Fault::SlowAfterCreating) => response.delayed(Duration::from_millis(600)),
        _ => response,
    }
}

fn patch(settings: &GitHubSettings, state: &mut State, number: &str, body: &Value) -> Resp {
    if let Err(rejected) = validate(body, false) {
        return rejected;
    }
    let Some(issue) = state.issue_mut(number) else {
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
    Resp::json(200, issue_json(settings, issue))
}

fn comment(state: &mut State, number: &str, body: &Value) -> Resp {
    let text = match body.get("body") {
        Some(Value::String(t)) if !t.trim().is_empty() && t.chars().count() <= MAX_BODY_CHARS => t.clone(),
        _ => return error(422, "body: missing_field"),
    };
    if let Some(unknown) = body.as_object().and_then(|o| o.keys().find(|k| *k != "body")) {
        return error(422, &format!("unknown field `{unknown}`"));
    }
    let Some(issue) = state.issue_mut(number) else {
        return error(404, "Not Found");
    };
    let number = issue.number;
    state.comments.push((number, text.clone()));
    Resp::json(201, json!({ "id": state.comments.len(), "body": text }))
}

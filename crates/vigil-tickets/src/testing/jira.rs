//! A fake Jira Cloud (REST v3) that enforces the request shapes the real API requires: the configured
//! authentication, JSON bodies, the required issue fields, labels without spaces and a structurally valid
//! Atlassian Document Format. It can fail the way Jira does: 429 with Retry-After, a 500, a request
//! answered after the client gave up, a twin created by a concurrent sync.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::server::{Req, Resp, Server, lock};
use super::{FakeTracker, StoredTicket};

const SLOW_ANSWER: Duration = Duration::from_millis(600);

/// What the fake accepts.
#[derive(Debug, Clone)]
pub struct JiraSettings {
    /// The whole `Authorization` header value, e.g. from [`super::basic_authorization`].
    pub authorization: String,
    /// The project key issues are created in (`VIG`: issues are `VIG-1`, `VIG-2`…).
    pub project: String,
    /// The only issue accepted as a parent.
    pub epic: String,
    /// The only component accepted.
    pub component: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Search,
    Create,
    Update,
    Get,
    Comment,
    Transitions,
    Transition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
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
pub struct Issue {
    pub key: String,
    pub fields: Map<String, Value>,
    /// Status category: `new`, `indeterminate` or `done`.
    pub category: &'static str,
    pub created: String,
    pub comments: Vec<Value>,
}

impl Issue {
    pub fn labels(&self) -> Vec<String> {
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

#[derive(Debug, Clone)]
pub struct FakeJira {
    settings: Arc<JiraSettings>,
    state: Arc<Mutex<State>>,
}

impl FakeJira {
    pub fn start(settings: JiraSettings) -> std::io::Result<(Self, Server)> {
        let fake = Self {
            settings: Arc::new(settings),
            state: Arc::default(),
        };
        let handler = fake.clone();
        let server = Server::start(move |req| handle(&handler.settings, &handler.state, req))?;
        Ok((fake, server))
    }

    /// The next request on `route` meets `fault`.
    pub fn inject(&self, route: Route, fault: Fault) {
        lock(&self.state).faults.push((route, fault));
    }

    pub fn issues(&self) -> Vec<Issue> {
        lock(&self.state).issues.clone()
    }

    pub fn issue(&self, key: &str) -> Option<Issue> {
        self.issues().into_iter().find(|i| i.key == key)
    }

    pub fn with_label(&self, label: &str) -> Vec<Issue> {
        self.issues()
            .into_iter()
            .filter(|i| i.labels().iter().any(|l| l == label))
            .collect()
    }

    pub fn open_with(&self, label: &str) -> usize {
        self.with_label(label)
            .iter()
            .filter(|i| i.category != "done")
            .count()
    }

    /// What a person does in the Jira UI: moves the issue to a status of this category.
    pub fn set_category(&self, key: &str, category: &'static str) -> bool {
        let mut state = lock(&self.state);
        let mut found = false;
        for issue in state.issues.iter_mut().filter(|i| i.key == key) {
            issue.category = category;
            found = true;
        }
        found
    }
}

impl FakeTracker for FakeJira {
    fn tickets(&self) -> Vec<StoredTicket> {
        self.issues()
            .iter()
            .map(|i| StoredTicket {
                id: i.key.clone(),
                title: i
                    .fields
                    .get("summary")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                labels: i.labels(),
                open: i.category != "done",
                comments: i.comments.len(),
            })
            .collect()
    }

    fn close_by_a_person(&self, id: &str) -> bool {
        self.set_category(id, "done")
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

/// The route of a request and the issue key in its path.
pub fn route(method: &str, path: &str) -> Option<(Route, Option<String>)> {
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

fn handle(settings: &JiraSettings, state: &Mutex<State>, req: &Req) -> Resp {
    if req.header("Authorization") != Some(settings.authorization.as_str()) {
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
    let mut state = lock(state);
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
        Route::Search => search(settings, &state, &body),
        Route::Create => {
            if fault == Some(Fault::Twin) {
                // The twin is the same request; were it refused, so is this one, below.
                create(settings, &mut state, &body);
            }
            create(settings, &mut state, &body)
        }
        Route::Update => update(settings, &mut state, &key, &body),
        Route::Get => match state.issues.iter().find(|i| i.key == key) {
            Some(issue) => Resp::json(200, issue_json(settings, issue, &requested_fields(query))),
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

fn issue_json(settings: &JiraSettings, issue: &Issue, fields: &[String]) -> Value {
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
        "id": issue.key.trim_start_matches(&format!("{}-", settings.project)),
        "key": issue.key,
        // Never followed by the sink: a link to another host would be refused.
        "self": format!("https://jira.invalid/rest/api/3/issue/{}", issue.key),
        "fields": out,
    })
}

fn search(settings: &JiraSettings, state: &State, body: &Value) -> Resp {
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
    let issues: Vec<Value> = issues
        .into_iter()
        .map(|i| issue_json(settings, i, &fields))
        .collect();
    Resp::json(200, json!({ "issues": issues, "isLast": true }))
}

fn create(settings: &JiraSettings, state: &mut State, body: &Value) -> Resp {
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(settings, fields, true) {
        return field_errors(problems);
    }
    state.clock += 1;
    let number = state.issues.len() + 1;
    let key = format!("{}-{number}", settings.project);
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

fn update(settings: &JiraSettings, state: &mut State, key: &str, body: &Value) -> Resp {
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(settings, fields, false) {
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
fn check_fields(
    settings: &JiraSettings,
    fields: &Map<String, Value>,
    creating: bool,
) -> Result<(), Map<String, Value>> {
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
        if fields.get("project").and_then(|p| p["key"].as_str()) != Some(settings.project.as_str()) {
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
        let ok = components.as_array().is_some_and(|components| {
            components
                .iter()
                .all(|c| c["name"].as_str() == Some(settings.component.as_str()))
        });
        if !ok {
            problem("components", "Component name is not valid");
        }
    }
    if let Some(parent) = fields.get("parent")
        && parent["key"].as_str() != Some(settings.epic.as_str())
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

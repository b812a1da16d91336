//! A fake Jira that enforces the request shapes the real API requires: the configured authentication, JSON
//! bodies, the required issue fields, labels without spaces and rich text in the deployment's format. It
//! can fail the way Jira does: 429 with Retry-After, a 500, a request answered after the client gave up,
//! a twin created by a concurrent sync.
//!
//! It plays one of two deployments:
//! - Cloud: REST v3 only, descriptions and comments in structurally valid Atlassian Document Format,
//!   search by `POST /rest/api/3/search/jql` paged by `nextPageToken`;
//! - Data Center: REST v2 only (404 under `/rest/api/3`), descriptions and comments as wiki-markup
//!   strings (400 for an object), `Authorization: Bearer <personal access token>` (401 for anything
//!   else), search by `GET` or `POST /rest/api/2/search` paged by `startAt`.
//!
//! [`wiki_markup`] reads a wiki-markup description the way Jira's renderer does, so a test can see which
//! links and macros it would produce.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::server::{Req, Resp, Server, lock};
use super::{FakeTracker, StoredTicket, percent_decode};
use crate::jira::Deployment;

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
    /// The most issues one search page holds, whatever the client asks; Jira caps `maxResults` too.
    page_limit: Option<usize>,
}

/// What the fake is set up as, shared by every request's handler.
#[derive(Debug)]
struct Site {
    settings: JiraSettings,
    deployment: Deployment,
}

#[derive(Debug, Clone)]
pub struct FakeJira {
    site: Arc<Site>,
    state: Arc<Mutex<State>>,
}

impl FakeJira {
    /// A Jira Cloud site.
    pub fn start(settings: JiraSettings) -> std::io::Result<(Self, Server)> {
        Self::start_as(settings, Deployment::Cloud)
    }

    /// A Jira Cloud or Data Center site; on Data Center, `settings.authorization` is `Bearer <PAT>`.
    pub fn start_as(settings: JiraSettings, deployment: Deployment) -> std::io::Result<(Self, Server)> {
        let fake = Self {
            site: Arc::new(Site { settings, deployment }),
            state: Arc::default(),
        };
        let handler = fake.clone();
        let server = Server::start(move |req| handle(&handler.site, &handler.state, req))?;
        Ok((fake, server))
    }

    /// Search pages hold at most `issues`, so a client must follow the paging to see everything.
    pub fn limit_page_size(&self, issues: usize) {
        lock(&self.state).page_limit = Some(issues.max(1));
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

/// The REST root a deployment serves; the other one answers 404, as it does on a real site.
fn api_root(deployment: Deployment) -> &'static str {
    match deployment {
        Deployment::Cloud => "/rest/api/3/",
        Deployment::DataCenter => "/rest/api/2/",
    }
}

/// The route of a request and the issue key in its path.
pub fn route(deployment: Deployment, method: &str, path: &str) -> Option<(Route, Option<String>)> {
    let segments: Vec<&str> = path.strip_prefix(api_root(deployment))?.split('/').collect();
    match (deployment, method, segments.as_slice()) {
        (Deployment::Cloud, "POST", ["search", "jql"]) => Some((Route::Search, None)),
        (Deployment::DataCenter, "GET" | "POST", ["search"]) => Some((Route::Search, None)),
        (_, method, segments) => issue_route(method, segments),
    }
}

/// The issue routes, the same under both API versions.
fn issue_route(method: &str, segments: &[&str]) -> Option<(Route, Option<String>)> {
    match (method, segments) {
        ("POST", ["issue"]) => Some((Route::Create, None)),
        ("PUT", ["issue", key]) => Some((Route::Update, Some((*key).to_owned()))),
        ("GET", ["issue", key]) => Some((Route::Get, Some((*key).to_owned()))),
        ("POST", ["issue", key, "comment"]) => Some((Route::Comment, Some((*key).to_owned()))),
        ("GET", ["issue", key, "transitions"]) => Some((Route::Transitions, Some((*key).to_owned()))),
        ("POST", ["issue", key, "transitions"]) => Some((Route::Transition, Some((*key).to_owned()))),
        _ => None,
    }
}

fn handle(site: &Site, state: &Mutex<State>, req: &Req) -> Resp {
    let settings = &site.settings;
    let authorization = req.header("Authorization");
    // Data Center takes a personal access token as a bearer token; Basic is refused even when it matches.
    let scheme_accepted = match site.deployment {
        Deployment::Cloud => true,
        Deployment::DataCenter => authorization.is_some_and(|a| a.starts_with("Bearer ")),
    };
    if !scheme_accepted || authorization != Some(settings.authorization.as_str()) {
        return Resp::json(
            401,
            json!({ "errorMessages": ["You are not authenticated. Authentication required to perform this operation."] }),
        );
    }
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let Some((route, key)) = route(site.deployment, &req.method, path) else {
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
        Route::Search => match site.deployment {
            Deployment::Cloud => search_by_token(site, &state, &body),
            Deployment::DataCenter if req.method == "GET" => {
                search_by_offset(site, &state, &query_as_search(query))
            }
            Deployment::DataCenter => search_by_offset(site, &state, &body),
        },
        Route::Create => {
            if fault == Some(Fault::Twin) {
                // The twin is the same request; were it refused, so is this one, below.
                create(site, &mut state, &body);
            }
            create(site, &mut state, &body)
        }
        Route::Update => update(site, &mut state, &key, &body),
        Route::Get => match state.issues.iter().find(|i| i.key == key) {
            Some(issue) => Resp::json(200, issue_json(site, issue, &requested_fields(query))),
            None => not_found(),
        },
        Route::Comment => comment(site.deployment, &mut state, &key, &body),
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
        .map(percent_decode)
        .collect()
}

/// A `GET /rest/api/2/search` query as the body `POST /rest/api/2/search` takes: a number that does not
/// parse stays a string, which the search refuses as Jira does.
fn query_as_search(query: &str) -> Value {
    let mut body = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        let value = match name {
            "fields" => json!(value.split(',').collect::<Vec<_>>()),
            "maxResults" | "startAt" => value.parse::<u64>().map_or(json!(value), |n| json!(n)),
            _ => json!(value),
        };
        body.insert(percent_decode(name), value);
    }
    Value::Object(body)
}

fn issue_json(site: &Site, issue: &Issue, fields: &[String]) -> Value {
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
        "id": issue.key.trim_start_matches(&format!("{}-", site.settings.project)),
        "key": issue.key,
        // Never followed by the sink: a link to another host would be refused.
        "self": format!("https://jira.invalid{}issue/{}", api_root(site.deployment), issue.key),
        "fields": out,
    })
}

/// What both searches check and find: the issues carrying the label vigil's JQL names, oldest first,
/// with the fields asked for, and the page size the site grants.
struct Found {
    issues: Vec<Value>,
    page_size: usize,
}

fn find(site: &Site, state: &State, body: &Value) -> Result<Found, Resp> {
    let jql = body["jql"].as_str().unwrap_or_default();
    let Some(label) = jql
        .strip_prefix("labels = \"")
        .and_then(|rest| rest.strip_suffix("\" ORDER BY created ASC"))
    else {
        return Err(errors(&[&format!(
            "Error in the JQL Query: `{jql}` is not what vigil sends"
        )]));
    };
    let Some(fields) = body["fields"].as_array() else {
        return Err(errors(&["`fields` must be a list"]));
    };
    let fields: Vec<String> = fields
        .iter()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    let Some(asked) = body["maxResults"].as_u64().filter(|n| (1..=5000).contains(n)) else {
        return Err(errors(&["`maxResults` must be between 1 and 5000"]));
    };
    let asked = usize::try_from(asked).unwrap_or(usize::MAX);
    let mut issues: Vec<&Issue> = state
        .issues
        .iter()
        .filter(|i| i.labels().iter().any(|l| l == label))
        .collect();
    issues.sort_by(|a, b| a.created.cmp(&b.created));
    Ok(Found {
        issues: issues.into_iter().map(|i| issue_json(site, i, &fields)).collect(),
        page_size: state.page_limit.map_or(asked, |limit| limit.min(asked)),
    })
}

/// Cloud: the page after `nextPageToken`, which this fake makes the offset of the next issue.
fn search_by_token(site: &Site, state: &State, body: &Value) -> Resp {
    let found = match find(site, state, body) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let start = match &body["nextPageToken"] {
        Value::Null => 0,
        token => match token.as_str().and_then(|t| t.parse::<usize>().ok()) {
            Some(start) => start,
            None => return errors(&["The provided next page token is invalid or expired."]),
        },
    };
    let end = start.saturating_add(found.page_size).min(found.issues.len());
    let page = found.issues.get(start..end).unwrap_or_default();
    let mut answer = json!({ "issues": page, "isLast": end >= found.issues.len() });
    if let (false, Some(map)) = (end >= found.issues.len(), answer.as_object_mut()) {
        map.insert("nextPageToken".into(), json!(end.to_string()));
    }
    Resp::json(200, answer)
}

/// Data Center: the page from `startAt`, with the total.
fn search_by_offset(site: &Site, state: &State, body: &Value) -> Resp {
    let found = match find(site, state, body) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let start = match &body["startAt"] {
        Value::Null => 0,
        start => match start.as_u64().and_then(|s| usize::try_from(s).ok()) {
            Some(start) => start,
            None => return errors(&["`startAt` must be a number"]),
        },
    };
    let end = start.saturating_add(found.page_size).min(found.issues.len());
    let page = found.issues.get(start..end).unwrap_or_default();
    Resp::json(
        200,
        json!({
            "startAt": start,
            "maxResults": found.page_size,
            "total": found.issues.len(),
            "issues": page,
        }),
    )
}

fn create(site: &Site, state: &mut State, body: &Value) -> Resp {
    let settings = &site.settings;
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(site, fields, true) {
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

fn update(site: &Site, state: &mut State, key: &str, body: &Value) -> Resp {
    let Some(fields) = body["fields"].as_object() else {
        return errors(&["`fields` is required"]);
    };
    if let Err(problems) = check_fields(site, fields, false) {
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

fn comment(deployment: Deployment, state: &mut State, key: &str, body: &Value) -> Resp {
    if let Err(problem) = check_rich_text(deployment, &body["body"]) {
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
fn check_fields(site: &Site, fields: &Map<String, Value>, creating: bool) -> Result<(), Map<String, Value>> {
    let settings = &site.settings;
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
        && let Err(message) = check_rich_text(site.deployment, description)
    {
        problem("description", &message);
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

/// Rich text as the deployment takes it, with the message Jira gives for the wrong kind.
fn check_rich_text(deployment: Deployment, value: &Value) -> Result<(), String> {
    match deployment {
        Deployment::Cloud => check_adf(value)
            .map_err(|message| format!("Operation value must be an Atlassian Document: {message}")),
        Deployment::DataCenter if value.is_string() => Ok(()),
        Deployment::DataCenter => Err("Operation value must be a string".to_owned()),
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

/// What Jira's renderer would make of a wiki-markup text: the links, macros and images it would render,
/// and the text with escapes resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WikiMarkup {
    /// Link targets: what follows the last `|` of `[text|target]`, or all of `[target]`.
    pub links: Vec<String>,
    /// Macro names: `code` for `{code}` or `{code:java}`; a `{{monospace}}` span is not a macro.
    pub macros: Vec<String>,
    /// Image sources: `!source!`.
    pub images: Vec<String>,
    /// The text with each `\X` read as a literal `X`, `\\` as a line break and `&#NN;` as its character.
    pub text: String,
}

/// One character after escapes are resolved: `escaped` ones are text whatever they are.
#[derive(Debug, Clone, Copy)]
struct Mark {
    c: char,
    escaped: bool,
}

/// `&#NN;` at `c` followed by `rest`: the character it stands for, and what follows it.
fn numeric_entity(c: char, rest: &str) -> Option<(char, &str)> {
    let (digits, after) = rest.strip_prefix('#').filter(|_| c == '&')?.split_once(';')?;
    let entity = digits.parse::<u32>().ok().and_then(char::from_u32)?;
    Some((entity, after))
}

/// Reads `markup` as Jira does: a backslash makes the next character literal, two make a line break, a
/// numeric entity is its character;
/// `{` opens a macro unless doubled, `[` a link, `!` an image, each only when it is closed.
pub fn wiki_markup(markup: &str) -> WikiMarkup {
    let mut marks = Vec::new();
    let mut chars = markup.chars();
    while let Some(c) = chars.next() {
        if let Some((entity, rest)) = numeric_entity(c, chars.as_str()) {
            marks.push(Mark {
                c: entity,
                escaped: true,
            });
            chars = rest.chars();
            continue;
        }
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('\\') => marks.push(Mark {
                    c: '\n',
                    escaped: true,
                }),
                Some(next) => marks.push(Mark {
                    c: next,
                    escaped: true,
                }),
                None => marks.push(Mark { c, escaped: false }),
            },
            _ => marks.push(Mark { c, escaped: false }),
        }
    }
    let opens = |at: usize, c: char| marks.get(at).is_some_and(|m| m.c == c && !m.escaped);
    let closing = |from: usize, c: char, stop_at_space: bool| {
        marks
            .iter()
            .enumerate()
            .skip(from)
            .take_while(|(_, m)| m.c != '\n' && !(stop_at_space && m.c.is_whitespace()))
            .find(|(_, m)| m.c == c && !m.escaped)
            .map(|(at, _)| at)
    };
    let text_of = |from: usize, to: usize| -> String {
        marks
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .map(|m| m.c)
            .collect()
    };
    let mut out = WikiMarkup {
        text: marks.iter().map(|m| m.c).collect(),
        ..WikiMarkup::default()
    };
    let mut at = 0;
    while at < marks.len() {
        if opens(at, '{') && opens(at + 1, '{') || opens(at, '}') && opens(at + 1, '}') {
            at += 2;
            continue;
        }
        let found = if opens(at, '{') {
            closing(at + 1, '}', false).inspect(|&end| {
                let inside = text_of(at + 1, end);
                let name = inside.split(':').next().unwrap_or_default().trim().to_owned();
                out.macros.push(name);
            })
        } else if opens(at, '[') {
            closing(at + 1, ']', false).inspect(|&end| {
                let inside = marks.get(at + 1..end).unwrap_or_default();
                let target_from = inside
                    .iter()
                    .rposition(|m| m.c == '|' && !m.escaped)
                    .map_or(at + 1, |bar| at + 2 + bar);
                out.links.push(text_of(target_from, end).trim().to_owned());
            })
        } else if opens(at, '!') {
            closing(at + 1, '!', true)
                .filter(|end| *end > at + 1)
                .inspect(|&end| out.images.push(text_of(at + 1, end)))
        } else {
            None
        };
        at = found.map_or(at + 1, |end| end + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wiki_reader_finds_what_jira_would_render() {
        let read = wiki_markup(
            r"{{mono}} {code:java}x{code} [a|https://h/] [https://i/] !https://e/p.png! {{a}} \! done !",
        );
        assert_eq!(read.macros, ["code", "code"]);
        assert_eq!(read.links, ["https://h/", "https://i/"]);
        assert_eq!(read.images, ["https://e/p.png"]);
    }

    #[test]
    fn escaped_markup_is_text() {
        let read = wiki_markup(r"\{code\} \[x\|javascript:alert(1)\] \!https://e/p.png\! a\\b &#92;[c]");
        assert_eq!(
            read.links,
            ["c"],
            "an entity is text, the bracket after it markup"
        );
        let read = wiki_markup(r"\{code\} \[x\|javascript:alert(1)\] \!https://e/p.png\! a\\b &#92;");
        assert_eq!(
            read,
            WikiMarkup {
                text: "{code} [x|javascript:alert(1)] !https://e/p.png! a\nb \\".into(),
                ..WikiMarkup::default()
            }
        );
    }
}

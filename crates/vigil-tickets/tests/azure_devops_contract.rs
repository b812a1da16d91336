//! The Azure DevOps sink against a fake Boards service on a local server. The fake enforces what the
//! real REST 7.1 API does (Basic auth with an empty user and the PAT, api-version on every call, JSON
//! Patch documents with their own content type, a title on create, WIQL in a JSON body) and keeps work
//! items in memory, so the sync engine's guarantees are checked over real HTTP: one open ticket per key
//! through rate limits, server errors, late answers and a concurrent sync; the full lifecycle; a dry run
//! that writes nothing; and no credential in any error.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Req, Resp, Server};
use serde_json::{Map, Value, json};
use time::macros::date;
use vigil_core::Band;
use vigil_tickets::azure_devops::{AzureDevOpsConfig, AzureDevOpsSink};
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::secret::Secret;
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::ticket::{Ticket, TicketFinding};

const PAT: &str = "azdo-pat-VERY-secret-42";
/// `Basic base64(":" + PAT)`: Azure DevOps takes a PAT as the password of an empty user name.
const AUTHORIZATION: &str = "Basic OmF6ZG8tcGF0LVZFUlktc2VjcmV0LTQy";
const ORGANIZATION: &str = "/acme";
/// Where the project's work item APIs live on the fake; the project name has a space.
const API: &str = "/acme/Shop%20Platform/_apis/wit/";
const CREATE_PATH: &str = "/Shop%20Platform/_apis/wit/workitems/$Task?api-version=7.1";
const CLOSING: &str = "All findings fixed & verified.";
const STATES: [&str; 3] = ["To Do", "Doing", "Done"];

// ---------------------------------------------------------------------------------------------------
// The fake Boards service.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Create,
    Wiql,
    Batch,
    Get(u64),
    Update(u64),
    Comment(u64),
}

impl Route {
    fn parse(method: &str, path: &str) -> Option<Self> {
        let rest = path.strip_prefix(API)?.to_ascii_lowercase();
        let parts: Vec<&str> = rest.split('/').collect();
        let id = |s: &str| s.parse::<u64>().ok();
        match (method, parts.as_slice()) {
            ("POST", ["workitems", "$task"]) => Some(Self::Create),
            ("POST", ["wiql"]) => Some(Self::Wiql),
            ("GET", ["workitems"]) => Some(Self::Batch),
            ("GET", ["workitems", n]) => id(n).map(Self::Get),
            ("PATCH", ["workitems", n]) => id(n).map(Self::Update),
            ("POST", ["workitems", n, "comments"]) => id(n).map(Self::Comment),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Wiql => "wiql",
            Self::Batch => "batch",
            Self::Get(_) => "get",
            Self::Update(_) => "update",
            Self::Comment(_) => "comment",
        }
    }
}

/// What the fake can be told to do to the next request of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// 429 with `Retry-After: 1`, nothing done.
    RateLimited,
    /// 500, nothing done.
    ServerError,
    /// The work item is created, and the answer comes after the client gave up.
    AnswerLate,
    /// Another machine creates the same ticket just before this create.
    Twin,
}

#[derive(Debug, Clone)]
struct Item {
    id: u64,
    rev: u64,
    fields: Map<String, Value>,
    relations: Vec<Value>,
    comments: Vec<String>,
}

impl Item {
    fn tags(&self) -> Vec<String> {
        self.fields
            .get("System.Tags")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .split(';')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    fn has_tag(&self, tag: &str) -> bool {
        self.tags().iter().any(|t| t.eq_ignore_ascii_case(tag))
    }

    fn field(&self, name: &str) -> &Value {
        self.fields.get(name).unwrap_or(&Value::Null)
    }

    fn state(&self) -> &str {
        self.field("System.State").as_str().unwrap_or_default()
    }

    fn json(&self, only: Option<&[&str]>) -> Value {
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .filter(|(k, _)| only.is_none_or(|only| only.contains(&k.as_str())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        json!({
            "id": self.id,
            "rev": self.rev,
            "fields": fields,
            "relations": self.relations,
            "url": format!("https://dev.azure.com/acme/_apis/wit/workItems/{}", self.id),
            "_links": {"html": {"href": format!("https://dev.azure.com/acme/Shop%20Platform/_workitems/edit/{}", self.id)}},
        })
    }
}

#[derive(Debug, Default)]
struct Board {
    items: Vec<Item>,
    clock: u32,
    faults: Vec<(&'static str, Fault)>,
}

struct Op {
    op: String,
    path: String,
    value: Value,
}

fn error(status: u16, message: &str) -> Resp {
    Resp::json(
        status,
        json!({"message": message, "typeKey": "VssServiceException"}),
    )
}

fn invalid_document() -> Resp {
    error(
        400,
        "You must pass a valid patch document in the body of the request.",
    )
}

/// A JSON Patch document as Azure DevOps requires it, or the answer it gives instead.
fn patch_document(req: &Req) -> Result<Vec<Op>, Resp> {
    let content_type = req.header("Content-Type").unwrap_or_default();
    if !content_type.starts_with("application/json-patch+json") {
        return Err(error(
            415,
            "The request indicated a Content-Type of \"application/json\" for method type \"POST\" which is not supported. Valid content types for this method are: application/json-patch+json.",
        ));
    }
    let Ok(Value::Array(ops)) = serde_json::from_str::<Value>(&req.body) else {
        return Err(invalid_document());
    };
    ops.iter()
        .map(|op| {
            let name = op.get("op").and_then(Value::as_str);
            let path = op.get("path").and_then(Value::as_str);
            let value = op.get("value");
            match (name, path, value) {
                (Some(name @ ("add" | "replace" | "test")), Some(path), Some(value)) => Ok(Op {
                    op: name.to_owned(),
                    path: path.to_owned(),
                    value: value.clone(),
                }),
                (Some("remove"), Some(path), _) => Ok(Op {
                    op: "remove".to_owned(),
                    path: path.to_owned(),
                    value: Value::Null,
                }),
                _ => Err(invalid_document()),
            }
        })
        .collect()
}

/// The field rules the tests rely on: what Boards refuses, it refuses with 400.
fn check_field(field: &str, value: &Value) -> Result<(), Resp> {
    let ok = match field {
        "System.Title" => value
            .as_str()
            .is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= 255),
        "Microsoft.VSTS.Common.Priority" => value.as_u64().is_some_and(|p| (1..=4).contains(&p)),
        "Microsoft.VSTS.Scheduling.DueDate" => value
            .as_str()
            .is_some_and(|d| d.len() == 20 && d.ends_with("T00:00:00Z") && d.as_bytes()[4] == b'-'),
        "System.State" => value.as_str().is_some_and(|s| STATES.contains(&s)),
        "System.Description" | "System.Tags" | "System.AreaPath" | "System.IterationPath" => {
            value.is_string()
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(error(
            400,
            &format!("TF401320: Rule Error for field {field}. Error code: InvalidValue."),
        ))
    }
}

impl Board {
    fn take_fault(&mut self, route: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|(r, _)| *r == route)?;
        Some(self.faults.remove(index).1)
    }

    fn item_mut(&mut self, id: u64) -> Option<&mut Item> {
        self.items.iter_mut().find(|i| i.id == id)
    }

    fn insert(&mut self, fields: &Map<String, Value>, relations: &[Value]) -> Item {
        self.clock += 1;
        let mut fields = fields.clone();
        fields.insert("System.State".into(), json!("To Do"));
        fields.insert("System.WorkItemType".into(), json!("Task"));
        fields.insert("System.TeamProject".into(), json!("Shop Platform"));
        // Boards drops trailing zeros of the fraction: `…:01.1Z`, `…:01.12Z`.
        fields.insert(
            "System.CreatedDate".into(),
            json!(format!("2026-05-01T08:00:{:02}.1Z", self.clock)),
        );
        let item = Item {
            id: self.items.len() as u64 + 1,
            rev: 1,
            fields,
            relations: relations.to_vec(),
            comments: vec![],
        };
        self.items.push(item.clone());
        item
    }

    fn create(&mut self, req: &Req, fault: Option<Fault>) -> Resp {
        let ops = match patch_document(req) {
            Ok(ops) => ops,
            Err(resp) => return resp,
        };
        let mut fields = Map::new();
        let mut relations = Vec::new();
        for op in ops.iter().filter(|o| o.op == "add") {
            if let Some(field) = op.path.strip_prefix("/fields/") {
                if let Err(resp) = check_field(field, &op.value) {
                    return resp;
                }
                fields.insert(field.to_owned(), op.value.clone());
            } else if op.path == "/relations/-" {
                let parent = op.value["url"].as_str().unwrap_or_default();
                let shape = op.value["rel"] == "System.LinkTypes.Hierarchy-Reverse"
                    && parent
                        .rsplit_once("/acme/_apis/wit/workItems/")
                        .is_some_and(|(_, id)| id.parse::<u64>().is_ok());
                if !shape {
                    return error(400, "Invalid relation.");
                }
                relations.push(op.value.clone());
            } else {
                return invalid_document();
            }
        }
        if !fields.contains_key("System.Title") {
            return error(
                400,
                "TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.",
            );
        }
        if fault == Some(Fault::Twin) {
            self.insert(&fields, &relations);
        }
        let item = self.insert(&fields, &relations);
        let resp = Resp::json(200, item.json(None));
        if fault == Some(Fault::AnswerLate) {
            resp.delayed(Duration::from_millis(600))
        } else {
            resp
        }
    }

    fn wiql(&self, req: &Req) -> Resp {
        if req.header("Content-Type") != Some("application/json") {
            return error(415, "Unsupported content type.");
        }
        let body = req.json();
        let Some(query) = body.get("query").and_then(Value::as_str) else {
            return error(400, "The query is missing.");
        };
        let Some(tag) = tag_searched(query) else {
            return error(
                400,
                "TF51005: The query references a field or operator we do not support here.",
            );
        };
        let mut matching: Vec<&Item> = self.items.iter().filter(|i| i.has_tag(&tag)).collect();
        matching.sort_by(|a, b| {
            a.field("System.CreatedDate")
                .as_str()
                .cmp(&b.field("System.CreatedDate").as_str())
        });
        let refs: Vec<Value> = matching
            .iter()
            .map(|i| json!({"id": i.id, "url": format!("https://dev.azure.com/acme/_apis/wit/workItems/{}", i.id)}))
            .collect();
        Resp::json(200, json!({"queryType": "flat", "workItems": refs}))
    }

    fn batch(&self, query: &[(String, String)]) -> Resp {
        let Some(ids) = param(query, "ids") else {
            return error(400, "The ids parameter is required.");
        };
        let ids: Result<Vec<u64>, _> = ids.split(',').map(str::parse::<u64>).collect();
        let Ok(ids) = ids else {
            return error(400, "Invalid ids.");
        };
        let fields: Option<Vec<&str>> = param(query, "fields").map(|f| f.split(',').collect());
        let omit = param(query, "errorPolicy").is_some_and(|p| p.eq_ignore_ascii_case("omit"));
        let mut value = Vec::new();
        for id in ids {
            match self.items.iter().find(|i| i.id == id) {
                Some(item) => value.push(item.json(fields.as_deref())),
                None if omit => value.push(Value::Null),
                None => return error(404, &format!("TF401232: Work item {id} does not exist.")),
            }
        }
        Resp::json(200, json!({"count": value.len(), "value": value}))
    }

    fn update(&mut self, id: u64, req: &Req) -> Resp {
        let ops = match patch_document(req) {
            Ok(ops) => ops,
            Err(resp) => return resp,
        };
        let Some(item) = self.item_mut(id) else {
            return error(404, &format!("TF401232: Work item {id} does not exist."));
        };
        let mut fields = item.fields.clone();
        for op in &ops {
            let Some(field) = op.path.strip_prefix("/fields/") else {
                return invalid_document();
            };
            match op.op.as_str() {
                "add" | "replace" => {
                    if let Err(resp) = check_field(field, &op.value) {
                        return resp;
                    }
                    fields.insert(field.to_owned(), op.value.clone());
                }
                "remove" if field != "System.Title" => {
                    fields.remove(field);
                }
                "test" if fields.get(field) == Some(&op.value) => {}
                _ => return error(400, "The patch operation failed."),
            }
        }
        item.fields = fields;
        item.rev += 1;
        Resp::json(200, item.json(None))
    }

    fn comment(&mut self, id: u64, req: &Req) -> Resp {
        if req.header("Content-Type") != Some("application/json") {
            return error(415, "Unsupported content type.");
        }
        let body = req.json();
        let Some(text) = body.get("text").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
            return error(400, "The comment text is required.");
        };
        let Some(item) = self.item_mut(id) else {
            return error(404, &format!("TF401232: Work item {id} does not exist."));
        };
        item.comments.push(text.to_owned());
        Resp::json(
            200,
            json!({"workItemId": id, "id": item.comments.len(), "text": text}),
        )
    }
}

/// The tag of `[System.Tags] CONTAINS '…'` in a project-scoped query, with `''` read as `'`.
fn tag_searched(query: &str) -> Option<String> {
    if !query.contains("[System.TeamProject] = @project") {
        return None;
    }
    let (_, rest) = query.split_once("[System.Tags] CONTAINS '")?;
    let mut tag = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\'', Some('\'')) => {
                tag.push('\'');
                chars.next();
            }
            ('\'', _) => return Some(tag),
            (c, _) => tag.push(c),
        }
    }
    None
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn handle(board: &Mutex<Board>, req: &Req) -> Resp {
    if req.header("Authorization") != Some(AUTHORIZATION) {
        return error(
            401,
            "TF400813: The user is not authorized to access this resource.",
        );
    }
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let query: Vec<(String, String)> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let Some(route) = Route::parse(&req.method, path) else {
        return error(404, "No such API.");
    };
    let version = if matches!(route, Route::Comment(_)) {
        "7.1-preview.4"
    } else {
        "7.1"
    };
    if param(&query, "api-version") != Some(version) {
        return error(
            400,
            "VssVersionOutOfRangeException: No api-version was supplied, or it is not supported.",
        );
    }
    let mut board = board.lock().unwrap();
    let fault = board.take_fault(route.name());
    match fault {
        Some(Fault::RateLimited) => {
            return error(429, "Request was blocked due to exceeding usage of resource.")
                .header("Retry-After", "1");
        }
        Some(Fault::ServerError) => return error(500, "Internal server error."),
        _ => {}
    }
    match route {
        Route::Create => board.create(req, fault),
        Route::Wiql => board.wiql(req),
        Route::Batch => board.batch(&query),
        Route::Get(id) => match board.items.iter().find(|i| i.id == id) {
            Some(item) => Resp::json(200, item.json(None)),
            None => error(404, &format!("TF401232: Work item {id} does not exist.")),
        },
        Route::Update(id) => board.update(id, req),
        Route::Comment(id) => board.comment(id, req),
    }
}

struct Fake {
    board: Arc<Mutex<Board>>,
    server: Server,
}

impl Fake {
    fn start() -> Self {
        let board = Arc::new(Mutex::new(Board::default()));
        let shared = Arc::clone(&board);
        let server = Server::start(move |req| handle(&shared, req));
        Self { board, server }
    }

    fn organization_url(&self) -> String {
        format!("{}{ORGANIZATION}", self.server.url)
    }

    fn sink(&self, pat: &str, dry_run: bool) -> AzureDevOpsSink {
        sink_at(&self.organization_url(), pat, dry_run)
    }

    fn arm(&self, route: &'static str, fault: Fault) {
        self.board.lock().unwrap().faults.push((route, fault));
    }

    fn items(&self) -> Vec<Item> {
        self.board.lock().unwrap().items.clone()
    }

    fn item(&self, id: &str) -> Item {
        self.items().into_iter().find(|i| i.id.to_string() == id).unwrap()
    }

    fn with_key(&self, key: &str) -> usize {
        self.items().iter().filter(|i| i.has_tag(key)).count()
    }

    fn open_with(&self, key: &str) -> usize {
        self.items()
            .iter()
            .filter(|i| i.has_tag(key) && i.state() != "Done")
            .count()
    }

    /// What a person does on the board.
    fn edit(&self, id: &str, field: &str, value: Value) {
        let mut board = self.board.lock().unwrap();
        let item = board.items.iter_mut().find(|i| i.id.to_string() == id).unwrap();
        item.fields.insert(field.to_owned(), value);
    }

    /// How many requests of a route reached the server.
    fn count(&self, route: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| {
                let path = r.path.split('?').next().unwrap_or_default();
                Route::parse(&r.method, path).is_some_and(|found| found.name() == route)
            })
            .count()
    }
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_millis(300),
    }
}

fn config(organization_url: &str) -> AzureDevOpsConfig {
    AzureDevOpsConfig {
        organization_url: organization_url.to_owned(),
        project: "Shop Platform".into(),
        area_path: Some("Shop Platform\\Security".into()),
        parent: Some("7".into()),
        ..AzureDevOpsConfig::default()
    }
}

fn basic(pat: &str) -> Auth {
    Auth::Basic {
        user: String::new(),
        token: Secret::new(pat),
    }
}

fn sink_at(organization_url: &str, pat: &str, dry_run: bool) -> AzureDevOpsSink {
    AzureDevOpsSink::new(
        config(organization_url),
        basic(pat),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        dry_run,
    )
    .unwrap()
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
        labels: vec!["vigil".into(), "vigil-high".into()],
        summary: "why <now> & here".into(),
        findings: vec![TicketFinding {
            id: "F-1".into(),
            title: "Public bucket".into(),
            band: Band::High,
            rpn: 280,
            location: Some("main.tf:3".into()),
            link: Some("https://git.example/shop/blob/abc/main.tf#L3".into()),
        }],
        steps: vec!["fix it".into()],
        verify: vec![],
        references: vec![],
        compliance: vec![],
    }
}

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(sink: &dyn TicketSink, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(sink, wanted, &known, CLOSING, &mut |l| saved.push(l.clone()));
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

fn outcome(key: &str, outcome: Outcome) -> (String, Outcome) {
    (key.to_owned(), outcome)
}

fn hash_tag(ticket: &Ticket) -> String {
    format!("vigil-hash-{}", ticket.content_hash())
}

// ---------------------------------------------------------------------------------------------------
// The fake refuses what Boards refuses, so the sink's success below means the shapes are right.

#[test]
fn the_fake_refuses_the_requests_boards_refuses() {
    let fake = Fake::start();
    let http = Http::new(
        &fake.organization_url(),
        basic(PAT),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        false,
    )
    .unwrap();
    let status = |request: Request| match http.send(request) {
        Ok(response) => response.status,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other:?}"),
    };
    let title = json!([{"op": "add", "path": "/fields/System.Title", "value": "x"}]);
    let patch = |body: Value| {
        Request::send(Method::Post, CREATE_PATH, body).content_type("application/json-patch+json")
    };
    assert_eq!(
        status(Request::send(Method::Post, CREATE_PATH, title.clone())),
        415,
        "plain JSON"
    );
    assert_eq!(
        status(patch(json!({"System.Title": "x"}))),
        400,
        "not a patch array"
    );
    assert_eq!(
        status(patch(
            json!([{"op": "move", "path": "/fields/System.Title", "value": "x"}])
        )),
        400,
        "unknown op"
    );
    assert_eq!(
        status(patch(
            json!([{"op": "add", "path": "/fields/System.Tags", "value": "vigil"}])
        )),
        400,
        "no title"
    );
    assert_eq!(
        status(
            Request::send(
                Method::Post,
                "/Shop%20Platform/_apis/wit/workitems/$Task",
                title.clone()
            )
            .content_type("application/json-patch+json")
        ),
        400,
        "no api-version"
    );
    assert_eq!(status(patch(title.clone())), 200);
    let stranger = Http::new(
        &fake.organization_url(),
        Auth::Bearer(Secret::new(PAT)),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        false,
    )
    .unwrap();
    assert!(matches!(
        stranger.send(patch(title)),
        Err(SinkError::Unauthorised { status: 401, .. })
    ));
}

// ---------------------------------------------------------------------------------------------------
// The lifecycle.

#[test]
fn a_lifecycle_creates_closes_reopens_updates_and_reports_a_ticket_closed_by_a_person() {
    let fake = Fake::start();
    let sink = fake.sink(PAT, false);
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    let b = ticket("VA-b", "Fix the bucket");

    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Created),
            outcome("vigil-VA-b", Outcome::Created)
        ]
    );
    let created = fake.item("1");
    assert_eq!(created.field("System.Title"), "Upgrade lodash");
    assert_eq!(created.field("Microsoft.VSTS.Common.Priority"), 2);
    assert_eq!(
        created.field("Microsoft.VSTS.Scheduling.DueDate"),
        "2026-12-27T00:00:00Z"
    );
    assert_eq!(created.field("System.AreaPath"), "Shop Platform\\Security");
    assert!(created.has_tag("vigil-VA-a") && created.has_tag(&hash_tag(&a)));
    assert_eq!(created.relations.len(), 1, "filed under the parent");
    let description = created.field("System.Description").as_str().unwrap();
    assert!(
        description.contains("<p>why &lt;now&gt; &amp; here</p>"),
        "{description}"
    );
    assert_eq!(links[0].id, "1");
    assert!(links[0].url.ends_with("/acme/Shop%20Platform/_workitems/edit/1"));

    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Unchanged)
        ]
    );
    assert_eq!(fake.count("update"), 0, "nothing changed, nothing written");

    // Every finding of b is fixed.
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Closed)
        ]
    );
    let closed = fake.item("2");
    assert_eq!(closed.state(), "Done");
    assert_eq!(closed.comments, vec!["All findings fixed &amp; verified."]);

    // The bucket regresses: the same work item comes back.
    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Reopened)
        ]
    );
    assert_eq!(fake.with_key("vigil-VA-b"), 1, "reopened, not created again");
    assert_eq!(fake.item("2").state(), "To Do");
    assert_eq!(fake.item("2").comments.len(), 2);

    // The action's content changes; a person had tagged the work item meanwhile.
    fake.edit(
        "1",
        "System.Tags",
        json!(format!("vigil; vigil-VA-a; {}; triaged", hash_tag(&a))),
    );
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    assert_eq!(
        run(&sink, &[a2.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Updated),
            outcome("vigil-VA-b", Outcome::Unchanged)
        ]
    );
    let updated = fake.item("1");
    assert_eq!(updated.field("System.Title"), "Upgrade lodash (now 3 advisories)");
    assert!(updated.has_tag(&hash_tag(&a2)) && !updated.has_tag(&hash_tag(&a)));
    assert!(updated.has_tag("triaged"), "a person's tag is kept");
    assert!(updated.has_tag("vigil-VA-a"));
    assert_eq!(updated.state(), "To Do", "an update does not change the state");

    // Someone closes it on the board while its findings are still there.
    fake.edit("1", "System.State", json!("Done"));
    for _ in 0..2 {
        assert_eq!(
            run(&sink, &[a2.clone(), b.clone()], &mut links),
            vec![
                outcome("vigil-VA-a", Outcome::ClosedWithoutFix),
                outcome("vigil-VA-b", Outcome::Unchanged)
            ]
        );
    }
    assert_eq!(fake.item("1").state(), "Done", "left closed");
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(fake.count("create"), 2);
}

// ---------------------------------------------------------------------------------------------------
// Faults: one open ticket per key every time.

#[test]
fn a_rate_limited_create_waits_for_retry_after_and_creates_once() {
    let fake = Fake::start();
    fake.arm("create", Fault::RateLimited);
    let mut links = Vec::new();
    let started = Instant::now();
    let outcomes = run(&fake.sink(PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(fake.count("create"), 2, "429 means not done: sent again");
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_create_answered_with_a_server_error_is_retried_only_after_a_search() {
    let fake = Fake::start();
    fake.arm("create", Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&fake.sink(PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(fake.count("create"), 2);
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_search_answered_with_a_server_error_is_retried_by_the_client() {
    let fake = Fake::start();
    fake.arm("wiql", Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&fake.sink(PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        fake.count("wiql"),
        3,
        "retried search, then the search after the create"
    );
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
}

#[test]
fn a_create_that_times_out_after_the_work_item_was_made_is_not_repeated() {
    let fake = Fake::start();
    fake.arm("create", Fault::AnswerLate);
    let mut links = Vec::new();
    let outcomes = run(&fake.sink(PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(fake.count("create"), 1, "found by key instead of created again");
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_concurrent_sync_leaves_one_open_work_item_the_oldest() {
    let fake = Fake::start();
    fake.arm("create", Fault::Twin);
    let mut links = Vec::new();
    let outcomes = run(&fake.sink(PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&outcome("vigil-VA-a", Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&outcome("vigil-VA-a", Outcome::Created)));
    assert_eq!(fake.with_key("vigil-VA-a"), 2);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1", "the oldest is kept");
    let duplicate = fake.item("2");
    assert_eq!(duplicate.state(), "Done");
    assert!(
        duplicate.comments[0].starts_with("Duplicate of 1 ("),
        "{:?}",
        duplicate.comments
    );
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

fn expected_description(ticket: &Ticket) -> String {
    format!(
        "<p><strong>high</strong> · due <strong>2026-12-27</strong> (30 days) · vigil action <code>{id}</code> · scope <code>shop</code></p>\
         <p>Owner: @shop/platform</p><p>why &lt;now&gt; &amp; here</p>\
         <h3>Findings</h3><ul><li><code>F-1</code> Public bucket · high · RPN 280 \
         (<a href=\"https://git.example/shop/blob/abc/main.tf#L3\">main.tf:3</a>)</li></ul>\
         <h3>Steps</h3><ol><li>fix it</li></ol>\
         <p><small>Managed by vigil: edits to this description are replaced on the next sync. Key <code>{key}</code>.</small></p>",
        id = ticket.action_id,
        key = ticket.key
    )
}

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let fake = Fake::start();
    let dry = fake.sink(PAT, true);
    let a = ticket("VA-a", "Upgrade <lodash> & co");
    let mut links = Vec::new();
    let outcomes = run(&dry, std::slice::from_ref(&a), &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(links[0].id, "dry-run");
    assert!(fake.items().is_empty());
    assert!(
        fake.server
            .requests()
            .iter()
            .all(|r| r.path.contains("/_apis/wit/wiql?")),
        "only searches reach the server"
    );
    let create = Request {
        method: Method::Post,
        path: CREATE_PATH.into(),
        body: Some(json!([
            {"op": "add", "path": "/fields/System.Title", "value": "Upgrade <lodash> & co"},
            {"op": "add", "path": "/fields/System.Description", "value": expected_description(&a)},
            {"op": "add", "path": "/fields/System.Tags", "value": format!("vigil; vigil-VA-a; {}; vigil-high", hash_tag(&a))},
            {"op": "add", "path": "/fields/Microsoft.VSTS.Common.Priority", "value": 2},
            {"op": "add", "path": "/fields/Microsoft.VSTS.Scheduling.DueDate", "value": "2026-12-27T00:00:00Z"},
            {"op": "add", "path": "/fields/System.AreaPath", "value": "Shop Platform\\Security"},
            {"op": "add", "path": "/relations/-", "value": {
                "rel": "System.LinkTypes.Hierarchy-Reverse",
                "url": format!("{}/_apis/wit/workItems/7", fake.organization_url()),
            }},
        ])),
        content_type: "application/json-patch+json",
        idempotent: false,
        read: false,
    };
    assert_eq!(dry.recorded(), vec![create]);
}

#[test]
fn a_dry_run_over_existing_work_items_records_updates_and_closes_without_sending_them() {
    let fake = Fake::start();
    let a = ticket("VA-a", "Upgrade lodash");
    let b = ticket("VA-b", "Fix the bucket");
    let mut links = Vec::new();
    run(&fake.sink(PAT, false), &[a, b], &mut links);
    let before = fake.items();

    let dry = fake.sink(PAT, true);
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    let outcomes = run(&dry, std::slice::from_ref(&a2), &mut links);
    assert_eq!(
        outcomes,
        vec![
            outcome("vigil-VA-a", Outcome::Updated),
            outcome("vigil-VA-b", Outcome::Closed)
        ]
    );
    let after = fake.items();
    assert_eq!(
        before
            .iter()
            .map(|i| (&i.fields, &i.comments))
            .collect::<Vec<_>>(),
        after.iter().map(|i| (&i.fields, &i.comments)).collect::<Vec<_>>(),
        "nothing changed on the board"
    );
    let update = Request {
        method: Method::Patch,
        path: "/Shop%20Platform/_apis/wit/workitems/1?api-version=7.1".into(),
        body: Some(json!([
            {"op": "replace", "path": "/fields/System.Title", "value": "Upgrade lodash (now 3 advisories)"},
            {"op": "replace", "path": "/fields/System.Description", "value": expected_description(&a2)},
            {"op": "replace", "path": "/fields/System.Tags", "value": format!("vigil; vigil-VA-a; {}; vigil-high", hash_tag(&a2))},
            {"op": "replace", "path": "/fields/Microsoft.VSTS.Common.Priority", "value": 2},
            {"op": "replace", "path": "/fields/Microsoft.VSTS.Scheduling.DueDate", "value": "2026-12-27T00:00:00Z"},
        ])),
        content_type: "application/json-patch+json",
        idempotent: true,
        read: false,
    };
    let comment = Request {
        method: Method::Post,
        path: "/Shop%20Platform/_apis/wit/workItems/2/comments?api-version=7.1-preview.4".into(),
        body: Some(json!({"text": "All findings fixed &amp; verified."})),
        content_type: "application/json",
        idempotent: false,
        read: false,
    };
    let close = Request {
        method: Method::Patch,
        path: "/Shop%20Platform/_apis/wit/workitems/2?api-version=7.1".into(),
        body: Some(json!([{"op": "add", "path": "/fields/System.State", "value": "Done"}])),
        content_type: "application/json-patch+json",
        idempotent: true,
        read: false,
    };
    assert_eq!(dry.recorded(), vec![update, comment, close]);
}

// ---------------------------------------------------------------------------------------------------
// Credentials.

fn assert_no_token(error: &SinkError, token: &str) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(token), "{shown}");
    assert!(!shown.contains("OmF6ZG8"), "not even encoded: {shown}");
}

#[test]
fn a_wrong_token_fails_without_printing_any_token() {
    let fake = Fake::start();
    let wrong = "azdo-pat-WRONG-0000";
    let sink = fake.sink(wrong, false);
    let error = sink.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(&error, SinkError::Unauthorised { status: 401, variable, .. } if variable == "VIGIL_AZURE_DEVOPS_TOKEN"),
        "{error:?}"
    );
    assert_no_token(&error, wrong);
    assert_no_token(&error, PAT);
    assert_no_token(&sink.create(&ticket("VA-a", "x")).unwrap_err(), wrong);
    let mut links = Vec::new();
    let outcomes = run(&sink, &[ticket("VA-a", "x")], &mut links);
    let [(_, Outcome::Failed(message))] = outcomes.as_slice() else {
        panic!("{outcomes:?}");
    };
    assert!(!message.contains(wrong), "{message}");
    assert!(!format!("{sink:?}").contains(wrong));
    assert!(fake.items().is_empty());
}

#[test]
fn server_errors_fail_without_printing_the_token() {
    let server = Server::start(|_| error(500, "Internal server error."));
    let sink = sink_at(&format!("{}{ORGANIZATION}", server.url), PAT, false);
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
        "a search is retried: {error:?}"
    );
    assert_no_token(&error, PAT);
    let error = sink.create(&ticket("VA-a", "x")).unwrap_err();
    assert!(
        matches!(error, SinkError::Server { attempts: 1, .. }),
        "a create is not: {error:?}"
    );
    assert_no_token(&error, PAT);
    for error in [sink.close("1", "x").unwrap_err(), sink.get("1").unwrap_err()] {
        assert_no_token(&error, PAT);
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("Authorization") == Some(AUTHORIZATION)),
        "the token went only where it belongs, as Basic with an empty user"
    );
}

//! A fake Azure Boards (REST 7.1). It enforces what the real API does: the configured authentication
//! (Basic with an empty user and the PAT), api-version on every call, JSON Patch documents with their own
//! content type, a title on create, WIQL in a JSON body. It keeps work items in memory and can fail the
//! way Boards does: 429 with Retry-After, a 500, an answer after the client gave up, a concurrent create.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::server::{Req, Resp, Server, lock};
use super::{FakeTracker, StoredTicket, percent_encode};

/// The workflow of the fake's Task: vigil closes to `Done` and reopens to `To Do`.
pub const STATES: [&str; 3] = ["To Do", "Doing", "Done"];

/// What the fake accepts. The organization URL a sink is given is `{server.url}/{organization}`.
#[derive(Debug, Clone)]
pub struct AzureDevOpsSettings {
    /// The whole `Authorization` header value, e.g. `basic_authorization("", pat)`.
    pub authorization: String,
    /// The organization's name, the first path segment: `acme`.
    pub organization: String,
    /// The project's name, which may hold spaces: `Shop Platform`.
    pub project: String,
}

impl AzureDevOpsSettings {
    /// Where the project's work item APIs live: `/acme/Shop%20Platform/_apis/wit/`.
    fn api(&self) -> String {
        format!(
            "/{}/{}/_apis/wit/",
            self.organization,
            percent_encode(&self.project)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Create,
    Wiql,
    Batch,
    Get(u64),
    Update(u64),
    Comment(u64),
}

impl Route {
    fn parse(api: &str, method: &str, path: &str) -> Option<Self> {
        let rest = path.strip_prefix(api)?.to_ascii_lowercase();
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

    /// The name faults are armed with: `create`, `wiql`, `batch`, `get`, `update`, `comment`.
    pub fn name(self) -> &'static str {
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
pub enum Fault {
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
pub struct Item {
    pub id: u64,
    pub rev: u64,
    pub fields: Map<String, Value>,
    pub relations: Vec<Value>,
    pub comments: Vec<String>,
}

impl Item {
    pub fn tags(&self) -> Vec<String> {
        self.fields
            .get("System.Tags")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .split(';')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().iter().any(|t| t.eq_ignore_ascii_case(tag))
    }

    pub fn field(&self, name: &str) -> &Value {
        self.fields.get(name).unwrap_or(&Value::Null)
    }

    pub fn state(&self) -> &str {
        self.field("System.State").as_str().unwrap_or_default()
    }

    fn json(&self, settings: &AzureDevOpsSettings, only: Option<&[&str]>) -> Value {
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .filter(|(k, _)| only.is_none_or(|only| only.contains(&k.as_str())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let organization = &settings.organization;
        json!({
            "id": self.id,
            "rev": self.rev,
            "fields": fields,
            "relations": self.relations,
            "url": format!("https://dev.azure.com/{organization}/_apis/wit/workItems/{}", self.id),
            "_links": {"html": {"href": format!(
                "https://dev.azure.com/{organization}/{}/_workitems/edit/{}",
                percent_encode(&settings.project),
                self.id
            )}},
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
        "Microsoft.VSTS.Scheduling.DueDate" => value.as_str().is_some_and(|d| {
            d.len() == 20 && d.ends_with("T00:00:00Z") && d.as_bytes().get(4) == Some(&b'-')
        }),
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

    fn insert(
        &mut self,
        settings: &AzureDevOpsSettings,
        fields: &Map<String, Value>,
        relations: &[Value],
    ) -> Item {
        self.clock += 1;
        let mut fields = fields.clone();
        fields.insert("System.State".into(), json!("To Do"));
        fields.insert("System.WorkItemType".into(), json!("Task"));
        fields.insert("System.TeamProject".into(), json!(settings.project));
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

    fn create(&mut self, settings: &AzureDevOpsSettings, req: &Req, fault: Option<Fault>) -> Resp {
        let ops = match patch_document(req) {
            Ok(ops) => ops,
            Err(resp) => return resp,
        };
        let mut fields = Map::new();
        let mut relations = Vec::new();
        let parents = format!("/{}/_apis/wit/workItems/", settings.organization);
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
                        .rsplit_once(parents.as_str())
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
            self.insert(settings, &fields, &relations);
        }
        let item = self.insert(settings, &fields, &relations);
        let resp = Resp::json(200, item.json(settings, None));
        if fault == Some(Fault::AnswerLate) {
            resp.delayed(Duration::from_millis(600))
        } else {
            resp
        }
    }

    fn wiql(&self, settings: &AzureDevOpsSettings, req: &Req) -> Resp {
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
            .map(|i| {
                let url = format!(
                    "https://dev.azure.com/{}/_apis/wit/workItems/{}",
                    settings.organization, i.id
                );
                json!({"id": i.id, "url": url})
            })
            .collect();
        Resp::json(200, json!({"queryType": "flat", "workItems": refs}))
    }

    fn batch(&self, settings: &AzureDevOpsSettings, query: &[(String, String)]) -> Resp {
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
                Some(item) => value.push(item.json(settings, fields.as_deref())),
                None if omit => value.push(Value::Null),
                None => return error(404, &format!("TF401232: Work item {id} does not exist.")),
            }
        }
        Resp::json(200, json!({"count": value.len(), "value": value}))
    }

    fn update(&mut self, settings: &AzureDevOpsSettings, id: u64, req: &Req) -> Resp {
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
        Resp::json(200, item.json(settings, None))
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

fn handle(settings: &AzureDevOpsSettings, board: &Mutex<Board>, req: &Req) -> Resp {
    if req.header("Authorization") != Some(settings.authorization.as_str()) {
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
    let Some(route) = Route::parse(&settings.api(), &req.method, path) else {
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
    let mut board = lock(board);
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
        Route::Create => board.create(settings, req, fault),
        Route::Wiql => board.wiql(settings, req),
        Route::Batch => board.batch(settings, &query),
        Route::Get(id) => match board.items.iter().find(|i| i.id == id) {
            Some(item) => Resp::json(200, item.json(settings, None)),
            None => error(404, &format!("TF401232: Work item {id} does not exist.")),
        },
        Route::Update(id) => board.update(settings, id, req),
        Route::Comment(id) => board.comment(id, req),
    }
}

#[derive(Debug, Clone)]
pub struct FakeAzureDevOps {
    settings: Arc<AzureDevOpsSettings>,
    board: Arc<Mutex<Board>>,
}

impl FakeAzureDevOps {
    pub fn start(settings: AzureDevOpsSettings) -> std::io::Result<(Self, Server)> {
        let fake = Self {
            settings: Arc::new(settings),
            board: Arc::default(),
        };
        let handler = fake.clone();
        let server = Server::start(move |req| handle(&handler.settings, &handler.board, req))?;
        Ok((fake, server))
    }

    /// The organization URL a sink is configured with.
    pub fn organization_url(&self, server: &Server) -> String {
        format!("{}/{}", server.url, self.settings.organization)
    }

    /// The next request of the route named `route` (see [`Route::name`]) meets `fault`.
    pub fn arm(&self, route: &'static str, fault: Fault) {
        lock(&self.board).faults.push((route, fault));
    }

    pub fn items(&self) -> Vec<Item> {
        lock(&self.board).items.clone()
    }

    pub fn item(&self, id: &str) -> Option<Item> {
        self.items().into_iter().find(|i| i.id.to_string() == id)
    }

    pub fn with_key(&self, key: &str) -> usize {
        self.items().iter().filter(|i| i.has_tag(key)).count()
    }

    pub fn open_with(&self, key: &str) -> usize {
        self.items()
            .iter()
            .filter(|i| i.has_tag(key) && i.state() != "Done")
            .count()
    }

    /// What a person does on the board: sets a field. `false` when there is no such work item.
    pub fn edit(&self, id: &str, field: &str, value: Value) -> bool {
        let mut board = lock(&self.board);
        let Some(item) = board.items.iter_mut().find(|i| i.id.to_string() == id) else {
            return false;
        };
        item.fields.insert(field.to_owned(), value);
        true
    }

    /// The route a request was for, when it was one of the work item APIs.
    pub fn route_of(&self, req: &Req) -> Option<Route> {
        let path = req.path.split('?').next().unwrap_or_default();
        Route::parse(&self.settings.api(), &req.method, path)
    }
}

impl FakeTracker for FakeAzureDevOps {
    fn tickets(&self) -> Vec<StoredTicket> {
        self.items()
            .iter()
            .map(|i| StoredTicket {
                id: i.id.to_string(),
                title: i.field("System.Title").as_str().unwrap_or_default().to_owned(),
                labels: i.tags(),
                open: i.state() != "Done",
                comments: i.comments.len(),
            })
            .collect()
    }

    fn close_by_a_person(&self, id: &str) -> bool {
        self.edit(id, "System.State", json!("Done"))
    }
}

//! Jira Cloud (REST v3) and Jira Data Center / Server (REST v2): one issue per action, found again by a
//! label carrying the action's key, with the content hash kept as a second label (`vigil-hash-…`) so a
//! sync that lost its links can still tell an unchanged ticket from a stale one.
//!
//! The two deployments share the issue, transition and label model; they differ in the API version, the
//! search (Cloud: `POST /search/jql` paged by token; Data Center: `GET /search` paged by offset) and the
//! rich text: Atlassian Document Format on Cloud, a wiki-markup string on Data Center, in which every
//! character of the ticket's own text is escaped so a finding title cannot add a link or a macro.
//!
//! Jira assigns by account id, which a roadmap owner (`@org/team`, `Name <email>`) is not, so the owner is
//! named in the description instead of set as assignee. Closing and reopening go through the workflow:
//! a comment, then the transition named in the configuration or the first one into the right status
//! category.

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::macros::format_description;
use vigil_core::Band;

use crate::http::{Auth, Http, Method, Request, RetryPolicy};
use crate::sink::{RemoteTicket, SinkError, TicketSink};
use crate::ticket::Ticket;

/// How a Jira site is set up for vigil. Empty or absent values take the defaults named on each field.
#[derive(Debug, Clone, Default)]
pub struct JiraConfig {
    /// `https://acme.atlassian.net` or the Data Center base URL.
    pub base_url: String,
    /// The project key, e.g. `SEC`.
    pub project: String,
    /// Default `Task`.
    pub issue_type: Option<String>,
    /// Priority names per band; defaults `Highest`, `High`, `Medium`, `Low`.
    pub priority_critical: Option<String>,
    pub priority_high: Option<String>,
    pub priority_medium: Option<String>,
    pub priority_low: Option<String>,
    pub components: Vec<String>,
    /// The epic or parent issue key every ticket is filed under.
    pub parent: Option<String>,
    /// The transition that closes; default: the first into status category `done`.
    pub done_transition: Option<String>,
    /// The transition that reopens; default: the first into status category `new` or `indeterminate`.
    pub reopen_transition: Option<String>,
    /// `cloud` (default) or `data-center` (also Jira Server: REST v2, wiki-markup descriptions).
    pub deployment: Option<String>,
}

/// Which Jira the site runs: the API version and the rich-text format follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// REST v3, Atlassian Document Format.
    Cloud,
    /// Data Center or Server: REST v2 only, descriptions and comments as wiki markup.
    DataCenter,
}

impl Deployment {
    /// The configured name; empty or absent is Cloud, anything unknown is `None`.
    pub fn parse(value: Option<&str>) -> Option<Self> {
        match non_empty(value) {
            None | Some("cloud") => Some(Self::Cloud),
            Some("data-center") => Some(Self::DataCenter),
            Some(_) => None,
        }
    }

    /// The root every REST path is under.
    fn api(self) -> &'static str {
        match self {
            Self::Cloud => "/rest/api/3",
            Self::DataCenter => "/rest/api/2",
        }
    }
}

impl JiraConfig {
    fn issue_type(&self) -> &str {
        non_empty(self.issue_type.as_deref()).unwrap_or("Task")
    }

    fn priority(&self, band: Band) -> &str {
        let (configured, default) = match band {
            Band::Critical => (&self.priority_critical, "Highest"),
            Band::High => (&self.priority_high, "High"),
            Band::Medium => (&self.priority_medium, "Medium"),
            Band::Low => (&self.priority_low, "Low"),
        };
        non_empty(configured.as_deref()).unwrap_or(default)
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The label prefix holding the content hash; distinct from the key prefix followed by an action id.
const HASH_LABEL_PREFIX: &str = "vigil-hash-";
/// Jira refuses longer summaries.
const SUMMARY_MAX_CHARS: usize = 255;
const PAGE_SIZE: u32 = 50;
/// A key carries one ticket, a few after races: more pages than this means the search is not ours.
const MAX_PAGES: usize = 20;
/// The id answered for a create in a dry run, where nothing is created.
pub const DRY_RUN_ID: &str = "dry-run";

#[derive(Debug)]
pub struct JiraSink {
    http: Http,
    config: JiraConfig,
    deployment: Deployment,
}

impl JiraSink {
    /// `auth` is `Auth::Basic { user: email, token }` on Cloud, `Auth::Bearer` (a personal access token)
    /// on Data Center; `credential_variable` is named in authorisation errors.
    pub fn new(
        config: JiraConfig,
        auth: Auth,
        credential_variable: &str,
        retry: RetryPolicy,
        dry_run: bool,
    ) -> Result<Self, SinkError> {
        if config.project.trim().is_empty() {
            return Err(SinkError::Transport("jira: no project key configured".to_owned()));
        }
        let deployment = Deployment::parse(config.deployment.as_deref()).ok_or_else(|| {
            SinkError::Transport(format!(
                "jira: unknown deployment `{}` (expected cloud or data-center)",
                config.deployment.as_deref().unwrap_or_default()
            ))
        })?;
        let http = Http::new(&config.base_url, auth, credential_variable, retry, dry_run)?;
        Ok(Self {
            http,
            config,
            deployment,
        })
    }

    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// `/rest/api/N/issue`, or one issue under it.
    fn issue_path(&self, id: Option<&str>) -> String {
        let root = format!("{}/issue", self.deployment.api());
        match id {
            Some(id) => format!("{root}/{}", percent_encode(id)),
            None => root,
        }
    }

    /// The writes a dry run would have sent, with their exact payloads.
    pub fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn browse_url(&self, key: &str) -> String {
        format!("{}/browse/{key}", self.http.base())
    }

    fn protocol(&self, message: impl Into<String>) -> SinkError {
        SinkError::Protocol {
            host: self.http.host().to_owned(),
            message: message.into(),
        }
    }

    /// The issue fields vigil owns; `project` and `issuetype` only when creating.
    fn fields(&self, ticket: &Ticket, creating: bool) -> Value {
        let mut fields = Map::new();
        if creating {
            fields.insert("project".into(), json!({ "key": self.config.project.trim() }));
        }
        fields.insert("summary".into(), json!(summary(ticket)));
        if creating {
            fields.insert("issuetype".into(), json!({ "name": self.config.issue_type() }));
        }
        let description = match self.deployment {
            Deployment::Cloud => adf_description(ticket),
            Deployment::DataCenter => Value::String(wiki_description(ticket)),
        };
        fields.insert("description".into(), description);
        fields.insert("labels".into(), json!(labels(ticket)));
        fields.insert(
            "priority".into(),
            json!({ "name": self.config.priority(ticket.band) }),
        );
        fields.insert("duedate".into(), json!(vigil_core::date::format(ticket.due)));
        let components: Vec<Value> = self
            .config
            .components
            .iter()
            .filter_map(|c| non_empty(Some(c)))
            .map(|name| json!({ "name": name }))
            .collect();
        if !components.is_empty() {
            fields.insert("components".into(), Value::Array(components));
        }
        if let Some(parent) = non_empty(self.config.parent.as_deref()) {
            fields.insert("parent".into(), json!({ "key": parent }));
        }
        json!({ "fields": fields })
    }

    fn remote(&self, issue: &Value) -> Result<RemoteTicket, SinkError> {
        let key = issue
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| self.protocol("an issue without a key"))?;
        let fields = issue.get("fields").unwrap_or(&Value::Null);
        let category = fields
            .pointer("/status/statusCategory/key")
            .and_then(Value::as_str)
            .ok_or_else(|| self.protocol(format!("{key} has no status category")))?;
        let content_hash = fields
            .get("labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(|label| label.strip_prefix(HASH_LABEL_PREFIX))
            .map(str::to_owned);
        let created = fields
            .get("created")
            .and_then(Value::as_str)
            .map(sortable_timestamp)
            .unwrap_or_default();
        Ok(RemoteTicket {
            id: key.to_owned(),
            url: self.browse_url(key),
            open: category != "done",
            content_hash,
            created,
        })
    }

    /// Comments, then moves the issue through the transition `named`, or the first one into one of
    /// `categories`.
    fn transition(
        &self,
        id: &str,
        comment: &str,
        named: Option<&str>,
        categories: &[&str],
    ) -> Result<(), SinkError> {
        let issue = self.issue_path(Some(id));
        let body = match self.deployment {
            Deployment::Cloud => adf_comment(comment),
            Deployment::DataCenter => Value::String(wiki::line_start(comment)),
        };
        // Not idempotent: a repeated comment would show twice.
        self.http.send(Request::send(
            Method::Post,
            format!("{issue}/comment"),
            json!({ "body": body }),
        ))?;
        let available = self.http.send(Request::get(format!("{issue}/transitions")))?.body;
        let transition = pick_transition(&available, non_empty(named), categories).ok_or_else(|| {
            self.protocol(match non_empty(named) {
                Some(name) => format!("{id} has no transition named `{name}` from its current status"),
                None => format!(
                    "{id} has no transition into status category {} from its current status",
                    categories.join(" or ")
                ),
            })
        })?;
        // Not marked idempotent although repeating it would be harmless: `Http` treats an idempotent POST
        // as a search and sends it even in a dry run. A failed transition is retried by the next sync.
        self.http.send(Request::send(
            Method::Post,
            format!("{issue}/transitions"),
            json!({ "transition": { "id": transition } }),
        ))?;
        Ok(())
    }
}

/// The two searches by label; both answer issues in the same shape, read by [`JiraSink::remote`].
impl JiraSink {
    /// Cloud: `POST /rest/api/3/search/jql`, paged by `nextPageToken`.
    fn search_by_token(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let path = format!("{}/search/jql", self.deployment.api());
        let mut found = Vec::new();
        let mut page_token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let body = search_body(key, page_token.as_deref());
            // A search changes nothing, so it may be retried like a read.
            let response = self.http.send(Request::search(path.as_str(), body))?;
            found.extend(self.issues(&response.body)?);
            let last = response.body.get("isLast").and_then(Value::as_bool) == Some(true);
            page_token = response
                .body
                .get("nextPageToken")
                .and_then(Value::as_str)
                .filter(|_| !last)
                .map(str::to_owned);
            if page_token.is_none() {
                break;
            }
        }
        Ok(found)
    }

    /// Data Center: `GET /rest/api/2/search?jql=…`, paged by `startAt`. The server may cut `maxResults`
    /// below what was asked, so the next page starts after what actually came.
    fn search_by_offset(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let jql = percent_encode(&jql(key));
        let mut found = Vec::new();
        for _ in 0..MAX_PAGES {
            let path = format!(
                "{}/search?jql={jql}&fields={SEARCH_FIELDS}&maxResults={PAGE_SIZE}&startAt={}",
                self.deployment.api(),
                found.len()
            );
            let response = self.http.send(Request::get(path))?;
            let page = self.issues(&response.body)?;
            let total = response.body.get("total").and_then(Value::as_u64);
            let granted = response.body.get("maxResults").and_then(Value::as_u64);
            let short = (page.len() as u64) < granted.unwrap_or(u64::from(PAGE_SIZE));
            let empty = page.is_empty();
            found.extend(page);
            let all_read = match total {
                Some(total) => found.len() as u64 >= total,
                None => short,
            };
            if empty || all_read {
                break;
            }
        }
        Ok(found)
    }

    fn issues(&self, answer: &Value) -> Result<Vec<RemoteTicket>, SinkError> {
        answer
            .get("issues")
            .and_then(Value::as_array)
            .ok_or_else(|| self.protocol("a search answer without `issues`"))?
            .iter()
            .map(|issue| self.remote(issue))
            .collect()
    }
}

impl TicketSink for JiraSink {
    fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn name(&self) -> &'static str {
        "jira"
    }

    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let mut found = match self.deployment {
            Deployment::Cloud => self.search_by_token(key)?,
            Deployment::DataCenter => self.search_by_offset(key)?,
        };
        found.sort_by(|a, b| a.created.cmp(&b.created));
        Ok(found)
    }

    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError> {
        let response = self.http.send(Request::send(
            Method::Post,
            self.issue_path(None),
            self.fields(ticket, true),
        ))?;
        let key = if self.http.is_dry_run() {
            DRY_RUN_ID
        } else {
            response
                .body
                .get("key")
                .and_then(Value::as_str)
                .ok_or_else(|| self.protocol("a created issue without a key"))?
        };
        Ok(RemoteTicket {
            id: key.to_owned(),
            url: self.browse_url(key),
            open: true,
            content_hash: Some(ticket.content_hash()),
            // The answer has no creation time; the engine searches right after and prefers the tracker's.
            created: OffsetDateTime::now_utc().format(SORTABLE_UTC).unwrap_or_default(),
        })
    }

    fn update(&self, id: &str, ticket: &Ticket) -> Result<(), SinkError> {
        self.http.send(Request::send(
            Method::Put,
            self.issue_path(Some(id)),
            self.fields(ticket, false),
        ))?;
        Ok(())
    }

    fn close(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.transition(id, comment, self.config.done_transition.as_deref(), &["done"])
    }

    fn reopen(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.transition(
            id,
            comment,
            self.config.reopen_transition.as_deref(),
            &["new", "indeterminate"],
        )
    }

    fn get(&self, id: &str) -> Result<Option<RemoteTicket>, SinkError> {
        let path = format!("{}?fields={SEARCH_FIELDS}", self.issue_path(Some(id)));
        match self.http.send(Request::get(path)) {
            Ok(response) => self.remote(&response.body).map(Some),
            Err(SinkError::Rejected { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The fields a search or a read asks for: all [`JiraSink::remote`] needs.
const SEARCH_FIELDS: &str = "status,created,labels";

/// The issues carrying label `key`, oldest first.
fn jql(key: &str) -> String {
    format!("labels = \"{}\" ORDER BY created ASC", jql_escape(key))
}

fn search_body(key: &str, page_token: Option<&str>) -> Value {
    let mut body = json!({
        "jql": jql(key),
        "fields": SEARCH_FIELDS.split(',').collect::<Vec<_>>(),
        "maxResults": PAGE_SIZE,
    });
    if let (Some(token), Some(map)) = (page_token, body.as_object_mut()) {
        map.insert("nextPageToken".into(), json!(token));
    }
    body
}

/// Escapes a value for a double-quoted JQL string.
fn jql_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// One line, at most 255 characters: what Jira accepts as a summary.
fn summary(ticket: &Ticket) -> String {
    let line = ticket.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = if line.is_empty() { ticket.key.clone() } else { line };
    let cut: String = line.chars().take(SUMMARY_MAX_CHARS).collect();
    cut.trim_end().to_owned()
}

/// The ticket's labels, its key and its content hash; Jira labels cannot hold whitespace.
fn labels(ticket: &Ticket) -> Vec<String> {
    let hash = format!("{HASH_LABEL_PREFIX}{}", ticket.content_hash());
    let mut labels: Vec<String> = Vec::new();
    for label in ticket.labels.iter().chain([&ticket.key, &hash]) {
        let label = label.split_whitespace().collect::<Vec<_>>().join("-");
        // A stale hash label from the ticket itself would shadow the real one when read back.
        let foreign_hash = label.starts_with(HASH_LABEL_PREFIX) && label != hash;
        if !label.is_empty() && !foreign_hash && !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

const SORTABLE_UTC: &[time::format_description::BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Jira's `2024-05-01T12:34:56.789+0200` as UTC with fixed-width fields, so that timestamps written in
/// different offsets still sort as text; anything else is kept as it came.
fn sortable_timestamp(raw: &str) -> String {
    const JIRA: &[time::format_description::BorrowedFormatItem<'_>] = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond][offset_hour sign:mandatory][offset_minute]"
    );
    OffsetDateTime::parse(raw, JIRA)
        .ok()
        .and_then(|t| t.to_offset(time::UtcOffset::UTC).format(SORTABLE_UTC).ok())
        .unwrap_or_else(|| raw.to_owned())
}

/// The id of the transition named `named` (case-insensitive), else of the first one into `categories`.
fn pick_transition(answer: &Value, named: Option<&str>, categories: &[&str]) -> Option<String> {
    let transitions = answer.get("transitions")?.as_array()?;
    let chosen = transitions.iter().find(|t| match named {
        Some(name) => t
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(name)),
        None => t
            .pointer("/to/statusCategory/key")
            .and_then(Value::as_str)
            .is_some_and(|key| categories.contains(&key)),
    })?;
    match chosen.get("id")? {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// Percent-encodes one path segment or query value, so an id read from anywhere stays a single segment
/// and a JQL string a single parameter.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The description for Cloud, built from the ticket's fields.
fn adf_description(ticket: &Ticket) -> Value {
    let mut blocks = vec![adf::paragraph(
        adf::Inline::default()
            .strong(ticket.band.as_str())
            .text(" · due ")
            .strong(&vigil_core::date::format(ticket.due))
            .text(&format!(" ({} days) · vigil action ", ticket.sla_days))
            .code(&ticket.action_id)
            .text(" · scope ")
            .code(&ticket.scope),
    )];
    if let Some(owner) = non_empty(ticket.owner.as_deref()) {
        blocks.push(adf::paragraph(
            adf::Inline::default().text("Owner: ").strong(owner),
        ));
    }
    if !ticket.summary.trim().is_empty() {
        blocks.push(adf::paragraph(adf::Inline::default().text(&ticket.summary)));
    }
    if !ticket.findings.is_empty() {
        blocks.push(adf::heading(3, "Findings"));
        let items = ticket.findings.iter().map(|f| {
            let line = adf::Inline::default()
                .code(&f.id)
                .text(&format!(" {} · {} · RPN {}", f.title, f.band, f.rpn));
            match (&f.link, &f.location) {
                (Some(link), Some(location)) => line.text(" (").link(location, link).text(")"),
                (Some(link), None) => line.text(" (").link(link, link).text(")"),
                (None, Some(location)) => line.text(" (").code(location).text(")"),
                (None, None) => line,
            }
        });
        blocks.push(adf::bullet_list(items.collect()));
    }
    if !ticket.steps.is_empty() {
        blocks.push(adf::heading(3, "Steps"));
        blocks.push(adf::ordered_list(plain_items(&ticket.steps)));
    }
    let sections = [
        ("How to verify", &ticket.verify),
        ("Compliance", &ticket.compliance),
        ("References", &ticket.references),
    ];
    for (title, lines) in sections {
        if !lines.is_empty() {
            blocks.push(adf::heading(3, title));
            blocks.push(adf::bullet_list(plain_items(lines)));
        }
    }
    blocks.push(adf::paragraph(
        adf::Inline::default()
            .text("Managed by vigil: edits to this description are replaced on the next sync. Key ")
            .code(&ticket.key)
            .text("."),
    ));
    adf::doc(blocks)
}

/// List items from lines, with a line that is a URL made a link.
fn plain_items(lines: &[String]) -> Vec<adf::Inline> {
    lines
        .iter()
        .map(|line| {
            let trimmed = line.trim();
            if adf::is_web_link(trimmed) {
                adf::Inline::default().link(trimmed, trimmed)
            } else {
                adf::Inline::default().text(line)
            }
        })
        .collect()
}

fn adf_comment(comment: &str) -> Value {
    adf::doc(vec![adf::paragraph(adf::Inline::default().text(comment))])
}

/// The description for Data Center: the same content as [`adf_description`], as Jira wiki markup.
fn wiki_description(ticket: &Ticket) -> String {
    let mut blocks = vec![format!(
        "{} · due {} ({} days) · vigil action {} · scope {}",
        wiki::strong(ticket.band.as_str()),
        wiki::strong(&vigil_core::date::format(ticket.due)),
        ticket.sla_days,
        wiki::code(&ticket.action_id),
        wiki::code(&ticket.scope),
    )];
    if let Some(owner) = non_empty(ticket.owner.as_deref()) {
        blocks.push(format!("Owner: {}", wiki::strong(owner)));
    }
    if !ticket.summary.trim().is_empty() {
        blocks.push(wiki::line_start(&ticket.summary));
    }
    if !ticket.findings.is_empty() {
        let items = ticket.findings.iter().map(|f| {
            let line = format!(
                "{} {} · {} · RPN {}",
                wiki::code(&f.id),
                wiki::text(&f.title),
                f.band,
                f.rpn
            );
            match (&f.link, &f.location) {
                (Some(link), Some(location)) => format!("{line} ({})", wiki::link(location, link)),
                (Some(link), None) => format!("{line} ({})", wiki::link(link, link)),
                (None, Some(location)) => format!("{line} ({})", wiki::code(location)),
                (None, None) => line,
            }
        });
        blocks.push(wiki::list("Findings", '*', items.collect()));
    }
    if !ticket.steps.is_empty() {
        blocks.push(wiki::list("Steps", '#', wiki_items(&ticket.steps)));
    }
    let sections = [
        ("How to verify", &ticket.verify),
        ("Compliance", &ticket.compliance),
        ("References", &ticket.references),
    ];
    for (title, lines) in sections {
        if !lines.is_empty() {
            blocks.push(wiki::list(title, '*', wiki_items(lines)));
        }
    }
    blocks.push(format!(
        "Managed by vigil: edits to this description are replaced on the next sync. Key {}.",
        wiki::code(&ticket.key)
    ));
    blocks.join("\n\n")
}

/// List items from lines, with a line that is a URL made a link.
fn wiki_items(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let trimmed = line.trim();
            if adf::is_web_link(trimmed) {
                wiki::link(trimmed, trimmed)
            } else {
                wiki::text(line)
            }
        })
        .collect()
}

/// The part of Jira wiki markup vigil writes, with every character of the ticket's text escaped.
///
/// Escaping follows Jira's own rule, a backslash before the character, with three exceptions that do not
/// rely on it: a backslash becomes the entity `&#92;` (two backslashes are a line break); a link whose
/// text holds a link separator shows the text beside the link, not in it; and a code span whose text
/// holds a brace is plain text, since the span ends at the first `}}` whatever escapes it.
mod wiki {
    /// Markup wherever it stands: macros and links (`{…}`, `[…|…]`), images (`!…!`), tables, numbered
    /// lists, bold, inserted, superscript, subscript and citations.
    const ALWAYS_ESCAPED: &[char] = &['{', '}', '[', ']', '|', '!', '#', '*', '+', '^', '~', '?'];
    /// Markup only at the edge of a word (`-struck-`, `_emphasis_`, `----`, `- item`): between two
    /// letters or digits, as in `VIG-12` or `snake_case`, they stay readable.
    const EDGE_ESCAPED: &[char] = &['-', '_'];

    /// `text` as Jira shows it, never as markup. Line breaks become `\\`, so the text never starts a
    /// line of its own and cannot open a heading, a list or a table.
    pub(super) fn text(text: &str) -> String {
        let chars: Vec<char> = text.chars().filter(|c| *c != '\r').collect();
        let in_word = |at: Option<&char>| at.is_some_and(|c| c.is_alphanumeric());
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        for (i, &c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            match c {
                '\n' => out.push_str("\\\\"),
                '\\' => out.push_str("&#92;"),
                c if ALWAYS_ESCAPED.contains(&c)
                    || (EDGE_ESCAPED.contains(&c) && !(in_word(before) && in_word(after))) =>
                {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out
    }

    /// Text that begins a line: as [`text`], and a leading `h1.`…`h6.` or `bq.` is kept from making a
    /// heading or a quote.
    pub(super) fn line_start(raw: &str) -> String {
        let escaped = text(raw.trim_start());
        let bytes = escaped.as_bytes();
        let heading = bytes.len() >= 3
            && bytes[0].eq_ignore_ascii_case(&b'h')
            && (b'1'..=b'6').contains(&bytes[1])
            && bytes[2] == b'.';
        let quote = bytes.len() >= 3 && bytes[..2].eq_ignore_ascii_case(b"bq") && bytes[2] == b'.';
        match escaped.split_at_checked(2) {
            Some((marker, rest)) if heading || quote => format!("{marker}\\{rest}"),
            _ => escaped,
        }
    }

    /// One line: markup that spans a line break does not close.
    fn one_line(raw: &str) -> String {
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Bold; nothing for empty text, which would leave two stray asterisks.
    pub(super) fn strong(raw: &str) -> String {
        let line = one_line(raw);
        if line.is_empty() {
            String::new()
        } else {
            format!("*{}*", text(&line))
        }
    }

    /// Monospace; plain text when the text holds a brace (see the module documentation).
    pub(super) fn code(raw: &str) -> String {
        let line = one_line(raw);
        if line.is_empty() || line.contains(['{', '}']) {
            text(&line)
        } else {
            format!("{{{{{}}}}}", text(&line))
        }
    }

    /// A link when `href` is a web URL; otherwise the text as code, so nothing is lost.
    pub(super) fn link(raw: &str, href: &str) -> String {
        if !super::adf::is_web_link(href) {
            return code(raw);
        }
        let label = one_line(raw);
        let shown_as_is = label.is_empty() || label == href;
        let href = url(href);
        if shown_as_is {
            format!("[{href}]")
        } else if label.contains(['[', ']', '|', '{', '}', '\\']) {
            format!("{} [{href}]", text(&label))
        } else {
            format!("[{}|{href}]", text(&label))
        }
    }

    /// A URL with the characters that end a link or open other markup percent-encoded; they mean the
    /// same in a URL either way.
    fn url(href: &str) -> String {
        let mut out = String::with_capacity(href.len());
        for c in href.chars() {
            match c {
                '[' | ']' | '|' | '{' | '}' | '!' | '\\' | '"' | '<' | '>' | '^' | '`' => {
                    out.push_str(&format!("%{:02X}", u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out
    }

    /// A level-3 heading and its items (`*` bullets or `#` numbers). Empty items are left out: a marker
    /// alone on a line is not an item and would end the list.
    pub(super) fn list(title: &str, marker: char, items: Vec<String>) -> String {
        let mut out = format!("h3. {}", text(title));
        for item in items.into_iter().filter(|i| !i.trim().is_empty()) {
            out.push('\n');
            out.push(marker);
            out.push(' ');
            out.push_str(&item);
        }
        out
    }
}

/// The part of Atlassian Document Format vigil writes. Jira rejects a text node with an empty string, so
/// empty text is dropped here rather than checked at every call.
mod adf {
    use serde_json::{Value, json};

    /// The inline content of a paragraph, heading or list item.
    #[derive(Debug, Default)]
    pub(super) struct Inline(Vec<Value>);

    impl Inline {
        pub(super) fn text(self, text: &str) -> Self {
            self.push(text, Vec::new())
        }

        pub(super) fn strong(self, text: &str) -> Self {
            self.push(text, vec![json!({ "type": "strong" })])
        }

        pub(super) fn code(self, text: &str) -> Self {
            self.push(text, vec![json!({ "type": "code" })])
        }

        /// A link when `href` is a web URL; otherwise the text as code, so nothing is lost.
        pub(super) fn link(self, text: &str, href: &str) -> Self {
            if is_web_link(href) {
                self.push(text, vec![json!({ "type": "link", "attrs": { "href": href } })])
            } else {
                self.code(text)
            }
        }

        /// Line breaks become `hardBreak` nodes, as the editor itself writes them.
        fn push(mut self, text: &str, marks: Vec<Value>) -> Self {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.0.push(json!({ "type": "hardBreak" }));
                }
                let line = line.trim_end_matches('\r');
                if line.is_empty() {
                    continue;
                }
                let mut node = json!({ "type": "text", "text": line });
                if let (false, Some(map)) = (marks.is_empty(), node.as_object_mut()) {
                    map.insert("marks".into(), Value::Array(marks.clone()));
                }
                self.0.push(node);
            }
            self
        }
    }

    pub(super) fn is_web_link(value: &str) -> bool {
        (value.starts_with("https://") || value.starts_with("http://"))
            && !value.contains(char::is_whitespace)
    }

    pub(super) fn doc(content: Vec<Value>) -> Value {
        json!({ "type": "doc", "version": 1, "content": content })
    }

    pub(super) fn paragraph(inline: Inline) -> Value {
        json!({ "type": "paragraph", "content": inline.0 })
    }

    pub(super) fn heading(level: u8, text: &str) -> Value {
        json!({
            "type": "heading",
            "attrs": { "level": level.clamp(1, 6) },
            "content": Inline::default().text(text).0,
        })
    }

    pub(super) fn bullet_list(items: Vec<Inline>) -> Value {
        list("bulletList", items)
    }

    pub(super) fn ordered_list(items: Vec<Inline>) -> Value {
        list("orderedList", items)
    }

    fn list(kind: &str, items: Vec<Inline>) -> Value {
        let items: Vec<Value> = items
            .into_iter()
            .map(|item| json!({ "type": "listItem", "content": [paragraph(item)] }))
            .collect();
        json!({ "type": kind, "content": items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_different_offsets_sort_as_text() {
        assert_eq!(
            sortable_timestamp("2026-01-05T10:00:00.000+0200"),
            "2026-01-05T08:00:00.000Z"
        );
        assert!(
            sortable_timestamp("2026-01-05T09:30:00.000+0100")
                < sortable_timestamp("2026-01-05T09:00:00.500+0000")
        );
        assert_eq!(sortable_timestamp("not a date"), "not a date");
    }

    #[test]
    fn a_named_transition_wins_over_the_category() {
        let answer = json!({ "transitions": [
            { "id": "11", "name": "Start", "to": { "statusCategory": { "key": "indeterminate" } } },
            { "id": 31, "name": "Done", "to": { "statusCategory": { "key": "done" } } },
            { "id": "41", "name": "Won't fix", "to": { "statusCategory": { "key": "done" } } },
        ]});
        assert_eq!(pick_transition(&answer, None, &["done"]).as_deref(), Some("31"));
        assert_eq!(
            pick_transition(&answer, Some("won't FIX"), &["done"]).as_deref(),
            Some("41")
        );
        assert_eq!(pick_transition(&answer, Some("Close"), &["done"]), None);
        assert_eq!(pick_transition(&json!(null), None, &["done"]), None);
    }

    #[test]
    fn empty_text_never_makes_a_node() {
        let inline = adf::Inline::default().text("").strong("").text("a\n\nb");
        let paragraph = adf::paragraph(inline);
        let types: Vec<&str> = paragraph["content"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["type"].as_str())
            .collect();
        assert_eq!(types, ["text", "hardBreak", "hardBreak", "text"]);
    }

    #[test]
    fn wiki_text_is_never_markup() {
        assert_eq!(
            wiki::text("{code} [x|javascript:alert(1)] !http://e/x.png!"),
            r"\{code\} \[x\|javascript:alert(1)\] \!http://e/x.png\!"
        );
        assert_eq!(
            wiki::text("VIG-12 snake_case -x- a--b"),
            r"VIG-12 snake_case \-x\- a\-\-b"
        );
        assert_eq!(wiki::text("a\\b\r\n* c"), r"a&#92;b\\\* c");
        assert_eq!(wiki::line_start("  h1. big"), r"h1\. big");
        assert_eq!(wiki::line_start("bq. quote"), r"bq\. quote");
        assert_eq!(wiki::line_start("h7. fine"), "h7. fine");
    }

    #[test]
    fn wiki_spans_and_links_stay_closed() {
        assert_eq!(wiki::code("VA-1"), "{{VA-1}}");
        assert_eq!(wiki::code("a}"), r"a\}");
        assert_eq!(wiki::code(" \n "), "");
        assert_eq!(wiki::strong(""), "");
        assert_eq!(
            wiki::link("a.json:1", "https://h/x|y]"),
            "[a.json:1|https://h/x%7Cy%5D]"
        );
        assert_eq!(
            wiki::link("x|javascript:alert(1)", "https://h/"),
            r"x\|javascript:alert(1) [https://h/]"
        );
        assert_eq!(wiki::link("x", "javascript:alert(1)"), "{{x}}");
        assert_eq!(wiki::link("https://h/", "https://h/"), "[https://h/]");
    }

    #[test]
    fn deployments_are_named_cloud_or_data_center() {
        assert_eq!(Deployment::parse(None), Some(Deployment::Cloud));
        assert_eq!(Deployment::parse(Some(" ")), Some(Deployment::Cloud));
        assert_eq!(Deployment::parse(Some("cloud")), Some(Deployment::Cloud));
        assert_eq!(
            Deployment::parse(Some("data-center")),
            Some(Deployment::DataCenter)
        );
        assert_eq!(Deployment::parse(Some("server")), None);
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(percent_encode("SEC-12"), "SEC-12");
        assert_eq!(percent_encode("../x?y"), "%2E%2E%2Fx%3Fy");
    }
}

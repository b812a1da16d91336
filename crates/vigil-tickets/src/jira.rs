//! Jira Cloud and Data Center (REST v3): one issue per action, found again by a label carrying the
//! action's key, with the content hash kept as a second label (`vigil-hash-…`) so a sync that lost its
//! links can still tell an unchanged ticket from a stale one.
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

const SEARCH_PATH: &str = "/rest/api/3/search/jql";
const ISSUE_PATH: &str = "/rest/api/3/issue";
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
        let http = Http::new(&config.base_url, auth, credential_variable, retry, dry_run)?;
        Ok(Self { http, config })
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
        fields.insert("description".into(), description(ticket));
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
        let issue = format!("{ISSUE_PATH}/{}", path_segment(id));
        // Not idempotent: a repeated comment would show twice.
        self.http.send(Request::send(
            Method::Post,
            format!("{issue}/comment"),
            json!({ "body": comment_document(comment) }),
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

impl TicketSink for JiraSink {
    fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn name(&self) -> &'static str {
        "jira"
    }

    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let mut found = Vec::new();
        let mut page_token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let body = search_body(key, page_token.as_deref());
            // A search changes nothing, so it may be retried like a read.
            let response = self.http.send(Request::search(SEARCH_PATH, body))?;
            let issues = response
                .body
                .get("issues")
                .and_then(Value::as_array)
                .ok_or_else(|| self.protocol("a search answer without `issues`"))?;
            for issue in issues {
                found.push(self.remote(issue)?);
            }
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
        found.sort_by(|a, b| a.created.cmp(&b.created));
        Ok(found)
    }

    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError> {
        let response = self
            .http
            .send(Request::send(Method::Post, ISSUE_PATH, self.fields(ticket, true)))?;
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
            format!("{ISSUE_PATH}/{}", path_segment(id)),
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
        let path = format!("{ISSUE_PATH}/{}?fields=status,created,labels", path_segment(id));
        match self.http.send(Request::get(path)) {
            Ok(response) => self.remote(&response.body).map(Some),
            Err(SinkError::Rejected { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

fn search_body(key: &str, page_token: Option<&str>) -> Value {
    let mut body = json!({
        "jql": format!("labels = \"{}\" ORDER BY created ASC", jql_escape(key)),
        "fields": ["status", "created", "labels"],
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

/// Percent-encodes one path segment, so an id read from anywhere stays a single segment.
fn path_segment(value: &str) -> String {
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

/// The description, built from the ticket's fields.
fn description(ticket: &Ticket) -> Value {
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

fn comment_document(comment: &str) -> Value {
    adf::doc(vec![adf::paragraph(adf::Inline::default().text(comment))])
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
    fn ids_stay_one_path_segment() {
        assert_eq!(path_segment("SEC-12"), "SEC-12");
        assert_eq!(path_segment("../x?y"), "%2E%2E%2Fx%3Fy");
    }
}

//! Azure DevOps Boards (REST 7.1): one work item per roadmap action.
//!
//! The idempotency key and the content fingerprint are tags (`vigil-VA-…`, `vigil-hash-…`): tags are what
//! WIQL can search, and they survive any edit of the description. Work items are written with JSON Patch
//! documents (`application/json-patch+json`); the description is HTML built from the ticket with every
//! string escaped. The owner is named in the description rather than assigned: `System.AssignedTo` must
//! be an identity of the organisation, and an unknown one would make the whole create fail.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use vigil_core::Band;

use crate::http::{Auth, Http, Method, Request, RetryPolicy};
use crate::sink::{RemoteTicket, SinkError, TicketSink};
use crate::ticket::{Ticket, TicketFinding};

const API_VERSION: &str = "api-version=7.1";
/// The comments API is still a preview in 7.1.
const COMMENTS_API_VERSION: &str = "api-version=7.1-preview.4";
const JSON_PATCH: &str = "application/json-patch+json";
/// The tag that carries [`Ticket::content_hash`].
pub const HASH_TAG_PREFIX: &str = "vigil-hash-";
/// The id a dry run reports for a work item it did not create.
pub const DRY_RUN_ID: &str = "dry-run";
/// The work items batch API reads at most this many ids per request.
const BATCH_LIMIT: usize = 200;
/// Longer titles are refused by Azure DevOps.
const TITLE_LIMIT: usize = 255;
/// The fields `find` needs, and only those.
const FIND_FIELDS: &str = "System.State,System.CreatedDate,System.Tags";

/// Where and how work items are filed. Empty strings take the documented defaults.
#[derive(Debug, Clone, Default)]
pub struct AzureDevOpsConfig {
    /// `https://dev.azure.com/acme`, or an Azure DevOps Server collection URL.
    pub organization_url: String,
    pub project: String,
    /// Default `Task`.
    pub work_item_type: String,
    /// `System.AreaPath`, e.g. `Shop\Platform`.
    pub area_path: Option<String>,
    /// `System.IterationPath`, e.g. `Shop\Sprint 12`.
    pub iteration_path: Option<String>,
    /// The id of a work item every ticket is filed under (a feature or an epic).
    pub parent: Option<String>,
    /// The state vigil closes to; any other state counts as open. Default `Done`.
    pub done_state: String,
    /// The state vigil reopens to. Default `To Do`.
    pub reopen_state: String,
    /// Other states that mean closed in the project's process (`Closed`, `Removed`...): a work item a
    /// person moved there is closed, not open.
    pub closed_states: Vec<String>,
}

impl AzureDevOpsConfig {
    fn work_item_type(&self) -> &str {
        or_default(&self.work_item_type, "Task")
    }

    fn done_state(&self) -> &str {
        or_default(&self.done_state, "Done")
    }

    fn reopen_state(&self) -> &str {
        or_default(&self.reopen_state, "To Do")
    }

    fn is_closed(&self, state: &str) -> bool {
        state.eq_ignore_ascii_case(self.done_state())
            || self
                .closed_states
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(state))
    }

    fn parent(&self) -> Option<&str> {
        self.parent.as_deref().map(str::trim).filter(|p| !p.is_empty())
    }
}

fn or_default<'a>(value: &'a str, default: &'a str) -> &'a str {
    match value.trim() {
        "" => default,
        set => set,
    }
}

#[derive(Debug)]
pub struct AzureDevOpsSink {
    http: Http,
    config: AzureDevOpsConfig,
}

/// What vigil reads of a work item: the ticket, and its tags (to find the key and keep people's tags).
struct WorkItem {
    remote: RemoteTicket,
    tags: Vec<String>,
}

impl AzureDevOpsSink {
    /// `auth` is `Auth::Basic { user: "", token: PAT }`; `credential_variable` names where the PAT came
    /// from, for authorisation errors.
    pub fn new(
        config: AzureDevOpsConfig,
        auth: Auth,
        credential_variable: &str,
        retry: RetryPolicy,
        dry_run: bool,
    ) -> Result<Self, SinkError> {
        let http = Http::new(
            &config.organization_url,
            auth,
            credential_variable,
            retry,
            dry_run,
        )?;
        if config.project.trim().is_empty() {
            return Err(SinkError::Transport(
                "azure-devops: no project is configured".to_owned(),
            ));
        }
        if let Some(parent) = config.parent() {
            work_item_id(parent, http.host())?;
        }
        Ok(Self { http, config })
    }

    /// The writes a dry run would have sent, with their exact payloads.
    pub fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn project_path(&self) -> String {
        format!("/{}", encode_segment(self.config.project.trim()))
    }

    fn item_path(&self, id: u64) -> String {
        format!("{}/_apis/wit/workitems/{id}?{API_VERSION}", self.project_path())
    }

    /// The link people open; built rather than read so that every method reports the same one.
    fn web_url(&self, id: u64) -> String {
        format!("{}{}/_workitems/edit/{id}", self.http.base(), self.project_path())
    }

    /// The placeholder a dry-run create returned: there is nothing on the tracker to act on.
    fn is_placeholder(&self, id: &str) -> bool {
        self.http.is_dry_run() && id == DRY_RUN_ID
    }

    fn id(&self, id: &str) -> Result<u64, SinkError> {
        work_item_id(id, self.http.host())
    }

    fn read(&self, item: &Value) -> Result<WorkItem, SinkError> {
        let protocol = |message: &str| SinkError::Protocol {
            host: self.http.host().to_owned(),
            message: message.to_owned(),
        };
        let id = item
            .get("id")
            .and_then(Value::as_u64)
            .ok_or_else(|| protocol("a work item without a numeric id"))?;
        let fields = item
            .get("fields")
            .ok_or_else(|| protocol("a work item without fields"))?;
        let state = fields
            .get("System.State")
            .and_then(Value::as_str)
            .ok_or_else(|| protocol("a work item without System.State"))?;
        let tags = split_tags(
            fields
                .get("System.Tags")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        let content_hash = tags.iter().find_map(|tag| {
            let lower = tag.to_ascii_lowercase();
            lower.strip_prefix(HASH_TAG_PREFIX).map(str::to_owned)
        });
        let created = fields
            .get("System.CreatedDate")
            .and_then(Value::as_str)
            .map(sortable_timestamp)
            .unwrap_or_default();
        Ok(WorkItem {
            remote: RemoteTicket {
                id: id.to_string(),
                url: self.web_url(id),
                open: !self.config.is_closed(state),
                content_hash,
                created,
            },
            tags,
        })
    }

    /// One work item with every field; `None` when it does not exist (deleted, or moved out of reach).
    fn fetch(&self, id: u64) -> Result<Option<WorkItem>, SinkError> {
        match self.http.send(Request::get(self.item_path(id))) {
            Ok(response) => self.read(&response.body).map(Some),
            Err(SinkError::Rejected { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The work items of `ids` with the fields `find` needs; ids deleted since the query are skipped.
    fn fetch_batch(&self, ids: &[u64]) -> Result<Vec<WorkItem>, SinkError> {
        let list: Vec<String> = ids.iter().map(u64::to_string).collect();
        let path = format!(
            "{}/_apis/wit/workitems?ids={}&fields={FIND_FIELDS}&errorPolicy=omit&{API_VERSION}",
            self.project_path(),
            list.join(",")
        );
        let response = self.http.send(Request::get(path))?;
        let items = response
            .body
            .get("value")
            .and_then(Value::as_array)
            .ok_or_else(|| SinkError::Protocol {
                host: self.http.host().to_owned(),
                message: "the work items batch has no `value` list".to_owned(),
            })?;
        items
            .iter()
            .filter(|item| !item.is_null())
            .map(|item| self.read(item))
            .collect()
    }

    fn comment(&self, id: u64, text: &str) -> Result<(), SinkError> {
        let path = format!(
            "{}/_apis/wit/workItems/{id}/comments?{COMMENTS_API_VERSION}",
            self.project_path()
        );
        // Comments are HTML; not idempotent (a repeat posts the comment twice), so not retried.
        self.http.send(Request::send(
            Method::Post,
            path,
            json!({ "text": escape_html(text) }),
        ))?;
        Ok(())
    }

    fn set_state(&self, id: u64, state: &str) -> Result<(), SinkError> {
        let document = json!([{ "op": "add", "path": "/fields/System.State", "value": state }]);
        self.http.send(
            Request::send(Method::Patch, self.item_path(id), document)
                .content_type(JSON_PATCH)
                .idempotent(),
        )?;
        Ok(())
    }

    fn comment_and_move(&self, id: &str, comment: &str, state: &str) -> Result<(), SinkError> {
        if self.is_placeholder(id) {
            return Ok(());
        }
        let id = self.id(id)?;
        self.comment(id, comment)?;
        self.set_state(id, state)
    }
}

impl TicketSink for AzureDevOpsSink {
    fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn name(&self) -> &'static str {
        "azure-devops"
    }

    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let query = format!(
            "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project \
             AND [System.Tags] CONTAINS '{}' ORDER BY [System.CreatedDate] ASC",
            key.replace('\'', "''")
        );
        let path = format!("{}/_apis/wit/wiql?{API_VERSION}", self.project_path());
        // A query changes nothing: safe to retry, and sent even in a dry run.
        let response = self.http.send(Request::search(path, json!({ "query": query })))?;
        let ids: Vec<u64> = response
            .body
            .get("workItems")
            .and_then(Value::as_array)
            .ok_or_else(|| SinkError::Protocol {
                host: self.http.host().to_owned(),
                message: "the WIQL answer has no `workItems` list".to_owned(),
            })?
            .iter()
            .filter_map(|reference| reference.get("id").and_then(Value::as_u64))
            .collect();
        let mut found = Vec::new();
        for chunk in ids.chunks(BATCH_LIMIT) {
            for item in self.fetch_batch(chunk)? {
                // CONTAINS is the tracker's match; keep only exact carriers of the key.
                if item.tags.iter().any(|tag| tag.eq_ignore_ascii_case(key)) {
                    found.push(item.remote);
                }
            }
        }
        found.sort_by(|a, b| a.created.cmp(&b.created));
        Ok(found)
    }

    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError> {
        let path = format!(
            "{}/_apis/wit/workitems/${}?{API_VERSION}",
            self.project_path(),
            encode_segment(self.config.work_item_type())
        );
        let document = create_document(&self.config, self.http.base(), ticket);
        // Not idempotent: Http does not repeat it after a timeout or a 5xx; the engine searches first.
        let response = self
            .http
            .send(Request::send(Method::Post, path, document).content_type(JSON_PATCH))?;
        if self.http.is_dry_run() && response.body.is_null() {
            return Ok(RemoteTicket {
                id: DRY_RUN_ID.to_owned(),
                url: String::new(),
                open: true,
                content_hash: Some(ticket.content_hash()),
                created: String::new(),
            });
        }
        self.read(&response.body).map(|item| item.remote)
    }

    fn update(&self, id: &str, ticket: &Ticket) -> Result<(), SinkError> {
        if self.is_placeholder(id) {
            return Ok(());
        }
        let id = self.id(id)?;
        // Tags are one field: keep the ones people added, replace vigil's own.
        let kept: Vec<String> = self
            .fetch(id)?
            .map(|item| item.tags)
            .unwrap_or_default()
            .into_iter()
            .filter(|tag| !is_vigil_tag(tag))
            .collect();
        let document = update_document(ticket, &kept);
        self.http.send(
            Request::send(Method::Patch, self.item_path(id), document)
                .content_type(JSON_PATCH)
                .idempotent(),
        )?;
        Ok(())
    }

    fn close(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.comment_and_move(id, comment, self.config.done_state())
    }

    fn reopen(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.comment_and_move(id, comment, self.config.reopen_state())
    }

    fn get(&self, id: &str) -> Result<Option<RemoteTicket>, SinkError> {
        if self.is_placeholder(id) {
            return Ok(None);
        }
        Ok(self.fetch(self.id(id)?)?.map(|item| item.remote))
    }
}

/// The JSON Patch document that creates the work item.
pub fn create_document(config: &AzureDevOpsConfig, organization_url: &str, ticket: &Ticket) -> Value {
    let mut ops: Vec<Value> = content_fields(ticket, &[])
        .into_iter()
        .map(|(field, value)| field_op("add", field, value))
        .collect();
    let placement = [
        ("System.AreaPath", &config.area_path),
        ("System.IterationPath", &config.iteration_path),
    ];
    for (field, value) in placement {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            ops.push(field_op("add", field, json!(value)));
        }
    }
    if let Some(parent) = config.parent() {
        ops.push(json!({
            "op": "add",
            "path": "/relations/-",
            "value": {
                "rel": "System.LinkTypes.Hierarchy-Reverse",
                "url": format!("{}/_apis/wit/workItems/{parent}", organization_url.trim_end_matches('/')),
            }
        }));
    }
    Value::Array(ops)
}

/// The JSON Patch document that rewrites the content vigil manages; `kept_tags` are people's own tags.
pub fn update_document(ticket: &Ticket, kept_tags: &[String]) -> Value {
    Value::Array(
        content_fields(ticket, kept_tags)
            .into_iter()
            .map(|(field, value)| field_op("replace", field, value))
            .collect(),
    )
}

fn content_fields(ticket: &Ticket, kept_tags: &[String]) -> Vec<(&'static str, Value)> {
    vec![
        (
            "System.Title",
            json!(ticket.title.chars().take(TITLE_LIMIT).collect::<String>()),
        ),
        ("System.Description", json!(description_html(ticket))),
        ("System.Tags", json!(tags(ticket, kept_tags))),
        ("Microsoft.VSTS.Common.Priority", json!(priority(ticket.band))),
        (
            "Microsoft.VSTS.Scheduling.DueDate",
            json!(format!("{}T00:00:00Z", vigil_core::date::format(ticket.due))),
        ),
    ]
}

fn field_op(op: &str, field: &str, value: Value) -> Value {
    json!({ "op": op, "path": format!("/fields/{field}"), "value": value })
}

/// Azure DevOps priorities run from 1 (highest) to 4.
pub fn priority(band: Band) -> u8 {
    match band {
        Band::Critical => 1,
        Band::High => 2,
        Band::Medium => 3,
        Band::Low => 4,
    }
}

/// `vigil; KEY; vigil-hash-HASH; labels…; people's tags…`, without repeats (tags are case-insensitive).
pub fn tags(ticket: &Ticket, kept: &[String]) -> String {
    let hash_tag = format!("{HASH_TAG_PREFIX}{}", ticket.content_hash());
    let candidates = ["vigil", ticket.key.as_str(), hash_tag.as_str()]
        .into_iter()
        .chain(ticket.labels.iter().map(String::as_str))
        .chain(kept.iter().map(String::as_str));
    let mut out: Vec<String> = Vec::new();
    for candidate in candidates {
        // `;` separates tags: inside one it would split it in two.
        let tag = candidate.replace(';', " ").trim().to_owned();
        if !tag.is_empty() && !out.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            out.push(tag);
        }
    }
    out.join("; ")
}

fn split_tags(field: &str) -> Vec<String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The tags vigil writes (and so replaces on update): `vigil` and `vigil-…`.
fn is_vigil_tag(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower == "vigil" || lower.starts_with("vigil-")
}

/// The description: the same content as [`Ticket::markdown`], as the HTML the Boards field holds.
pub fn description_html(ticket: &Ticket) -> String {
    let mut out = format!(
        "<p><strong>{}</strong> · due <strong>{}</strong> ({} days) · vigil action <code>{}</code> · scope <code>{}</code></p>",
        escape_html(ticket.band.as_str()),
        vigil_core::date::format(ticket.due),
        ticket.sla_days,
        escape_html(&ticket.action_id),
        escape_html(&ticket.scope),
    );
    if let Some(owner) = &ticket.owner {
        out.push_str(&format!("<p>Owner: {}</p>", escape_html(owner)));
    }
    out.push_str(&format!("<p>{}</p>", escape_html(&ticket.summary)));
    let findings: Vec<String> = ticket.findings.iter().map(finding_html).collect();
    if !findings.is_empty() {
        out.push_str(&format!("<h3>Findings</h3><ul>{}</ul>", findings.concat()));
    }
    list(&mut out, "Steps", "ol", &ticket.steps);
    list(&mut out, "How to verify", "ul", &ticket.verify);
    list(&mut out, "Compliance", "ul", &ticket.compliance);
    list(&mut out, "References", "ul", &ticket.references);
    out.push_str(&format!(
        "<p><small>Managed by vigil: edits to this description are replaced on the next sync. Key <code>{}</code>.</small></p>",
        escape_html(&ticket.key)
    ));
    out
}

/// One finding as a list item, with its location linked when there is a web link for it.
fn finding_html(finding: &TicketFinding) -> String {
    let place = match (&finding.link, &finding.location) {
        (Some(link), Some(location)) if is_web_link(link) => format!(
            " (<a href=\"{}\">{}</a>)",
            escape_html(link),
            escape_html(location)
        ),
        (_, Some(location)) => format!(" (<code>{}</code>)", escape_html(location)),
        _ => String::new(),
    };
    format!(
        "<li><code>{}</code> {} · {} · RPN {}{place}</li>",
        escape_html(&finding.id),
        escape_html(&finding.title),
        escape_html(finding.band.as_str()),
        finding.rpn
    )
}

fn list(out: &mut String, heading: &str, tag: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("<h3>{heading}</h3><{tag}>"));
    for item in items {
        out.push_str(&format!("<li>{}</li>", escape_html(item)));
    }
    out.push_str(&format!("</{tag}>"));
}

/// Only web links become anchors: a `javascript:` link from a crafted template must not.
fn is_web_link(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path segment, percent-encoded (project names and work item types may hold spaces).
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn work_item_id(id: &str, host: &str) -> Result<u64, SinkError> {
    id.trim().parse::<u64>().map_err(|_| SinkError::Protocol {
        host: host.to_owned(),
        message: format!("`{id}` is not an Azure DevOps work item id"),
    })
}

/// `System.CreatedDate` drops trailing zeros of its fraction (`…:05.1Z`, `…:05.123Z`), which does not sort
/// as text; in UTC with nine digits it does. Anything unreadable is kept as it came.
fn sortable_timestamp(created: &str) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");
    OffsetDateTime::parse(created, &Rfc3339)
        .ok()
        .and_then(|at| at.to_offset(time::UtcOffset::UTC).format(format).ok())
        .unwrap_or_else(|| created.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ticket() -> Ticket {
        Ticket {
            key: "vigil-VA-1".into(),
            action_id: "VA-1".into(),
            scope: "shop".into(),
            title: "<b>Fix</b> the \"bucket\" & co".into(),
            band: Band::Critical,
            due: date!(2026 - 12 - 27),
            sla_days: 7,
            owner: Some("Ann <ann@example.com>".into()),
            labels: vec!["vigil".into(), "vigil-critical".into(), "a;b".into()],
            summary: "why <now>".into(),
            findings: vec![TicketFinding {
                id: "F-1".into(),
                title: "Public 'bucket'".into(),
                band: Band::Critical,
                rpn: 400,
                location: Some("main.tf:3".into()),
                link: Some("javascript:alert(1)".into()),
            }],
            steps: vec!["Set acl = \"private\"".into()],
            verify: vec![],
            references: vec![],
            compliance: vec![],
        }
    }

    #[test]
    fn the_description_escapes_every_string_and_links_only_to_the_web() {
        let html = description_html(&ticket());
        assert!(
            html.contains("<p>Owner: Ann &lt;ann@example.com&gt;</p>"),
            "{html}"
        );
        assert!(html.contains("<p>why &lt;now&gt;</p>"));
        assert!(html.contains("Public &#39;bucket&#39;"));
        assert!(html.contains("(<code>main.tf:3</code>)"), "{html}");
        assert!(!html.contains("javascript"));
        assert!(html.contains("<ol><li>Set acl = &quot;private&quot;</li></ol>"));
        assert!(!html.contains("How to verify"));
    }

    #[test]
    fn tags_carry_the_key_and_hash_once_each_and_never_split() {
        let t = ticket();
        let kept = vec!["triaged".to_owned(), "VIGIL".to_owned()];
        assert_eq!(
            tags(&t, &kept),
            format!(
                "vigil; vigil-VA-1; vigil-hash-{}; vigil-critical; a b; triaged",
                t.content_hash()
            )
        );
        assert!(is_vigil_tag("Vigil-hash-00") && !is_vigil_tag("vigilance"));
    }

    #[test]
    fn creation_dates_sort_as_text_whatever_their_precision() {
        let a = sortable_timestamp("2026-05-01T08:00:05.12Z");
        let b = sortable_timestamp("2026-05-01T08:00:05.123Z");
        let c = sortable_timestamp("2026-05-01T10:00:05.1+02:00");
        assert!(a < b, "{a} {b}");
        assert!(c < a, "{c} {a}");
        assert_eq!(sortable_timestamp("yesterday"), "yesterday");
    }

    #[test]
    fn paths_and_ids_are_safe() {
        assert_eq!(encode_segment("Shop Platform/x"), "Shop%20Platform%2Fx");
        assert_eq!(priority(Band::Medium), 3);
        assert!(work_item_id("12", "h").is_ok());
        assert!(work_item_id("12/../x", "h").is_err());
    }
}

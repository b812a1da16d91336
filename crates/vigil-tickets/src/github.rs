//! GitHub Issues (github.com or GitHub Enterprise Server) as a [`TicketSink`].
//!
//! The mapping:
//! - identity: the ticket's key is a label, so `GET /repos/{o}/{r}/issues?labels={key}&state=all` finds
//!   every issue carrying it, open or closed (this endpoint reads the database, not the search index, so a
//!   ticket is findable the moment it is created);
//! - content fingerprint: a hidden `<!-- vigil:content-hash=HASH -->` line at the end of the body, read
//!   back by `find` and `get`;
//! - priority: GitHub has no priority field, so the band becomes a `priority: {band}` label;
//! - due date: GitHub issues have none; the body states it (and a configured milestone may carry one);
//! - owner: assigned when it is a single `@login`; a team (`@org/team`) or a name cannot be assigned, so the
//!   body names it instead.

use serde_json::{Value, json};

use crate::http::{Auth, Http, Method, Request, RetryPolicy};
use crate::sink::{RemoteTicket, SinkError, TicketSink};
use crate::ticket::Ticket;

pub const DEFAULT_BASE_URL: &str = "https://api.github.com";

/// GitHub's limit on an issue body, in characters.
const MAX_BODY_CHARS: usize = 65_536;

/// The most issues one page of a listing holds.
const PAGE_SIZE: usize = 100;

/// A key carried by more issues than this is a runaway loop, not a race: stop reading there.
const MAX_PAGES: usize = 10;

const HASH_MARKER_START: &str = "<!-- vigil:content-hash=";
const HASH_MARKER_END: &str = "-->";

/// The id a dry run gives the issues it would have created.
pub const DRY_RUN_ID: &str = "dry-run";

#[derive(Debug, Clone, Default)]
pub struct GitHubConfig {
    /// `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. Empty means the
    /// default.
    pub base_url: String,
    /// `owner/name`.
    pub repository: String,
    /// A milestone number every created issue is put in.
    pub milestone: Option<String>,
    /// Labels added to every issue besides the ticket's own.
    pub extra_labels: Vec<String>,
}

#[derive(Debug)]
pub struct GitHubSink {
    http: Http,
    config: GitHubConfig,
}

impl GitHubSink {
    /// Checks the configuration up front, so a typo fails before any ticket is touched.
    pub fn new(
        config: GitHubConfig,
        auth: Auth,
        credential_variable: &str,
        retry: RetryPolicy,
        dry_run: bool,
    ) -> Result<Self, SinkError> {
        let base = if config.base_url.trim().is_empty() {
            DEFAULT_BASE_URL
        } else {
            config.base_url.trim()
        };
        if split_repository(&config.repository).is_none() {
            return Err(SinkError::Transport(format!(
                "GitHub repository `{}` is not `owner/name`",
                config.repository
            )));
        }
        if let Some(milestone) = &config.milestone
            && milestone_number(milestone).is_none()
        {
            return Err(SinkError::Transport(format!(
                "GitHub milestone `{milestone}` is not a milestone number"
            )));
        }
        let http = Http::new(base, auth, credential_variable, retry, dry_run)?;
        Ok(Self { http, config })
    }

    /// The writes a dry run would have sent, with their exact payloads.
    pub fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn issues_path(&self) -> String {
        format!("/repos/{}/issues", self.config.repository.trim())
    }

    fn issue_path(&self, id: &str) -> Result<String, SinkError> {
        let number = id
            .trim()
            .parse::<u64>()
            .map_err(|_| self.protocol(format!("`{id}` is not a GitHub issue number")))?;
        Ok(format!("{}/{number}", self.issues_path()))
    }

    fn protocol(&self, message: String) -> SinkError {
        SinkError::Protocol {
            host: self.http.host().to_owned(),
            message,
        }
    }

    fn labels(&self, ticket: &Ticket) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        let wanted = ticket
            .labels
            .iter()
            .cloned()
            .chain(self.config.extra_labels.iter().cloned())
            .chain([format!("priority: {}", ticket.band), ticket.key.clone()]);
        for label in wanted {
            let label = label.trim().to_owned();
            if !label.is_empty() && !labels.contains(&label) {
                labels.push(label);
            }
        }
        labels
    }

    /// The issue's labels that vigil does not manage (its own, the priority and the configured extras).
    fn labels_people_added(&self, path: &str) -> Result<Vec<String>, SinkError> {
        let response = self.http.send(Request::get(path))?;
        let labels = response
            .body
            .get("labels")
            .and_then(Value::as_array)
            .map(|labels| {
                labels
                    .iter()
                    .filter_map(|l| l.get("name").and_then(Value::as_str).or_else(|| l.as_str()))
                    .filter(|name| {
                        !name.starts_with("vigil")
                            && !name.starts_with("priority: ")
                            && !self.config.extra_labels.iter().any(|e| e == name)
                    })
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok(labels)
    }

    /// Sets the state with a comment first, so the issue's timeline says why it changed.
    fn change_state(&self, id: &str, comment: &str, state: Value) -> Result<(), SinkError> {
        let path = self.issue_path(id)?;
        // A comment is a POST that adds one each time: not marked idempotent, so a timeout is not retried
        // into two identical comments.
        self.http.send(Request::send(
            Method::Post,
            format!("{path}/comments"),
            json!({ "body": comment }),
        ))?;
        self.http
            .send(Request::send(Method::Patch, path, state).idempotent())?;
        Ok(())
    }

    fn remote(&self, issue: &Value) -> Result<RemoteTicket, SinkError> {
        let number = issue
            .get("number")
            .and_then(Value::as_u64)
            .ok_or_else(|| self.protocol("an issue without a number".to_owned()))?;
        let text = |field: &str| issue.get(field).and_then(Value::as_str).unwrap_or_default();
        Ok(RemoteTicket {
            id: number.to_string(),
            url: text("html_url").to_owned(),
            open: text("state") == "open",
            content_hash: read_hash_marker(text("body")),
            created: text("created_at").to_owned(),
        })
    }
}

impl TicketSink for GitHubSink {
    fn recorded(&self) -> Vec<Request> {
        self.http.recorded()
    }

    fn name(&self) -> &'static str {
        "github"
    }

    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        let mut found = Vec::new();
        for page in 1..=MAX_PAGES {
            let path = format!(
                "{}?labels={}&state=all&per_page={PAGE_SIZE}&page={page}",
                self.issues_path(),
                encode_query_value(key)
            );
            let response = self.http.send(Request::get(path))?;
            let items = response
                .body
                .as_array()
                .ok_or_else(|| self.protocol("the issue list is not a JSON array".to_owned()))?;
            for item in items {
                // The issues endpoint lists pull requests too; a label on a pull request is not a ticket.
                if item.get("pull_request").is_some() {
                    continue;
                }
                found.push(self.remote(item)?);
            }
            if items.len() < PAGE_SIZE {
                break;
            }
        }
        found.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
        Ok(found)
    }

    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError> {
        let assignee = assignable_login(ticket.owner.as_deref());
        let mut payload = json!({
            "title": ticket.title,
            "body": body(ticket, assignee.is_none()),
            "labels": self.labels(ticket),
            "assignees": assignee.into_iter().collect::<Vec<_>>(),
        });
        if let Some(milestone) = self.config.milestone.as_deref().and_then(milestone_number) {
            payload["milestone"] = json!(milestone);
        }
        // One POST, not retried by Http on a timeout or 5xx: the engine searches by key before trying again.
        let response = self
            .http
            .send(Request::send(Method::Post, self.issues_path(), payload))?;
        if self.http.is_dry_run() {
            return Ok(RemoteTicket {
                id: DRY_RUN_ID.to_owned(),
                url: String::new(),
                open: true,
                content_hash: Some(ticket.content_hash()),
                created: String::new(),
            });
        }
        self.remote(&response.body)
    }

    fn update(&self, id: &str, ticket: &Ticket) -> Result<(), SinkError> {
        let path = self.issue_path(id)?;
        let assignee = assignable_login(ticket.owner.as_deref());
        // `labels` replaces the issue's labels: read them first, so the ones people added stay.
        let mut labels = self.labels(ticket);
        for label in self.labels_people_added(&path)? {
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        let payload = json!({
            "title": ticket.title,
            "body": body(ticket, assignee.is_none()),
            "labels": labels,
        });
        // Sets absolute values: repeating it changes nothing.
        self.http
            .send(Request::send(Method::Patch, path, payload).idempotent())?;
        Ok(())
    }

    fn close(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.change_state(
            id,
            comment,
            json!({ "state": "closed", "state_reason": "completed" }),
        )
    }

    fn reopen(&self, id: &str, comment: &str) -> Result<(), SinkError> {
        self.change_state(id, comment, json!({ "state": "open" }))
    }

    fn get(&self, id: &str) -> Result<Option<RemoteTicket>, SinkError> {
        let path = self.issue_path(id)?;
        match self.http.send(Request::get(path)) {
            Ok(response) => self.remote(&response.body).map(Some),
            // 404: deleted (or never existed); 410: deleted with issues turned off.
            Err(SinkError::Rejected {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    fn close_duplicate(&self, id: &str, kept: &RemoteTicket) -> Result<(), SinkError> {
        self.change_state(
            id,
            &format!(
                "Duplicate of #{} ({}), created by a concurrent vigil sync.",
                kept.id, kept.url
            ),
            json!({ "state": "closed", "state_reason": "not_planned" }),
        )
    }
}

/// The issue body: the ticket's Markdown, the owner when it cannot be assigned, and the hidden hash
/// marker, cut to GitHub's limit without ever losing the marker.
fn body(ticket: &Ticket, name_owner: bool) -> String {
    let mut visible = ticket.markdown();
    if name_owner && let Some(owner) = &ticket.owner {
        visible.push_str(&format!("\n**Owner:** {owner}\n"));
    }
    let marker = format!(
        "\n{HASH_MARKER_START}{} {HASH_MARKER_END}\n",
        ticket.content_hash()
    );
    let room = MAX_BODY_CHARS.saturating_sub(marker.chars().count());
    if visible.chars().count() > room {
        let note = "\n\n… (cut to GitHub's size limit: vigil's report lists everything)\n";
        let keep = room.saturating_sub(note.chars().count());
        visible = visible.chars().take(keep).collect();
        visible.push_str(note);
    }
    visible.push_str(&marker);
    visible
}

/// The hash from the body's hidden marker; the last one wins, should a person have pasted an old body.
fn read_hash_marker(body: &str) -> Option<String> {
    let start = body.rfind(HASH_MARKER_START)? + HASH_MARKER_START.len();
    let rest = &body[start..];
    let hash = rest[..rest.find(HASH_MARKER_END)?].trim();
    (!hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| hash.to_owned())
}

/// The login to assign: only a single `@login` is a GitHub user.
fn assignable_login(owner: Option<&str>) -> Option<String> {
    let login = owner?.trim().strip_prefix('@')?;
    let valid = !login.is_empty()
        && login.len() <= 39
        && !login.starts_with('-')
        && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then(|| login.to_owned())
}

fn split_repository(repository: &str) -> Option<(&str, &str)> {
    let (owner, name) = repository.trim().split_once('/')?;
    let part_ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (part_ok(owner) && part_ok(name)).then_some((owner, name))
}

fn milestone_number(milestone: &str) -> Option<u64> {
    milestone.trim().parse::<u64>().ok().filter(|n| *n > 0)
}

/// Percent-encodes everything but RFC 3986's unreserved characters (a comma would split the label list).
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_marker_reads_back_what_the_body_wrote() {
        let body = format!("text\n{HASH_MARKER_START}0123abcd {HASH_MARKER_END}\n");
        assert_eq!(read_hash_marker(&body), Some("0123abcd".to_owned()));
        assert_eq!(read_hash_marker("no marker"), None);
        assert_eq!(read_hash_marker(&format!("{HASH_MARKER_START}x y")), None);
        assert_eq!(
            read_hash_marker(&format!("{HASH_MARKER_START}not-hex {HASH_MARKER_END}")),
            None
        );
    }

    #[test]
    fn only_a_single_login_is_assigned() {
        assert_eq!(assignable_login(Some("@alice")), Some("alice".to_owned()));
        assert_eq!(assignable_login(Some(" @bob-2 ")), Some("bob-2".to_owned()));
        assert_eq!(assignable_login(Some("@shop/platform")), None);
        assert_eq!(assignable_login(Some("Alice <alice@example.com>")), None);
        assert_eq!(assignable_login(Some("@")), None);
        assert_eq!(assignable_login(None), None);
    }

    #[test]
    fn repositories_and_milestones_are_checked() {
        assert_eq!(split_repository("acme/shop"), Some(("acme", "shop")));
        assert_eq!(split_repository("acme/shop.js"), Some(("acme", "shop.js")));
        assert_eq!(split_repository("acme"), None);
        assert_eq!(split_repository("acme/shop/x"), None);
        assert_eq!(split_repository("acme/.."), None);
        assert_eq!(milestone_number("3"), Some(3));
        assert_eq!(milestone_number("v1"), None);
        assert_eq!(milestone_number("0"), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query_value("vigil-VA-0123"), "vigil-VA-0123");
        assert_eq!(encode_query_value("a b,c&d"), "a%20b%2Cc%26d");
        assert_eq!(encode_query_value("é"), "%C3%A9");
    }
}

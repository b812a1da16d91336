//! The interface every tracker implements. The sync engine ([`crate::sync`]) only talks to this trait, so
//! idempotency, retries after ambiguous failures and duplicate clean-up are written once.
//!
//! Identity: every ticket carries its action's key (`vigil-VA-0123456789`) where the tracker can search
//! for it (a label in Jira and GitHub, a tag in Azure DevOps). Before creating, the engine searches by
//! key; after creating, it searches again and keeps the oldest if two machines raced.

use crate::ticket::Ticket;

/// A ticket as the tracker holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteTicket {
    /// The tracker's id: `PROJ-12`, a work item number, an issue number.
    pub id: String,
    /// A link for people.
    pub url: String,
    pub open: bool,
    /// The content fingerprint vigil wrote last, when the tracker keeps it (see [`Ticket::content_hash`]).
    pub content_hash: Option<String>,
    /// When the tracker created it (RFC 3339 or the tracker's own sortable form): the oldest of duplicates
    /// is kept.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinkError {
    /// The tracker asked us to slow down and did not recover within the retry budget.
    #[error("{host}: rate limited (HTTP 429) after {attempts} attempts")]
    RateLimited { host: String, attempts: u32 },
    /// 5xx after every retry.
    #[error("{host}: server error HTTP {status} after {attempts} attempts")]
    Server {
        host: String,
        status: u16,
        attempts: u32,
    },
    /// No answer in time after every retry. The request may have been carried out.
    #[error("{host}: timed out after {attempts} attempts")]
    Timeout { host: String, attempts: u32 },
    /// 401/403: the credential is missing, wrong or lacks a permission. Never retried.
    #[error("{host}: not authorised (HTTP {status}); check the token in {variable}")]
    Unauthorised {
        host: String,
        status: u16,
        variable: String,
    },
    /// The tracker refused the request (400, 404, 422...): a configuration problem, not a transient one.
    #[error("{host}: HTTP {status}: {message}")]
    Rejected {
        host: String,
        status: u16,
        message: String,
    },
    /// The tracker answered something we cannot read.
    #[error("{host}: unexpected response: {message}")]
    Protocol { host: String, message: String },
    /// A URL outside the configured host (a redirect, a link in a response): refused, so credentials only
    /// ever go to the configured host.
    #[error("refused to contact {url}: only {host} is configured")]
    ForeignHost { url: String, host: String },
    #[error("{0}")]
    Transport(String),
}

/// One tracker. Every method is idempotent or safe to retry after the engine searched by key.
pub trait TicketSink {
    /// `jira`, `azure-devops` or `github`.
    fn name(&self) -> &'static str;

    /// Every ticket carrying `key`, open or closed, oldest first.
    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError>;

    /// Creates the ticket, open, carrying its key.
    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError>;

    /// Replaces the content of an existing ticket (title, description, labels, priority, due date...),
    /// without changing whether it is open.
    fn update(&self, id: &str, ticket: &Ticket) -> Result<(), SinkError>;

    /// Closes (transitions to done) with a comment saying why.
    fn close(&self, id: &str, comment: &str) -> Result<(), SinkError>;

    /// Reopens with a comment saying why.
    fn reopen(&self, id: &str, comment: &str) -> Result<(), SinkError>;

    /// The ticket's current state as the tracker has it; `None` when it was deleted.
    fn get(&self, id: &str) -> Result<Option<RemoteTicket>, SinkError>;

    /// The writes a dry run would have sent, with their exact payloads.
    fn recorded(&self) -> Vec<crate::http::Request> {
        Vec::new()
    }

    /// Marks a duplicate created by a race (closes it with a link to the one kept).
    fn close_duplicate(&self, id: &str, kept: &RemoteTicket) -> Result<(), SinkError> {
        self.close(
            id,
            &format!(
                "Duplicate of {} ({}), created by a concurrent vigil sync.",
                kept.id, kept.url
            ),
        )
    }
}

//! The sync engine: one ticket per action, never two.
//!
//! For each action wanted: find its ticket (the link saved last time, else a search by key), create it
//! when there is none, update it when its content changed, reopen it when its findings came back after it
//! was closed for a fix. For each ticket linked before whose action is gone (every finding fixed), close
//! it. A ticket someone closed while its findings are still there is reported, not silently reopened.
//!
//! Failures that leave it unknown whether a create happened (a timeout, a 5xx) are followed by a search by
//! key before any retry; after a create, a second search catches a concurrent sync from another machine,
//! keeps the oldest ticket and closes the others as duplicates. A sync interrupted half-way resumes from
//! the links saved so far and the keys on the tracker.

use serde::Serialize;

use crate::sink::{RemoteTicket, SinkError, TicketSink};
use crate::ticket::Ticket;

/// What the store remembers about one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub key: String,
    pub id: String,
    pub url: String,
    /// Whether vigil left it open (false: vigil closed it because its findings were fixed).
    pub open: bool,
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Every finding of the action is fixed.
    Closed,
    /// Its findings came back after a fix.
    Reopened,
    /// Closed on the tracker by someone while its findings are still open: left closed, and said.
    ClosedWithoutFix,
    /// A duplicate from a concurrent sync, closed in favour of the oldest.
    DuplicateClosed,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub key: String,
    pub id: Option<String>,
    pub url: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub entries: Vec<Entry>,
    /// The links to save: every ticket this sync knows about, with its state.
    #[serde(skip)]
    pub links: Vec<Link>,
}

impl Report {
    pub fn count(&self, outcome: &Outcome) -> usize {
        self.entries.iter().filter(|e| &e.outcome == outcome).count()
    }

    pub fn failed(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Failed(_)))
            .count()
    }
}

/// How many times a create is attempted (each after a search by key) before giving up on that ticket.
const CREATE_ATTEMPTS: u32 = 3;

/// Syncs `wanted` tickets against what `known` links and the tracker say. `save` is called with each link
/// as soon as it is known, so an interrupted sync loses nothing it did.
pub fn sync(
    sink: &dyn TicketSink,
    wanted: &[Ticket],
    known: &[Link],
    closing_comment: &str,
    save: &mut dyn FnMut(&Link),
) -> Report {
    let mut report = Report::default();
    for ticket in wanted {
        let link = known.iter().find(|l| l.key == ticket.key);
        match sync_one(sink, ticket, link, &mut report) {
            Ok(link) => {
                save(&link);
                report.links.push(link);
            }
            Err(error) => report.entries.push(Entry {
                key: ticket.key.clone(),
                id: link.map(|l| l.id.clone()),
                url: link.map(|l| l.url.clone()),
                outcome: Outcome::Failed(error.to_string()),
            }),
        }
    }
    for link in known.iter().filter(|l| !wanted.iter().any(|t| t.key == l.key)) {
        match close_fixed(sink, link, closing_comment, &mut report) {
            Ok(link) => {
                save(&link);
                report.links.push(link);
            }
            Err(error) => report.entries.push(Entry {
                key: link.key.clone(),
                id: Some(link.id.clone()),
                url: Some(link.url.clone()),
                outcome: Outcome::Failed(error.to_string()),
            }),
        }
    }
    report
}

fn entry(report: &mut Report, key: &str, remote: &RemoteTicket, outcome: Outcome) {
    report.entries.push(Entry {
        key: key.to_owned(),
        id: Some(remote.id.clone()),
        url: Some(remote.url.clone()),
        outcome,
    });
}

/// The ticket for `key`: the linked one if the tracker still has it, else the oldest carrying the key,
/// with any others closed as duplicates.
fn locate(
    sink: &dyn TicketSink,
    key: &str,
    link: Option<&Link>,
    report: &mut Report,
) -> Result<Option<RemoteTicket>, SinkError> {
    if let Some(link) = link
        && let Some(remote) = sink.get(&link.id)?
    {
        return Ok(Some(remote));
    }
    let mut found = sink.find(key)?;
    if found.is_empty() {
        return Ok(None);
    }
    found.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    let kept = found.remove(0);
    for duplicate in found.iter().filter(|d| d.open) {
        sink.close_duplicate(&duplicate.id, &kept)?;
        entry(report, key, duplicate, Outcome::DuplicateClosed);
    }
    Ok(Some(kept))
}

fn sync_one(
    sink: &dyn TicketSink,
    ticket: &Ticket,
    link: Option<&Link>,
    report: &mut Report,
) -> Result<Link, SinkError> {
    let hash = ticket.content_hash();
    let Some(remote) = locate(sink, &ticket.key, link, report)? else {
        let created = create(sink, ticket, report)?;
        entry(report, &ticket.key, &created, Outcome::Created);
        return Ok(Link {
            key: ticket.key.clone(),
            id: created.id,
            url: created.url,
            open: true,
            content_hash: hash,
        });
    };
    // vigil closed it for a fix (or it was never linked and is closed): the findings are back.
    let closed_by_us = link.is_none_or(|l| !l.open);
    let outcome = if !remote.open && closed_by_us {
        sink.update(&remote.id, ticket)?;
        sink.reopen(
            &remote.id,
            "Reopened by vigil: findings of this action are back in the latest assessment.",
        )?;
        Outcome::Reopened
    } else if !remote.open {
        Outcome::ClosedWithoutFix
    } else if link.map(|l| l.content_hash.as_str()) != Some(hash.as_str())
        && remote.content_hash.as_deref() != Some(hash.as_str())
    {
        sink.update(&remote.id, ticket)?;
        Outcome::Updated
    } else {
        Outcome::Unchanged
    };
    entry(report, &ticket.key, &remote, outcome.clone());
    Ok(Link {
        key: ticket.key.clone(),
        id: remote.id,
        url: remote.url,
        // A ticket closed by a person stays recorded as open-by-vigil, so it keeps being reported.
        open: true,
        content_hash: hash,
    })
}

/// Creates, searching by key after every ambiguous failure and after success (a concurrent sync may have
/// created one too).
fn create(sink: &dyn TicketSink, ticket: &Ticket, report: &mut Report) -> Result<RemoteTicket, SinkError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match sink.create(ticket) {
            Ok(created) => {
                return Ok(locate(sink, &ticket.key, None, report)?.unwrap_or(created));
            }
            Err(error @ (SinkError::Timeout { .. } | SinkError::Server { .. } | SinkError::Transport(_))) => {
                if let Some(existing) = locate(sink, &ticket.key, None, report)? {
                    return Ok(existing);
                }
                if attempt >= CREATE_ATTEMPTS {
                    return Err(error);
                }
            }
            Err(other) => return Err(other),
        }
    }
}

fn close_fixed(
    sink: &dyn TicketSink,
    link: &Link,
    comment: &str,
    report: &mut Report,
) -> Result<Link, SinkError> {
    let remote = sink.get(&link.id)?;
    match remote {
        Some(remote) if remote.open && link.open => {
            sink.close(&remote.id, comment)?;
            entry(report, &link.key, &remote, Outcome::Closed);
        }
        Some(remote) => entry(report, &link.key, &remote, Outcome::Unchanged),
        None => {}
    }
    Ok(Link {
        open: false,
        ..link.clone()
    })
}

//! The sync engine against an in-memory tracker that can fail the way real ones do: a create that times
//! out after the tracker made the ticket, a concurrent sync creating a twin, a person closing a ticket,
//! a sync interrupted before it saved its links. Zero duplicates and the right final state every time.

#![allow(clippy::unwrap_used)]

use std::cell::{Cell, RefCell};

use vigil_tickets::sink::{RemoteTicket, SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::ticket::Ticket;

#[derive(Debug, Clone)]
struct Stored {
    id: String,
    key: String,
    open: bool,
    title: String,
    /// Trackers keep the content hash vigil wrote (a hidden comment or field), so a resumed sync can tell.
    hash: String,
    created: u32,
}

#[derive(Default)]
struct FakeTracker {
    tickets: RefCell<Vec<Stored>>,
    clock: Cell<u32>,
    /// Creates that succeed on the tracker but time out for the client.
    lost_responses: Cell<u32>,
    /// Creates during which another machine creates the same ticket.
    racing: Cell<u32>,
    calls: RefCell<Vec<String>>,
}

impl FakeTracker {
    fn insert(&self, ticket: &Ticket) -> RemoteTicket {
        self.clock.set(self.clock.get() + 1);
        let stored = Stored {
            id: format!("T-{}", self.tickets.borrow().len() + 1),
            key: ticket.key.clone(),
            open: true,
            title: ticket.title.clone(),
            hash: ticket.content_hash(),
            created: self.clock.get(),
        };
        self.tickets.borrow_mut().push(stored.clone());
        remote(&stored)
    }

    fn open_with(&self, key: &str) -> usize {
        self.tickets
            .borrow()
            .iter()
            .filter(|t| t.key == key && t.open)
            .count()
    }

    fn with_key(&self, key: &str) -> usize {
        self.tickets.borrow().iter().filter(|t| t.key == key).count()
    }

    fn set_open(&self, id: &str, open: bool) {
        for t in self.tickets.borrow_mut().iter_mut().filter(|t| t.id == id) {
            t.open = open;
        }
    }
}

fn remote(t: &Stored) -> RemoteTicket {
    RemoteTicket {
        id: t.id.clone(),
        url: format!("https://tracker.example/{}", t.id),
        open: t.open,
        content_hash: Some(t.hash.clone()),
        created: format!("{:06}", t.created),
    }
}

impl TicketSink for FakeTracker {
    fn name(&self) -> &'static str {
        "fake"
    }

    fn find(&self, key: &str) -> Result<Vec<RemoteTicket>, SinkError> {
        self.calls.borrow_mut().push(format!("find {key}"));
        Ok(self
            .tickets
            .borrow()
            .iter()
            .filter(|t| t.key == key)
            .map(remote)
            .collect())
    }

    fn create(&self, ticket: &Ticket) -> Result<RemoteTicket, SinkError> {
        self.calls.borrow_mut().push(format!("create {}", ticket.key));
        if self.racing.get() > 0 {
            self.racing.set(self.racing.get() - 1);
            self.insert(ticket);
        }
        let created = self.insert(ticket);
        if self.lost_responses.get() > 0 {
            self.lost_responses.set(self.lost_responses.get() - 1);
            return Err(SinkError::Timeout {
                host: "tracker.example".into(),
                attempts: 1,
            });
        }
        Ok(created)
    }

    fn update(&self, id: &str, ticket: &Ticket) -> Result<(), SinkError> {
        self.calls.borrow_mut().push(format!("update {id}"));
        for t in self.tickets.borrow_mut().iter_mut().filter(|t| t.id == id) {
            t.title = ticket.title.clone();
            t.hash = ticket.content_hash();
        }
        Ok(())
    }

    fn close(&self, id: &str, _comment: &str) -> Result<(), SinkError> {
        self.calls.borrow_mut().push(format!("close {id}"));
        self.set_open(id, false);
        Ok(())
    }

    fn reopen(&self, id: &str, _comment: &str) -> Result<(), SinkError> {
        self.calls.borrow_mut().push(format!("reopen {id}"));
        self.set_open(id, true);
        Ok(())
    }

    fn get(&self, id: &str) -> Result<Option<RemoteTicket>, SinkError> {
        Ok(self.tickets.borrow().iter().find(|t| t.id == id).map(remote))
    }
}

use vigil_tickets::testing::ticket;

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(tracker: &FakeTracker, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(tracker, wanted, &known, "All findings fixed.", &mut |l| {
        saved.push(l.clone())
    });
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

#[test]
fn a_lifecycle_creates_updates_closes_and_reopens_one_ticket_per_action() {
    let tracker = FakeTracker::default();
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    let b = ticket("VA-b", "Fix the bucket");
    assert_eq!(
        run(&tracker, &[a.clone(), b.clone()], &mut links),
        vec![
            ("vigil-VA-a".into(), Outcome::Created),
            ("vigil-VA-b".into(), Outcome::Created)
        ]
    );
    assert_eq!(
        run(&tracker, &[a.clone(), b.clone()], &mut links),
        vec![
            ("vigil-VA-a".into(), Outcome::Unchanged),
            ("vigil-VA-b".into(), Outcome::Unchanged)
        ],
        "nothing changed, nothing written"
    );
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    let outcomes = run(&tracker, std::slice::from_ref(&a2), &mut links);
    assert_eq!(
        outcomes,
        vec![
            ("vigil-VA-a".into(), Outcome::Updated),
            ("vigil-VA-b".into(), Outcome::Closed)
        ]
    );
    assert_eq!(tracker.open_with("vigil-VA-b"), 0);
    // The bucket regresses.
    let outcomes = run(&tracker, &[a2.clone(), b.clone()], &mut links);
    assert_eq!(outcomes[1], ("vigil-VA-b".into(), Outcome::Reopened));
    assert_eq!(tracker.with_key("vigil-VA-b"), 1, "reopened, not created again");
    assert_eq!(tracker.open_with("vigil-VA-b"), 1);
}

#[test]
fn a_ticket_closed_by_a_person_without_a_fix_is_reported_and_left_closed() {
    let tracker = FakeTracker::default();
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    run(&tracker, std::slice::from_ref(&a), &mut links);
    tracker.set_open("T-1", false);
    for _ in 0..2 {
        assert_eq!(
            run(&tracker, std::slice::from_ref(&a), &mut links),
            vec![("vigil-VA-a".into(), Outcome::ClosedWithoutFix)]
        );
    }
    assert_eq!(tracker.open_with("vigil-VA-a"), 0);
    assert_eq!(tracker.with_key("vigil-VA-a"), 1);
}

#[test]
fn a_create_that_times_out_after_the_tracker_made_the_ticket_is_not_repeated() {
    let tracker = FakeTracker::default();
    tracker.lost_responses.set(1);
    let mut links = Vec::new();
    let outcomes = run(&tracker, &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(tracker.with_key("vigil-VA-a"), 1, "{:?}", tracker.calls.borrow());
    assert_eq!(links[0].id, "T-1");
}

#[test]
fn a_concurrent_sync_from_another_machine_leaves_one_open_ticket() {
    let tracker = FakeTracker::default();
    tracker.racing.set(1);
    let mut links = Vec::new();
    let outcomes = run(&tracker, &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&("vigil-VA-a".into(), Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(tracker.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "T-1", "the oldest is kept");
}

#[test]
fn an_interrupted_sync_resumes_without_duplicates() {
    let tracker = FakeTracker::default();
    let a = ticket("VA-a", "x");
    let b = ticket("VA-b", "y");
    let mut links = Vec::new();
    run(&tracker, std::slice::from_ref(&a), &mut links);
    // The process died before saving any link: the next run knows nothing but the keys on the tracker.
    let mut lost = Vec::new();
    let outcomes = run(&tracker, &[a, b], &mut lost);
    assert_eq!(outcomes[0].1, Outcome::Unchanged);
    assert_eq!(outcomes[1].1, Outcome::Created);
    assert_eq!(tracker.with_key("vigil-VA-a"), 1);
    assert_eq!(lost.len(), 2);
}

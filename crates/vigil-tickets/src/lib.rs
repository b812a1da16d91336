//! vigil-tickets: the handoff. One ticket per roadmap action in Jira, Azure DevOps or GitHub Issues,
//! created once, updated when the action changes, closed when its findings are fixed, reopened when they
//! come back, and read back so that a ticket closed without a fix is reported.
//!
//! [`sync::sync`] is written once against [`sink::TicketSink`]; each tracker is one module that maps a
//! [`ticket::Ticket`] to its API through [`http::Http`], which holds the retry policy and keeps
//! credentials ([`secret::Secret`]) to the configured host.

pub mod azure_devops;
pub mod github;
pub mod http;
pub mod jira;
pub mod secret;
pub mod sink;
pub mod sync;
pub mod ticket;

#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;

pub use secret::Secret;
pub use sink::{RemoteTicket, SinkError, TicketSink};
pub use sync::{Link, Outcome, Report, sync};
pub use ticket::{SourceLinks, Ticket, from_action};

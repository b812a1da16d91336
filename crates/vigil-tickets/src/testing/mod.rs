//! Fake trackers for tests, compiled only with the `testing` feature: a local HTTP server ([`server`])
//! and one fake per sink ([`github`], [`jira`], [`azure_devops`]) that keeps tickets in memory, enforces
//! the request shapes the real API requires and can be told to fail the way the real one does.
//!
//! The sinks' contract tests drive them through the sync engine; the CLI's end-to-end tests point
//! `vigil tickets sync` at them. Every fake implements [`FakeTracker`], so a test can read the tickets
//! and close one by hand without knowing which tracker it is talking to.

pub mod azure_devops;
pub mod github;
pub mod jira;
pub mod server;

pub use server::{Req, Resp, Server};

/// A ticket as a fake holds it, in the terms every tracker shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTicket {
    /// The tracker's id: an issue number, `VIG-3`, a work item id.
    pub id: String,
    pub title: String,
    /// Labels (GitHub, Jira) or tags (Azure DevOps); vigil's key is one of them.
    pub labels: Vec<String>,
    pub open: bool,
    pub comments: usize,
}

impl StoredTicket {
    /// Whether the ticket carries `key` (`vigil-VA-…`); Azure DevOps compares tags ignoring case.
    pub fn carries(&self, key: &str) -> bool {
        self.labels.iter().any(|l| l.eq_ignore_ascii_case(key))
    }
}

/// What a test can do with any fake tracker.
pub trait FakeTracker {
    /// Every ticket, in the order they were created.
    fn tickets(&self) -> Vec<StoredTicket>;

    /// What a person does in the tracker's UI: closes the ticket. `false` when there is no such ticket.
    fn close_by_a_person(&self, id: &str) -> bool;

    /// The tickets carrying `key`, open or closed.
    fn tickets_with(&self, key: &str) -> Vec<StoredTicket> {
        self.tickets().into_iter().filter(|t| t.carries(key)).collect()
    }
}

/// `Basic base64(user:token)`, the header a fake expects for Basic authentication. Written here, apart from
/// the client's own encoder, so a fake never accepts a header only because both share a bug.
pub fn basic_authorization(user: &str, token: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{token}").as_bytes()))
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |shift: u32| char::from(ALPHABET[((n >> shift) & 0x3f) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// A path segment as a tracker's URL holds it: everything but RFC 3986's unreserved characters as `%XX`.
pub(crate) fn percent_encode(segment: &str) -> String {
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

/// A query value as a form decodes it: `%XX` and `+` for a space; a malformed escape is kept as written.
pub(crate) fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A plain ticket for action `action`, as the engine and contract tests build them.
pub fn ticket(action: &str, title: &str) -> crate::Ticket {
    crate::Ticket {
        key: format!("vigil-{action}"),
        action_id: action.into(),
        scope: "shop".into(),
        title: title.into(),
        band: vigil_core::Band::High,
        due: time::macros::date!(2026 - 12 - 27),
        sla_days: 30,
        owner: Some("@shop/platform".into()),
        labels: vec!["vigil".into()],
        summary: "why".into(),
        findings: vec![],
        steps: vec!["fix it".into()],
        verify: vec![],
        references: vec![],
        compliance: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn segments_are_encoded_and_queries_decoded() {
        assert_eq!(percent_encode("Shop Platform/x"), "Shop%20Platform%2Fx");
        assert_eq!(percent_decode("a%20b+c%2Cd%zz"), "a b c,d%zz");
    }
}

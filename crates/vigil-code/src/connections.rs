//! Connection strings in string literals: `postgres://user:pass@host:5432/db`, `mongodb+srv://...`,
//! `redis://...`, `amqp://...`, `jdbc:mysql://...`. They reveal datastores and, with a password, a secret.

use crate::facts::Connection;
use crate::lines::LineCounter;

/// URL schemes of datastores and brokers.
const SCHEMES: [&str; 17] = [
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "kafka",
    "sqlserver",
    "mssql",
    "oracle",
    "cassandra",
    "nats",
    "memcached",
];

/// Whether `text` holds `scheme://` for a datastore scheme anywhere: only then is it searched for
/// connection strings.
pub fn may_contain(text: &str) -> bool {
    scheme_starts(text).next().is_some()
}

/// The offset where a datastore scheme starts, for each `scheme://` in `text`.
fn scheme_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices("://").filter_map(|(at, _)| {
        let before = &text.as_bytes()[..at];
        let start = before
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'+'))
            .map_or(0, |p| p + 1);
        let scheme = &text[start..at];
        SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
            .then_some(start)
    })
}

/// The connection strings of `text`: string literals whose value is a datastore URL. `code` is `text` with
/// comments and string contents blanked ([`crate::lexer`]), which tells where literals are: a URL counts
/// when its blanked place is preceded by an opening quote (after an optional `jdbc:`), so a URL in a
/// comment or in the middle of a longer string does not.
pub fn connections(text: &str, code: &str) -> Vec<Connection> {
    let (text_bytes, code_bytes) = (text.as_bytes(), code.as_bytes());
    let mut lines = LineCounter::new(text);
    let mut found = Vec::new();
    for start in scheme_starts(text) {
        let opening = if text[..start].ends_with("jdbc:") {
            start - "jdbc:".len()
        } else {
            start
        };
        let Some(quote_at) = opening.checked_sub(1) else {
            continue;
        };
        let quote = text_bytes[quote_at];
        let in_literal = matches!(quote, b'"' | b'\'' | b'`')
            && code_bytes.get(quote_at) == Some(&quote)
            && code_bytes.get(opening) == Some(&b' ');
        if !in_literal {
            continue;
        }
        let end = code_bytes[opening..]
            .iter()
            .position(|b| *b != b' ')
            .map_or(text.len(), |p| opening + p);
        if let Some(mut connection) = text.get(opening..end).and_then(parse) {
            connection.line = lines.line_at(opening);
            found.push(connection);
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Parses `scheme://[user[:password]@]host[:port][/...]`, also behind a `jdbc:` prefix.
pub fn parse(text: &str) -> Option<Connection> {
    let text = text.trim();
    let text = text.strip_prefix("jdbc:").unwrap_or(text);
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let (credentials, host) = match authority.rsplit_once('@') {
        Some((credentials, host)) => (Some(credentials), host),
        None => (None, authority),
    };
    let has_password = credentials
        .and_then(|c| c.split_once(':'))
        .is_some_and(|(_, password)| {
            !password.is_empty()
                && !password.starts_with("${")
                && !password.starts_with('$')
                && !password.starts_with('{')
        });
    let host = host
        .split(':')
        .next()
        .filter(|h| !h.is_empty())
        .map(str::to_owned);
    Some(Connection {
        scheme,
        host,
        has_password,
        line: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_datastore_urls() {
        let c = parse("postgres://shop:hunter2@db.internal:5432/orders").unwrap();
        assert_eq!(
            (c.scheme.as_str(), c.host.as_deref(), c.has_password),
            ("postgres", Some("db.internal"), true)
        );
        let c = parse("jdbc:mysql://localhost:3306/app").unwrap();
        assert_eq!(
            (c.scheme.as_str(), c.host.as_deref(), c.has_password),
            ("mysql", Some("localhost"), false)
        );
        assert!(
            !parse("redis://:${REDIS_PASSWORD}@cache:6379")
                .unwrap()
                .has_password
        );
        assert!(parse("https://example.com").is_none());
        assert!(
            parse("mongodb+srv://u:p@cluster0.mongodb.net/x")
                .unwrap()
                .has_password
        );
    }
}

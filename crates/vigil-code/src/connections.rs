//! Connection strings in string literals: `postgres://user:pass@host:5432/db`, `mongodb+srv://...`,
//! `redis://...`, `amqp://...`, `jdbc:mysql://...`. They reveal datastores and, with a password, a secret.

use crate::facts::Connection;
use crate::syntax::{SyntaxFile, line};

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

/// Whether `text` holds `scheme://` for a datastore scheme anywhere: only then is the file parsed for
/// connection strings.
pub fn may_contain(text: &str) -> bool {
    text.match_indices("://").any(|(at, _)| {
        let before = &text.as_bytes()[..at];
        let start = before
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'+'))
            .map_or(0, |p| p + 1);
        let scheme = &text[start..at];
        SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
    })
}

pub fn connections(file: &SyntaxFile<'_>) -> Vec<Connection> {
    let mut found = Vec::new();
    file.walk(|node| {
        // Only leaves: a string node's content children would otherwise be seen twice.
        if node.named_child_count() > 1 {
            return;
        }
        if let Some(value) = file.string_value(node)
            && let Some(mut connection) = parse(&value)
        {
            connection.line = line(node);
            found.push(connection);
        }
    });
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

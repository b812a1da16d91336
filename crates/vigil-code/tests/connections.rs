//! Connection strings: string literals whose value is a datastore URL, found without a parse.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
use vigil_code::analyze;

/// (scheme, host, has_password, line) for each connection string of the file.
fn connections(path: &str, text: &str) -> Vec<(String, Option<String>, bool, u32)> {
    analyze(path, text)
        .unwrap()
        .connections
        .into_iter()
        .map(|c| (c.scheme, c.host, c.has_password, c.line))
        .collect()
}

fn one(scheme: &str, host: &str, password: bool, line: u32) -> (String, Option<String>, bool, u32) {
    (scheme.to_owned(), Some(host.to_owned()), password, line)
}

#[test]
fn literals_in_every_quoting_style() {
    let js = "const pg = new Pool('postgres://shop:hunter22@db.internal:5432/orders');\n\
              const mongo = `mongodb+srv://${user}:${pass}@cluster0.example.net/app`;\n\
              const cache = \"redis://cache:6379\";\n";
    assert_eq!(
        connections("src/db.ts", js),
        vec![
            one("mongodb+srv", "cluster0.example.net", false, 2),
            one("postgres", "db.internal", true, 1),
            one("redis", "cache", false, 3),
        ]
    );
    // An interpolated password is not a password in the code.
    let python = "import os\nENGINE = f\"mysql://app:{os.environ['PW']}@mysql.local/app\"\n\
                  BROKER = '''amqp://rabbit:5672//'''\n";
    assert_eq!(
        connections("settings.py", python),
        vec![
            one("amqp", "rabbit", false, 3),
            one("mysql", "mysql.local", false, 2),
        ]
    );
    let java = "class Db {\n  String url = \"jdbc:postgresql://pg.prod:5432/ledger\";\n}\n";
    assert_eq!(
        connections("Db.java", java),
        vec![one("postgresql", "pg.prod", false, 2)]
    );
    let go = "package db\nvar dsn = `postgres://reader@replica/analytics`\n";
    assert_eq!(
        connections("db.go", go),
        vec![one("postgres", "replica", false, 2)]
    );
}

#[test]
fn urls_outside_a_literal_or_inside_a_longer_one_are_not_connections() {
    let js = "// connect with postgres://admin:secret@old-db/app\n\
              /* redis://cache:6379 */\n\
              const help = 'set DATABASE_URL, for example postgres://u:p@host/db';\n\
              const site = 'https://example.com';\n";
    assert!(connections("src/db.js", js).is_empty());
    let python = "# mongodb://legacy:27017\nDOC = \"\"\"see redis://docs\"\"\"\n";
    assert!(connections("app.py", python).is_empty());
}

//! The secret scanner: every detector on a realistic (fake) value, redaction, test paths, placeholders and
//! what is not scanned. Fake values are assembled at run time so that no key-shaped literal sits in this
//! repository for scanners (ours included) to find.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::run_extractor;
use vigil_discover::extractors::secrets::Secrets;

fn fake(prefix: &str, alphabet: &str, len: usize) -> String {
    let body: String = alphabet.chars().cycle().skip(3).step_by(7).take(len).collect();
    format!("{prefix}{body}")
}

const ALNUM: &str = "q8Zt2LmX9pW4rKj7vB1nC5dF3gH6sA0eY";

/// (detector, path:line, redacted) of the secrets in one file.
fn scan(path: &str, text: &str) -> Vec<(String, String, String)> {
    let out = run_extractor(&Secrets, &[(path, text)]).unwrap();
    let mut found: Vec<_> = out
        .assets
        .iter()
        .map(|a| {
            (
                a.attr_str("detector").unwrap().to_owned(),
                a.evidence[0].location(),
                a.attr_str("redacted").unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn vendor_detectors() {
    let aws = fake("AKIA", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    let github = fake("ghp_", ALNUM, 36);
    let stripe = fake("sk_live_", ALNUM, 24);
    let slack = fake("xoxb-", "0123456789", 12) + "-" + &fake("", ALNUM, 24);
    let openai = fake("sk-proj-", ALNUM, 24) + "T3BlbkFJ" + &fake("", ALNUM, 24);
    let anthropic = fake("sk-ant-api03-", ALNUM, 90);
    let google = fake("AIza", ALNUM, 35);
    let text = format!(
        "aws_access_key_id = {aws}\ntoken: {github}\nSTRIPE = \"{stripe}\"\nslack = '{slack}'\nOPENAI_API_KEY={openai}\nANTHROPIC_API_KEY={anthropic}\nmaps: {google}\n"
    );
    let found = scan("config/settings.yml", &text);
    let detectors: Vec<&str> = found.iter().map(|(d, _, _)| d.as_str()).collect();
    assert_eq!(
        detectors,
        vec![
            "anthropic-api-key",
            "aws-access-key-id",
            "github-token",
            "google-api-key",
            "openai-api-key",
            "slack-token",
            "stripe-live-key"
        ]
    );
    let aws_hit = found.iter().find(|(d, _, _)| d == "aws-access-key-id").unwrap();
    assert_eq!(aws_hit.1, "config/settings.yml:1");
    assert_eq!(aws_hit.2, "AKIA…(20 chars)");
}

#[test]
fn every_other_vendor_detector() {
    const HEX: &str = "0123456789abcdef";
    const BASE64: &str = "q8Zt2L/mX9pW4+rKj7vB1nC5dF3gH6sA0eY";
    let lines = [
        format!("aws_secret_access_key = {}", fake("", BASE64, 40)),
        format!("GITLAB_TOKEN={}", fake("glpat-", ALNUM, 20)),
        format!(
            "webhook: https://hooks.slack.com/services/T{}/B{}/{}",
            fake("", "ABCDEFGH0123", 8),
            fake("", "ABCDEFGH0123", 10),
            fake("", ALNUM, 24)
        ),
        format!("stripe_test = {}", fake("sk_test_", ALNUM, 24)),
        format!("twilio: {}", fake("SK", HEX, 32)),
        format!("sendgrid: {}.{}", fake("SG.", ALNUM, 22), fake("", ALNUM, 43)),
        format!("//registry.npmjs.org/:_authToken={}", fake("npm_", ALNUM, 36)),
        format!("pypi: {}", fake("pypi-AgEIcHlwaS5vcmc", ALNUM, 60)),
        format!(
            "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey={}==;",
            fake("", BASE64, 86)
        ),
        format!("HF={}", fake("hf_", "qZtLmXpWrKjvBnCdFgHsAeY", 34)),
    ];
    let found = scan("deploy/secrets.conf", &lines.join("\n"));
    let detectors: Vec<(&str, &str)> = found.iter().map(|(d, l, _)| (d.as_str(), l.as_str())).collect();
    assert_eq!(
        detectors,
        vec![
            ("aws-secret-access-key", "deploy/secrets.conf:1"),
            ("azure-storage-key", "deploy/secrets.conf:9"),
            ("gitlab-token", "deploy/secrets.conf:2"),
            ("huggingface-token", "deploy/secrets.conf:10"),
            ("npm-token", "deploy/secrets.conf:7"),
            ("pypi-token", "deploy/secrets.conf:8"),
            ("sendgrid-api-key", "deploy/secrets.conf:6"),
            ("slack-webhook", "deploy/secrets.conf:3"),
            ("stripe-test-key", "deploy/secrets.conf:4"),
            ("twilio-api-key", "deploy/secrets.conf:5"),
        ]
    );
}

#[test]
fn secrets_on_very_long_lines_and_assignments_broken_after_the_equals_sign() {
    let filler = "x = 1; ".repeat(40_000);
    let github = fake("ghp_", ALNUM, 36);
    let text = format!(
        "{filler}t = '{github}'; {filler}\nconst password =\n    \"{}\";\n",
        fake("", ALNUM, 20)
    );
    let found = scan("dist/bundle.js", &text);
    let detectors: Vec<(&str, &str)> = found.iter().map(|(d, l, _)| (d.as_str(), l.as_str())).collect();
    assert_eq!(
        detectors,
        vec![
            ("generic-secret-assignment", "dist/bundle.js:3"),
            ("github-token", "dist/bundle.js:1")
        ]
    );
}

#[test]
fn keys_connection_strings_and_tokens() {
    let jwt = format!(
        "eyJ{}.eyJ{}.{}",
        fake("", ALNUM, 20),
        fake("", ALNUM, 30),
        fake("", ALNUM, 40)
    );
    let text = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\nDATABASE_URL=postgres://shop:{}@db.internal:5432/orders\nREDIS_URL=redis://:${{REDIS_PASSWORD}}@cache:6379\nAuthorization: Bearer {jwt}\n",
        fake("", ALNUM, 14)
    );
    let found = scan("deploy/.env", &text);
    let detectors: Vec<(&str, &str)> = found.iter().map(|(d, l, _)| (d.as_str(), l.as_str())).collect();
    assert_eq!(
        detectors,
        vec![
            ("connection-string-password", "deploy/.env:4"),
            ("jwt", "deploy/.env:6"),
            ("private-key", "deploy/.env:1")
        ]
    );
}

#[test]
fn generic_assignments_need_a_secret_name_and_entropy() {
    let random = fake("", ALNUM, 24);
    let text = format!(
        "db_password = \"{random}\"\npassword = \"passwordpassword\"\nclient_secret: \"changeme-please-now\"\ncolour = \"{random}\"\napiKey: '{random}'\n"
    );
    let found = scan("src/settings.py", &text);
    let lines: Vec<&str> = found.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(lines, vec!["src/settings.py:1", "src/settings.py:5"], "{found:?}");
    assert!(found.iter().all(|(d, _, _)| d == "generic-secret-assignment"));
}

#[test]
fn placeholders_are_not_secrets_and_test_paths_are_marked() {
    let text = "AWS_KEY=AKIAIOSFODNN7EXAMPLE\nstripe: sk_live_your_key_here_xxxxxxxxxxxxxxxx\n";
    assert!(scan("README.md", text).is_empty());
    let key = fake("AKIA", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    let out = run_extractor(&Secrets, &[("tests/fixtures/creds.txt", &key)]).unwrap();
    assert_eq!(out.assets[0].attr_bool("in_test_path"), Some(true));
}

#[test]
fn the_value_never_appears_and_one_key_has_one_fingerprint() {
    let key = fake("ghp_", ALNUM, 36);
    let out = run_extractor(&Secrets, &[("a.sh", &format!("export T={key}\n"))]).unwrap();
    let other = run_extractor(&Secrets, &[("b/c.env", &format!("\n\nT={key}\n"))]).unwrap();
    let text = serde_json::to_string(&out.assets).unwrap();
    assert!(!text.contains(&key[4..]), "{text}");
    assert_eq!(
        out.assets[0].attr_str("value_fingerprint"),
        other.assets[0].attr_str("value_fingerprint")
    );
    assert_ne!(out.assets[0].id, other.assets[0].id, "one asset per place");
}

#[test]
fn lockfiles_and_binaries_are_not_scanned() {
    use vigil_discover::Extractor;
    for name in [
        "package-lock.json",
        "yarn.lock",
        "go.sum",
        "logo.png",
        "model.gguf",
        "app.min.js",
    ] {
        assert!(!Secrets.claims(name, name), "{name}");
    }
    for name in [
        ".env",
        "config.yml",
        "main.tf",
        "app.py",
        "Dockerfile",
        "settings.json",
    ] {
        assert!(Secrets.claims(name, name), "{name}");
    }
}

#[test]
fn a_keyword_across_the_scan_chunk_boundary_is_found() {
    // The keyword search lower-cases and scans 64 KiB at a time; a token whose keyword straddles two
    // chunks must still be found, in either case of the keyword.
    for offset in [65_533, 65_535, 65_536] {
        let github = fake("ghp_", ALNUM, 36);
        let text = format!("{}\n{github}\n", "#".repeat(offset - 1));
        let found = scan("notes.txt", &text);
        assert_eq!(found.len(), 1, "at {offset}: {found:?}");
        let password = format!(
            "{}\nPASSWORD = \"{}\"\n",
            "#".repeat(offset - 1),
            fake("", ALNUM, 20)
        );
        assert_eq!(scan("notes.cfg", &password).len(), 1, "at {offset}");
    }
}

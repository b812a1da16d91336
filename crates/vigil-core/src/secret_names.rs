//! Whether a variable name says it holds a secret: one answer for the extractors (CI variables) and the
//! threat rules (Lambda environments), so both mark the same names.

/// Name fragments of variables that hold secrets (compared case-insensitively on `_`-separated words
/// and on the whole name).
const SECRET_WORDS: [&str; 12] = [
    "secret",
    "password",
    "passwd",
    "pwd",
    "token",
    "apikey",
    "api_key",
    "private_key",
    "access_key",
    "credential",
    "credentials",
    "auth",
];

/// Whether a variable name says it holds a secret (`DB_PASSWORD`, `AWS_ACCESS_KEY_ID`, `npmToken`).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| {
        if w.contains('_') {
            lower.contains(w)
        } else {
            lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|part| part == *w || part.ends_with(w))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "AWS_ACCESS_KEY_ID",
            "npmtoken",
            "stripe_api_key",
            "AUTH",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["PATH", "REGION", "LOG_LEVEL", "PORT"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}

//! Recognising secrets written into code, and showing them without revealing them.

/// Values that are obviously placeholders or references, not secrets.
const PLACEHOLDERS: [&str; 6] = ["", "changeme", "change-me", "todo", "xxx", "placeholder"];

pub use vigil_core::secret_names::is_secret_name;

/// Whether a value is a literal that could be a real secret (not computed, not a placeholder).
pub fn is_literal_secret(value: &str) -> bool {
    let trimmed = value.trim();
    !trimmed.contains("${")
        && !trimmed.starts_with("arn:")
        && !PLACEHOLDERS.contains(&trimmed.to_ascii_lowercase().as_str())
        && trimmed.len() >= 6
}

/// An AWS access key id (`AKIA` / `ASIA` + 16 upper-case alphanumerics).
pub fn is_aws_access_key_id(value: &str) -> bool {
    let v = value.trim();
    v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `AKIA…(20 chars)`: enough to recognise the secret, not to use it.
pub fn redact(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    format!("{shown}…({} chars)", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        assert!(is_secret_name("DB_PASSWORD"));
        assert!(is_secret_name("stripe_api_key"));
        assert!(is_secret_name("AUTH_TOKEN"));
        assert!(is_secret_name("githubToken"));
        assert!(!is_secret_name("TABLE_NAME"));
        assert!(!is_secret_name("AUTHOR"));
        assert!(is_literal_secret("hunter2hunter2"));
        assert!(!is_literal_secret("${var.db_password}"));
        assert!(!is_literal_secret("changeme"));
        assert!(is_aws_access_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_aws_access_key_id("AKIA-not-a-key"));
        assert_eq!(redact("AKIAIOSFODNN7EXAMPLE"), "AKIA…(20 chars)");
    }
}

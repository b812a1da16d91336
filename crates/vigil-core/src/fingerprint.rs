//! Fingerprints: stable identities for findings and actions.
//!
//! A fingerprint hashes what a finding *is* (rule or advisory, the asset's stable id, the attribute at
//! fault), never where it currently sits (line numbers) or how it is scored, so it survives line shifts and
//! unrelated edits and can key a finding's lifecycle across assessments.

use sha2::{Digest, Sha256};

/// Hex of the first 16 bytes of SHA-256 over the parts, each terminated by a NUL so that
/// `["ab", "c"]` and `["a", "bc"]` differ.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(32);
    for byte in &digest[..16] {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn parts_are_delimited() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["a"]).len(), 32);
        assert_eq!(fingerprint(&["x", "y"]), fingerprint(&["x", "y"]));
    }
}

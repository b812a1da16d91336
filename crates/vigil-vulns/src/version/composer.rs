//! Composer (Packagist) version ordering: Composer normalises a version to four numbers and a stability
//! (`1.2` → `1.2.0.0`, `v2.0.0-RC2` → `2.0.0.0-RC2`), then compares like PHP's `version_compare`:
//! `dev < alpha = a < beta = b < RC = rc < (release) < patch = pl = p`, each stability followed by its own
//! numbers (`beta2 < beta10`). Branch names (`dev-main`, `1.x-dev`) are not versions and are rejected.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct ComposerVersion {
    numbers: [u64; 4],
    /// 0 dev, 1 alpha, 2 beta, 3 RC, 4 release, 5 patch.
    stability: u8,
    /// The numbers after the stability (`RC2` → [2], `beta.1.2` → [1, 2]).
    stability_numbers: Vec<u64>,
}

const RELEASE: u8 = 4;

impl ComposerVersion {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("dev-") || lower.contains(".x") {
            return None;
        }
        // The numeric part: up to four dot-separated numbers.
        let numeric_end = lower
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(lower.len());
        let numeric = lower[..numeric_end].trim_end_matches('.');
        let parts: Vec<&str> = numeric.split('.').collect();
        if numeric.is_empty() || parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let mut numbers = [0u64; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            *slot = part.parse().ok()?;
        }
        let (stability, stability_numbers) = parse_stability(&lower[numeric_end..])?;
        Some(Self {
            numbers,
            stability,
            stability_numbers,
        })
    }

    /// `dev`, alpha, beta and RC versions; a patch release (`-p1`) is stable.
    pub fn is_prerelease(&self) -> bool {
        self.stability < RELEASE
    }
}

/// `-beta2`, `RC1`, `.patch3`, `-p1`, `-dev` and the like; `None` for anything else.
fn parse_stability(suffix: &str) -> Option<(u8, Vec<u64>)> {
    let suffix = suffix.trim_start_matches(['-', '_', '.']);
    if suffix.is_empty() {
        return Some((RELEASE, Vec::new()));
    }
    let name_end = suffix
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(suffix.len());
    let stability = match &suffix[..name_end] {
        "dev" => 0,
        "alpha" | "a" => 1,
        "beta" | "b" => 2,
        "rc" => 3,
        "stable" => RELEASE,
        "patch" | "pl" | "p" => 5,
        _ => return None,
    };
    // Only numbers may follow (`beta2`, `RC.1`, `p1.2`); a development build of a prerelease
    // (`beta2-dev`) has no place in this order and is rejected rather than guessed.
    let mut numbers = Vec::new();
    for part in suffix[name_end..]
        .split(['.', '-', '_'])
        .filter(|p| !p.is_empty())
    {
        numbers.push(part.parse().ok()?);
    }
    Some((stability, numbers))
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ComposerVersion {}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then(self.stability.cmp(&other.stability))
            .then_with(|| {
                let len = self.stability_numbers.len().max(other.stability_numbers.len());
                let padded = |n: &[u64]| {
                    let mut n = n.to_vec();
                    n.resize(len, 0);
                    n
                };
                padded(&self.stability_numbers).cmp(&padded(&other.stability_numbers))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::ComposerVersion;

    fn v(text: &str) -> ComposerVersion {
        ComposerVersion::parse(text).unwrap()
    }

    #[test]
    fn ordering() {
        let increasing = [
            "1.0.0-dev",
            "1.0.0-alpha1",
            "1.0.0-alpha2",
            "1.0.0-beta",
            "1.0.0-beta2",
            "1.0.0-beta10",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-p1",
            "1.0.0-patch2",
            "1.0.1",
            "1.2",
            "1.10.0",
            "2.0.0.1",
        ];
        for (i, low) in increasing.iter().enumerate() {
            for high in &increasing[i + 1..] {
                assert!(v(low) < v(high), "{low} < {high}");
            }
        }
    }

    #[test]
    fn equal_spellings_and_rejections() {
        assert_eq!(v("1.2"), v("1.2.0.0"));
        assert_eq!(v("v2.0.0"), v("2.0.0"));
        assert_eq!(v("1.0.0-RC1"), v("1.0.0rc1"));
        assert_eq!(v("1.0.0-b1"), v("1.0.0-beta1"));
        assert_eq!(v("1.0.0-pl1"), v("1.0.0-patch1"));
        assert_eq!(v("1.0.0-stable"), v("1.0.0"));
        assert!(ComposerVersion::parse("dev-main").is_none());
        assert!(ComposerVersion::parse("1.x-dev").is_none());
        assert!(ComposerVersion::parse("1.0.0-beta2-dev").is_none());
        assert!(ComposerVersion::parse("1.0.0.0.0").is_none());
        assert!(ComposerVersion::parse("latest").is_none());
    }
}

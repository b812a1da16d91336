//! NuGet version ordering (`NuGetVersion`): SemVer 2.0 with a fourth `Revision` number, missing numbers as
//! 0 (`1.0` = `1.0.0.0`), leading zeros allowed, prerelease labels compared case-insensitively, build
//! metadata ignored.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct NuGetVersion {
    numbers: [u64; 4],
    /// Lower-cased prerelease identifiers; empty for a release.
    prerelease: Vec<String>,
}

impl NuGetVersion {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.split_once('+').map_or(text, |(version, _)| version);
        let (core, prerelease) = match text.split_once('-') {
            Some((core, label)) => (core, Some(label)),
            None => (text, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 4 {
            return None;
        }
        let mut numbers = [0u64; 4];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        let prerelease = match prerelease {
            None => Vec::new(),
            Some(label) => {
                let identifiers: Vec<String> = label.split('.').map(str::to_ascii_lowercase).collect();
                let valid = identifiers
                    .iter()
                    .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
                if !valid {
                    return None;
                }
                identifiers
            }
        };
        Some(Self { numbers, prerelease })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.prerelease.is_empty()
    }
}

/// SemVer 2.0 precedence of one prerelease identifier: numbers numerically and before text.
fn compare_identifiers(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (numeric(a), numeric(b)) {
        (true, true) => {
            let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    let pairs = self.prerelease.iter().zip(&other.prerelease);
                    pairs
                        .map(|(a, b)| compare_identifiers(a, b))
                        .find(|o| o.is_ne())
                        .unwrap_or_else(|| self.prerelease.len().cmp(&other.prerelease.len()))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::NuGetVersion;

    fn v(text: &str) -> NuGetVersion {
        NuGetVersion::parse(text).unwrap()
    }

    #[test]
    fn ordering() {
        let increasing = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-Beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
            "1.10",
            "2.0.0.0",
        ];
        for (i, low) in increasing.iter().enumerate() {
            for high in &increasing[i + 1..] {
                assert!(v(low) < v(high), "{low} < {high}");
            }
        }
    }

    #[test]
    fn equal_spellings_and_rejections() {
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("01.02.03"), v("1.2.3"));
        assert_eq!(v("1.0.0-BETA"), v("1.0.0-beta"));
        assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
        assert!(NuGetVersion::parse("1.0.0.0.0").is_none());
        assert!(NuGetVersion::parse("1.x").is_none());
        assert!(NuGetVersion::parse("[1.0, 2.0)").is_none());
        assert!(NuGetVersion::parse("1.0.0-").is_none());
    }
}

//! RubyGems version ordering, as `Gem::Version#<=>` defines it.
//!
//! Segments are runs of digits (numbers) or letters (strings); `-` means `.pre.`. Any string segment makes
//! the version a prerelease: `1.0.a` < `1.0`. Trailing zeros of the release part and of the prerelease
//! part are ignored (`1.0` = `1`), then segments compare pairwise, a missing one counting as 0; a string
//! sorts before a number.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Digits without leading zeros.
    Number(String),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct GemVersion {
    /// The canonical segments: trailing zeros dropped from the release and prerelease parts.
    segments: Vec<Segment>,
}

impl GemVersion {
    /// `None` for what RubyGems rejects: empty, or characters other than ASCII letters, digits, `.`, `-`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let valid = !text.is_empty()
            && text.as_bytes()[0].is_ascii_digit()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !valid {
            return None;
        }
        let text = text.replace('-', ".pre.");
        let mut segments = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let digits = bytes[i].is_ascii_digit();
            let start = i;
            while i < bytes.len() && bytes[i] != b'.' && bytes[i].is_ascii_digit() == digits {
                i += 1;
            }
            let token = &text[start..i];
            if !token.is_empty() {
                segments.push(if digits {
                    let trimmed = token.trim_start_matches('0');
                    Segment::Number(if trimmed.is_empty() { "0" } else { trimmed }.to_owned())
                } else {
                    Segment::Text(token.to_owned())
                });
            }
            if i < bytes.len() && bytes[i] == b'.' {
                i += 1;
            }
        }
        Some(Self {
            segments: canonical(segments),
        })
    }

    /// Any letter makes a RubyGems version a prerelease.
    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Text(_)))
    }
}

/// Drops the trailing zeros of the release part and of the prerelease part.
fn canonical(segments: Vec<Segment>) -> Vec<Segment> {
    let split = segments
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(segments.len());
    let mut release = segments[..split].to_vec();
    let mut prerelease = segments[split..].to_vec();
    for part in [&mut release, &mut prerelease] {
        while part.last().is_some_and(is_zero) {
            part.pop();
        }
    }
    release.extend(prerelease);
    release
}

fn is_zero(segment: &Segment) -> bool {
    matches!(segment, Segment::Number(n) if n == "0")
}

fn compare_segments(a: &Segment, b: &Segment) -> Ordering {
    match (a, b) {
        (Segment::Number(x), Segment::Number(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
        (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
        (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number("0".into());
        let (a, b) = (&self.segments, &other.segments);
        (0..a.len().max(b.len()))
            .map(|i| compare_segments(a.get(i).unwrap_or(&zero), b.get(i).unwrap_or(&zero)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

#[cfg(test)]
mod tests {
    use super::GemVersion;

    fn v(text: &str) -> GemVersion {
        GemVersion::parse(text).unwrap()
    }

    #[test]
    fn ordering() {
        let increasing = [
            "0.9",
            "1.0.a",
            "1.0.a.2",
            "1.0.b1",
            "1.0.rc1",
            "1.0",
            "1.0.1",
            "1.1.pre",
            "1.1",
            "1.9",
            "1.10",
            "2.0.0.a10",
            "2.0.0.b",
            "2.0.0",
        ];
        for (i, low) in increasing.iter().enumerate() {
            for high in &increasing[i + 1..] {
                assert!(v(low) < v(high), "{low} < {high}");
            }
        }
    }

    #[test]
    fn equal_spellings_and_rejections() {
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v("1.0.0"), v("1"));
        assert_eq!(v("1.0-rc1"), v("1.0.pre.rc1"));
        assert_eq!(v("1.0.a.0"), v("1.0.a"));
        assert_eq!(v("1.01"), v("1.1"));
        assert!(GemVersion::parse("").is_none());
        assert!(GemVersion::parse("junk version").is_none());
        assert!(GemVersion::parse("v1.0").is_none());
    }
}

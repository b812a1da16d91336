//! Per-ecosystem version ordering. crates.io and npm use SemVer 2.0 precedence (build metadata ignored,
//! as the spec says; the `semver` crate would otherwise order by it); PyPI uses PEP 440 through
//! `pep440_rs` (epochs, pre/post/dev releases, local versions). Ecosystems without a comparator here are
//! reported as not checked rather than guessed.

use std::cmp::Ordering;
use std::str::FromStr;

use vigil_core::Ecosystem;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Semver(a), Self::Semver(b)) => a.cmp_precedence(b),
            (Self::Pep440(a), Self::Pep440(b)) => a.cmp(b),
            // Versions of different schemes are never compared: one ecosystem, one scheme.
            (Self::Semver(_), Self::Pep440(_)) => Ordering::Less,
            (Self::Pep440(_), Self::Semver(_)) => Ordering::Greater,
        }
    }
}

/// Whether vigil can order versions of this ecosystem.
pub fn supported(ecosystem: Ecosystem) -> bool {
    matches!(ecosystem, Ecosystem::CratesIo | Ecosystem::Npm | Ecosystem::PyPI)
}

pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Version> {
    match ecosystem {
        Ecosystem::CratesIo | Ecosystem::Npm => parse_semver(text).map(Version::Semver),
        Ecosystem::PyPI => pep440_rs::Version::from_str(text.trim())
            .ok()
            .map(Version::Pep440),
        _ => None,
    }
}

/// SemVer with the leniency real data needs: a leading `v` or `=`, and missing minor/patch (`1.2`).
fn parse_semver(text: &str) -> Option<semver::Version> {
    let text = text.trim().trim_start_matches(['v', '=']);
    let mut version = semver::Version::parse(text).ok().or_else(|| {
        let split = text.find(['-', '+']).unwrap_or(text.len());
        let (core, rest) = text.split_at(split);
        let dots = core.matches('.').count();
        if dots >= 2 || core.is_empty() {
            return None;
        }
        let padded = format!("{core}{}{rest}", ".0".repeat(2 - dots));
        semver::Version::parse(&padded).ok()
    })?;
    version.build = semver::BuildMetadata::EMPTY;
    Some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(ecosystem: Ecosystem, a: &str, b: &str) -> Ordering {
        parse(ecosystem, a).unwrap().cmp(&parse(ecosystem, b).unwrap())
    }

    #[test]
    fn semver_precedence() {
        use Ordering::*;
        for eco in [Ecosystem::CratesIo, Ecosystem::Npm] {
            assert_eq!(cmp(eco, "1.0.0-alpha", "1.0.0"), Less);
            assert_eq!(cmp(eco, "1.0.0-alpha", "1.0.0-alpha.1"), Less);
            assert_eq!(cmp(eco, "1.0.0-alpha.beta", "1.0.0-beta"), Less);
            assert_eq!(cmp(eco, "1.0.0-beta.2", "1.0.0-beta.11"), Less);
            assert_eq!(cmp(eco, "1.0.0-rc.1", "1.0.0"), Less);
            assert_eq!(cmp(eco, "0.0.0-0", "0.0.0"), Less);
            assert_eq!(cmp(eco, "1.0.0+build.1", "1.0.0+build.2"), Equal);
            assert_eq!(cmp(eco, "v1.2", "1.2.0"), Equal);
            assert_eq!(cmp(eco, "1.10.0", "1.9.0"), Greater);
        }
        assert!(parse(Ecosystem::Npm, "not.a.version").is_none());
        assert!(parse(Ecosystem::Npm, "").is_none());
    }

    #[test]
    fn pep440_ordering() {
        use Ordering::*;
        let e = Ecosystem::PyPI;
        assert_eq!(cmp(e, "1.0.dev1", "1.0a1"), Less);
        assert_eq!(cmp(e, "1.0a1", "1.0b1"), Less);
        assert_eq!(cmp(e, "1.0rc1", "1.0"), Less);
        assert_eq!(cmp(e, "1.0", "1.0.post1"), Less);
        assert_eq!(cmp(e, "1.0", "1.0.0"), Equal);
        assert_eq!(cmp(e, "1.0+local", "1.0"), Greater);
        assert_eq!(cmp(e, "1!0.1", "2.0"), Greater);
        assert_eq!(cmp(e, "2.0", "10.0"), Less);
        assert_eq!(cmp(e, "1.0.0-rc.1", "1.0.0rc1"), Equal);
    }

    #[test]
    fn unsupported_ecosystems_do_not_parse() {
        assert!(!supported(Ecosystem::Go));
        assert!(parse(Ecosystem::Maven, "1.0").is_none());
    }
}

//! Per-ecosystem version ordering, one scheme per file:
//! - SemVer 2.0 precedence (build metadata ignored, as the spec says; the `semver` crate would otherwise
//!   order by it) for crates.io, npm, Pub, Hex, SwiftURL and GitHub Actions, and for Go, where a leading
//!   `v` is dropped, `+incompatible` is build metadata and pseudo-versions
//!   (`v0.0.0-20191109021931-daa7c04131f5`) are prereleases, ordered exactly as Go orders them;
//! - PEP 440 for PyPI through `pep440_rs` (epochs, pre/post/dev releases, local versions);
//! - [`maven`], [`rubygems`], [`nuget`] and [`composer`] (Packagist) by their own rules.
//!
//! A version a scheme cannot read is `None`: the caller reports it as not checked rather than guessing.

mod composer;
mod maven;
mod nuget;
mod rubygems;

use std::cmp::Ordering;
use std::str::FromStr;

use vigil_core::Ecosystem;

pub use composer::ComposerVersion;
pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use rubygems::GemVersion;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
    Maven(MavenVersion),
    Gem(GemVersion),
    NuGet(NuGetVersion),
    Composer(ComposerVersion),
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
            (Self::Maven(a), Self::Maven(b)) => a.cmp(b),
            (Self::Gem(a), Self::Gem(b)) => a.cmp(b),
            (Self::NuGet(a), Self::NuGet(b)) => a.cmp(b),
            (Self::Composer(a), Self::Composer(b)) => a.cmp(b),
            // Versions of different schemes are never compared (one ecosystem, one scheme); this keeps the
            // order total all the same.
            (a, b) => a.scheme_rank().cmp(&b.scheme_rank()),
        }
    }
}

impl Version {
    /// An alpha, beta, release candidate, snapshot or development version: not what to recommend when a
    /// release would do.
    pub fn is_prerelease(&self) -> bool {
        match self {
            Self::Semver(v) => !v.pre.is_empty(),
            Self::Pep440(v) => v.any_prerelease(),
            Self::Maven(v) => v.is_prerelease(),
            Self::Gem(v) => v.is_prerelease(),
            Self::NuGet(v) => v.is_prerelease(),
            Self::Composer(v) => v.is_prerelease(),
        }
    }

    fn scheme_rank(&self) -> u8 {
        match self {
            Self::Semver(_) => 0,
            Self::Pep440(_) => 1,
            Self::Maven(_) => 2,
            Self::Gem(_) => 3,
            Self::NuGet(_) => 4,
            Self::Composer(_) => 5,
        }
    }
}

/// Whether vigil can order versions of this ecosystem.
pub fn supported(ecosystem: Ecosystem) -> bool {
    !matches!(ecosystem, Ecosystem::Terraform)
}

pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Version> {
    match ecosystem {
        Ecosystem::CratesIo
        | Ecosystem::Npm
        | Ecosystem::Go
        | Ecosystem::Pub
        | Ecosystem::Hex
        | Ecosystem::SwiftUrl
        | Ecosystem::GitHubActions => parse_semver(text).map(Version::Semver),
        Ecosystem::PyPI => pep440_rs::Version::from_str(text.trim())
            .ok()
            .map(Version::Pep440),
        Ecosystem::Maven => MavenVersion::parse(text).map(Version::Maven),
        Ecosystem::RubyGems => GemVersion::parse(text).map(Version::Gem),
        Ecosystem::NuGet => NuGetVersion::parse(text).map(Version::NuGet),
        Ecosystem::Packagist => ComposerVersion::parse(text).map(Version::Composer),
        Ecosystem::Terraform => None,
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
    fn go_versions() {
        use Ordering::*;
        let e = Ecosystem::Go;
        assert_eq!(cmp(e, "v1.2.3", "1.2.3"), Equal);
        assert_eq!(cmp(e, "v2.0.0+incompatible", "v2.0.0"), Equal);
        assert_eq!(cmp(e, "v2.0.0+incompatible", "v1.9.9"), Greater);
        // The three pseudo-version forms sort below the release they precede and by commit time.
        assert_eq!(cmp(e, "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0"), Less);
        assert_eq!(
            cmp(
                e,
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.0-20200101000000-0123456789ab"
            ),
            Less
        );
        assert_eq!(cmp(e, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), Greater);
        assert_eq!(cmp(e, "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), Less);
        assert_eq!(
            cmp(e, "v1.3.0-beta.0.20191109021931-daa7c04131f5", "v1.3.0-beta"),
            Greater
        );
    }

    #[test]
    fn terraform_has_no_ordering() {
        assert!(!supported(Ecosystem::Terraform));
        assert!(parse(Ecosystem::Terraform, "1.0.0").is_none());
        assert!(supported(Ecosystem::Maven) && parse(Ecosystem::Maven, "1.0").is_some());
    }
}

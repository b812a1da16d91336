//! OSV affected-range evaluation, exactly as the schema's `IsVulnerable` pseudocode: a version is affected
//! when it is listed in `versions` or lies in a SEMVER/ECOSYSTEM range (events sorted by version,
//! `introduced: "0"` first, walked in order; `limit` events bound the range). GIT ranges need the
//! repository's commit graph and are not evaluated.

use std::cmp::Ordering;

use vigil_core::Ecosystem;

use crate::record::{Event, PackageAdvisory, RangeKind};
use crate::version::{self, Version};

/// The outcome for one affected version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The smallest `fixed` version above the installed one in every range that affects it; `None` when a
    /// range has no fix after it (open-ended, or closed only by `last_affected`).
    pub fixed: Option<String>,
}

/// An event version the ecosystem's ordering cannot read: the range holding it is not evaluated, and the
/// caller reports it rather than calling the package clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub advisory: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    /// `introduced: "0"`: before every version.
    Min,
    At(Version),
    /// `limit: "*"`: after every version.
    Max,
}

/// Events at the same version sort `introduced` first, so that `[1.0, 1.0)` is empty and
/// `introduced 1.0, last_affected 1.0` is exactly {1.0}.
fn kind_order(event: &Event) -> u8 {
    match event {
        Event::Introduced(_) => 0,
        Event::LastAffected(_) => 1,
        Event::Fixed(_) => 2,
        Event::Limit(_) => 3,
    }
}

fn bound(ecosystem: Ecosystem, event: &Event) -> Option<Bound> {
    let (text, is_introduced, is_limit) = match event {
        Event::Introduced(v) => (v, true, false),
        Event::Limit(v) => (v, false, true),
        Event::Fixed(v) | Event::LastAffected(v) => (v, false, false),
    };
    if is_introduced && text == "0" {
        return Some(Bound::Min);
    }
    if is_limit && text.contains('*') {
        return Some(Bound::Max);
    }
    version::parse(ecosystem, text).map(Bound::At)
}

/// Whether `installed` is affected by `advisory`. `unreadable` collects event versions that could not be
/// parsed.
pub fn affects(
    ecosystem: Ecosystem,
    advisory: &PackageAdvisory,
    installed: &Version,
    unreadable: &mut Vec<Unreadable>,
) -> Option<Hit> {
    let listed = advisory
        .versions
        .iter()
        .any(|v| version::parse(ecosystem, v).as_ref() == Some(installed));
    let mut in_range = false;
    let mut fixes: Vec<Option<(Bound, String)>> = Vec::new();

    for range in advisory.ranges.iter().filter(|r| r.kind != RangeKind::Git) {
        let mut events = Vec::with_capacity(range.events.len());
        let mut readable = true;
        for event in &range.events {
            match bound(ecosystem, event) {
                Some(b) => events.push((b, event)),
                None => {
                    readable = false;
                    let (Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v)) =
                        event;
                    unreadable.push(Unreadable {
                        advisory: advisory.id.clone(),
                        version: v.clone(),
                    });
                }
            }
        }
        if !readable {
            continue;
        }
        let at = Bound::At(installed.clone());
        let limits: Vec<&Bound> = events
            .iter()
            .filter(|(_, e)| matches!(e, Event::Limit(_)))
            .map(|(b, _)| b)
            .collect();
        if !limits.is_empty() && !limits.iter().any(|limit| at < **limit) {
            continue;
        }
        events.sort_by(|(a, ea), (b, eb)| a.cmp(b).then_with(|| kind_order(ea).cmp(&kind_order(eb))));
        let mut vulnerable = false;
        for (b, event) in &events {
            match event {
                Event::Introduced(_) if at >= *b => vulnerable = true,
                Event::Fixed(_) if at >= *b => vulnerable = false,
                Event::LastAffected(_) if at > *b => vulnerable = false,
                _ => {}
            }
        }
        if vulnerable {
            in_range = true;
            let next_fix = events.iter().find_map(|(b, event)| match event {
                Event::Fixed(text) if *b > at => Some((b.clone(), text.clone())),
                _ => None,
            });
            fixes.push(next_fix);
        }
    }

    if !(listed || in_range) {
        return None;
    }
    // A listed-only match takes its fix from the ranges if they name one above the installed version.
    if fixes.is_empty() {
        fixes.push(smallest_fix_above(ecosystem, advisory, installed));
    }
    let fixed = if fixes.iter().any(Option::is_none) {
        None
    } else {
        fixes
            .into_iter()
            .flatten()
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, text)| text)
    };
    Some(Hit { fixed })
}

fn smallest_fix_above(
    ecosystem: Ecosystem,
    advisory: &PackageAdvisory,
    installed: &Version,
) -> Option<(Bound, String)> {
    let at = Bound::At(installed.clone());
    advisory
        .ranges
        .iter()
        .flat_map(|r| &r.events)
        .filter_map(|e| match e {
            Event::Fixed(text) => bound(ecosystem, e).filter(|b| *b > at).map(|b| (b, text.clone())),
            _ => None,
        })
        .min_by(|a, b| a.0.cmp(&b.0))
}

/// The smallest published fix that no advisory of the package affects, stable releases preferred: the
/// version to upgrade to. `None` when every candidate is still affected (or there is no fix).
pub fn upgrade_target(
    ecosystem: Ecosystem,
    advisories: &[&PackageAdvisory],
    installed: &Version,
) -> Option<String> {
    let mut candidates: Vec<(Version, &str)> = advisories
        .iter()
        .flat_map(|a| a.ranges.iter().flat_map(|r| &r.events))
        .filter_map(|e| match e {
            Event::Fixed(text) => version::parse(ecosystem, text)
                .filter(|v| v > installed)
                .map(|v| (v, text.as_str())),
            _ => None,
        })
        .collect();
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates.dedup_by(|a, b| a.0.cmp(&b.0) == Ordering::Equal);
    let mut ignored = Vec::new();
    let clean = |candidate: &Version, ignored: &mut Vec<Unreadable>| {
        advisories
            .iter()
            .all(|a| affects(ecosystem, a, candidate, ignored).is_none())
    };
    let stable = candidates
        .iter()
        .filter(|(v, _)| !v.is_prerelease())
        .find(|(v, _)| clean(v, &mut ignored));
    stable
        .or_else(|| candidates.iter().find(|(v, _)| clean(v, &mut ignored)))
        .map(|(_, text)| (*text).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Range;

    fn advisory(events: &[Event], versions: &[&str]) -> PackageAdvisory {
        PackageAdvisory {
            id: "TEST-1".into(),
            aliases: vec![],
            package: "p".into(),
            summary: String::new(),
            severity: vec![],
            informational: None,
            ranges: vec![Range {
                kind: RangeKind::Semver,
                events: events.to_vec(),
            }],
            versions: versions.iter().map(|v| (*v).to_owned()).collect(),
            functions: vec![],
            cwe: vec![],
            published: None,
            modified: String::new(),
            references: vec![],
        }
    }

    fn check(a: &PackageAdvisory, v: &str) -> Option<Option<String>> {
        let v = version::parse(Ecosystem::CratesIo, v).unwrap();
        affects(Ecosystem::CratesIo, a, &v, &mut Vec::new()).map(|h| h.fixed)
    }

    use Event::*;

    #[test]
    fn introduced_and_fixed() {
        let a = advisory(&[Introduced("0".into()), Fixed("1.0.2".into())], &[]);
        assert_eq!(check(&a, "0.0.1"), Some(Some("1.0.2".into())));
        assert_eq!(check(&a, "1.0.2-rc.1"), Some(Some("1.0.2".into())));
        assert_eq!(check(&a, "1.0.2"), None);
        assert_eq!(check(&a, "2.0.0"), None);
    }

    #[test]
    fn multiple_intervals_in_any_order() {
        let a = advisory(
            &[
                Fixed("3.2.5".into()),
                Introduced("3.0.0".into()),
                Introduced("1.0.0".into()),
                Fixed("1.0.2".into()),
            ],
            &[],
        );
        assert_eq!(check(&a, "0.9.0"), None);
        assert_eq!(check(&a, "1.0.1"), Some(Some("1.0.2".into())));
        assert_eq!(check(&a, "2.0.0"), None);
        assert_eq!(check(&a, "3.1.0"), Some(Some("3.2.5".into())));
        assert_eq!(check(&a, "3.2.5"), None);
    }

    #[test]
    fn last_affected_is_inclusive_and_has_no_fix() {
        let a = advisory(&[Introduced("0".into()), LastAffected("2.1.214".into())], &[]);
        assert_eq!(check(&a, "2.1.214"), Some(None));
        assert_eq!(check(&a, "2.1.215"), None);
    }

    #[test]
    fn open_ranges_and_limits() {
        let open = advisory(&[Introduced("1.0.0".into())], &[]);
        assert_eq!(check(&open, "9.9.9"), Some(None));
        assert_eq!(check(&open, "0.9.9"), None);
        let limited = advisory(&[Introduced("1.0.0".into()), Limit("2.0.0".into())], &[]);
        assert_eq!(check(&limited, "1.5.0"), Some(None));
        assert_eq!(check(&limited, "2.0.0"), None);
        let star = advisory(&[Introduced("1.0.0".into()), Limit("*".into())], &[]);
        assert_eq!(check(&star, "7.0.0"), Some(None));
    }

    #[test]
    fn equal_introduced_and_fixed_is_empty() {
        let a = advisory(&[Introduced("1.0.0".into()), Fixed("1.0.0".into())], &[]);
        assert_eq!(check(&a, "1.0.0"), None);
    }

    #[test]
    fn listed_versions_match_exactly() {
        let a = PackageAdvisory {
            ranges: vec![],
            ..advisory(&[], &["1.4.0", "1.4.1"])
        };
        assert_eq!(check(&a, "1.4.1"), Some(None));
        assert_eq!(check(&a, "1.4.2"), None);
    }

    #[test]
    fn unreadable_events_are_reported_not_guessed() {
        let a = advisory(&[Introduced("0".into()), Fixed("not-a-version".into())], &[]);
        let v = version::parse(Ecosystem::CratesIo, "1.0.0").unwrap();
        let mut unreadable = Vec::new();
        assert_eq!(affects(Ecosystem::CratesIo, &a, &v, &mut unreadable), None);
        assert_eq!(
            unreadable,
            vec![Unreadable {
                advisory: "TEST-1".into(),
                version: "not-a-version".into()
            }]
        );
    }

    #[test]
    fn upgrade_target_fixes_every_advisory_and_prefers_stable() {
        let a = advisory(&[Introduced("0".into()), Fixed("1.2.0".into())], &[]);
        let b = advisory(
            &[
                Introduced("0".into()),
                Fixed("1.3.0-rc.1".into()),
                Fixed("1.3.1".into()),
            ],
            &[],
        );
        let c = advisory(&[Introduced("1.3.0".into()), Fixed("1.3.1".into())], &[]);
        let installed = version::parse(Ecosystem::CratesIo, "1.1.0").unwrap();
        assert_eq!(
            upgrade_target(Ecosystem::CratesIo, &[&a, &b, &c], &installed).as_deref(),
            Some("1.3.1")
        );
        let unfixed = advisory(&[Introduced("0".into())], &[]);
        assert_eq!(
            upgrade_target(Ecosystem::CratesIo, &[&a, &unfixed], &installed),
            None
        );
    }
}

//! Property tests for version ordering and range evaluation: the comparators are total orders consistent
//! with each scheme's rules, and OSV intervals contain exactly the versions between their bounds.

use std::cmp::Ordering;

use proptest::prelude::*;
use vigil_core::Ecosystem;
use vigil_vulns::range;
use vigil_vulns::record::{Event, PackageAdvisory, Range, RangeKind};
use vigil_vulns::version::{Version, parse};

fn semver_text() -> impl Strategy<Value = String> {
    let pre = prop_oneof![
        Just(String::new()),
        "(alpha|beta|rc)".prop_map(|p| format!("-{p}")),
        ("(alpha|beta|rc)", 0u32..20).prop_map(|(p, n)| format!("-{p}.{n}")),
        (0u32..20).prop_map(|n| format!("-{n}")),
    ];
    let build = prop_oneof![Just(String::new()), "[a-z0-9]{1,6}".prop_map(|b| format!("+{b}"))];
    (0u64..5, 0u64..12, 0u64..12, pre, build).prop_map(|(a, b, c, p, m)| format!("{a}.{b}.{c}{p}{m}"))
}

fn pep440_text() -> impl Strategy<Value = String> {
    let epoch = prop_oneof![3 => Just(String::new()), 1 => (1u32..3).prop_map(|e| format!("{e}!"))];
    let release = prop::collection::vec(0u32..12, 1..4)
        .prop_map(|parts| parts.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
    let pre = prop_oneof![
        Just(String::new()),
        ("(a|b|rc)", 0u32..5).prop_map(|(p, n)| format!("{p}{n}"))
    ];
    let post = prop_oneof![Just(String::new()), (0u32..5).prop_map(|n| format!(".post{n}"))];
    let dev = prop_oneof![Just(String::new()), (0u32..5).prop_map(|n| format!(".dev{n}"))];
    (epoch, release, pre, post, dev).prop_map(|(e, r, p, o, d)| format!("{e}{r}{p}{o}{d}"))
}

fn version(ecosystem: Ecosystem, text: &str) -> Version {
    parse(ecosystem, text).unwrap_or_else(|| panic!("{text} does not parse as {ecosystem}"))
}

fn interval(introduced: &str, fixed: &str) -> PackageAdvisory {
    PackageAdvisory {
        id: "PROP-1".into(),
        aliases: vec![],
        package: "p".into(),
        summary: String::new(),
        severity: vec![],
        informational: None,
        ranges: vec![Range {
            kind: RangeKind::Ecosystem,
            events: vec![Event::Introduced(introduced.into()), Event::Fixed(fixed.into())],
        }],
        versions: vec![],
        functions: vec![],
        cwe: vec![],
        published: None,
        modified: String::new(),
        references: vec![],
    }
}

fn order_properties(ecosystem: Ecosystem, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    let (a, b, c) = (
        version(ecosystem, a),
        version(ecosystem, b),
        version(ecosystem, c),
    );
    prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    prop_assert_eq!(a.cmp(&a), Ordering::Equal);
    if a <= b && b <= c {
        prop_assert!(a <= c);
    }
    Ok(())
}

proptest! {
    #[test]
    fn semver_is_a_total_order(a in semver_text(), b in semver_text(), c in semver_text()) {
        order_properties(Ecosystem::CratesIo, &a, &b, &c)?;
        order_properties(Ecosystem::Npm, &a, &b, &c)?;
    }

    #[test]
    fn semver_release_order_is_numeric_and_prereleases_come_first(
        x in (0u64..50, 0u64..50, 0u64..50), y in (0u64..50, 0u64..50, 0u64..50), pre in "(alpha|beta|rc)(\\.(0|[1-9][0-9]?))?"
    ) {
        let text = |(a, b, c): (u64, u64, u64)| format!("{a}.{b}.{c}");
        let e = Ecosystem::CratesIo;
        prop_assert_eq!(version(e, &text(x)).cmp(&version(e, &text(y))), x.cmp(&y));
        let prerelease = format!("{}-{}", text(x), pre);
        prop_assert!(version(e, &prerelease) < version(e, &text(x)));
        prop_assert_eq!(version(e, &format!("{}+build", text(x))), version(e, &text(x)));
    }

    #[test]
    fn pep440_is_a_total_order(a in pep440_text(), b in pep440_text(), c in pep440_text()) {
        order_properties(Ecosystem::PyPI, &a, &b, &c)?;
    }

    #[test]
    fn pep440_phases_order_within_a_release(release in prop::collection::vec(0u32..20, 1..4), n in 0u32..5) {
        let r = release.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let e = Ecosystem::PyPI;
        let ordered = [format!("{r}.dev{n}"), format!("{r}a{n}"), format!("{r}b{n}"), format!("{r}rc{n}"), r.clone(), format!("{r}.post{n}")];
        for pair in ordered.windows(2) {
            prop_assert!(version(e, &pair[0]) < version(e, &pair[1]), "{} < {}", pair[0], pair[1]);
        }
        prop_assert_eq!(version(e, &r), version(e, &format!("{r}.0")), "trailing zeros do not matter");
        prop_assert!(version(e, &format!("1!{r}")) > version(e, &format!("{r}.post{n}")), "the epoch dominates");
    }

    #[test]
    fn an_interval_contains_exactly_the_versions_between_its_bounds(
        a in semver_text(), b in semver_text(), v in semver_text()
    ) {
        let e = Ecosystem::Npm;
        let (low, high) = if version(e, &a) <= version(e, &b) { (a, b) } else { (b, a) };
        let advisory = interval(&low, &high);
        let installed = version(e, &v);
        let inside = version(e, &low) <= installed && installed < version(e, &high);
        let hit = range::affects(e, &advisory, &installed, &mut Vec::new());
        prop_assert_eq!(hit.is_some(), inside);
        if let Some(hit) = hit {
            prop_assert_eq!(hit.fixed.as_deref(), Some(high.as_str()));
        }
    }

    #[test]
    fn pep440_intervals_agree_with_the_comparator(a in pep440_text(), b in pep440_text(), v in pep440_text()) {
        let e = Ecosystem::PyPI;
        let (low, high) = if version(e, &a) <= version(e, &b) { (a, b) } else { (b, a) };
        let installed = version(e, &v);
        let inside = version(e, &low) <= installed && installed < version(e, &high);
        prop_assert_eq!(range::affects(e, &interval(&low, &high), &installed, &mut Vec::new()).is_some(), inside);
    }
}

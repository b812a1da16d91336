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

/// Maven versions as people write them: numbers and qualifiers joined by `.`, `-` or nothing.
fn maven_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => (0u32..12).prop_map(|n| n.to_string()),
        1 => "(alpha|beta|a|b|m|milestone|rc|cr|SNAPSHOT|ga|final|RELEASE|sp|foo|jre)",
    ];
    let part = ("(\\.|-|)", token);
    ((0u32..12), prop::collection::vec(part, 0..5)).prop_map(|(first, parts)| {
        let mut text = first.to_string();
        for (separator, token) in parts {
            text.push_str(&separator);
            text.push_str(&token);
        }
        text
    })
}

fn gem_text() -> impl Strategy<Value = String> {
    let segment = prop_oneof![3 => (0u32..12).prop_map(|n| n.to_string()), 1 => "(a|b|pre|rc|beta)"];
    let pre = prop_oneof![
        Just(String::new()),
        "(rc|beta)[0-9]".prop_map(|p| format!("-{p}"))
    ];
    ((0u32..12), prop::collection::vec(segment, 0..4), pre).prop_map(|(first, rest, pre)| {
        let mut text = first.to_string();
        for segment in rest {
            text.push('.');
            text.push_str(&segment);
        }
        text + &pre
    })
}

fn nuget_text() -> impl Strategy<Value = String> {
    let numbers = prop::collection::vec(0u32..12, 1..5)
        .prop_map(|parts| parts.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
    let pre = prop_oneof![
        Just(String::new()),
        "(alpha|Beta|RC|preview)".prop_map(|p| format!("-{p}")),
        ("(alpha|beta|rc)", 0u32..20).prop_map(|(p, n)| format!("-{p}.{n}")),
    ];
    let build = prop_oneof![Just(String::new()), "[a-z0-9]{1,6}".prop_map(|b| format!("+{b}"))];
    (numbers, pre, build).prop_map(|(n, p, b)| format!("{n}{p}{b}"))
}

fn composer_text() -> impl Strategy<Value = String> {
    let numbers = prop::collection::vec(0u32..12, 1..5)
        .prop_map(|parts| parts.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
    let suffix = prop_oneof![
        Just(String::new()),
        Just("-dev".to_owned()),
        ("(alpha|beta|RC|a|b|p|patch|pl)", 0u32..12).prop_map(|(s, n)| format!("-{s}{n}")),
    ];
    ("(v|)", numbers, suffix).prop_map(|(v, n, s)| format!("{v}{n}{s}"))
}

/// Go module versions: releases, `+incompatible`, and the three pseudo-version forms.
fn go_text() -> impl Strategy<Value = String> {
    let time = (2018u32..2026, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| format!("{y}{m:02}{d:02}120000-0123456789ab"));
    let (x, y, z) = (0u32..4, 0u32..6, 0u32..6);
    prop_oneof![
        (x.clone(), y.clone(), z.clone()).prop_map(|(a, b, c)| format!("v{a}.{b}.{c}")),
        (2u32..4, y.clone(), z.clone()).prop_map(|(a, b, c)| format!("v{a}.{b}.{c}+incompatible")),
        (x.clone(), time.clone()).prop_map(|(a, t)| format!("v{a}.0.0-{t}")),
        (x.clone(), y.clone(), z.clone(), time.clone())
            .prop_map(|(a, b, c, t)| format!("v{a}.{b}.{}-0.{t}", c + 1)),
        (x, y, z, time).prop_map(|(a, b, c, t)| format!("v{a}.{b}.{c}-rc.1.0.{t}")),
    ]
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
        // OSV's `introduced: "0"` is "from the very first version", before 0.dev0 and every pre-release.
        let from_start = low == "0";
        let inside = (from_start || version(e, &low) <= installed) && installed < version(e, &high);
        prop_assert_eq!(range::affects(e, &interval(&low, &high), &installed, &mut Vec::new()).is_some(), inside);
    }

    #[test]
    fn maven_is_a_total_order(a in maven_text(), b in maven_text(), c in maven_text()) {
        order_properties(Ecosystem::Maven, &a, &b, &c)?;
    }

    #[test]
    fn maven_null_suffixes_do_not_change_a_version(
        // Ending in a number: after a qualifier, `.0` would be a new item rather than a null one.
        v in (maven_text(), 0u32..12).prop_map(|(v, n)| format!("{v}.{n}")),
        suffix in "(\\.0|-0|\\.0\\.0|-ga|\\.final|-RELEASE)",
    ) {
        let e = Ecosystem::Maven;
        let (with_null, alpha, sp) = (format!("{v}{suffix}"), format!("{v}-alpha"), format!("{v}-sp"));
        prop_assert_eq!(version(e, &v), version(e, &with_null));
        prop_assert!(version(e, &alpha) < version(e, &v));
        prop_assert!(version(e, &sp) > version(e, &v));
    }

    #[test]
    fn rubygems_is_a_total_order(a in gem_text(), b in gem_text(), c in gem_text()) {
        order_properties(Ecosystem::RubyGems, &a, &b, &c)?;
    }

    #[test]
    fn rubygems_letters_make_a_prerelease(numbers in prop::collection::vec(0u32..12, 1..4), pre in "(a|b|rc|pre)") {
        let e = Ecosystem::RubyGems;
        let release = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let (prerelease, padded) = (format!("{release}.{pre}"), format!("{release}.0"));
        prop_assert!(version(e, &prerelease) < version(e, &release));
        prop_assert_eq!(version(e, &padded), version(e, &release));
        prop_assert!(version(e, &prerelease).is_prerelease());
    }

    #[test]
    fn nuget_is_a_total_order(a in nuget_text(), b in nuget_text(), c in nuget_text()) {
        order_properties(Ecosystem::NuGet, &a, &b, &c)?;
    }

    #[test]
    fn nuget_pads_numbers_and_ignores_case_and_metadata(v in nuget_text()) {
        let e = Ecosystem::NuGet;
        prop_assert_eq!(version(e, &v), version(e, &v.to_ascii_uppercase()));
        let core = v.split(['-', '+']).next().unwrap_or_default();
        if core.split('.').count() < 4 {
            let padded = v.replacen(core, &format!("{core}.0"), 1);
            prop_assert_eq!(version(e, &v), version(e, &padded));
        }
        let without_metadata = v.split('+').next().unwrap_or_default();
        prop_assert_eq!(version(e, &v), version(e, without_metadata));
    }

    #[test]
    fn composer_is_a_total_order(a in composer_text(), b in composer_text(), c in composer_text()) {
        order_properties(Ecosystem::Packagist, &a, &b, &c)?;
    }

    #[test]
    fn composer_stabilities_order_within_a_release(numbers in prop::collection::vec(0u32..12, 1..5), n in 1u32..9) {
        let e = Ecosystem::Packagist;
        let r = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let ordered = [format!("{r}-dev"), format!("{r}-alpha{n}"), format!("{r}-beta{n}"), format!("{r}-RC{n}"), r.clone(), format!("{r}-p{n}")];
        for pair in ordered.windows(2) {
            prop_assert!(version(e, &pair[0]) < version(e, &pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn go_is_a_total_order(a in go_text(), b in go_text(), c in go_text()) {
        order_properties(Ecosystem::Go, &a, &b, &c)?;
    }

    #[test]
    fn a_go_pseudo_version_sits_between_its_base_and_the_next_release(
        x in 0u32..4, y in 0u32..6, z in 0u32..6, day in 1u32..29
    ) {
        let e = Ecosystem::Go;
        let pseudo = format!("v{x}.{y}.{}-0.202401{day:02}120000-0123456789ab", z + 1);
        let (base, next) = (format!("v{x}.{y}.{z}"), format!("v{x}.{y}.{}", z + 1));
        prop_assert!(version(e, &base) < version(e, &pseudo));
        prop_assert!(version(e, &pseudo) < version(e, &next));
        // `introduced: "0"` is before every version, pseudo-versions of v0.0.0 included.
        let zero_pseudo = format!("v0.0.0-202401{day:02}120000-0123456789ab");
        let advisory = interval("0", "0.0.1");
        prop_assert!(range::affects(e, &advisory, &version(e, &zero_pseudo), &mut Vec::new()).is_some());
    }
}

//! Fixture ladder for `github/codeowners`.

mod common;

use common::run_extractor;
use serde_json::json;
use vigil_core::{AssetKind, Level};
use vigil_discover::Extractor;
use vigil_discover::extractors::codeowners::Codeowners;

/// `(pattern, owners, line)` of each rule.
fn rules(out: &vigil_discover::Output) -> Vec<(String, Vec<String>, Option<u32>)> {
    out.ownership
        .iter()
        .map(|r| (r.pattern.clone(), r.owners.clone(), r.evidence.line))
        .collect()
}

/// `(name, patterns, location)` of each team asset.
fn teams(out: &vigil_discover::Output) -> Vec<(String, serde_json::Value, String)> {
    out.assets
        .iter()
        .map(|a| {
            assert_eq!(a.kind, AssetKind::Team);
            assert_eq!(a.id.as_str(), format!("team:{}", a.name));
            (
                a.name.clone(),
                a.attributes["patterns"].clone(),
                a.evidence[0].location(),
            )
        })
        .collect()
}

fn owners(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn claims_only_the_github_and_gitlab_locations() {
    assert!(Codeowners.claims("CODEOWNERS", "CODEOWNERS"));
    assert!(Codeowners.claims(".github/CODEOWNERS", "CODEOWNERS"));
    assert!(Codeowners.claims("docs/CODEOWNERS", "CODEOWNERS"));
    assert!(!Codeowners.claims("services/api/CODEOWNERS", "CODEOWNERS"));
    assert!(Codeowners.claims(".gitlab/CODEOWNERS", "CODEOWNERS"));
    assert!(!Codeowners.claims("codeowners", "codeowners"));
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let prose = "# Ownership\n\nThis file lists who owns the code.\nAsk the platform team.\n";
    let error = run_extractor(&Codeowners, &[("CODEOWNERS", prose)]).unwrap_err();
    assert_eq!(error.path, "CODEOWNERS");
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("not a CODEOWNERS file"), "{error}");
}

#[test]
fn empty_file_and_comment_only_file_have_no_rules() {
    for text in ["", "# Code owners\n\n   \n# none yet\n"] {
        let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
        assert!(out.ownership.is_empty() && out.assets.is_empty() && out.diagnostics.is_empty());
    }
}

#[test]
fn one_rule() {
    let out = run_extractor(
        &Codeowners,
        &[(".github/CODEOWNERS", "# Owners\n*       @acme/platform\n")],
    )
    .unwrap();
    assert_eq!(
        rules(&out),
        [("*".to_owned(), owners(&["@acme/platform"]), Some(2))]
    );
    assert_eq!(out.ownership[0].evidence.path, ".github/CODEOWNERS");
    assert_eq!(
        teams(&out),
        [(
            "@acme/platform".to_owned(),
            json!(["*"]),
            ".github/CODEOWNERS:2".to_owned()
        )]
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn two_rules_keep_file_order_and_owners_collect_their_patterns() {
    let text = "*.js    @acme/web alice@example.com\n/services/api/ @acme/backend @acme/web\n";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(
        rules(&out),
        [
            (
                "*.js".to_owned(),
                owners(&["@acme/web", "alice@example.com"]),
                Some(1)
            ),
            (
                "/services/api/".to_owned(),
                owners(&["@acme/backend", "@acme/web"]),
                Some(2)
            ),
        ]
    );
    assert_eq!(
        teams(&out),
        [
            (
                "@acme/web".to_owned(),
                json!(["*.js", "/services/api/"]),
                "CODEOWNERS:1".to_owned()
            ),
            (
                "alice@example.com".to_owned(),
                json!(["*.js"]),
                "CODEOWNERS:1".to_owned()
            ),
            (
                "@acme/backend".to_owned(),
                json!(["/services/api/"]),
                "CODEOWNERS:2".to_owned()
            ),
        ]
    );
}

#[test]
fn a_shadowed_file_is_reported_as_ignored_and_yields_nothing() {
    let rules_text = "* @acme/platform\n";
    // .github/CODEOWNERS beats the root file, which beats docs/.
    for (path, winner) in [
        ("CODEOWNERS", ".github/CODEOWNERS"),
        ("docs/CODEOWNERS", ".github/CODEOWNERS"),
        ("docs/CODEOWNERS", "CODEOWNERS"),
    ] {
        let out = run_extractor(&Codeowners, &[(path, rules_text), (winner, "* @acme/other\n")]).unwrap();
        assert!(
            out.ownership.is_empty() && out.assets.is_empty(),
            "{path} shadowed by {winner}"
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].level, Level::Info);
        assert_eq!(out.diagnostics[0].path, path);
        assert!(
            out.diagnostics[0].message.contains(winner),
            "{}",
            out.diagnostics[0]
        );
    }
    // Lower-precedence files do not shadow a higher one.
    let out = run_extractor(
        &Codeowners,
        &[(".github/CODEOWNERS", rules_text), ("CODEOWNERS", "* @x\n")],
    )
    .unwrap();
    assert_eq!(out.ownership.len(), 1);
    assert!(out.diagnostics.is_empty());
    let out = run_extractor(
        &Codeowners,
        &[("CODEOWNERS", rules_text), ("docs/CODEOWNERS", "* @x\n")],
    )
    .unwrap();
    assert_eq!(out.ownership.len(), 1);
}

#[test]
fn comments_escapes_and_trailing_comments() {
    let text = "\
# leading comment
   # indented comment
\\#notes.md @acme/docs
/build/logs/ @acme/ops   # trailing comment
docs/my\\ file.md @acme/docs#not-a-comment
";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(
        rules(&out),
        [
            ("#notes.md".to_owned(), owners(&["@acme/docs"]), Some(3)),
            ("/build/logs/".to_owned(), owners(&["@acme/ops"]), Some(4)),
            ("docs/my file.md".to_owned(), vec![], Some(5)),
        ]
    );
    // `#` inside a token is not a comment, so the owner is `@acme/docs#not-a-comment`, which is malformed.
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        (out.diagnostics[0].level, out.diagnostics[0].line),
        (Level::Warning, Some(5))
    );
}

#[test]
fn gitlab_sections_are_skipped() {
    let text = "[Documentation]\ndocs/ @acme/docs\n^[Optional][2] @acme/reviewers\n*.go @acme/go\n";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(
        rules(&out),
        [
            ("docs/".to_owned(), owners(&["@acme/docs"]), Some(2)),
            ("*.go".to_owned(), owners(&["@acme/go"]), Some(4)),
        ]
    );
    assert_eq!(out.assets.len(), 2, "section default owners are not teams");
}

#[test]
fn a_bad_owner_is_dropped_with_a_warning_and_the_rule_kept() {
    let text = "*.rs @acme/rust acme-rust\n*.py @acme/py @ @acme/ https://x.example\n";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(
        rules(&out),
        [
            ("*.rs".to_owned(), owners(&["@acme/rust"]), Some(1)),
            ("*.py".to_owned(), owners(&["@acme/py"]), Some(2)),
        ]
    );
    let warnings: Vec<_> = out.diagnostics.iter().map(|d| (d.level, d.line)).collect();
    assert_eq!(
        warnings,
        [
            (Level::Warning, Some(1)),
            (Level::Warning, Some(2)),
            (Level::Warning, Some(2)),
            (Level::Warning, Some(2))
        ]
    );
    assert!(
        out.diagnostics[0].message.contains("`acme-rust`"),
        "{}",
        out.diagnostics[0]
    );
}

#[test]
fn a_pattern_without_owners_is_an_unowned_rule_that_overrides_earlier_ones() {
    let text = "* @acme/platform\n/vendor/\n";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(
        rules(&out),
        [
            ("*".to_owned(), owners(&["@acme/platform"]), Some(1)),
            ("/vendor/".to_owned(), vec![], Some(2))
        ]
    );
    assert!(out.diagnostics.is_empty());
    assert_eq!(teams(&out).len(), 1);
}

#[test]
fn negation_is_not_supported_by_github() {
    let text = "* @acme/platform\n!/docs/ @acme/docs\n";
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", text)]).unwrap();
    assert_eq!(out.ownership.len(), 1);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn windows_line_endings_and_hostile_input_do_not_panic() {
    let out = run_extractor(&Codeowners, &[("CODEOWNERS", "* @acme/a\r\n/x/ @acme/b\r\n")]).unwrap();
    assert_eq!(rules(&out)[1], ("/x/".to_owned(), owners(&["@acme/b"]), Some(2)));
    for text in [
        "\\",
        "\\\\\\",
        "@",
        "a @\u{0}",
        "\u{feff}* @a",
        "[",
        "^",
        "* @a/b/c @x@y@z",
    ] {
        let _ = run_extractor(&Codeowners, &[("CODEOWNERS", text)]);
    }
}

#[test]
fn gitlab_sections_give_default_owners() {
    let text = "* @org/everyone\n\n[Backend] @org/backend\n/api/\n/db/ @org/dba\n\n^[Docs][2] @org/writers @org/editors\n*.md\n";
    let out = common::run_extractor(&Codeowners, &[(".gitlab/CODEOWNERS", text)]).unwrap();
    let rules: Vec<(String, Vec<String>)> = out
        .ownership
        .iter()
        .map(|r| (r.pattern.clone(), r.owners.clone()))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("*".to_owned(), vec!["@org/everyone".to_owned()]),
            ("/api/".to_owned(), vec!["@org/backend".to_owned()]),
            ("/db/".to_owned(), vec!["@org/dba".to_owned()]),
            (
                "*.md".to_owned(),
                vec!["@org/writers".to_owned(), "@org/editors".to_owned()]
            ),
        ]
    );
}

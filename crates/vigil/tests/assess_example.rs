//! `vigil assess` on the bundled example: what a user sees, the JSON contract, determinism and exit codes.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
mod common;

use common::{SHOP, assessment, stderr, stdout, vigil};

#[test]
fn terminal_summary_of_the_example() {
    let output = vigil(&SHOP);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("shop_terminal", stdout(&output));
}

#[test]
fn markdown_report_of_the_example() {
    let mut args = SHOP.to_vec();
    args.extend(["--format", "md"]);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("shop_markdown", stdout(&output));
}

/// CSV for spreadsheets and ticket imports: one row per finding, riskiest first, with its action; cells a
/// spreadsheet would run as formulas are neutralised.
#[test]
fn csv_of_the_example() {
    let mut args = SHOP.to_vec();
    args.extend(["--format", "csv"]);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let rows = text.split("\r\n").filter(|r| !r.is_empty()).count();
    let findings = assessment(&SHOP)["findings"].as_array().unwrap().len();
    assert_eq!(rows, findings + 1, "a header and one row per finding");
    insta::assert_snapshot!("shop_csv", text);
}

#[test]
fn json_validates_against_the_checked_in_schema() {
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(common::workspace().join("schema/assessment.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let document = assessment(&SHOP);
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(document["schema_version"], vigil_core::SCHEMA_VERSION);
    assert!(document["findings"].as_array().unwrap().len() > 10);
    assert!(document["roadmap"]["actions"].as_array().unwrap().len() > 5);
}

#[test]
fn two_runs_give_byte_identical_json_apart_from_the_timestamp() {
    let strip = |mut v: serde_json::Value| {
        v["generated_at"] = serde_json::Value::Null;
        serde_json::to_string_pretty(&v).unwrap()
    };
    let first = strip(assessment(&SHOP));
    let second = strip(assessment(&SHOP));
    assert!(first == second, "the two runs differ");
}

#[test]
fn the_roadmap_is_ranked_and_owned() {
    let document = assessment(&SHOP);
    let actions = document["roadmap"]["actions"].as_array().unwrap();
    let rank = |band: &str| {
        ["low", "medium", "high", "critical"]
            .iter()
            .position(|b| *b == band)
            .unwrap()
    };
    for pair in actions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let key = |x: &serde_json::Value| {
            (
                rank(x["band"].as_str().unwrap()),
                x["risk_removed"].as_u64().unwrap(),
            )
        };
        assert!(key(a) >= key(b), "{} before {}", a["title"], b["title"]);
    }
    let lodash = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Upgrade lodash"))
        .unwrap();
    assert_eq!(lodash["upgrade"]["to"], "4.17.21");
    assert_eq!(lodash["findings"].as_array().unwrap().len(), 3);
    assert_eq!(lodash["owner"]["name"], "@shop/storefront");
    assert_eq!(lodash["owner"]["source"], "codeowners");
    // Imported by the Internet-facing API (server.js:3): critical band, due 7 days after the assessment date.
    assert_eq!(lodash["band"], "critical");
    assert_eq!(lodash["due"], "2026-12-04");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let mut critical = SHOP.to_vec();
    critical.extend(["--fail-on", "critical", "--quiet"]);
    assert_eq!(vigil(&critical).status.code(), Some(1));

    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("README.md"), "nothing to see").unwrap();
    let output = vigil(&["assess", clean.path().to_str().unwrap(), "--fail-on", "low"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Gate expressions over the example's open findings (2 critical and 5 high imported vulnerabilities, a
/// medium and a low one only present, no KEV or EPSS data; public buckets; an unauthenticated route on the
/// Internet-facing API): each expression's exit code, and a bad expression is a usage error naming the
/// problem and where it is.
#[test]
fn fail_on_expressions() {
    let exit = |expression: &str| {
        let mut args = SHOP.to_vec();
        args.extend(["--fail-on", expression, "--quiet"]);
        let output = vigil(&args);
        (output.status.code(), stderr(&output))
    };
    for (expression, code) in [
        ("high", 1),
        (r#"rule == "aws-s3-public-access""#, 1),
        ("rule == no-such-rule", 0),
        ("kev", 0),
        ("epss > 0", 0),
        ("not kev and kind == vulnerability and band >= critical", 1),
        (
            "kind == vulnerability and reachability == present and band >= low",
            1,
        ),
        // The one present-only medium (requests) is accepted in the example's vigil.toml: not gated.
        (
            "kind == vulnerability and reachability == present and band >= medium",
            0,
        ),
        (
            "kind == vulnerability and reachability == present and band >= high",
            0,
        ),
        (
            "kind == vulnerability and (reachability == dev-only or direct == false) and band >= critical",
            0,
        ),
        ("cwe == CWE-306 and internet and rpn >= 100", 1),
        ("status == accepted", 0),
    ] {
        assert_eq!(exit(expression).0, Some(code), "{expression}");
    }
    let (code, text) = exit("severity > 3");
    assert_eq!(code, Some(2));
    assert!(
        text.starts_with("error: --fail-on: unknown field `severity`") && text.contains("at character 1"),
        "{text}"
    );
    let (code, text) = exit("band >= high and (kev");
    assert_eq!(code, Some(2));
    assert!(text.contains("missing `)` at character 22"), "{text}");
    assert_eq!(exit("rule > 3").0, Some(2));
}

/// `--baseline`: only findings the earlier assessment did not have are reported and gated; a file that is
/// not an assessment is a usage error.
#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let mut earlier = assessment(&SHOP);
    let findings = earlier["findings"].as_array_mut().unwrap();
    let total = findings.len();
    let fixed_since = findings
        .iter()
        .position(|f| f["rule_id"] == "aws-s3-public-access")
        .unwrap();
    let new = findings.remove(fixed_since);
    let baseline = dir.path().join("earlier.json");
    std::fs::write(&baseline, earlier.to_string()).unwrap();

    let mut args = SHOP.to_vec();
    args.extend(["--format", "json", "--baseline", baseline.to_str().unwrap()]);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reported: Vec<&str> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(reported, [new["fingerprint"].as_str().unwrap()]);
    let note = format!(
        "baseline: {} finding(s) it already had are not reported; 1 new",
        total - 1
    );
    assert!(
        document["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["message"] == note.as_str()),
        "{}",
        document["diagnostics"]
    );
    args.extend(["--fail-on", "rule == aws-s3-public-access"]);
    assert_eq!(vigil(&args).status.code(), Some(1));

    let not_an_assessment = dir.path().join("other.json");
    std::fs::write(&not_an_assessment, "{\"results\": []}").unwrap();
    let mut args = SHOP.to_vec();
    args.extend(["--baseline", not_an_assessment.to_str().unwrap()]);
    let output = vigil(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("other.json: not an assessment"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_with_2_and_a_hint() {
    let output = vigil(&["assess", "does/not/exist"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: does/not/exist: not a directory\nhint: "),
        "{}",
        stderr(&output)
    );

    let output = vigil(&["assess", "examples/shop", "--as-of", "yesterday"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("YYYY-MM-DD"));

    let output = vigil(&["rules", "explain", "no-such-rule"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn out_writes_every_report() {
    let out = tempfile::tempdir().unwrap();
    let mut args = SHOP.to_vec();
    args.extend(["--out", out.path().to_str().unwrap(), "--quiet"]);
    assert_eq!(vigil(&args).status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("assessment.json")).unwrap()).unwrap();
    assert_eq!(json["tool"]["name"], "vigil");
    let md = std::fs::read_to_string(out.path().join("assessment.md")).unwrap();
    assert!(md.starts_with("# Threat assessment: shop"));
    let html = std::fs::read_to_string(out.path().join("assessment.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("assessment.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn without_advisories_dependencies_are_not_checked_rather_than_clean() {
    let document = assessment(&["assess", "examples/shop", "--as-of", "2026-11-27"]);
    let not_checked = document["coverage"]["not_checked"].as_array().unwrap();
    assert!(
        not_checked
            .iter()
            .any(|n| n["why"].as_str().unwrap().starts_with("no advisory database")),
        "{not_checked:?}"
    );
    assert!(
        document["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] != "vulnerability")
    );
}

/// Issue 6's acceptance: every factor of every finding says why, and what was not known says "assumed"
/// rather than counting as zero; the decision tables' inputs do the same.
#[test]
fn every_factor_has_evidence_or_says_it_is_assumed() {
    let document = assessment(&SHOP);
    let findings = document["findings"].as_array().unwrap();
    assert!(findings.len() > 20);
    let mut decided = 0;
    for finding in findings {
        let id = finding["id"].as_str().unwrap();
        let score = &finding["score"];
        let factors = score["factors"].as_array().unwrap();
        for dimension in ["likelihood", "impact", "detectability"] {
            let base = factors
                .iter()
                .find(|f| f["dimension"] == dimension && f["name"] == "base");
            assert!(base.is_some(), "{id}: no base factor for {dimension}");
        }
        for factor in factors {
            let evidence = factor["evidence"].as_str().unwrap();
            assert!(
                evidence.trim().len() > 10,
                "{id}: factor {} has no evidence",
                factor["name"]
            );
            assert!(factor["weight"].as_f64().unwrap() >= 0.0);
        }
        // A base that was not read from the rule or the advisory says it was assumed, and so does the score.
        let assumed_base = factors
            .iter()
            .any(|f| f["evidence"].as_str().unwrap().starts_with("assumed"));
        let assumptions = score["assumptions"].as_array().map_or(0, Vec::len);
        if assumed_base {
            assert!(assumptions > 0, "{id}: an assumed base is listed in assumptions");
        }
        assert_eq!(
            score["confidence"] == "high",
            assumptions == 0,
            "{id}: confidence follows the assumptions"
        );
        for decision in score["decisions"].as_array().into_iter().flatten() {
            decided += 1;
            for input in decision["inputs"].as_array().unwrap() {
                let evidence = input["evidence"].as_str().unwrap();
                assert!(!evidence.is_empty(), "{id}: {} has no evidence", input["name"]);
                if input["assumed"] == true {
                    assert!(evidence.starts_with("assumed"), "{id}: {evidence}");
                }
            }
        }
    }
    let vulnerabilities = findings.iter().filter(|f| f["kind"] == "vulnerability").count();
    assert_eq!(
        decided,
        2 * vulnerabilities,
        "SSVC and BOD 26-04 for every vulnerability"
    );
}

/// The example accepts one advisory in its vigil.toml: the finding keeps its score, leaves the roadmap and
/// the gate, and carries who decided, why and until when. After the review date it is open again.
#[test]
fn triage_entries_in_the_repository_decide_and_expire() {
    let document = assessment(&SHOP);
    let accepted: Vec<&serde_json::Value> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "accepted")
        .collect();
    assert_eq!(accepted.len(), 1);
    let finding = accepted[0];
    assert!(
        finding["advisory_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "CVE-2023-32681")
    );
    assert_eq!(finding["decision"]["owner"], "@shop/fulfilment");
    assert_eq!(finding["decision"]["expires"], "2027-02-28");
    assert!(finding["score"]["rpn"].as_u64().unwrap() > 0, "still scored");
    let id = finding["id"].as_str().unwrap();
    let actions = document["roadmap"]["actions"].as_array().unwrap();
    assert!(
        !actions
            .iter()
            .any(|a| a["findings"].as_array().unwrap().iter().any(|f| f == id))
    );

    let mut later = SHOP.to_vec();
    let position = later.iter().position(|a| *a == "2026-11-27").unwrap();
    later[position] = "2027-03-01";
    let document = assessment(&later);
    let finding = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap();
    assert_eq!(finding["status"], "open");
    let diagnostics = document["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["level"] == "warning"
            && d["line"] == 20
            && d["message"].as_str().unwrap().contains("expired on 2027-02-28")),
        "{diagnostics:#?}"
    );
}

/// GitHub refuses pull-request comments over 65,536 characters; the Markdown report stays under its budget
/// and says what it left out.
#[test]
fn markdown_fits_a_pull_request_comment() {
    let mut args = SHOP.to_vec();
    args.extend(["--format", "md"]);
    let text = stdout(&vigil(&args));
    assert!(
        text.chars().count() <= 60_000,
        "{} characters",
        text.chars().count()
    );
    assert!(
        text.contains("| 1 | critical |"),
        "the roadmap table is always kept"
    );
}

//! The GitHub sink against the fake GitHub Issues API of `vigil_tickets::testing::github`. The fake enforces the request
//! shapes the real API requires (bearer token, JSON content type, a title, labels as strings, the body
//! size limit, known fields only) and can fail the way the real one does: a 429 with Retry-After, a 500,
//! a create that answers after the client gave up, a concurrent create of the same ticket. Every case is
//! driven through the sync engine and ends with one open issue per key.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vigil_core::Band;
use vigil_tickets::github::{DRY_RUN_ID, GitHubConfig, GitHubSink};
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::testing::Server;
use vigil_tickets::testing::github::{FakeGitHub, Fault, GitHubSettings, MAX_BODY_CHARS};
use vigil_tickets::{Secret, Ticket};

const TOKEN: &str = "ghp_contract_test_token_0123456789";
const REPO: &str = "acme/shop";
/// GitHub Enterprise Server's API prefix: the sink must keep it on every path.
const PREFIX: &str = "/api/v3";
const VARIABLE: &str = "VIGIL_GITHUB_TOKEN";

// ---------------------------------------------------------------------------------------------------
// The client side
// ---------------------------------------------------------------------------------------------------

/// The fake GitHub, expecting this test's token and repository under the Enterprise Server prefix.
fn start() -> (FakeGitHub, Server) {
    FakeGitHub::start(GitHubSettings {
        token: TOKEN.into(),
        repository: REPO.into(),
        api_prefix: PREFIX.into(),
    })
    .unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_millis(300),
    }
}

fn config(server: &Server) -> GitHubConfig {
    GitHubConfig {
        base_url: format!("{}{PREFIX}", server.url),
        repository: REPO.into(),
        milestone: Some("3".into()),
        extra_labels: vec!["security".into()],
    }
}

fn sink_with(server: &Server, token: &str, dry_run: bool) -> GitHubSink {
    GitHubSink::new(
        config(server),
        Auth::Bearer(Secret::new(token)),
        VARIABLE,
        policy(),
        dry_run,
    )
    .unwrap()
}

fn sink(server: &Server) -> GitHubSink {
    sink_with(server, TOKEN, false)
}

use vigil_tickets::testing::ticket;

fn marker(ticket: &Ticket) -> String {
    format!("\n<!-- vigil:content-hash={} -->\n", ticket.content_hash())
}

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(sink: &GitHubSink, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(sink, wanted, &known, "All findings fixed.", &mut |l| {
        saved.push(l.clone())
    });
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

fn creates_sent(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == format!("{PREFIX}/repos/{REPO}/issues"))
        .count()
}

// ---------------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------------

#[test]
fn a_created_issue_has_the_shape_github_needs_and_reads_back() {
    let (fake, server) = start();
    let sink = sink(&server);
    let mut team = ticket("VA-a", "Upgrade lodash");
    team.band = Band::Critical;
    let mut person = ticket("VA-b", "Fix the bucket");
    person.owner = Some("@alice".into());
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[team.clone(), person.clone()], &mut links),
        vec![
            ("vigil-VA-a".into(), Outcome::Created),
            ("vigil-VA-b".into(), Outcome::Created)
        ]
    );

    let issue = fake.issue(1).unwrap();
    assert_eq!(issue.title, "Upgrade lodash");
    assert_eq!(
        issue.labels,
        vec!["vigil", "security", "priority: critical", "vigil-VA-a"]
    );
    assert!(issue.assignees.is_empty(), "a team is not assignable");
    assert!(issue.body.contains("**Owner:** @shop/platform"), "{}", issue.body);
    assert!(issue.body.ends_with(&marker(&team)));
    assert_eq!(issue.milestone, Some(3));

    let issue = fake.issue(2).unwrap();
    assert_eq!(issue.assignees, vec!["alice"]);
    assert!(!issue.body.contains("**Owner:**"), "an assignee needs no mention");
    assert_eq!(issue.body, format!("{}{}", person.markdown(), marker(&person)));

    let found = sink.find("vigil-VA-a").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "1");
    assert_eq!(found[0].url, format!("https://github.example/{REPO}/issues/1"));
    assert!(found[0].open);
    assert_eq!(found[0].content_hash, Some(team.content_hash()));
    assert_eq!(
        sink.get("2").unwrap().unwrap().content_hash,
        Some(person.content_hash())
    );
    assert_eq!(sink.get("99").unwrap(), None, "404 is a deleted issue");
    assert_eq!(links[1].id, "2");
}

#[test]
fn a_lifecycle_closes_reopens_updates_and_reports_a_close_by_a_person() {
    let (fake, server) = start();
    let sink = sink(&server);
    let key = "vigil-VA-a";
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();

    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![(key.into(), Outcome::Created)]
    );
    assert_eq!(links[0].id, "1");

    // Every finding fixed: the action is gone.
    assert_eq!(run(&sink, &[], &mut links), vec![(key.into(), Outcome::Closed)]);
    let issue = fake.issue(1).unwrap();
    assert_eq!(
        (issue.state.as_str(), issue.state_reason.as_deref()),
        ("closed", Some("completed"))
    );
    assert_eq!(fake.comments_on(1), vec!["All findings fixed."]);

    // The findings come back: the same issue is reopened.
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![(key.into(), Outcome::Reopened)]
    );
    assert_eq!(fake.issues_with(key).len(), 1, "reopened, not created again");
    assert_eq!(fake.open_with(key), 1);
    assert_eq!(fake.comments_on(1).len(), 2);

    // Someone files the issue under their team.
    if let Some(issue) = fake.state().issues.iter_mut().find(|i| i.number == 1) {
        issue.labels.push("team-payments".to_owned());
    }

    // The action changes: the issue is rewritten, and an unchanged one is left alone.
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    assert_eq!(
        run(&sink, std::slice::from_ref(&a2), &mut links),
        vec![(key.into(), Outcome::Updated)]
    );
    let issue = fake.issue(1).unwrap();
    assert_eq!(issue.title, "Upgrade lodash (now 3 advisories)");
    assert!(
        issue.labels.iter().any(|l| l == "team-payments"),
        "a label people added survives the update: {:?}",
        issue.labels
    );
    assert!(issue.body.ends_with(&marker(&a2)));
    let patches = server.requests().iter().filter(|r| r.method == "PATCH").count();
    assert_eq!(
        run(&sink, std::slice::from_ref(&a2), &mut links),
        vec![(key.into(), Outcome::Unchanged)]
    );
    assert_eq!(
        server.requests().iter().filter(|r| r.method == "PATCH").count(),
        patches,
        "nothing changed, nothing written"
    );

    // Someone closes it on GitHub while the findings are still there: reported, left closed.
    fake.close_by_hand(1);
    for _ in 0..2 {
        assert_eq!(
            run(&sink, std::slice::from_ref(&a2), &mut links),
            vec![(key.into(), Outcome::ClosedWithoutFix)]
        );
    }
    assert_eq!(fake.open_with(key), 0);
    assert_eq!(fake.issues_with(key).len(), 1);
}

#[test]
fn a_closed_issue_is_found_by_key_when_the_links_were_lost() {
    let (fake, server) = start();
    let sink = sink(&server);
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    run(&sink, std::slice::from_ref(&a), &mut links);
    run(&sink, &[], &mut links);
    assert_eq!(fake.open_with("vigil-VA-a"), 0);

    // The store was lost: only the key on GitHub tells which issue is this action's.
    assert_eq!(
        sink.find("vigil-VA-a").unwrap().len(),
        1,
        "closed issues are found too"
    );
    let mut lost = Vec::new();
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut lost),
        vec![("vigil-VA-a".into(), Outcome::Reopened)]
    );
    assert_eq!(
        fake.issues_with("vigil-VA-a").len(),
        1,
        "reopened, not created again"
    );
    assert_eq!(lost[0].id, "1");
}

#[test]
fn a_rate_limited_create_waits_for_retry_after_and_creates_once() {
    let (fake, server) = start();
    fake.fault(Fault::RateLimited);
    let started = Instant::now();
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(creates_sent(&server), 2, "the refused create is sent again");
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_create_answered_with_500_is_searched_for_then_created_once() {
    let (fake, server) = start();
    fake.fault(Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(creates_sent(&server), 2);
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_500_on_a_read_is_retried() {
    let (fake, server) = start();
    fake.state().failing_reads = 2;
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
}

#[test]
fn a_create_that_times_out_after_github_made_the_issue_is_not_repeated() {
    let (fake, server) = start();
    fake.fault(Fault::SlowAfterCreating);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Created)]);
    assert_eq!(creates_sent(&server), 1, "a create is never retried blind");
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");

    // The sink itself reports the lost answer as a timeout (which is what makes the engine search).
    fake.fault(Fault::SlowAfterCreating);
    let error = sink(&server).create(&ticket("VA-b", "y")).unwrap_err();
    assert!(
        matches!(error, SinkError::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
}

#[test]
fn a_concurrent_create_leaves_one_open_issue_and_closes_the_twin_as_not_planned() {
    let (fake, server) = start();
    fake.fault(Fault::Race);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&("vigil-VA-a".into(), Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert_eq!(fake.issues_with("vigil-VA-a").len(), 2);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1", "the oldest is kept");
    let twin = fake.issue(2).unwrap();
    assert_eq!(
        (twin.state.as_str(), twin.state_reason.as_deref()),
        ("closed", Some("not_planned"))
    );
    let comments = fake.comments_on(2);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].starts_with("Duplicate of #1"), "{comments:?}");

    // The next sync sees one open issue and a closed twin: nothing to do.
    let outcomes = run(&sink(&server), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![("vigil-VA-a".into(), Outcome::Unchanged)]);
}

#[test]
fn pull_requests_carrying_the_key_are_not_tickets() {
    let (fake, server) = start();
    {
        let mut state = fake.state();
        state.insert("A pull request", "", vec!["vigil-VA-a".into()]);
        if let Some(pr) = state.issues.last_mut() {
            pr.pull_request = true;
        }
    }
    let sink = sink(&server);
    assert_eq!(sink.find("vigil-VA-a").unwrap(), vec![]);
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[ticket("VA-a", "x")], &mut links),
        vec![("vigil-VA-a".into(), Outcome::Created)]
    );
    assert_eq!(links[0].id, "2");
}

#[test]
fn a_body_over_the_limit_is_cut_and_keeps_its_marker() {
    let (fake, server) = start();
    let mut long = ticket("VA-a", "Rotate every key");
    long.steps = (0..3000)
        .map(|i| format!("rotate key number {i} of the legacy keyring"))
        .collect();
    assert!(long.markdown().chars().count() > MAX_BODY_CHARS);
    let sink = sink(&server);
    let mut links = Vec::new();
    assert_eq!(
        run(&sink, &[long.clone()], &mut links),
        vec![("vigil-VA-a".into(), Outcome::Created)]
    );
    let body = fake.issue(1).unwrap().body;
    assert!(body.chars().count() <= MAX_BODY_CHARS);
    assert!(body.ends_with(&marker(&long)));
    assert_eq!(
        sink.get("1").unwrap().unwrap().content_hash,
        Some(long.content_hash())
    );
}

#[test]
fn the_fake_refuses_what_github_refuses() {
    let (_fake, server) = start();
    let http = Http::new(
        &format!("{}{PREFIX}", server.url),
        Auth::Bearer(Secret::new(TOKEN)),
        VARIABLE,
        policy(),
        false,
    )
    .unwrap();
    let issues = format!("/repos/{REPO}/issues");
    let status = |request: Request| match http.send(request) {
        Ok(response) => response.status,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other}"),
    };
    let post = |body: Value| Request::send(Method::Post, issues.clone(), body);
    assert_eq!(status(post(json!({ "body": "no title" }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "labels": [1] }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "labels": "vigil" }))), 422);
    assert_eq!(
        status(post(
            json!({ "title": "x", "body": "b".repeat(MAX_BODY_CHARS + 1) })
        )),
        422
    );
    assert_eq!(
        status(post(json!({ "title": "x", "assignees": ["shop/platform"] }))),
        422
    );
    assert_eq!(status(post(json!({ "title": "x", "milestone": "3" }))), 422);
    assert_eq!(status(post(json!({ "title": "x", "lables": ["vigil"] }))), 422);
    assert_eq!(
        status(post(json!({ "title": "x" })).content_type("text/plain")),
        400
    );
    assert_eq!(status(post(json!(["not an object"]))), 400);
    assert_eq!(status(post(json!({ "title": "x" }))), 201);
    let patch = |body: Value| Request::send(Method::Patch, format!("{issues}/1"), body);
    assert_eq!(status(patch(json!({ "state": "done" }))), 422);
    assert_eq!(
        status(patch(json!({ "state": "closed", "state_reason": "fixed" }))),
        422
    );
    assert_eq!(
        status(patch(json!({ "state": "closed", "state_reason": "completed" }))),
        200
    );

    let stranger = Http::new(
        &format!("{}{PREFIX}", server.url),
        Auth::Basic {
            user: "x".into(),
            token: Secret::new(TOKEN),
        },
        VARIABLE,
        policy(),
        false,
    )
    .unwrap();
    assert!(matches!(
        stranger.send(Request::get(issues.clone())),
        Err(SinkError::Unauthorised { status: 401, .. })
    ));
}

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let (fake, server) = start();
    let a = ticket("VA-a", "Upgrade lodash");
    let mut b = ticket("VA-b", "Fix the bucket");
    b.owner = Some("@alice".into());
    // An issue for `a` from an older sync, with different content: a dry run would update it.
    fake.state().insert(
        "Upgrade lodash (old)",
        "old\n<!-- vigil:content-hash=00000000deadbeef -->\n",
        vec!["vigil".into(), "vigil-VA-a".into()],
    );

    let sink = sink_with(&server, TOKEN, true);
    let mut links = Vec::new();
    let outcomes = run(&sink, &[a.clone(), b.clone()], &mut links);
    assert_eq!(
        outcomes,
        vec![
            ("vigil-VA-a".into(), Outcome::Updated),
            ("vigil-VA-b".into(), Outcome::Created)
        ]
    );
    assert_eq!(links[1].id, DRY_RUN_ID);

    assert_eq!(fake.state().issues.len(), 1, "nothing created");
    assert_eq!(
        fake.issue(1).unwrap().title,
        "Upgrade lodash (old)",
        "nothing updated"
    );
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "a dry run only reads"
    );

    let expected = vec![
        Request::send(
            Method::Patch,
            format!("/repos/{REPO}/issues/1"),
            json!({
                "title": "Upgrade lodash",
                "body": format!("{}\n**Owner:** @shop/platform\n{}", a.markdown(), marker(&a)),
                "labels": ["vigil", "security", "priority: high", "vigil-VA-a"],
            }),
        )
        .idempotent(),
        Request::send(
            Method::Post,
            format!("/repos/{REPO}/issues"),
            json!({
                "title": "Fix the bucket",
                "body": format!("{}{}", b.markdown(), marker(&b)),
                "labels": ["vigil", "security", "priority: high", "vigil-VA-b"],
                "assignees": ["alice"],
                "milestone": 3,
            }),
        ),
    ];
    assert_eq!(sink.recorded(), expected);
}

#[test]
fn the_token_never_appears_in_an_error() {
    let (fake, server) = start();
    let wrong = "ghp_wrong_token_that_must_not_leak";
    let leaks = |text: &str| text.contains(TOKEN) || text.contains(wrong);

    // 401: a wrong token.
    let stranger = sink_with(&server, wrong, false);
    let error = stranger.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(error, SinkError::Unauthorised { status: 401, .. }),
        "{error:?}"
    );
    let text = format!("{error} {error:?}");
    assert!(!leaks(&text), "{text}");
    assert!(
        text.contains(VARIABLE),
        "the error names where the token came from: {text}"
    );
    let mut links = Vec::new();
    let outcomes = run(&stranger, &[ticket("VA-a", "x")], &mut links);
    assert!(
        matches!(&outcomes[0].1, Outcome::Failed(message) if !leaks(message)),
        "{outcomes:?}"
    );
    assert!(!leaks(&format!("{stranger:?}")));

    // 500: a broken GitHub, for reads and for writes.
    fake.state().broken = true;
    let sink = sink(&server);
    let errors = [
        sink.find("vigil-VA-a").unwrap_err(),
        sink.create(&ticket("VA-a", "x")).unwrap_err(),
        sink.close("1", "done").unwrap_err(),
    ];
    for error in errors {
        assert!(
            matches!(error, SinkError::Server { status: 500, .. }),
            "{error:?}"
        );
        let text = format!("{error} {error:?}");
        assert!(!leaks(&text), "{text}");
    }
    assert!(fake.issues_with("vigil-VA-a").is_empty());
}

#[test]
fn the_public_api_is_the_default_base_and_the_configuration_is_checked() {
    let auth = || Auth::Bearer(Secret::new(TOKEN));
    let default = GitHubSink::new(
        GitHubConfig {
            repository: REPO.into(),
            ..GitHubConfig::default()
        },
        auth(),
        VARIABLE,
        policy(),
        true,
    )
    .unwrap();
    assert!(format!("{default:?}").contains("https://api.github.com"));
    assert!(!format!("{default:?}").contains(TOKEN));
    for bad in [
        GitHubConfig {
            repository: "acme".into(),
            ..GitHubConfig::default()
        },
        GitHubConfig {
            repository: REPO.into(),
            milestone: Some("v1.0".into()),
            ..GitHubConfig::default()
        },
        GitHubConfig {
            base_url: "ftp://github.example".into(),
            repository: REPO.into(),
            ..GitHubConfig::default()
        },
    ] {
        assert!(GitHubSink::new(bad, auth(), VARIABLE, policy(), false).is_err());
    }
}

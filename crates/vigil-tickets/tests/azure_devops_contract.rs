//! The Azure DevOps sink against the fake Boards service of `vigil_tickets::testing::azure_devops`. The fake enforces what the
//! real REST 7.1 API does (Basic auth with an empty user and the PAT, api-version on every call, JSON
//! Patch documents with their own content type, a title on create, WIQL in a JSON body) and keeps work
//! items in memory, so the sync engine's guarantees are checked over real HTTP: one open ticket per key
//! through rate limits, server errors, late answers and a concurrent sync; the full lifecycle; a dry run
//! that writes nothing; and no credential in any error.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vigil_core::Band;
use vigil_tickets::azure_devops::{AzureDevOpsConfig, AzureDevOpsSink};
use vigil_tickets::http::{Auth, Http, Method, Request, RetryPolicy};
use vigil_tickets::secret::Secret;
use vigil_tickets::sink::{SinkError, TicketSink};
use vigil_tickets::sync::{Link, Outcome, sync};
use vigil_tickets::testing::azure_devops::{AzureDevOpsSettings, FakeAzureDevOps, Fault};
use vigil_tickets::testing::{Resp, Server};
use vigil_tickets::ticket::{Ticket, TicketFinding};

const PAT: &str = "azdo-pat-VERY-secret-42";
/// `Basic base64(":" + PAT)`: Azure DevOps takes a PAT as the password of an empty user name.
const AUTHORIZATION: &str = "Basic OmF6ZG8tcGF0LVZFUlktc2VjcmV0LTQy";
const ORGANIZATION: &str = "/acme";
const CREATE_PATH: &str = "/Shop%20Platform/_apis/wit/workitems/$Task?api-version=7.1";
const CLOSING: &str = "All findings fixed & verified.";

// ---------------------------------------------------------------------------------------------------
// The fake Boards service (`vigil_tickets::testing::azure_devops`), expecting this test's PAT.

fn start() -> (FakeAzureDevOps, Server) {
    FakeAzureDevOps::start(AzureDevOpsSettings {
        authorization: AUTHORIZATION.into(),
        organization: ORGANIZATION.trim_start_matches('/').into(),
        project: "Shop Platform".into(),
    })
    .unwrap()
}

fn organization_url(server: &Server) -> String {
    format!("{}{ORGANIZATION}", server.url)
}

fn sink(server: &Server, pat: &str, dry_run: bool) -> AzureDevOpsSink {
    sink_at(&organization_url(server), pat, dry_run)
}

/// How many requests of a route (`create`, `wiql`, `update`…) reached the server.
fn count(fake: &FakeAzureDevOps, server: &Server, route: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| fake.route_of(r).is_some_and(|found| found.name() == route))
        .count()
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_millis(300),
    }
}

fn config(organization_url: &str) -> AzureDevOpsConfig {
    AzureDevOpsConfig {
        organization_url: organization_url.to_owned(),
        project: "Shop Platform".into(),
        area_path: Some("Shop Platform\\Security".into()),
        parent: Some("7".into()),
        ..AzureDevOpsConfig::default()
    }
}

fn basic(pat: &str) -> Auth {
    Auth::Basic {
        user: String::new(),
        token: Secret::new(pat),
    }
}

fn sink_at(organization_url: &str, pat: &str, dry_run: bool) -> AzureDevOpsSink {
    AzureDevOpsSink::new(
        config(organization_url),
        basic(pat),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        dry_run,
    )
    .unwrap()
}

fn ticket(action: &str, title: &str) -> Ticket {
    Ticket {
        labels: vec!["vigil".into(), "vigil-high".into()],
        summary: "why <now> & here".into(),
        findings: vec![TicketFinding {
            id: "F-1".into(),
            title: "Public bucket".into(),
            band: Band::High,
            rpn: 280,
            location: Some("main.tf:3".into()),
            link: Some("https://git.example/shop/blob/abc/main.tf#L3".into()),
        }],
        ..vigil_tickets::testing::ticket(action, title)
    }
}

/// Runs a sync and returns its outcomes by key, keeping the saved links in `links`.
fn run(sink: &dyn TicketSink, wanted: &[Ticket], links: &mut Vec<Link>) -> Vec<(String, Outcome)> {
    let known = links.clone();
    let mut saved: Vec<Link> = Vec::new();
    let report = sync(sink, wanted, &known, CLOSING, &mut |l| saved.push(l.clone()));
    *links = saved;
    report.entries.into_iter().map(|e| (e.key, e.outcome)).collect()
}

fn outcome(key: &str, outcome: Outcome) -> (String, Outcome) {
    (key.to_owned(), outcome)
}

fn hash_tag(ticket: &Ticket) -> String {
    format!("vigil-hash-{}", ticket.content_hash())
}

// ---------------------------------------------------------------------------------------------------
// The fake refuses what Boards refuses, so the sink's success below means the shapes are right.

#[test]
fn the_fakes_basic_credentials_match_an_independent_encoding() {
    assert_eq!(
        vigil_tickets::testing::basic_authorization("", PAT),
        AUTHORIZATION
    );
}

#[test]
fn the_fake_refuses_the_requests_boards_refuses() {
    let (_fake, server) = start();
    let http = Http::new(
        &organization_url(&server),
        basic(PAT),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        false,
    )
    .unwrap();
    let status = |request: Request| match http.send(request) {
        Ok(response) => response.status,
        Err(SinkError::Rejected { status, .. } | SinkError::Unauthorised { status, .. }) => status,
        Err(other) => panic!("{other:?}"),
    };
    let title = json!([{"op": "add", "path": "/fields/System.Title", "value": "x"}]);
    let patch = |body: Value| {
        Request::send(Method::Post, CREATE_PATH, body).content_type("application/json-patch+json")
    };
    assert_eq!(
        status(Request::send(Method::Post, CREATE_PATH, title.clone())),
        415,
        "plain JSON"
    );
    assert_eq!(
        status(patch(json!({"System.Title": "x"}))),
        400,
        "not a patch array"
    );
    assert_eq!(
        status(patch(
            json!([{"op": "move", "path": "/fields/System.Title", "value": "x"}])
        )),
        400,
        "unknown op"
    );
    assert_eq!(
        status(patch(
            json!([{"op": "add", "path": "/fields/System.Tags", "value": "vigil"}])
        )),
        400,
        "no title"
    );
    assert_eq!(
        status(
            Request::send(
                Method::Post,
                "/Shop%20Platform/_apis/wit/workitems/$Task",
                title.clone()
            )
            .content_type("application/json-patch+json")
        ),
        400,
        "no api-version"
    );
    assert_eq!(status(patch(title.clone())), 200);
    let stranger = Http::new(
        &organization_url(&server),
        Auth::Bearer(Secret::new(PAT)),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        false,
    )
    .unwrap();
    assert!(matches!(
        stranger.send(patch(title)),
        Err(SinkError::Unauthorised { status: 401, .. })
    ));
}

// ---------------------------------------------------------------------------------------------------
// The lifecycle.

#[test]
fn a_lifecycle_creates_closes_reopens_updates_and_reports_a_ticket_closed_by_a_person() {
    let (fake, server) = start();
    let sink = sink(&server, PAT, false);
    let mut links = Vec::new();
    let a = ticket("VA-a", "Upgrade lodash");
    let b = ticket("VA-b", "Fix the bucket");

    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Created),
            outcome("vigil-VA-b", Outcome::Created)
        ]
    );
    let created = fake.item("1").unwrap();
    assert_eq!(created.field("System.Title"), "Upgrade lodash");
    assert_eq!(created.field("Microsoft.VSTS.Common.Priority"), 2);
    assert_eq!(
        created.field("Microsoft.VSTS.Scheduling.DueDate"),
        "2026-12-27T00:00:00Z"
    );
    assert_eq!(created.field("System.AreaPath"), "Shop Platform\\Security");
    assert!(created.has_tag("vigil-VA-a") && created.has_tag(&hash_tag(&a)));
    assert_eq!(created.relations.len(), 1, "filed under the parent");
    let description = created.field("System.Description").as_str().unwrap();
    assert!(
        description.contains("<p>why &lt;now&gt; &amp; here</p>"),
        "{description}"
    );
    assert_eq!(links[0].id, "1");
    assert!(links[0].url.ends_with("/acme/Shop%20Platform/_workitems/edit/1"));

    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Unchanged)
        ]
    );
    assert_eq!(
        count(&fake, &server, "update"),
        0,
        "nothing changed, nothing written"
    );

    // Every finding of b is fixed.
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Closed)
        ]
    );
    let closed = fake.item("2").unwrap();
    assert_eq!(closed.state(), "Done");
    assert_eq!(closed.comments, vec!["All findings fixed &amp; verified."]);

    // The bucket regresses: the same work item comes back.
    assert_eq!(
        run(&sink, &[a.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Unchanged),
            outcome("vigil-VA-b", Outcome::Reopened)
        ]
    );
    assert_eq!(fake.with_key("vigil-VA-b"), 1, "reopened, not created again");
    assert_eq!(fake.item("2").unwrap().state(), "To Do");
    assert_eq!(fake.item("2").unwrap().comments.len(), 2);

    // The action's content changes; a person had tagged the work item meanwhile.
    fake.edit(
        "1",
        "System.Tags",
        json!(format!("vigil; vigil-VA-a; {}; triaged", hash_tag(&a))),
    );
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    assert_eq!(
        run(&sink, &[a2.clone(), b.clone()], &mut links),
        vec![
            outcome("vigil-VA-a", Outcome::Updated),
            outcome("vigil-VA-b", Outcome::Unchanged)
        ]
    );
    let updated = fake.item("1").unwrap();
    assert_eq!(updated.field("System.Title"), "Upgrade lodash (now 3 advisories)");
    assert!(updated.has_tag(&hash_tag(&a2)) && !updated.has_tag(&hash_tag(&a)));
    assert!(updated.has_tag("triaged"), "a person's tag is kept");
    assert!(updated.has_tag("vigil-VA-a"));
    assert_eq!(updated.state(), "To Do", "an update does not change the state");

    // Someone closes it on the board while its findings are still there.
    fake.edit("1", "System.State", json!("Done"));
    for _ in 0..2 {
        assert_eq!(
            run(&sink, &[a2.clone(), b.clone()], &mut links),
            vec![
                outcome("vigil-VA-a", Outcome::ClosedWithoutFix),
                outcome("vigil-VA-b", Outcome::Unchanged)
            ]
        );
    }
    assert_eq!(fake.item("1").unwrap().state(), "Done", "left closed");
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(count(&fake, &server, "create"), 2);
}

// ---------------------------------------------------------------------------------------------------
// Faults: one open ticket per key every time.

#[test]
fn a_rate_limited_create_waits_for_retry_after_and_creates_once() {
    let (fake, server) = start();
    fake.arm("create", Fault::RateLimited);
    let mut links = Vec::new();
    let started = Instant::now();
    let outcomes = run(&sink(&server, PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(
        count(&fake, &server, "create"),
        2,
        "429 means not done: sent again"
    );
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
}

#[test]
fn a_create_answered_with_a_server_error_is_retried_only_after_a_search() {
    let (fake, server) = start();
    fake.arm("create", Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server, PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(count(&fake, &server, "create"), 2);
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_search_answered_with_a_server_error_is_retried_by_the_client() {
    let (fake, server) = start();
    fake.arm("wiql", Fault::ServerError);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server, PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        count(&fake, &server, "wiql"),
        3,
        "retried search, then the search after the create"
    );
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
}

#[test]
fn a_create_that_times_out_after_the_work_item_was_made_is_not_repeated() {
    let (fake, server) = start();
    fake.arm("create", Fault::AnswerLate);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server, PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(
        count(&fake, &server, "create"),
        1,
        "found by key instead of created again"
    );
    assert_eq!(fake.with_key("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1");
}

#[test]
fn a_concurrent_sync_leaves_one_open_work_item_the_oldest() {
    let (fake, server) = start();
    fake.arm("create", Fault::Twin);
    let mut links = Vec::new();
    let outcomes = run(&sink(&server, PAT, false), &[ticket("VA-a", "x")], &mut links);
    assert!(
        outcomes.contains(&outcome("vigil-VA-a", Outcome::DuplicateClosed)),
        "{outcomes:?}"
    );
    assert!(outcomes.contains(&outcome("vigil-VA-a", Outcome::Created)));
    assert_eq!(fake.with_key("vigil-VA-a"), 2);
    assert_eq!(fake.open_with("vigil-VA-a"), 1);
    assert_eq!(links[0].id, "1", "the oldest is kept");
    let duplicate = fake.item("2").unwrap();
    assert_eq!(duplicate.state(), "Done");
    assert!(
        duplicate.comments[0].starts_with("Duplicate of 1 ("),
        "{:?}",
        duplicate.comments
    );
}

// ---------------------------------------------------------------------------------------------------
// Dry run.

fn expected_description(ticket: &Ticket) -> String {
    format!(
        "<p><strong>high</strong> · due <strong>2026-12-27</strong> (30 days) · vigil action <code>{id}</code> · scope <code>shop</code></p>\
         <p>Owner: @shop/platform</p><p>why &lt;now&gt; &amp; here</p>\
         <h3>Findings</h3><ul><li><code>F-1</code> Public bucket · high · RPN 280 \
         (<a href=\"https://git.example/shop/blob/abc/main.tf#L3\">main.tf:3</a>)</li></ul>\
         <h3>Steps</h3><ol><li>fix it</li></ol>\
         <p><small>Managed by vigil: edits to this description are replaced on the next sync. Key <code>{key}</code>.</small></p>",
        id = ticket.action_id,
        key = ticket.key
    )
}

#[test]
fn a_dry_run_creates_nothing_and_records_the_exact_payloads() {
    let (fake, server) = start();
    let dry = sink(&server, PAT, true);
    let a = ticket("VA-a", "Upgrade <lodash> & co");
    let mut links = Vec::new();
    let outcomes = run(&dry, std::slice::from_ref(&a), &mut links);
    assert_eq!(outcomes, vec![outcome("vigil-VA-a", Outcome::Created)]);
    assert_eq!(links[0].id, "dry-run");
    assert!(fake.items().is_empty());
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.path.contains("/_apis/wit/wiql?")),
        "only searches reach the server"
    );
    let create = Request {
        method: Method::Post,
        path: CREATE_PATH.into(),
        body: Some(json!([
            {"op": "add", "path": "/fields/System.Title", "value": "Upgrade <lodash> & co"},
            {"op": "add", "path": "/fields/System.Description", "value": expected_description(&a)},
            {"op": "add", "path": "/fields/System.Tags", "value": format!("vigil; vigil-VA-a; {}; vigil-high", hash_tag(&a))},
            {"op": "add", "path": "/fields/Microsoft.VSTS.Common.Priority", "value": 2},
            {"op": "add", "path": "/fields/Microsoft.VSTS.Scheduling.DueDate", "value": "2026-12-27T00:00:00Z"},
            {"op": "add", "path": "/fields/System.AreaPath", "value": "Shop Platform\\Security"},
            {"op": "add", "path": "/relations/-", "value": {
                "rel": "System.LinkTypes.Hierarchy-Reverse",
                "url": format!("{}/_apis/wit/workItems/7", organization_url(&server)),
            }},
        ])),
        content_type: "application/json-patch+json",
        idempotent: false,
        read: false,
    };
    assert_eq!(dry.recorded(), vec![create]);
}

#[test]
fn a_dry_run_over_existing_work_items_records_updates_and_closes_without_sending_them() {
    let (fake, server) = start();
    let a = ticket("VA-a", "Upgrade lodash");
    let b = ticket("VA-b", "Fix the bucket");
    let mut links = Vec::new();
    run(&sink(&server, PAT, false), &[a, b], &mut links);
    let before = fake.items();

    let dry = sink(&server, PAT, true);
    let a2 = ticket("VA-a", "Upgrade lodash (now 3 advisories)");
    let outcomes = run(&dry, std::slice::from_ref(&a2), &mut links);
    assert_eq!(
        outcomes,
        vec![
            outcome("vigil-VA-a", Outcome::Updated),
            outcome("vigil-VA-b", Outcome::Closed)
        ]
    );
    let after = fake.items();
    assert_eq!(
        before
            .iter()
            .map(|i| (&i.fields, &i.comments))
            .collect::<Vec<_>>(),
        after.iter().map(|i| (&i.fields, &i.comments)).collect::<Vec<_>>(),
        "nothing changed on the board"
    );
    let update = Request {
        method: Method::Patch,
        path: "/Shop%20Platform/_apis/wit/workitems/1?api-version=7.1".into(),
        body: Some(json!([
            {"op": "replace", "path": "/fields/System.Title", "value": "Upgrade lodash (now 3 advisories)"},
            {"op": "replace", "path": "/fields/System.Description", "value": expected_description(&a2)},
            {"op": "replace", "path": "/fields/System.Tags", "value": format!("vigil; vigil-VA-a; {}; vigil-high", hash_tag(&a2))},
            {"op": "replace", "path": "/fields/Microsoft.VSTS.Common.Priority", "value": 2},
            {"op": "replace", "path": "/fields/Microsoft.VSTS.Scheduling.DueDate", "value": "2026-12-27T00:00:00Z"},
        ])),
        content_type: "application/json-patch+json",
        idempotent: true,
        read: false,
    };
    let comment = Request {
        method: Method::Post,
        path: "/Shop%20Platform/_apis/wit/workItems/2/comments?api-version=7.1-preview.4".into(),
        body: Some(json!({"text": "All findings fixed &amp; verified."})),
        content_type: "application/json",
        idempotent: false,
        read: false,
    };
    let close = Request {
        method: Method::Patch,
        path: "/Shop%20Platform/_apis/wit/workitems/2?api-version=7.1".into(),
        body: Some(json!([{"op": "add", "path": "/fields/System.State", "value": "Done"}])),
        content_type: "application/json-patch+json",
        idempotent: true,
        read: false,
    };
    assert_eq!(dry.recorded(), vec![update, comment, close]);
}

// ---------------------------------------------------------------------------------------------------
// Credentials.

fn assert_no_token(error: &SinkError, token: &str) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(token), "{shown}");
    assert!(!shown.contains("OmF6ZG8"), "not even encoded: {shown}");
}

#[test]
fn a_wrong_token_fails_without_printing_any_token() {
    let (fake, server) = start();
    let wrong = "azdo-pat-WRONG-0000";
    let sink = sink(&server, wrong, false);
    let error = sink.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(&error, SinkError::Unauthorised { status: 401, variable, .. } if variable == "VIGIL_AZURE_DEVOPS_TOKEN"),
        "{error:?}"
    );
    assert_no_token(&error, wrong);
    assert_no_token(&error, PAT);
    assert_no_token(&sink.create(&ticket("VA-a", "x")).unwrap_err(), wrong);
    let mut links = Vec::new();
    let outcomes = run(&sink, &[ticket("VA-a", "x")], &mut links);
    let [(_, Outcome::Failed(message))] = outcomes.as_slice() else {
        panic!("{outcomes:?}");
    };
    assert!(!message.contains(wrong), "{message}");
    assert!(!format!("{sink:?}").contains(wrong));
    assert!(fake.items().is_empty());
}

#[test]
fn server_errors_fail_without_printing_the_token() {
    let server = Server::start(|_| {
        Resp::json(
            500,
            json!({"message": "Internal server error.", "typeKey": "VssServiceException"}),
        )
    })
    .unwrap();
    let sink = sink_at(&format!("{}{ORGANIZATION}", server.url), PAT, false);
    let error = sink.find("vigil-VA-a").unwrap_err();
    assert!(
        matches!(
            error,
            SinkError::Server {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "a search is retried: {error:?}"
    );
    assert_no_token(&error, PAT);
    let error = sink.create(&ticket("VA-a", "x")).unwrap_err();
    assert!(
        matches!(error, SinkError::Server { attempts: 1, .. }),
        "a create is not: {error:?}"
    );
    assert_no_token(&error, PAT);
    for error in [sink.close("1", "x").unwrap_err(), sink.get("1").unwrap_err()] {
        assert_no_token(&error, PAT);
    }
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("Authorization") == Some(AUTHORIZATION)),
        "the token went only where it belongs, as Basic with an empty user"
    );
}

/// Processes with several closed states: a work item a person moved to one of the configured
/// `closed_states` is closed, so it is reported rather than taken for open.
#[test]
fn a_configured_closed_state_counts_as_closed() {
    let (fake, server) = start();
    let organization_url = fake.organization_url(&server);
    let sink = AzureDevOpsSink::new(
        AzureDevOpsConfig {
            closed_states: vec!["Removed".into()],
            ..config(&organization_url)
        },
        basic(PAT),
        "VIGIL_AZURE_DEVOPS_TOKEN",
        policy(),
        false,
    )
    .unwrap();
    let a = ticket("VA-a", "Upgrade lodash");
    let mut links = Vec::new();
    run(&sink, std::slice::from_ref(&a), &mut links);
    fake.edit("1", "System.State", json!("Removed"));
    assert_eq!(
        run(&sink, std::slice::from_ref(&a), &mut links),
        vec![outcome("vigil-VA-a", Outcome::ClosedWithoutFix)]
    );
    // Without the setting, the same state would read as open and nothing would be said.
    let plain = sink_at(&organization_url, PAT, false);
    assert_eq!(
        run(&plain, std::slice::from_ref(&a), &mut links),
        vec![outcome("vigil-VA-a", Outcome::Unchanged)]
    );
}

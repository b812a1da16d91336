//! The lifecycle and the metrics over a scripted history of five assessments, asserted exactly, on every
//! backend: SQLite always, PostgreSQL when `VIGIL_TEST_DATABASE_URL` is set (each run in a database of its
//! own, created for it).

#![allow(clippy::unwrap_used)]

mod common;

use time::Date;
use time::macros::date;
use vigil_core::{Band, Decision, Finding, FindingKind, Status};
use vigil_store::{SaveOptions, State, Store};

use common::{assessment, backends};

fn finding(id: &str, kind: FindingKind, band: Band) -> Finding {
    let mut f = Finding::new(kind, format!("fp-{id}"), format!("finding {id}"));
    f.id = format!("VF-{id}");
    f.score.band = band;
    f.score.rpn = match band {
        Band::Critical => 500,
        Band::High => 250,
        Band::Medium => 100,
        Band::Low => 20,
    };
    f
}

fn a() -> Finding {
    finding("a", FindingKind::Threat, Band::High)
}
fn b() -> Finding {
    finding("b", FindingKind::Vulnerability, Band::Critical)
}
fn c() -> Finding {
    finding("c", FindingKind::Misconfiguration, Band::Medium)
}
fn d() -> Finding {
    finding("d", FindingKind::Threat, Band::High)
}
fn e() -> Finding {
    finding("e", FindingKind::Vulnerability, Band::Low)
}

fn accepted(mut f: Finding, until: Date) -> Finding {
    f.status = Status::Accepted;
    f.decision = Some(Decision {
        source: "triage:vigil.toml:3".into(),
        vex_status: "accepted".into(),
        owner: Some("@shop/payments".into()),
        expires: Some(until),
        ..Decision::default()
    });
    f
}

fn save(store: &Store, on: Date, stage: &str, dependencies_checked: bool, findings: Vec<Finding>) -> i64 {
    let options = SaveOptions {
        stage: Some(stage.into()),
        cadence_days: 91,
    };
    store
        .save(&assessment("shop", on, dependencies_checked, findings), &options)
        .unwrap()
        .id
}

fn states(store: &Store) -> Vec<(String, State)> {
    store
        .findings("shop")
        .unwrap()
        .into_iter()
        .map(|r| (r.display_id, r.state))
        .collect()
}

#[test]
fn five_assessments_move_findings_through_their_lifecycle() {
    for test in backends() {
        let (backend, url) = (test.name, &test.url);
        let store = Store::open(url).unwrap();
        // 1. In a pull request: three findings appear.
        let first = save(&store, date!(2026 - 01 - 01), "pr", true, vec![a(), b(), c()]);
        // 2. On main: a fourth appears (it escaped review).
        save(
            &store,
            date!(2026 - 01 - 05),
            "main",
            true,
            vec![a(), b(), c(), d()],
        );
        // 3. `a` is fixed; `b` is accepted until February.
        let third = save(
            &store,
            date!(2026 - 01 - 10),
            "main",
            true,
            vec![accepted(b(), date!(2026 - 02 - 01)), c(), d()],
        );
        // 4. In production, without an advisory database: `a` regresses, `c` is fixed, `d`'s code moved (same
        //    fingerprint), and `b` (a vulnerability) is not seen because dependencies were not checked.
        save(&store, date!(2026 - 01 - 20), "prod", false, vec![a(), d()]);
        // 5. On main: the acceptance of `b` expired, `d` is fixed, `e` appears.
        let fifth = save(&store, date!(2026 - 02 - 05), "main", true, vec![a(), b(), e()]);
        assert!(fifth > third && third > first, "{backend}: ids grow");

        assert_eq!(
            states(&store),
            vec![
                ("VF-a".into(), State::Open),
                ("VF-b".into(), State::Open),
                ("VF-c".into(), State::Fixed),
                ("VF-d".into(), State::Fixed),
                ("VF-e".into(), State::New),
            ],
            "{backend}"
        );
        let records = store.findings("shop").unwrap();
        let record = |id: &str| records.iter().find(|r| r.display_id == id).unwrap();
        assert_eq!(
            record("VF-a").sla_start,
            date!(2026 - 01 - 20),
            "{backend}: reopened restarts the clock"
        );
        assert_eq!(record("VF-a").due, date!(2026 - 02 - 19));
        assert_eq!(record("VF-a").first_seen_on, date!(2026 - 01 - 01));
        assert_eq!(
            record("VF-b").sla_start,
            date!(2026 - 01 - 01),
            "acceptance does not restart it"
        );
        assert_eq!(record("VF-b").accepted_until, None);
        assert_eq!(record("VF-c").fixed_on, Some(date!(2026 - 01 - 20)));
        assert_eq!(record("VF-d").fixed_on, Some(date!(2026 - 02 - 05)));
        assert_eq!(record("VF-d").first_seen_stage.as_deref(), Some("main"));
        assert_eq!(record("VF-d").last_seen_assessment, fifth - 1);

        let events: Vec<(String, i64, Option<String>, String)> = store
            .events("shop")
            .unwrap()
            .into_iter()
            .map(|e| (e.fingerprint, e.assessment - first + 1, e.from, e.to))
            .collect();
        let event = |fp: &str, n: i64, from: Option<&str>, to: &str| {
            (fp.to_owned(), n, from.map(str::to_owned), to.to_owned())
        };
        let mut expected = vec![
            event("fp-a", 1, None, "new"),
            event("fp-b", 1, None, "new"),
            event("fp-c", 1, None, "new"),
            event("fp-a", 2, Some("new"), "open"),
            event("fp-b", 2, Some("new"), "open"),
            event("fp-c", 2, Some("new"), "open"),
            event("fp-d", 2, None, "new"),
            event("fp-b", 3, Some("open"), "accepted"),
            event("fp-d", 3, Some("new"), "open"),
            event("fp-a", 3, Some("open"), "fixed"),
            event("fp-a", 4, Some("fixed"), "reopened"),
            event("fp-c", 4, Some("open"), "fixed"),
            event("fp-a", 5, Some("reopened"), "open"),
            event("fp-b", 5, Some("accepted"), "open"),
            event("fp-e", 5, None, "new"),
            event("fp-d", 5, Some("open"), "fixed"),
        ];
        let mut actual = events.clone();
        // Within one assessment the order of events is not part of the contract.
        actual.sort();
        expected.sort();
        assert_eq!(actual, expected, "{backend}");

        let metrics = store.metrics(None, date!(2026 - 02 - 05)).unwrap();
        let high = &metrics.mttr[1];
        assert_eq!(
            (
                high.band.as_str(),
                high.fixed,
                high.mean_days,
                high.within_sla,
                high.sla_compliance_pct
            ),
            ("high", 2, Some(20.0), 1, Some(50.0)),
            "{backend}: a's first cycle took 9 days (within its 30), d took 31 (late); each fix counts"
        );
        assert_eq!((metrics.mttr[0].fixed, metrics.mttr[0].mean_days), (0, None));
        let escape = &metrics.escape_rate;
        assert_eq!(
            (
                escape.first_seen_pr,
                escape.first_seen_main,
                escape.first_seen_prod,
                escape.rate_pct
            ),
            (3, 2, 0, Some(40.0)),
            "{backend}"
        );
        assert_eq!(metrics.coverage_pct, Some(100.0));
        assert_eq!(metrics.coverage[0].next_due, date!(2026 - 05 - 07));
        assert_eq!(
            metrics.open_past_due, 1,
            "{backend}: b, critical since January 1st"
        );
        let over_time: Vec<[i64; 4]> = metrics.open_over_time.iter().map(|p| p.open_by_band).collect();
        assert_eq!(
            over_time,
            vec![
                [1, 1, 1, 0],
                [1, 2, 1, 0],
                [0, 1, 1, 0],
                [0, 2, 0, 0],
                [1, 1, 0, 1]
            ],
            "{backend}"
        );
        let since = store
            .metrics(Some(date!(2026 - 01 - 06)), date!(2026 - 02 - 05))
            .unwrap();
        assert_eq!(
            since.escape_rate.first_seen_main, 1,
            "{backend}: only e is first seen in the window"
        );
        assert_eq!(since.open_over_time.len(), 3);

        let history = store.history(Some("shop"), 10).unwrap();
        assert_eq!(history.len(), 5);
        assert_eq!(history[0].id, fifth);
        assert_eq!(history[0].stage.as_deref(), Some("main"));
        let (row, document) = store.show(third).unwrap();
        assert_eq!(row.as_of, date!(2026 - 01 - 10));
        assert_eq!(document.findings.len(), 3);
        assert!(matches!(
            store.show(fifth + 100),
            Err(vigil_store::StoreError::NotFound(_))
        ));
    }
}

#[test]
fn reopening_a_store_keeps_everything_and_migrations_run_once() {
    for test in backends() {
        let (backend, url) = (test.name, &test.url);
        let id = {
            let store = Store::open(url).unwrap();
            save(&store, date!(2026 - 01 - 01), "pr", true, vec![a()])
        };
        let store = Store::open(url).unwrap();
        let (row, _) = store.show(id).unwrap();
        assert_eq!(row.scope, "shop", "{backend}");
        assert_eq!(store.history(None, 10).unwrap().len(), 1);
    }
}

#[test]
fn a_bad_url_is_a_clear_error() {
    let error = Store::open("mysql://localhost/x").unwrap_err().to_string();
    assert!(
        error.starts_with("unsupported database URL `mysql://localhost/x`"),
        "{error}"
    );
}

#[test]
fn cadence_and_triggers_say_when_to_reassess() {
    for test in backends() {
        let backend = test.name;
        let store = Store::open(&test.url).unwrap();
        let first = save(&store, date!(2026 - 01 - 01), "main", true, vec![a()]);
        let due = store.due(date!(2026 - 03 - 01)).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].next_due, date!(2026 - 04 - 02), "{backend}: 91 days");
        assert!(!due[0].is_due(date!(2026 - 03 - 01)));
        store
            .record_trigger(&vigil_store::Trigger {
                scope: "shop".into(),
                assessment: Some(first),
                kind: "endpoint-added".into(),
                detail: "POST /api/refunds on shop-api".into(),
                on: date!(2026 - 02 - 01),
            })
            .unwrap();
        let due = store.due(date!(2026 - 03 - 01)).unwrap();
        assert!(
            due[0].is_due(date!(2026 - 03 - 01)),
            "{backend}: a material change asks for it"
        );
        assert_eq!(due[0].triggers[0].kind, "endpoint-added");
        save(&store, date!(2026 - 03 - 02), "main", true, vec![a()]);
        let due = store.due(date!(2026 - 08 - 01)).unwrap();
        assert!(
            due[0].triggers.is_empty(),
            "{backend}: the reassessment answered it"
        );
        assert_eq!(due[0].overdue_days, 61, "{backend}: due 2026-06-01");
    }
}

#[test]
fn ticket_links_are_kept_per_tracker_and_scope() {
    for test in backends() {
        let store = Store::open(&test.url).unwrap();
        let link = |key: &str, open: bool| vigil_store::TicketLink {
            key: key.into(),
            remote_id: format!("SEC-{key}"),
            url: format!("https://acme.atlassian.net/browse/SEC-{key}"),
            open,
            content_hash: "abc".into(),
        };
        store
            .save_ticket_link("jira", "shop", &link("1", true), date!(2026 - 01 - 01))
            .unwrap();
        store
            .save_ticket_link("jira", "shop", &link("2", true), date!(2026 - 01 - 01))
            .unwrap();
        store
            .save_ticket_link("jira", "shop", &link("1", false), date!(2026 - 01 - 02))
            .unwrap();
        store
            .save_ticket_link("github", "shop", &link("1", true), date!(2026 - 01 - 02))
            .unwrap();
        assert_eq!(
            store.ticket_links("jira", "shop").unwrap(),
            vec![link("1", false), link("2", true)],
            "{}",
            test.name
        );
        assert_eq!(store.ticket_links("jira", "other").unwrap(), vec![]);
    }
}

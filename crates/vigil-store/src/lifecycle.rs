//! The finding lifecycle across assessments of one scope, as a pure function of what the store knew and what
//! the new assessment shows.
//!
//! - first seen and open: `new`; seen again and still open: `open`;
//! - gone from an assessment that checked its kind: `fixed` (with the day);
//! - seen again after being fixed: `reopened`, and the SLA clock restarts;
//! - a decision in the assessment (triage, VEX, a control) sets `accepted` (with its expiry),
//!   `false_positive`, `not_affected` or `mitigated`; when the decision lapses the finding is `open` again.
//!
//! A finding missing from an assessment that did not check its kind (dependencies without an advisory
//! database) keeps its state: a partial run never closes live findings.

use std::fmt;

use time::{Date, Duration};
use vigil_core::config::SlaPolicy;
use vigil_core::{Finding, FindingKind, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    New,
    Open,
    Fixed,
    Reopened,
    Accepted,
    FalsePositive,
    NotAffected,
    Mitigated,
}

impl State {
    pub const ALL: [State; 8] = [
        Self::New,
        Self::Open,
        Self::Fixed,
        Self::Reopened,
        Self::Accepted,
        Self::FalsePositive,
        Self::NotAffected,
        Self::Mitigated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Open => "open",
            Self::Fixed => "fixed",
            Self::Reopened => "reopened",
            Self::Accepted => "accepted",
            Self::FalsePositive => "false_positive",
            Self::NotAffected => "not_affected",
            Self::Mitigated => "mitigated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Still to be fixed: counts towards open findings and the SLA.
    pub fn is_active(self) -> bool {
        matches!(self, Self::New | Self::Open | Self::Reopened)
    }

    fn of_status(status: Status) -> Self {
        match status {
            Status::Open => Self::Open,
            Status::Accepted => Self::Accepted,
            Status::FalsePositive => Self::FalsePositive,
            Status::NotAffected => Self::NotAffected,
            Status::Mitigated => Self::Mitigated,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the store holds about one finding of the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub fingerprint: String,
    pub display_id: String,
    pub kind: String,
    pub title: String,
    pub rule: Option<String>,
    pub band: String,
    pub state: State,
    pub first_seen_assessment: i64,
    pub first_seen_on: Date,
    pub first_seen_stage: Option<String>,
    pub last_seen_assessment: i64,
    pub sla_start: Date,
    pub due: Date,
    pub fixed_on: Option<Date>,
    pub accepted_until: Option<Date>,
}

/// The assessment being saved, as the lifecycle sees it.
#[derive(Debug, Clone, Copy)]
pub struct Sighting<'a> {
    pub assessment: i64,
    pub on: Date,
    pub stage: Option<&'a str>,
    /// Whether dependency vulnerabilities were checked (an advisory database was loaded).
    pub dependencies_checked: bool,
    /// The scope's SLA policy: days to fix a finding of each band.
    pub sla: &'a SlaPolicy,
}

/// One state change, for the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub fingerprint: String,
    pub from: Option<State>,
    pub to: State,
}

/// The records to write and the transitions to log, for a finding present in the assessment.
pub fn seen(previous: Option<&Record>, finding: &Finding, at: &Sighting<'_>) -> (Record, Option<Transition>) {
    let decided = State::of_status(finding.status);
    let band = finding.score.band;
    let state = match (previous.map(|r| r.state), decided) {
        (None, State::Open) => State::New,
        (Some(State::Fixed), State::Open) => State::Reopened,
        (Some(_), State::Open) => State::Open,
        (_, decided) => decided,
    };
    let restarts = previous.is_none() || state == State::Reopened;
    let sla_start = match previous {
        Some(record) if !restarts => record.sla_start,
        _ => at.on,
    };
    let record = Record {
        fingerprint: finding.fingerprint.clone(),
        display_id: finding.id.clone(),
        kind: finding.kind.as_str().to_owned(),
        title: finding.title.clone(),
        rule: finding.rule_id.clone(),
        band: band.as_str().to_owned(),
        state,
        first_seen_assessment: previous.map_or(at.assessment, |r| r.first_seen_assessment),
        first_seen_on: previous.map_or(at.on, |r| r.first_seen_on),
        first_seen_stage: match previous {
            Some(record) => record.first_seen_stage.clone(),
            None => at.stage.map(str::to_owned),
        },
        last_seen_assessment: at.assessment,
        sla_start,
        due: sla_start.saturating_add(Duration::days(i64::from(at.sla.days(band)))),
        fixed_on: None,
        accepted_until: if state == State::Accepted {
            finding.decision.as_ref().and_then(|d| d.expires)
        } else {
            None
        },
    };
    let changed = previous.map(|r| r.state) != Some(state);
    let transition = changed.then(|| Transition {
        fingerprint: finding.fingerprint.clone(),
        from: previous.map(|r| r.state),
        to: state,
    });
    (record, transition)
}

/// The record of a finding the assessment no longer shows: fixed, unless its kind was not checked or it was
/// already fixed.
pub fn missing(previous: &Record, at: &Sighting<'_>) -> Option<(Record, Transition)> {
    if previous.state == State::Fixed {
        return None;
    }
    let unchecked = previous.kind == FindingKind::Vulnerability.as_str() && !at.dependencies_checked;
    if unchecked {
        return None;
    }
    let record = Record {
        state: State::Fixed,
        fixed_on: Some(at.on),
        accepted_until: None,
        ..previous.clone()
    };
    let transition = Transition {
        fingerprint: previous.fingerprint.clone(),
        from: Some(previous.state),
        to: State::Fixed,
    };
    Some((record, transition))
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use vigil_core::{Band, Decision};

    use super::*;

    static SLA: SlaPolicy = SlaPolicy {
        preset: String::new(),
        critical: 7,
        high: 30,
        medium: 90,
        low: 180,
    };

    fn at(assessment: i64, on: Date) -> Sighting<'static> {
        Sighting {
            assessment,
            on,
            stage: Some("pr"),
            dependencies_checked: true,
            sla: &SLA,
        }
    }

    fn finding(kind: FindingKind, band: Band) -> Finding {
        let mut f = Finding::new(kind, "fp-1".into(), "a finding");
        f.score.band = band;
        f
    }

    #[test]
    fn new_open_fixed_reopened() {
        let f = finding(FindingKind::Threat, Band::High);
        let (first, t) = seen(None, &f, &at(1, date!(2026 - 01 - 01)));
        assert_eq!((first.state, t.map(|t| t.to)), (State::New, Some(State::New)));
        assert_eq!(first.due, date!(2026 - 01 - 31));

        let (second, t) = seen(Some(&first), &f, &at(2, date!(2026 - 01 - 10)));
        assert_eq!(second.state, State::Open);
        assert_eq!(t.map(|t| (t.from, t.to)), Some((Some(State::New), State::Open)));
        let (third, t) = seen(Some(&second), &f, &at(3, date!(2026 - 01 - 12)));
        assert_eq!((third.state, t), (State::Open, None), "no event without a change");
        assert_eq!(third.sla_start, date!(2026 - 01 - 01));

        let (fixed, t) = missing(&third, &at(4, date!(2026 - 01 - 20))).unwrap();
        assert_eq!(
            (fixed.state, fixed.fixed_on),
            (State::Fixed, Some(date!(2026 - 01 - 20)))
        );
        assert_eq!(t.from, Some(State::Open));
        assert!(missing(&fixed, &at(5, date!(2026 - 01 - 21))).is_none());

        let (again, _) = seen(Some(&fixed), &f, &at(6, date!(2026 - 02 - 01)));
        assert_eq!(again.state, State::Reopened);
        assert_eq!(
            (again.sla_start, again.due),
            (date!(2026 - 02 - 01), date!(2026 - 03 - 03))
        );
        assert_eq!(again.fixed_on, None);
        assert_eq!(again.first_seen_on, date!(2026 - 01 - 01));
    }

    #[test]
    fn decisions_set_the_state_and_lapse_back_to_open() {
        let mut f = finding(FindingKind::Vulnerability, Band::Critical);
        let (first, _) = seen(None, &f, &at(1, date!(2026 - 01 - 01)));
        f.status = Status::Accepted;
        f.decision = Some(Decision {
            expires: Some(date!(2026 - 03 - 01)),
            ..Decision::default()
        });
        let (accepted, _) = seen(Some(&first), &f, &at(2, date!(2026 - 01 - 05)));
        assert_eq!(accepted.state, State::Accepted);
        assert_eq!(accepted.accepted_until, Some(date!(2026 - 03 - 01)));
        f.status = Status::Open;
        f.decision = None;
        let (lapsed, t) = seen(Some(&accepted), &f, &at(3, date!(2026 - 03 - 02)));
        assert_eq!((lapsed.state, lapsed.accepted_until), (State::Open, None));
        assert_eq!(t.unwrap().from, Some(State::Accepted));
        assert_eq!(
            lapsed.sla_start,
            date!(2026 - 01 - 01),
            "the clock did not restart"
        );
    }

    #[test]
    fn an_unchecked_kind_is_not_fixed_by_its_absence() {
        let f = finding(FindingKind::Vulnerability, Band::High);
        let (record, _) = seen(None, &f, &at(1, date!(2026 - 01 - 01)));
        let partial = Sighting {
            dependencies_checked: false,
            ..at(2, date!(2026 - 01 - 02))
        };
        assert!(missing(&record, &partial).is_none());
        assert!(missing(&record, &at(3, date!(2026 - 01 - 03))).is_some());
    }
}

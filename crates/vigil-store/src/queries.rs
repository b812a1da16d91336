//! Saving an assessment and reading the history back. All SQL here runs unchanged on SQLite and
//! PostgreSQL (`$n` parameters, `ON CONFLICT ... DO UPDATE`, `RETURNING`).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;
use sqlx::AnyPool;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AssertSqlSafe, Row};
use time::Date;
use vigil_core::{Assessment, Band, Status};

use crate::lifecycle::{self, Record, Sighting, State, Transition};
use crate::{Backend, StoreError};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's parameter limits.
const BATCH: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct SaveOptions {
    /// Where in the delivery pipeline the assessment ran: `pr`, `main` or `prod`.
    pub stage: Option<String>,
    /// Days between assessments the scope's cadence asks for.
    pub cadence_days: u16,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub id: i64,
    pub scope: String,
    /// Transitions by the state entered: `new`, `fixed`, `reopened`...
    pub entered: Vec<(String, usize)>,
}

/// A saved assessment as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub scope: String,
    pub target_path: String,
    pub commit: Option<String>,
    pub stage: Option<String>,
    #[serde(with = "vigil_core::date")]
    pub as_of: Date,
    pub generated_at: String,
    pub tool_version: String,
    pub cadence_days: i64,
    pub open_by_band: [i64; 4],
    pub findings_total: i64,
    pub rpn_open: i64,
}

/// One state change of one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub fingerprint: String,
    pub assessment: i64,
    #[serde(with = "vigil_core::date")]
    pub on: Date,
    pub from: Option<String>,
    pub to: String,
}

pub fn scope_name(assessment: &Assessment) -> String {
    assessment.scope.name.clone().unwrap_or_else(|| {
        std::path::Path::new(&assessment.target.path)
            .file_name()
            .map_or_else(
                || assessment.target.path.clone(),
                |n| n.to_string_lossy().into_owned(),
            )
    })
}

pub async fn save(
    pool: &AnyPool,
    backend: Backend,
    a: &Assessment,
    options: &SaveOptions,
) -> Result<Saved, StoreError> {
    let scope = scope_name(a);
    let document = compress(a)?;
    let open = || a.findings.iter().filter(|f| f.status == Status::Open);
    let count = |band: Band| open().filter(|f| f.score.band == band).count() as i64;
    let rpn_open: i64 = open().map(|f| i64::from(f.score.rpn)).sum();

    let mut tx = pool.begin().await?;
    // The first statement writes, so SQLite takes its write lock now (waiting up to the busy timeout)
    // rather than failing later when a read lock cannot be upgraded.
    let id: i64 = sqlx::query(
        "INSERT INTO assessments (scope, target_path, commit_sha, stage, as_of, generated_at, tool_version, \
         cadence_days, dependencies_checked, open_critical, open_high, open_medium, open_low, findings_total, \
         rpn_open, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(&scope)
    .bind(&a.target.path)
    .bind(a.target.commit.as_deref())
    .bind(options.stage.as_deref())
    .bind(vigil_core::date::format(a.as_of))
    .bind(&a.generated_at)
    .bind(&a.tool.version)
    .bind(i64::from(options.cadence_days))
    .bind(i64::from(a.advisory_db.is_some()))
    .bind(count(Band::Critical))
    .bind(count(Band::High))
    .bind(count(Band::Medium))
    .bind(count(Band::Low))
    .bind(a.findings.len() as i64)
    .bind(rpn_open)
    .bind(document)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    if backend == Backend::Postgres {
        // Concurrent saves of one scope take turns, so each sees the other's lifecycle.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(&scope)
            .execute(&mut *tx)
            .await?;
    }

    let previous = fetch_relevant(&mut tx, &scope, a).await?;
    let at = Sighting {
        assessment: id,
        on: a.as_of,
        stage: options.stage.as_deref(),
        dependencies_checked: a.advisory_db.is_some(),
        sla: &a.scope.sla,
    };
    let mut writes: Vec<Record> = Vec::with_capacity(a.findings.len());
    let mut transitions: Vec<Transition> = Vec::new();
    let mut present: HashSet<&str> = HashSet::with_capacity(a.findings.len());
    for finding in &a.findings {
        if !present.insert(finding.fingerprint.as_str()) {
            continue;
        }
        let (record, transition) = lifecycle::seen(previous.get(&finding.fingerprint), finding, &at);
        writes.push(record);
        transitions.extend(transition);
    }
    for record in previous.values() {
        if !present.contains(record.fingerprint.as_str())
            && let Some((record, transition)) = lifecycle::missing(record, &at)
        {
            writes.push(record);
            transitions.push(transition);
        }
    }

    upsert_records(&mut tx, &scope, &writes).await?;
    insert_snapshot(&mut tx, id, a).await?;
    let by_fingerprint: HashMap<&str, &Record> = writes.iter().map(|r| (r.fingerprint.as_str(), r)).collect();
    insert_events(&mut tx, &scope, id, a.as_of, &transitions, &by_fingerprint).await?;
    tx.commit().await?;

    let mut entered: Vec<(String, usize)> = State::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                transitions.iter().filter(|t| t.to == *s).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    entered.sort();
    Ok(Saved { id, scope, entered })
}

/// When each finding's SLA clock started as the history sees it: its first sighting, or its reopening;
/// this run's date for a finding the history has not seen. Keyed by display id.
pub async fn sla_starts(pool: &AnyPool, a: &Assessment) -> Result<HashMap<String, Date>, StoreError> {
    let scope = scope_name(a);
    let mut tx = pool.begin().await?;
    let previous = fetch_relevant(&mut tx, &scope, a).await?;
    tx.rollback().await?;
    let at = Sighting {
        assessment: 0,
        on: a.as_of,
        stage: None,
        dependencies_checked: a.advisory_db.is_some(),
        sla: &a.scope.sla,
    };
    Ok(a.findings
        .iter()
        .map(|f| {
            (
                f.id.clone(),
                lifecycle::seen(previous.get(&f.fingerprint), f, &at).0.sla_start,
            )
        })
        .collect())
}

type Tx = sqlx::Transaction<'static, Any>;

const RECORD_COLUMNS: &str = "fingerprint, display_id, kind, title, rule, band, state, first_seen_assessment, \
     first_seen_on, first_seen_stage, last_seen_assessment, sla_start, due, fixed_on, accepted_until";

/// What the lifecycle needs of a scope's records, by fingerprint: the findings still active (to fix the
/// missing ones) and the fixed ones the assessment shows again (to reopen them). The fixed ones not seen
/// again are history, and reading them would make every save slower than the last.
async fn fetch_relevant(
    tx: &mut Tx,
    scope: &str,
    a: &Assessment,
) -> Result<HashMap<String, Record>, StoreError> {
    let mut previous: HashMap<String, Record> = fetch_active(tx, scope)
        .await?
        .into_iter()
        .map(|r| (r.fingerprint.clone(), r))
        .collect();
    let seen: Vec<&str> = a.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    for record in fetch_fixed_among(tx, scope, &seen).await? {
        previous.insert(record.fingerprint.clone(), record);
    }
    Ok(previous)
}

async fn fetch_active(tx: &mut Tx, scope: &str) -> Result<Vec<Record>, StoreError> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM findings WHERE scope = $1 AND state <> 'fixed'"
    )))
    .bind(scope)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(record).collect()
}

async fn fetch_fixed_among(
    tx: &mut Tx,
    scope: &str,
    fingerprints: &[&str],
) -> Result<Vec<Record>, StoreError> {
    let mut out = Vec::new();
    for chunk in fingerprints.chunks(BATCH * 4) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM findings WHERE scope = $1 AND state = 'fixed' AND fingerprint IN ({})",
            list.join(", ")
        );
        let mut query: Query<'_, Any, AnyArguments> = sqlx::query(AssertSqlSafe(sql)).bind(scope.to_owned());
        for fingerprint in chunk {
            query = query.bind((*fingerprint).to_owned());
        }
        for row in query.fetch_all(&mut **tx).await? {
            out.push(record(&row)?);
        }
    }
    Ok(out)
}

async fn fetch_records(tx: &mut Tx, scope: &str) -> Result<Vec<Record>, StoreError> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM findings WHERE scope = $1 ORDER BY fingerprint"
    )))
    .bind(scope)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(record).collect()
}

pub async fn records(pool: &AnyPool, scope: &str) -> Result<Vec<Record>, StoreError> {
    let mut tx = pool.begin().await?;
    let records = fetch_records(&mut tx, scope).await?;
    tx.rollback().await?;
    Ok(records)
}

fn record(row: &AnyRow) -> Result<Record, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(Record {
        fingerprint: row.try_get("fingerprint")?,
        display_id: row.try_get("display_id")?,
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        rule: row.try_get("rule")?,
        band: row.try_get("band")?,
        state: State::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("unknown state `{state}`")))?,
        first_seen_assessment: row.try_get("first_seen_assessment")?,
        first_seen_on: date(row, "first_seen_on")?,
        first_seen_stage: row.try_get("first_seen_stage")?,
        last_seen_assessment: row.try_get("last_seen_assessment")?,
        sla_start: date(row, "sla_start")?,
        due: date(row, "due")?,
        fixed_on: optional_date(row, "fixed_on")?,
        accepted_until: optional_date(row, "accepted_until")?,
    })
}

pub(crate) fn date(row: &AnyRow, column: &str) -> Result<Date, StoreError> {
    let text: String = row.try_get(column)?;
    vigil_core::date::parse(&text)
        .ok_or_else(|| StoreError::Corrupt(format!("{column}: `{text}` is not a date")))
}

pub(crate) fn optional_date(row: &AnyRow, column: &str) -> Result<Option<Date>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| {
        vigil_core::date::parse(&t)
            .ok_or_else(|| StoreError::Corrupt(format!("{column}: `{t}` is not a date")))
    })
    .transpose()
}

/// `($1, $2, ...), ($n+1, ...)` for `rows` rows of `columns` parameters.
fn placeholders(rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for column in 0..columns {
            if column > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(row * columns + column + 1).to_string());
        }
        out.push(')');
    }
    out
}

async fn upsert_records(tx: &mut Tx, scope: &str, records: &[Record]) -> Result<(), StoreError> {
    let updates: Vec<String> = RECORD_COLUMNS
        .split(", ")
        .filter(|c| {
            !matches!(
                *c,
                "fingerprint" | "first_seen_assessment" | "first_seen_on" | "first_seen_stage"
            )
        })
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    for chunk in records.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO findings (scope, {RECORD_COLUMNS}) VALUES {} ON CONFLICT (scope, fingerprint) DO UPDATE SET {}",
            placeholders(chunk.len(), 16),
            updates.join(", ")
        );
        let mut query: Query<'_, Any, AnyArguments> = sqlx::query(AssertSqlSafe(sql));
        for r in chunk {
            query = query
                .bind(scope.to_owned())
                .bind(r.fingerprint.clone())
                .bind(r.display_id.clone())
                .bind(r.kind.clone())
                .bind(r.title.clone())
                .bind(r.rule.clone())
                .bind(r.band.clone())
                .bind(r.state.as_str())
                .bind(r.first_seen_assessment)
                .bind(vigil_core::date::format(r.first_seen_on))
                .bind(r.first_seen_stage.clone())
                .bind(r.last_seen_assessment)
                .bind(vigil_core::date::format(r.sla_start))
                .bind(vigil_core::date::format(r.due))
                .bind(r.fixed_on.map(vigil_core::date::format))
                .bind(r.accepted_until.map(vigil_core::date::format));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_snapshot(tx: &mut Tx, id: i64, a: &Assessment) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    let findings: Vec<_> = a
        .findings
        .iter()
        .filter(|f| seen.insert(f.fingerprint.as_str()))
        .collect();
    for chunk in findings.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO assessment_findings (assessment_id, fingerprint, band, rpn, status) VALUES {}",
            placeholders(chunk.len(), 5)
        );
        let mut query: Query<'_, Any, AnyArguments> = sqlx::query(AssertSqlSafe(sql));
        for f in chunk {
            query = query
                .bind(id)
                .bind(f.fingerprint.clone())
                .bind(f.score.band.as_str())
                .bind(i64::from(f.score.rpn))
                .bind(f.status.as_str());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_events(
    tx: &mut Tx,
    scope: &str,
    id: i64,
    on: Date,
    transitions: &[Transition],
    records: &HashMap<&str, &Record>,
) -> Result<(), StoreError> {
    for chunk in transitions.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO finding_events (scope, fingerprint, assessment_id, on_date, from_state, to_state, band, \
             cycle_days, within_sla) VALUES {}",
            placeholders(chunk.len(), 9)
        );
        let mut query: Query<'_, Any, AnyArguments> = sqlx::query(AssertSqlSafe(sql));
        for t in chunk {
            let record = records.get(t.fingerprint.as_str());
            // A fix closes a cycle: how long it took, and whether it met its due date.
            let cycle = record
                .filter(|_| t.to == State::Fixed)
                .map(|r| ((on - r.sla_start).whole_days(), i64::from(on <= r.due)));
            query = query
                .bind(scope.to_owned())
                .bind(t.fingerprint.clone())
                .bind(id)
                .bind(vigil_core::date::format(on))
                .bind(t.from.map(State::as_str))
                .bind(t.to.as_str())
                .bind(record.map(|r| r.band.clone()))
                .bind(cycle.map(|(days, _)| days))
                .bind(cycle.map(|(_, within)| within));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

const ROW_COLUMNS: &str = "id, scope, target_path, commit_sha, stage, as_of, generated_at, tool_version, \
     cadence_days, open_critical, open_high, open_medium, open_low, findings_total, rpn_open";

pub(crate) fn assessment_row(row: &AnyRow) -> Result<AssessmentRow, StoreError> {
    Ok(AssessmentRow {
        id: row.try_get("id")?,
        scope: row.try_get("scope")?,
        target_path: row.try_get("target_path")?,
        commit: row.try_get("commit_sha")?,
        stage: row.try_get("stage")?,
        as_of: date(row, "as_of")?,
        generated_at: row.try_get("generated_at")?,
        tool_version: row.try_get("tool_version")?,
        cadence_days: row.try_get("cadence_days")?,
        open_by_band: [
            row.try_get("open_critical")?,
            row.try_get("open_high")?,
            row.try_get("open_medium")?,
            row.try_get("open_low")?,
        ],
        findings_total: row.try_get("findings_total")?,
        rpn_open: row.try_get("rpn_open")?,
    })
}

pub async fn history(
    pool: &AnyPool,
    scope: Option<&str>,
    limit: u32,
) -> Result<Vec<AssessmentRow>, StoreError> {
    let rows = match scope {
        Some(scope) => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS} FROM assessments WHERE scope = $1 ORDER BY id DESC LIMIT $2"
            )))
            .bind(scope)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT {ROW_COLUMNS} FROM assessments ORDER BY id DESC LIMIT $1"
            )))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        }
    };
    rows.iter().map(assessment_row).collect()
}

pub async fn show(pool: &AnyPool, id: i64) -> Result<(AssessmentRow, Assessment), StoreError> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ROW_COLUMNS}, document FROM assessments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound(id))?;
    let document: Vec<u8> = row.try_get("document")?;
    Ok((assessment_row(&row)?, decompress(&document)?))
}

pub async fn events(pool: &AnyPool, scope: &str) -> Result<Vec<Event>, StoreError> {
    let rows = sqlx::query(
        "SELECT fingerprint, assessment_id, on_date, from_state, to_state FROM finding_events \
         WHERE scope = $1 ORDER BY id",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Event {
                fingerprint: row.try_get("fingerprint")?,
                assessment: row.try_get("assessment_id")?,
                on: date(row, "on_date")?,
                from: row.try_get("from_state")?,
                to: row.try_get("to_state")?,
            })
        })
        .collect()
}

fn compress(assessment: &Assessment) -> Result<Vec<u8>, StoreError> {
    let json = serde_json::to_vec(assessment).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 8), Compression::fast());
    encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decompress(bytes: &[u8]) -> Result<Assessment, StoreError> {
    let mut json = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut json)
        .map_err(|e| StoreError::Corrupt(format!("assessment document: {e}")))?;
    serde_json::from_slice(&json).map_err(|e| StoreError::Corrupt(format!("assessment document: {e}")))
}

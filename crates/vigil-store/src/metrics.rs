//! Program metrics from the history: is the remediation program working?
//!
//! - MTTR for critical and high findings fixed in the window, every fix counted (fix day minus the day its
//!   cycle started: the first sighting or the reopening), with the share fixed by that cycle's due date;
//! - escape rate: of the findings first seen in the window at a known stage, the share first seen at
//!   `main` or `prod` rather than in a pull request;
//! - attack-surface coverage: scopes whose latest assessment is within their cadence;
//! - open findings by band at each assessment, and active findings past due today.

use serde::Serialize;
use sqlx::AnyPool;
use sqlx::Row;
use time::{Date, Duration};

use crate::StoreError;
use crate::queries::{assessment_row, date};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mttr {
    pub band: String,
    pub fixed: usize,
    /// Mean days from SLA start to fix; `None` when nothing was fixed.
    pub mean_days: Option<f64>,
    pub within_sla: usize,
    /// Share fixed by the due date, in percent; `None` when nothing was fixed.
    pub sla_compliance_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscapeRate {
    pub first_seen_pr: usize,
    pub first_seen_main: usize,
    pub first_seen_prod: usize,
    /// Found at main or prod rather than in a pull request, in percent; `None` without staged findings.
    pub rate_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeCoverage {
    pub scope: String,
    #[serde(with = "vigil_core::date")]
    pub last_assessed: Date,
    #[serde(with = "vigil_core::date")]
    pub next_due: Date,
    pub covered: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub assessment: i64,
    pub scope: String,
    #[serde(with = "vigil_core::date")]
    pub as_of: Date,
    /// Open findings: critical, high, medium, low.
    pub open_by_band: [i64; 4],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    #[serde(with = "vigil_core::date")]
    pub as_of: Date,
    #[serde(with = "vigil_core::date::option", skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    pub mttr: Vec<Mttr>,
    pub escape_rate: EscapeRate,
    pub coverage: Vec<ScopeCoverage>,
    /// Scopes assessed within their cadence, in percent; `None` when the store is empty.
    pub coverage_pct: Option<f64>,
    pub open_past_due: usize,
    pub open_over_time: Vec<Point>,
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

pub async fn compute(pool: &AnyPool, since: Option<Date>, as_of: Date) -> Result<Metrics, StoreError> {
    let from = since.map_or_else(|| "0000-01-01".to_owned(), vigil_core::date::format);
    let to = vigil_core::date::format(as_of);

    // Every fix in the window counts, each with the length and due date of the cycle it closed (kept on the
    // fix event), so a finding fixed, reopened and fixed again counts twice.
    let fixes = sqlx::query(
        "SELECT band, COUNT(*) AS n, CAST(SUM(cycle_days) AS BIGINT) AS days, \
         CAST(SUM(within_sla) AS BIGINT) AS within FROM finding_events WHERE to_state = 'fixed' \
         AND on_date >= $1 AND on_date <= $2 AND band IN ('critical', 'high') AND cycle_days IS NOT NULL \
         GROUP BY band",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(pool)
    .await?;
    let mut mttr = Vec::new();
    for band in ["critical", "high"] {
        let mut fixed = 0;
        let mut days = 0;
        let mut within = 0;
        for row in &fixes {
            if row.try_get::<String, _>("band")? == band {
                fixed = usize::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default();
                days = row.try_get::<Option<i64>, _>("days")?.unwrap_or_default();
                within = usize::try_from(row.try_get::<Option<i64>, _>("within")?.unwrap_or_default())
                    .unwrap_or_default();
            }
        }
        mttr.push(Mttr {
            band: band.to_owned(),
            fixed,
            mean_days: (fixed > 0).then(|| (days as f64 / fixed as f64 * 10.0).round() / 10.0),
            within_sla: within,
            sla_compliance_pct: percent(within, fixed),
        });
    }

    let stages = sqlx::query(
        "SELECT first_seen_stage AS stage, COUNT(*) AS n FROM findings WHERE first_seen_on >= $1 \
         AND first_seen_on <= $2 AND first_seen_stage IS NOT NULL GROUP BY first_seen_stage",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(pool)
    .await?;
    let mut escape = EscapeRate {
        first_seen_pr: 0,
        first_seen_main: 0,
        first_seen_prod: 0,
        rate_pct: None,
    };
    for row in &stages {
        let n = usize::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default();
        match row.try_get::<String, _>("stage")?.as_str() {
            "pr" => escape.first_seen_pr += n,
            "main" => escape.first_seen_main += n,
            "prod" => escape.first_seen_prod += n,
            _ => {}
        }
    }
    let escaped = escape.first_seen_main + escape.first_seen_prod;
    escape.rate_pct = percent(escaped, escaped + escape.first_seen_pr);

    let latest = sqlx::query(
        "SELECT scope, as_of, cadence_days FROM assessments WHERE id IN (SELECT MAX(id) FROM assessments GROUP BY scope) \
         ORDER BY scope",
    )
    .fetch_all(pool)
    .await?;
    let mut coverage = Vec::new();
    for row in &latest {
        let last = date(row, "as_of")?;
        let cadence: i64 = row.try_get("cadence_days")?;
        let next_due = last.saturating_add(Duration::days(cadence));
        coverage.push(ScopeCoverage {
            scope: row.try_get("scope")?,
            last_assessed: last,
            next_due,
            covered: next_due >= as_of,
        });
    }
    let coverage_pct = percent(coverage.iter().filter(|c| c.covered).count(), coverage.len());

    let past_due: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM findings WHERE state IN ('new', 'open', 'reopened') AND due < $1",
    )
    .bind(&to)
    .fetch_one(pool)
    .await?
    .try_get("n")?;

    let points = sqlx::query(
        "SELECT id, scope, target_path, commit_sha, stage, as_of, generated_at, tool_version, cadence_days, \
         open_critical, open_high, open_medium, open_low, findings_total, rpn_open FROM assessments \
         WHERE as_of >= $1 AND as_of <= $2 ORDER BY as_of, id",
    )
    .bind(&from)
    .bind(&to)
    .fetch_all(pool)
    .await?;
    let open_over_time = points
        .iter()
        .map(|row| {
            let a = assessment_row(row)?;
            Ok(Point {
                assessment: a.id,
                scope: a.scope,
                as_of: a.as_of,
                open_by_band: a.open_by_band,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    Ok(Metrics {
        as_of,
        since,
        mttr,
        escape_rate: escape,
        coverage,
        coverage_pct,
        open_past_due: usize::try_from(past_due).unwrap_or_default(),
        open_over_time,
    })
}

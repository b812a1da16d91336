//! Cadence and triggers: which scopes need a new assessment, because their cadence has run out or because a
//! material change (recorded by `vigil diff`) happened after their last assessment.

use serde::Serialize;
use sqlx::{AnyPool, Row};
use time::{Date, Duration};

use crate::StoreError;
use crate::queries::date;

/// A reason to reassess recorded against a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub scope: String,
    /// The assessment the change was found against, if it was saved.
    pub assessment: Option<i64>,
    /// The kind of material change (`endpoint-added`, `resource-became-public`...).
    pub kind: String,
    pub detail: String,
    #[serde(with = "vigil_core::date")]
    pub on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    pub scope: String,
    #[serde(with = "vigil_core::date")]
    pub last_assessed: Date,
    pub cadence_days: i64,
    #[serde(with = "vigil_core::date")]
    pub next_due: Date,
    /// Days past the cadence (0 when not overdue).
    pub overdue_days: i64,
    /// Material changes recorded since the last assessment.
    pub triggers: Vec<Trigger>,
}

impl Due {
    pub fn is_due(&self, as_of: Date) -> bool {
        self.next_due <= as_of || !self.triggers.is_empty()
    }
}

pub async fn record(pool: &AnyPool, trigger: &Trigger) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO triggers (scope, assessment_id, kind, detail, created_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&trigger.scope)
    .bind(trigger.assessment)
    .bind(&trigger.kind)
    .bind(&trigger.detail)
    .bind(vigil_core::date::format(trigger.on))
    .execute(pool)
    .await?;
    Ok(())
}

/// Every scope with its cadence state and the triggers recorded after its latest assessment.
pub async fn due(pool: &AnyPool, as_of: Date) -> Result<Vec<Due>, StoreError> {
    let latest = sqlx::query(
        "SELECT id, scope, as_of, cadence_days FROM assessments \
         WHERE id IN (SELECT MAX(id) FROM assessments GROUP BY scope) ORDER BY scope",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(latest.len());
    for row in &latest {
        let scope: String = row.try_get("scope")?;
        let id: i64 = row.try_get("id")?;
        let last = date(row, "as_of")?;
        let cadence: i64 = row.try_get("cadence_days")?;
        let next_due = last.saturating_add(Duration::days(cadence));
        // Triggers found against the latest assessment or recorded after its day.
        let rows = sqlx::query(
            "SELECT scope, assessment_id, kind, detail, created_on FROM triggers WHERE scope = $1 \
             AND (assessment_id >= $2 OR (assessment_id IS NULL AND created_on >= $3)) ORDER BY id",
        )
        .bind(&scope)
        .bind(id)
        .bind(vigil_core::date::format(last))
        .fetch_all(pool)
        .await?;
        let triggers = rows
            .iter()
            .map(|r| {
                Ok(Trigger {
                    scope: r.try_get("scope")?,
                    assessment: r.try_get("assessment_id")?,
                    kind: r.try_get("kind")?,
                    detail: r.try_get("detail")?,
                    on: date(r, "created_on")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(Due {
            scope,
            last_assessed: last,
            cadence_days: cadence,
            next_due,
            overdue_days: (as_of - next_due).whole_days().max(0),
            triggers,
        });
    }
    Ok(out)
}

//! The links between roadmap actions and tracker tickets, saved one at a time as a sync goes, so an
//! interrupted sync resumes where it stopped.

use serde::Serialize;
use sqlx::{AnyPool, Row};
use time::Date;

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketLink {
    /// `vigil-` and the action id.
    pub key: String,
    pub remote_id: String,
    pub url: String,
    pub open: bool,
    pub content_hash: String,
}

pub async fn links(pool: &AnyPool, tracker: &str, scope: &str) -> Result<Vec<TicketLink>, StoreError> {
    let rows = sqlx::query(
        "SELECT key, remote_id, url, open, content_hash FROM tickets WHERE tracker = $1 AND scope = $2 \
         ORDER BY key",
    )
    .bind(tracker)
    .bind(scope)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TicketLink {
                key: row.try_get("key")?,
                remote_id: row.try_get("remote_id")?,
                url: row.try_get("url")?,
                open: row.try_get::<i64, _>("open")? != 0,
                content_hash: row.try_get("content_hash")?,
            })
        })
        .collect()
}

pub async fn save(
    pool: &AnyPool,
    tracker: &str,
    scope: &str,
    link: &TicketLink,
    on: Date,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO tickets (tracker, scope, key, remote_id, url, open, content_hash, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tracker, scope, key) DO UPDATE SET \
         remote_id = excluded.remote_id, url = excluded.url, open = excluded.open, \
         content_hash = excluded.content_hash, updated_on = excluded.updated_on",
    )
    .bind(tracker)
    .bind(scope)
    .bind(&link.key)
    .bind(&link.remote_id)
    .bind(&link.url)
    .bind(i64::from(link.open))
    .bind(&link.content_hash)
    .bind(vigil_core::date::format(on))
    .execute(pool)
    .await?;
    Ok(())
}

//! Schema migrations, one directory per backend (`migrations/sqlite`, `migrations/postgres`), embedded in
//! the binary and applied in order, each in its own transaction, and recorded in `vigil_migrations`.
//!
//! sqlx's `migrate!` macro would do this, but it needs sqlx's `macros` feature, which builds sqlx's
//! proc-macro crate with both drivers a second time; a dozen lines do the same here.

use sqlx::AnyPool;
use sqlx::{Executor, Row};

use crate::{Backend, StoreError};

/// Version, description, SQLite script, PostgreSQL script.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "history",
        include_str!("../migrations/sqlite/0001_history.sql"),
        include_str!("../migrations/postgres/0001_history.sql"),
    ),
    (
        2,
        "tickets",
        include_str!("../migrations/sqlite/0002_tickets.sql"),
        include_str!("../migrations/postgres/0002_tickets.sql"),
    ),
    (
        3,
        "event deadlines",
        include_str!("../migrations/sqlite/0003_event_deadlines.sql"),
        include_str!("../migrations/postgres/0003_event_deadlines.sql"),
    ),
];

/// Key of the PostgreSQL advisory lock that serialises migrations between processes.
const MIGRATION_LOCK: i64 = 0x7669_6769_6c00;

pub async fn run(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    if backend == Backend::Postgres {
        // Two processes opening a new database at once would race on CREATE TABLE (PostgreSQL's catalog
        // is not protected by IF NOT EXISTS); the lock makes the second wait and then find the tables.
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply(&mut conn, backend).await;
    if backend == Backend::Postgres {
        let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await;
        result?;
        unlocked?;
        return Ok(());
    }
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<(), StoreError> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS vigil_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL)",
    )
    .await?;
    for (version, description, sqlite, postgres) in MIGRATIONS {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        // On SQLite, take the write lock before reading, so two processes opening a new store at once do
        // not both apply the same migration.
        tx.execute("UPDATE vigil_migrations SET version = version WHERE version < 0")
            .await?;
        let applied = sqlx::query("SELECT COUNT(*) AS n FROM vigil_migrations WHERE version = $1")
            .bind(*version)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>("n")?;
        if applied > 0 {
            tx.rollback().await?;
            continue;
        }
        let script = match backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        tx.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(*script))).await?;
        sqlx::query("INSERT INTO vigil_migrations (version, description) VALUES ($1, $2)")
            .bind(*version)
            .bind(*description)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

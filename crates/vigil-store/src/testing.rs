//! Test support shared by the store's tests and the CLI's: the backends to run on, each a fresh database
//! (SQLite always; PostgreSQL when `VIGIL_TEST_DATABASE_URL` names a server), dropped after the test.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Executor;

/// A backend to test on; a PostgreSQL database made for the test is dropped with it.
#[derive(Debug)]
pub struct TestBackend {
    pub name: &'static str,
    pub url: String,
    admin: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestBackend {
    fn drop(&mut self) {
        if let (Some(admin), Some((_, database))) = (&self.admin, self.url.rsplit_once('/')) {
            let statement = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            let _ = run(admin, &statement);
        }
    }
}

/// Each backend to test: a fresh SQLite file, and a fresh PostgreSQL database when
/// `VIGIL_TEST_DATABASE_URL` points at a server.
pub fn backends() -> Vec<TestBackend> {
    let dir = tempfile::tempdir().expect("test database");
    let mut out = vec![TestBackend {
        name: "sqlite",
        url: format!("sqlite://{}", dir.path().join("history.db").display()),
        admin: None,
        _dir: Some(dir),
    }];
    match std::env::var("VIGIL_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => out.push(TestBackend {
            name: "postgres",
            url: fresh_postgres_database(&admin),
            admin: Some(admin),
            _dir: None,
        }),
        // Tests say what they skip; this is test support, so stderr is where it belongs.
        #[allow(clippy::print_stderr)]
        _ => eprintln!("skipped: PostgreSQL backend (set VIGIL_TEST_DATABASE_URL to run it)"),
    }
    out
}

fn run(admin: &str, statement: &str) -> Result<(), sqlx::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(sqlx::Error::Io)?;
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(admin).await?;
        pool.execute(sqlx::AssertSqlSafe(statement.to_owned())).await?;
        pool.close().await;
        Ok(())
    })
}

/// Creates an empty database next to the one `admin` names and returns its URL.
pub fn fresh_postgres_database(admin: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "vigil_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("test database")
            .subsec_nanos()
    );
    run(admin, &format!("CREATE DATABASE {name}")).expect("test database");
    let (base, _) = admin.rsplit_once('/').expect("test database");
    format!("{base}/{name}")
}

/// A fresh PostgreSQL database on the server `admin` names, dropped with the value.
pub fn backends_with(admin: &str) -> TestBackend {
    TestBackend {
        name: "postgres",
        url: fresh_postgres_database(admin),
        admin: Some(admin.to_owned()),
        _dir: None,
    }
}

//! Connecting to the database (SQLite or PostgreSQL) and counting the statements it runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::Result;

/// The database URL used when none is configured: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://skillgraph.db";

/// A counter shared by every clone of a [`Db`].
#[derive(Clone, Debug, Default)]
pub struct Counter(Arc<AtomicU64>);

impl Counter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

/// A pool of connections, plus counters of the work it did.
///
/// `statements` is fed by SeaORM's metric callback (every statement); `list_rows` by the list
/// queries of the service layer (the rows they fetched). The tests and the benchmark read them
/// to prove that a nested query costs a fixed number of statements, and that a nested page
/// fetches no more rows than it returns (plus one per parent).
#[derive(Clone, Debug)]
pub struct Db {
    pub conn: DatabaseConnection,
    pub statements: Counter,
    pub list_rows: Counter,
    /// The URL of a SQLite file (not of an in-memory database), for a connection of its own.
    sqlite_file: Option<String>,
}

/// SQLite opens a missing file only when asked to (`mode=rwc`); a service whose default is
/// "an embedded file in the working directory" should create it, so we ask unless told otherwise.
fn with_create_mode(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}mode=rwc")
    } else {
        url.to_owned()
    }
}

/// How long a statement waits for a pooled connection (or a new one) before it gives up and the
/// client is told the service is unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A pooled connection idle for longer than this is pinged before use (it may have been cut
/// while idle, e.g. by a database restart); busier ones are used at once, which saves a round
/// trip per statement under load.
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(2);

/// How many connections a pool on a SQLite file opens at most unless told: two. SeaORM's
/// default for SQLite is a single connection, so a small read would queue behind every
/// statement of a large one (with one, the hostile benchmark's small query has a p99 of
/// 170 ms); a second lets it pass while a large read, which takes turns with the others (see
/// `graphql::heavy`), holds the first. In WAL mode readers run side by side, each on its
/// connection's own thread; writers still go one at a time (every write to the graph takes
/// the file's write lock first, see `curation::serial`; the others are single statements,
/// which wait for the lock up to the busy timeout). More connections cost memory (each
/// keeps a page cache and a thread) for little, as the engine's work is CPU-bound on a few
/// cores. An in-memory database always has one: each connection would open a database of its
/// own.
pub const DEFAULT_SQLITE_CONNECTIONS: u32 = 2;

/// SQLite's page cache per connection, as `PRAGMA cache_size` takes it (negative: KiB):
/// 8 MiB rather than the default 2. The bundled SQLite puts every connection's cache in one
/// group that recycles pages past their sum, and two connections cache the same pages: at
/// 2 MiB each, a nested read of the benchmark re-read some 500 pages a request (12 % more
/// instructions, varying with which connection ran which statement); at 8 MiB it reads none.
const SQLITE_CACHE_KIB: i64 = -8192;

/// How long one statement may run on PostgreSQL before the database cancels it.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a pool on `url` with the default statement timeout and size; see [`connect_with`].
pub async fn connect(url: &str) -> Result<Db> {
    connect_with(url, DEFAULT_STATEMENT_TIMEOUT, None).await
}

/// Opens a pool on `url` of at most `connections` (absent: [`DEFAULT_SQLITE_CONNECTIONS`] on
/// a SQLite file, sqlx's 10 on PostgreSQL) and installs the statement counter. On PostgreSQL
/// every statement that runs longer than `statement_timeout` is cancelled by the database and
/// reported.
///
/// The pool connects lazily: a server can start while its database is still down, report
/// itself unready, and serve as soon as the database answers; later outages heal the same way,
/// as the pool replaces broken connections.
pub async fn connect_with(
    url: &str,
    statement_timeout: Duration,
    connections: Option<u32>,
) -> Result<Db> {
    let mut options = ConnectOptions::new(with_create_mode(url));
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if url.starts_with("sqlite:") && !in_memory {
        options.max_connections(connections.unwrap_or(DEFAULT_SQLITE_CONNECTIONS).max(1));
    } else if let Some(connections) = connections.filter(|_| !in_memory) {
        options.max_connections(connections.max(1));
    }
    let timeout_ms = statement_timeout.as_millis().to_string();
    options
        .sqlx_logging(false)
        .connect_lazy(true)
        .connect_timeout(ACQUIRE_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .map_sqlx_postgres_opts(move |pg| pg.options([("statement_timeout", timeout_ms.clone())]))
        .map_sqlx_sqlite_opts(|sqlite| sqlite.pragma("cache_size", SQLITE_CACHE_KIB.to_string()));
    let mut conn = Database::connect(options).await?;
    if conn.get_database_backend() == DbBackend::Sqlite {
        // Readers do not wait for the writer. (WAL is a property of the file, so once is enough;
        // sqlx already turns foreign keys on for every connection.)
        conn.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    let statements = Counter::default();
    let counter = statements.clone();
    conn.set_metric_callback(move |_| counter.add(1));
    let sqlite_file = (url.starts_with("sqlite:") && !in_memory).then(|| with_create_mode(url));
    Ok(Db {
        conn,
        statements,
        list_rows: Counter::default(),
        sqlite_file,
    })
}

impl Db {
    /// Runs `read` on a connection of its own when the database is a SQLite file (the pool's
    /// otherwise), closed afterwards. SQLite's rows are made in their connection's worker
    /// thread, and the memory of a read of hundreds of megabytes (the whole catalog, for the
    /// analysis index) goes back to the system only when that thread frees it: a pooled
    /// connection's thread lives on and keeps it, a closed one's ends and gives it back.
    pub async fn read_apart<T, F>(&self, read: impl FnOnce(DatabaseConnection) -> F) -> Result<T>
    where
        F: std::future::Future<Output = Result<T>>,
    {
        let Some(url) = &self.sqlite_file else {
            return read(self.conn.clone()).await;
        };
        let mut options = ConnectOptions::new(url.clone());
        options
            .sqlx_logging(false)
            .max_connections(1)
            .min_connections(0)
            .connect_timeout(ACQUIRE_TIMEOUT)
            .acquire_timeout(ACQUIRE_TIMEOUT);
        let mut apart = Database::connect(options).await?;
        let statements = self.statements.clone();
        apart.set_metric_callback(move |_| statements.add(1));
        let result = read(apart.clone()).await;
        apart.close().await?;
        result
    }
}

/// Brings the schema up to date. On SQLite the migrations run in one transaction, which
/// holds the file's write lock from the start: on one connection, since a migration that
/// rebuilds a table runs several statements that must see each other's schema, and the pool
/// has several; and all or nothing, since SQLite's DDL is transactional.
pub async fn migrate(db: &Db) -> Result<()> {
    if db.conn.get_database_backend() == DbBackend::Sqlite {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = db.conn.begin_with_options(options).await?;
        Migrator::up(&txn, None).await?;
        txn.commit().await?;
    } else {
        Migrator::up(&db.conn, None).await?;
    }
    Ok(())
}

/// Answers whether the database can run a statement right now.
pub async fn ping(db: &Db) -> bool {
    db.conn.ping().await.is_ok()
}

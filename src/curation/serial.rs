//! One structural write at a time, across every replica: the transaction every writer of the
//! graph opens ([`begin_write`]: mutations through [`super::Curator`], the catalog loader, the
//! importers and the generator), and the bounded retry of a write the database undid because
//! of concurrent ones ([`retrying`]).
//!
//! The graph's rules that span rows (the skill tree and the prerequisites stay acyclic, an
//! edge's ends exist, a slug is new) are checked by reading before writing. Two writers that
//! each check against a graph without the other's write can together break a rule that each
//! alone keeps: on PostgreSQL, under READ COMMITTED, `moveSkill(X under Y)` on one replica and
//! `moveSkill(W under X)` on another would both see an acyclic tree and commit a cycle. So
//! writers take turns:
//!
//! - **PostgreSQL**: the first statement of every write is `pg_advisory_xact_lock` on one
//!   constant key ([`WRITE_LOCK_KEY`]). The lock is the database's, so it orders writers of
//!   all replicas; it is released when the transaction commits or rolls back, so a crashed or
//!   cancelled writer cannot keep it. Under READ COMMITTED each statement reads a fresh
//!   snapshot, so every check a write runs after taking the lock sees every write committed
//!   before it, and the checks are as good as on a single writer. Readers never take it.
//! - **SQLite**: `BEGIN IMMEDIATE` takes the file's write lock before the first read (waiting
//!   for the busy timeout), which does the same for every process on the file; within one
//!   server the curator's mutex queues writers before they reach the database.
//!
//! Why not SERIALIZABLE: it would catch the conflicting pairs too, but only by failing one of
//! them after the fact, so correctness would rest on every writer retrying; and its predicate
//! locks grow from rows to pages to whole tables as a transaction reads more (a cycle check
//! reads a whole chain of ancestors, an import everything), so writes that do not conflict
//! would fail as well. Writes to the graph are rare next to reads and short (a few
//! milliseconds; an import is one transaction), so one lock for all of them costs nearly
//! nothing, needs no retries to be correct, and cannot deadlock writers against each other:
//! each holds it before it locks any row. (Locking the catalog state row first would
//! serialize as well; the advisory lock needs no row and says what it is for.)
//!
//! Deadlocks and serialization failures can still come from outside that order (a
//! transaction run by hand, a database whose default isolation is SERIALIZABLE, another
//! program on a SQLite file holding it past the busy timeout). [`crate::Error`] turns them
//! into [`crate::Error::Contended`] wherever they arise, and [`retrying`] runs the whole write
//! again, at most [`ATTEMPTS`] times in all, before the client gets `CONFLICT` with a hint to
//! retry; never `INTERNAL_SERVER_ERROR`.

use std::future::Future;
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::{Error, Result};

/// The key of the advisory lock every write to the graph takes on PostgreSQL: the bytes of
/// `skillgra` read as a big-endian number, so that it is unlikely to meet a key another
/// program sharing the database chose.
pub const WRITE_LOCK_KEY: i64 = i64::from_be_bytes(*b"skillgra");

/// How many times a write is run in all when the database keeps undoing it for concurrent
/// ones.
pub const ATTEMPTS: u32 = 3;

/// The pause before the second attempt; it doubles before each further one.
const FIRST_PAUSE: Duration = Duration::from_millis(20);

/// Opens the transaction of a write to the graph, holding the one write lock (see the
/// module's documentation) from its first statement.
pub async fn begin_write(conn: &DatabaseConnection) -> Result<DatabaseTransaction> {
    if conn.get_database_backend() == DbBackend::Postgres {
        let txn = conn.begin().await?;
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"))
            .await?;
        Ok(txn)
    } else {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(conn.begin_with_options(options).await?)
    }
}

/// Runs `write` (a whole write: its own transaction, from [`begin_write`] to the commit) until
/// it ends other than [`Error::Contended`], at most [`ATTEMPTS`] times, pausing a little
/// longer before each new attempt. The last contended failure is what the caller gets.
pub async fn retrying<T, F, Fut>(operation: &str, mut write: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut pause = FIRST_PAUSE;
    let mut attempt = 1;
    loop {
        match write().await {
            Err(Error::Contended(detail)) if attempt < ATTEMPTS => {
                tracing::info!(operation, attempt, %detail, "write undone by concurrent writes; retrying");
                tokio::time::sleep(pause).await;
                pause *= 2;
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[tokio::test]
    async fn a_write_is_tried_at_most_three_times_then_conflict() {
        let tries = Cell::new(0);
        let outcome: Result<()> = retrying("test", || {
            tries.set(tries.get() + 1);
            async { Err(Error::Contended("deadlock detected".into())) }
        })
        .await;
        assert_eq!(tries.get(), ATTEMPTS);
        let err = outcome.expect_err("still contended");
        assert_eq!(err.code(), "CONFLICT");
        let graphql = async_graphql::Error::from(err);
        assert!(graphql.message.contains("retry"), "{}", graphql.message);
    }

    #[tokio::test]
    async fn a_write_that_succeeds_on_a_later_attempt_is_not_tried_again() {
        let tries = Cell::new(0);
        let outcome = retrying("test", || {
            tries.set(tries.get() + 1);
            let now = tries.get();
            async move {
                if now < 2 {
                    Err(Error::Contended("could not serialize access".into()))
                } else {
                    Ok(now)
                }
            }
        })
        .await;
        assert_eq!(outcome.ok(), Some(2));
        assert_eq!(tries.get(), 2);
    }

    #[tokio::test]
    async fn other_failures_are_not_retried() {
        let tries = Cell::new(0);
        let outcome: Result<()> = retrying("test", || {
            tries.set(tries.get() + 1);
            async { Err(Error::conflict("parent", "a cycle")) }
        })
        .await;
        assert_eq!(tries.get(), 1);
        assert!(matches!(outcome, Err(Error::Rejected(_))));
    }
}

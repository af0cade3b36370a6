//! Curating the graph: every write the API makes goes through here. Each write is one
//! transaction that holds the one write lock ([`serial`]), checks the graph's rules
//! ([`crate::graph::rules`] for values, [`crate::data::cycles`] for cycles), changes the rows, appends one entry to the change log with the catalog's
//! next revision ([`log`]) and announces the change to subscribers ([`events`]).

pub mod edges;
pub mod events;
pub mod fields;
pub mod lifecycle;
pub mod lists;
pub mod log;
pub mod nodes;
mod places;
pub mod serial;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use events::{ChangeEvent, Events};
pub use log::Change;

use crate::Result;
use crate::db::Db;
use crate::keys::Principal;

/// Runs writes against one database and tells subscribers about them. Each public write runs
/// in its own transaction, and again when the database undoes it for concurrency
/// ([`serial::retrying`]).
#[derive(Clone)]
pub struct Curator {
    db: Db,
    events: Events,
    /// One writer at a time in this process. The database lets one writer in at a time
    /// anyway ([`serial::begin_write`]); queueing here first keeps the writers that wait from
    /// each holding a pooled connection, which the readers need, and on SQLite from polling
    /// the file's lock.
    serial: Arc<Mutex<()>>,
}

/// What a committed write made: the catalog's revision after it, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Committed {
    pub revision: i32,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

/// One write in progress: a transaction, and who is writing what.
pub struct Write<'c> {
    pub txn: DatabaseTransaction,
    curator: &'c Curator,
    key_name: String,
    operation: String,
    _serial: OwnedMutexGuard<()>,
}

impl Curator {
    pub fn new(db: Db, events: Events) -> Self {
        Curator {
            db,
            events,
            serial: Arc::new(Mutex::new(())),
        }
    }

    pub fn events(&self) -> &Events {
        &self.events
    }

    /// Starts a write by `who`, recorded in the change log as `operation`: waits for its turn
    /// in this process, then opens the transaction with the write lock ([`serial`]).
    pub async fn begin(&self, who: &Principal, operation: &str) -> Result<Write<'_>> {
        let serial = self.serial.clone().lock_owned().await;
        let txn = serial::begin_write(&self.db.conn).await?;
        Ok(Write {
            txn,
            curator: self,
            key_name: who.name.clone(),
            operation: operation.to_owned(),
            _serial: serial,
        })
    }
}

impl Write<'_> {
    pub fn backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    /// Appends `change` to the log under the next revision and commits. Dropping a `Write`
    /// without committing rolls everything back.
    pub async fn commit(self, change: Change) -> Result<Committed> {
        let (committed, entry) =
            log::append(&self.txn, &self.key_name, &self.operation, change).await?;
        self.txn.commit().await?;
        self.curator.events.committed(entry);
        Ok(committed)
    }
}

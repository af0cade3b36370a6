//! Curating the graph: every write the API makes goes through here. Each write is one
//! transaction that checks the graph's rules ([`invariants`]), changes the rows, appends one
//! entry to the change log with the catalog's next revision ([`log`]) and announces the
//! change to subscribers ([`events`]).

pub mod edges;
pub mod events;
pub mod fields;
pub mod invariants;
pub mod log;
pub mod nodes;
mod places;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use events::{ChangeEvent, Events};
pub use log::Change;

use crate::Result;
use crate::db::Db;
use crate::keys::Principal;

/// Runs writes against one database and tells subscribers about them.
#[derive(Clone)]
pub struct Curator {
    db: Db,
    events: Events,
    /// On SQLite, one writer at a time in this process: SQLite has one writer anyway, and a
    /// transaction that read before it writes cannot wait for another writer (it fails with
    /// `SQLITE_BUSY` instead), so writers queue here rather than fail.
    serial: Option<Arc<Mutex<()>>>,
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
    _serial: Option<OwnedMutexGuard<()>>,
}

impl Curator {
    pub fn new(db: Db, events: Events) -> Self {
        let serial =
            (db.conn.get_database_backend() == DbBackend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Curator { db, events, serial }
    }

    pub fn events(&self) -> &Events {
        &self.events
    }

    /// Starts a write by `who`, recorded in the change log as `operation`.
    pub async fn begin(&self, who: &Principal, operation: &str) -> Result<Write<'_>> {
        let serial = match &self.serial {
            Some(serial) => Some(serial.clone().lock_owned().await),
            None => None,
        };
        let txn = self.db.conn.begin().await?;
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

//! Curating the graph: every write the API makes goes through here. Each write is one
//! transaction that holds the one write lock ([`serial`]), checks the graph's rules
//! ([`crate::graph::rules`] for values, [`crate::data::cycles`] for cycles), changes the rows, appends one entry to the change log with the catalog's
//! next revision ([`log`]) and announces the change to subscribers ([`events`]).

pub mod edges;
pub mod events;
pub mod fields;
mod labels;
pub mod lifecycle;
pub mod lists;
pub mod log;
pub mod nodes;
pub mod operations;
mod places;
pub mod serial;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use events::{ChangeEvent, Events};
pub use log::Change;
pub use operations::{Operation, Step};

use crate::db::Db;
use crate::keys::Principal;
use crate::{Error, Result};

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

/// The name the change log gives a batch.
pub const BATCH: &str = "batch";

/// The name the change log gives the write of `steps`: the one step's own, or [`BATCH`].
pub fn name_of(steps: &[Step], batch: bool) -> &str {
    match steps {
        [step] if !batch => step.name.as_str(),
        _ => BATCH,
    }
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

    /// Applies `steps` in order as one write by `who`, in one transaction: all of them or,
    /// at the first refusal, none. One step is logged as itself; a batch (`batch`, even of
    /// one step) as one entry named `batch` listing every step's change, under one revision.
    /// A refused step of a batch says its index ([`Error::in_operation`]).
    pub async fn run(&self, who: &Principal, steps: &[Step], batch: bool) -> Result<Committed> {
        let name = name_of(steps, batch);
        serial::retrying(name, || async {
            let write = self.begin(who, name).await?;
            let changes = write.apply(steps, batch).await?;
            let change = match changes.len() {
                1 if !batch => changes.into_iter().map(|(_, change)| change).next(),
                _ => Some(log::batch_change(changes)),
            };
            let change = change.ok_or_else(|| Error::Internal("a write without steps".into()))?;
            write.commit(change).await
        })
        .await
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

    /// Applies `steps` in order inside this write and returns each one's name and change; in
    /// a batch, a refusal says which step it was.
    pub async fn apply(&self, steps: &[Step], batch: bool) -> Result<Vec<(String, Change)>> {
        let mut changes = Vec::with_capacity(steps.len());
        for (index, step) in steps.iter().enumerate() {
            let change = match step.operation.apply(self).await {
                Ok(change) => change,
                Err(err) if batch => return Err(err.in_operation(index, &step.name)),
                Err(err) => return Err(err),
            };
            changes.push((step.name.clone(), change));
        }
        Ok(changes)
    }

    /// Undoes everything the write did, as dropping it would, but waits until the database
    /// has.
    pub async fn roll_back(self) -> Result<()> {
        Ok(self.txn.rollback().await?)
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

//! Telling subscribers about committed changes, on every replica.
//!
//! Each replica keeps a broadcast channel that its subscriptions listen to. On SQLite (one
//! process) a write sends its entry after the commit. On PostgreSQL a write runs `NOTIFY`
//! inside its transaction, with its log entry (`log::append`), delivered only if it commits;
//! every replica, the writer's own included, `LISTEN`s and reads the log after the last
//! revision it relayed, so a notification lost to a reconnect is made up by the next read.
//!
//! A subscriber that resumes from a revision reads the log's entries after it through
//! [`Events::replay`], as events of the same shape as the live ones.

use std::sync::Arc;
use std::time::Duration;

use entity::catalog_change;
use sea_orm::DbBackend;
use tokio::sync::{Semaphore, broadcast};

use super::log::{self, Selection};
use crate::Result;
use crate::data::lists::Direction;
use crate::db::Db;
use crate::graph::Kind;

/// The PostgreSQL channel the writers notify.
pub(super) const CHANNEL: &str = "skillgraph_changes";

/// How many events a subscriber may lag behind before it is told it missed some.
const BUFFER: usize = 4096;

/// How many replays may read the log at once on one replica. Each read holds a pooled
/// connection for one statement; however many subscribers resume at once, the pool's other
/// connections stay for writers and queries (a SQLite pool has two).
const REPLAY_READS: usize = 1;

/// A page of the log, as [`Events::replay`] reads it.
pub struct Replayed {
    /// The page's events, oldest first.
    pub events: Vec<Arc<ChangeEvent>>,
    /// The revision of the page's last entry, if it had any (an entry of an unknown kind,
    /// which no event is made of, counts: the next page starts after it).
    pub last: Option<i32>,
    /// Whether more entries of the selection follow.
    pub more: bool,
}

/// A committed change, as subscribers receive it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeEvent {
    pub revision: i32,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    pub operation: String,
    /// `None` for an import or a batch, which change the catalog as a whole (its slug is
    /// empty).
    pub kind: Option<Kind>,
    pub slug: String,
    /// The names of the changed fields (for an edge: the list it belongs to, e.g. `skills`).
    pub fields: Vec<String>,
    pub created: bool,
    pub deleted: bool,
    /// For a batch: the nodes its operations changed, in order.
    pub nodes: Vec<(Kind, String)>,
}

impl ChangeEvent {
    fn of(entry: &catalog_change::Model) -> Option<Self> {
        let kind = match entry.kind.as_str() {
            "" => None,
            name => Some(Kind::from_name(name)?),
        };
        let mut fields: Vec<String> = Vec::new();
        for side in [&entry.before, &entry.after].into_iter().flatten() {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(side) {
                fields.extend(map.keys().cloned());
            }
        }
        fields.sort();
        fields.dedup();
        let nodes = match (entry.operation.as_str(), &entry.after) {
            (super::BATCH, Some(after)) => serde_json::from_str(after)
                .map(|after| super::log::batch_nodes(&after))
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        Some(ChangeEvent {
            revision: entry.revision,
            at: entry.at,
            operation: entry.operation.clone(),
            kind,
            slug: entry.slug.clone(),
            fields,
            // An import's or a batch's entry is about the catalog as a whole: it neither
            // creates nor deletes one node.
            created: kind.is_some() && entry.before.is_none(),
            deleted: kind.is_some() && entry.after.is_none(),
            nodes,
        })
    }
}

/// The replica's channel of change events.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Arc<ChangeEvent>>,
    /// Whether events come through PostgreSQL's notifications rather than from the writer.
    relayed: bool,
    /// The turns of the replays' reads ([`REPLAY_READS`]).
    replays: Arc<Semaphore>,
}

impl Events {
    pub fn new(backend: DbBackend) -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        Events {
            sender,
            relayed: backend == DbBackend::Postgres,
            replays: Arc::new(Semaphore::new(REPLAY_READS)),
        }
    }

    /// Up to `first` entries of the log's `selection`, oldest first, as the events a live
    /// subscriber got for them; it waits for its turn ([`REPLAY_READS`]).
    pub async fn replay(&self, db: &Db, selection: &Selection, first: u64) -> Result<Replayed> {
        let (entries, more) = {
            let _turn = self
                .replays
                .acquire()
                .await
                .map_err(|_| crate::Error::Internal("the replays' turns are closed".into()))?;
            log::read(&db.conn, selection, first, Direction::Forward).await?
        };
        Ok(Replayed {
            last: entries.last().map(|entry| entry.revision),
            events: entries
                .iter()
                .filter_map(ChangeEvent::of)
                .map(Arc::new)
                .collect(),
            more,
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<ChangeEvent>> {
        self.sender.subscribe()
    }

    fn send(&self, entry: &catalog_change::Model) {
        if let Some(event) = ChangeEvent::of(entry) {
            // No subscriber is not an error.
            let _ = self.sender.send(Arc::new(event));
        }
    }

    /// A write of this replica committed `entry`.
    pub(super) fn committed(&self, entry: catalog_change::Model) {
        if !self.relayed {
            self.send(&entry);
        }
    }

    /// On PostgreSQL, relays every replica's changes to this replica's subscribers until the
    /// task is aborted; `None` on SQLite, where writers send their own.
    pub fn relay(&self, db: &Db) -> Option<tokio::task::JoinHandle<()>> {
        if !self.relayed {
            return None;
        }
        let (events, db) = (self.clone(), db.clone());
        Some(tokio::spawn(async move {
            // Kept across reconnections, so that what was committed while the relay was
            // reconnecting is relayed too.
            let mut last = None;
            loop {
                if let Err(err) = relay_until_error(&events, &db, &mut last).await {
                    tracing::warn!(detail = %err.detail(), "change relay failed; restarting");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }
}

/// Listens, and after every notification (or reconnection) sends what the log holds past the
/// last revision sent, `last` (the catalog's revision when the relay first listens). The log
/// is read over the listening connection itself, outside the pool: the relay takes no
/// connection from requests (and its statements are not counted as theirs).
async fn relay_until_error(events: &Events, db: &Db, relayed: &mut Option<i32>) -> Result<()> {
    use sea_orm::sqlx::postgres::PgListener;
    let unavailable = |err: sea_orm::sqlx::Error| crate::Error::Unavailable(err.to_string());
    let pool = db.conn.get_postgres_connection_pool();
    let mut listener = PgListener::connect_with(pool).await.map_err(unavailable)?;
    listener.listen(CHANNEL).await.map_err(unavailable)?;
    let mut last: i32 = match *relayed {
        Some(last) => last,
        None => {
            let revision =
                sea_orm::sqlx::query_scalar("SELECT revision FROM catalog_state WHERE id = 1")
                    .fetch_one(&mut listener)
                    .await
                    .map_err(unavailable)?;
            *relayed = Some(revision);
            revision
        }
    };
    loop {
        // First what was committed while the relay was away (nothing on its first start).
        loop {
            let entries: Vec<Entry> = sea_orm::sqlx::query_as(
                "SELECT revision, at, key_name, operation, kind, slug, before, after \
                 FROM catalog_change WHERE revision > $1 ORDER BY revision LIMIT 1000",
            )
            .bind(last)
            .fetch_all(&mut listener)
            .await
            .map_err(unavailable)?;
            let more = entries.len() == 1000;
            for (revision, at, key_name, operation, kind, slug, before, after) in entries {
                events.send(&catalog_change::Model {
                    revision,
                    at,
                    key_name,
                    operation,
                    kind,
                    slug,
                    before,
                    after,
                });
                last = revision;
                *relayed = Some(revision);
            }
            if !more {
                break;
            }
        }
        // `None`: the connection was lost (and is re-made on the next call); notifications
        // may have been missed, so the log is read either way.
        let _ = listener.try_recv().await.map_err(unavailable)?;
    }
}

/// A row of the change log, as the relay reads it.
type Entry = (
    i32,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

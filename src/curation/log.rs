//! The change log and the catalog's revision: one entry per write, numbered by the revision
//! it made.

use entity::{catalog_change, catalog_state};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value};

use super::{Committed, events};
use crate::data::model::Kind;
use crate::data::sql::Sql;
use crate::{Error, Result};

/// What one write changed: a node (for an edge, the node the edge belongs to), with the
/// changed fields before and after.
#[derive(Clone, Debug)]
pub struct Change {
    pub kind: Kind,
    pub slug: String,
    /// `None` when the write created the node.
    pub before: Option<Map<String, Value>>,
    /// `None` when the write deleted the node.
    pub after: Option<Map<String, Value>>,
}

pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

fn text(map: Option<Map<String, Value>>) -> Option<String> {
    map.map(|map| Value::Object(map).to_string())
}

/// Takes the next revision and writes the entry (on PostgreSQL, and notifies the replicas);
/// called last in a write's transaction, so the revision row stays locked only for the
/// commit.
pub(super) async fn append(
    txn: &impl ConnectionTrait,
    key_name: &str,
    operation: &str,
    change: Change,
) -> Result<(Committed, catalog_change::Model)> {
    let at = now_ms();
    if txn.get_database_backend() == DbBackend::Postgres {
        return append_and_notify(txn, at, key_name, operation, change).await;
    }
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE catalog_state SET revision = revision + 1, updated_at = ")
        .bind(at)
        .push(" WHERE id = 1 RETURNING revision");
    let row = txn
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(|| Error::Internal("catalog_state has no row".into()))?;
    let revision: i32 = row.try_get_by_index(0)?;
    let entry = catalog_change::Model {
        revision,
        at,
        key_name: key_name.to_owned(),
        operation: operation.to_owned(),
        kind: change.kind.name().to_owned(),
        slug: change.slug,
        before: text(change.before),
        after: text(change.after),
    };
    let active = catalog_change::ActiveModel {
        revision: Set(entry.revision),
        at: Set(entry.at),
        key_name: Set(entry.key_name.clone()),
        operation: Set(entry.operation.clone()),
        kind: Set(entry.kind.clone()),
        slug: Set(entry.slug.clone()),
        before: Set(entry.before.clone()),
        after: Set(entry.after.clone()),
    };
    catalog_change::Entity::insert(active)
        .exec_without_returning(txn)
        .await?;
    Ok((Committed { revision, at }, entry))
}

/// [`append`] on PostgreSQL: the revision, the entry and the notification to the other
/// replicas (delivered when the transaction commits) in one statement, so that the revision
/// row stays locked for one round trip and the commit.
async fn append_and_notify(
    txn: &impl ConnectionTrait,
    at: i64,
    key_name: &str,
    operation: &str,
    change: Change,
) -> Result<(Committed, catalog_change::Model)> {
    let (before, after) = (text(change.before), text(change.after));
    let mut sql = Sql::new(DbBackend::Postgres);
    sql.push("WITH r AS (UPDATE catalog_state SET revision = revision + 1, updated_at = ")
        .bind(at)
        .push(
            " WHERE id = 1 RETURNING revision), c AS (INSERT INTO catalog_change \
               (revision, at, key_name, operation, kind, slug, before, after) SELECT revision, ",
        )
        .bind(at)
        .push(", ")
        .bind(key_name)
        .push(", ")
        .bind(operation)
        .push(", ")
        .bind(change.kind.name())
        .push(", ")
        .bind(change.slug.as_str())
        .push(", ")
        .bind(before.clone())
        .push(", ")
        .bind(after.clone())
        .push(" FROM r RETURNING revision) SELECT revision, pg_notify(")
        .bind(events::CHANNEL)
        .push(", revision::text)::text FROM c");
    let row = txn
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(|| Error::Internal("catalog_state has no row".into()))?;
    let revision: i32 = row.try_get_by_index(0)?;
    let entry = catalog_change::Model {
        revision,
        at,
        key_name: key_name.to_owned(),
        operation: operation.to_owned(),
        kind: change.kind.name().to_owned(),
        slug: change.slug,
        before,
        after,
    };
    Ok((Committed { revision, at }, entry))
}

/// The catalog's revision and when it last changed (`None` before the first change).
pub async fn state(db: &impl ConnectionTrait) -> Result<(i32, Option<i64>)> {
    let state = catalog_state::Entity::find_by_id(1).one(db).await?;
    Ok(state.map_or((0, None), |state| (state.revision, state.updated_at)))
}

/// Which entries to read.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only entries after this revision.
    pub after: Option<i32>,
    /// Only entries made at or after this time (milliseconds since the Unix epoch).
    pub since: Option<i64>,
    /// Only entries about this node.
    pub node: Option<(Kind, String)>,
}

/// Up to `first` entries of `selection`, oldest first, and whether more follow.
pub async fn read(
    db: &impl ConnectionTrait,
    selection: &Selection,
    first: u64,
) -> Result<(Vec<catalog_change::Model>, bool)> {
    let mut query = catalog_change::Entity::find().order_by_asc(catalog_change::Column::Revision);
    if let Some(after) = selection.after {
        query = query.filter(catalog_change::Column::Revision.gt(after));
    }
    if let Some(since) = selection.since {
        query = query.filter(catalog_change::Column::At.gte(since));
    }
    if let Some((kind, slug)) = &selection.node {
        query = query
            .filter(catalog_change::Column::Kind.eq(kind.name()))
            .filter(catalog_change::Column::Slug.eq(slug.as_str()));
    }
    let mut entries = query.limit(first + 1).all(db).await?;
    let more = entries.len() as u64 > first;
    entries.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    Ok((entries, more))
}

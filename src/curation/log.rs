//! The change log and the catalog's revision: one entry per write, numbered by the revision
//! it made.

use entity::{catalog_change, catalog_state};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value};

use super::{Committed, events};
use crate::data::sql::Sql;
use crate::graph::Kind;
use crate::graph::clock::now_ms;
use crate::{Error, Result};

/// What one write changed: a node (for an edge, the node the edge belongs to), with the
/// changed fields before and after.
#[derive(Clone, Debug)]
pub struct Change {
    /// `None` for an import, which changes the catalog as a whole.
    pub kind: Option<Kind>,
    pub slug: String,
    /// `None` when the write created the node.
    pub before: Option<Map<String, Value>>,
    /// `None` when the write deleted the node.
    pub after: Option<Map<String, Value>>,
}

fn text(map: Option<Map<String, Value>>) -> Option<String> {
    map.map(|map| Value::Object(map).to_string())
}

/// Appends the entry of an import (one entry for the whole import, its `after` saying what
/// changed) to the log under the next revision, inside the import's transaction; the caller
/// commits.
pub async fn append_import(
    txn: &impl ConnectionTrait,
    who: &str,
    operation: &str,
    summary: Map<String, Value>,
) -> Result<Committed> {
    let change = Change {
        kind: None,
        slug: String::new(),
        before: None,
        after: Some(summary),
    };
    Ok(append(txn, who, operation, change).await?.0)
}

/// Takes the next revision and writes the entry (on PostgreSQL, and notifies the replicas);
/// called last in a write's transaction, so the revision row stays locked only for the
/// commit.
pub(crate) async fn append(
    txn: &impl ConnectionTrait,
    key_name: &str,
    operation: &str,
    change: Change,
) -> Result<(Committed, catalog_change::Model)> {
    let at = now_ms();
    let mut entry = catalog_change::Model {
        revision: 0,
        at,
        key_name: key_name.to_owned(),
        operation: operation.to_owned(),
        kind: change.kind.map_or("", Kind::name).to_owned(),
        slug: change.slug,
        before: text(change.before),
        after: text(change.after),
    };
    entry.revision = if txn.get_database_backend() == DbBackend::Postgres {
        append_and_notify(txn, &entry).await?
    } else {
        append_in_steps(txn, &entry).await?
    };
    Ok((
        Committed {
            revision: entry.revision,
            at,
        },
        entry,
    ))
}

/// The revision row's update, as the first half of a statement, `RETURNING revision`.
fn next_revision(sql: &mut Sql, at: i64) {
    sql.push("UPDATE catalog_state SET revision = revision + 1, updated_at = ")
        .bind(at)
        .push(" WHERE id = 1 RETURNING revision");
}

fn revision_of(row: Option<sea_orm::QueryResult>) -> Result<i32> {
    let row = row.ok_or_else(|| Error::Internal("catalog_state has no row".into()))?;
    Ok(row.try_get_by_index(0)?)
}

/// [`append`] on SQLite: the revision, then the entry.
async fn append_in_steps(txn: &impl ConnectionTrait, entry: &catalog_change::Model) -> Result<i32> {
    let mut sql = Sql::new(txn.get_database_backend());
    next_revision(&mut sql, entry.at);
    let revision = revision_of(txn.query_one_raw(sql.into_statement()).await?)?;
    let active = catalog_change::ActiveModel {
        revision: Set(revision),
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
    Ok(revision)
}

/// [`append`] on PostgreSQL: the revision, the entry and the notification to the other
/// replicas (delivered when the transaction commits) in one statement, so that the revision
/// row stays locked for one round trip and the commit.
async fn append_and_notify(
    txn: &impl ConnectionTrait,
    entry: &catalog_change::Model,
) -> Result<i32> {
    let mut sql = Sql::new(DbBackend::Postgres);
    sql.push("WITH r AS (");
    next_revision(&mut sql, entry.at);
    sql.push(
        "), c AS (INSERT INTO catalog_change \
         (revision, at, key_name, operation, kind, slug, before, after) SELECT revision, ",
    );
    sql.bind(entry.at)
        .push(", ")
        .bind(entry.key_name.as_str())
        .push(", ")
        .bind(entry.operation.as_str())
        .push(", ")
        .bind(entry.kind.as_str())
        .push(", ")
        .bind(entry.slug.as_str())
        .push(", ")
        .bind(entry.before.clone())
        .push(", ")
        .bind(entry.after.clone())
        .push(" FROM r RETURNING revision) SELECT revision, pg_notify(")
        .bind(events::CHANNEL)
        .push(", revision::text)::text FROM c");
    revision_of(txn.query_one_raw(sql.into_statement()).await?)
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
    /// Only entries up to this revision, included.
    pub through: Option<i32>,
    /// Only entries made at or after this time (milliseconds since the Unix epoch).
    pub since: Option<i64>,
    /// Only entries about this node.
    pub node: Option<(Kind, String)>,
    /// Only entries about nodes of these kinds, and imports: an import may change nodes of
    /// every kind, so whoever follows some kinds needs to hear of it.
    pub kinds: Option<Vec<Kind>>,
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
    if let Some(through) = selection.through {
        query = query.filter(catalog_change::Column::Revision.lte(through));
    }
    if let Some(since) = selection.since {
        query = query.filter(catalog_change::Column::At.gte(since));
    }
    if let Some((kind, slug)) = &selection.node {
        query = query
            .filter(catalog_change::Column::Kind.eq(kind.name()))
            .filter(catalog_change::Column::Slug.eq(slug.as_str()));
    }
    if let Some(kinds) = &selection.kinds {
        query = query.filter(
            Condition::any()
                .add(catalog_change::Column::Kind.is_in(kinds.iter().map(|kind| kind.name())))
                .add(catalog_change::Column::Kind.eq("")),
        );
    }
    let mut entries = query.limit(first + 1).all(db).await?;
    let more = entries.len() as u64 > first;
    entries.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    Ok((entries, more))
}

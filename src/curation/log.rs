//! The change log and the catalog's revision: one entry per write, numbered by the revision
//! it made.

use entity::{catalog_change, catalog_change_node, catalog_state};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Map, Value};

use super::{Committed, events};
use crate::data::lists::Direction;
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
    if entry.operation == super::BATCH {
        record_nodes(txn, &entry).await?;
    }
    Ok((
        Committed {
            revision: entry.revision,
            at,
        },
        entry,
    ))
}

/// Lists the nodes a batch's entry changed in `catalog_change_node`, once each.
async fn record_nodes(txn: &impl ConnectionTrait, entry: &catalog_change::Model) -> Result<()> {
    let after: Value = match &entry.after {
        Some(text) => serde_json::from_str(text).map_err(|err| Error::Internal(err.to_string()))?,
        None => return Ok(()),
    };
    let mut seen = std::collections::HashSet::new();
    let nodes: Vec<(Kind, String)> = batch_nodes(&after)
        .into_iter()
        .filter(|node| seen.insert(node.clone()))
        .collect();
    if nodes.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("INSERT INTO catalog_change_node (kind, slug, revision) VALUES ");
    for (at, (kind, slug)) in nodes.iter().enumerate() {
        sql.push(if at == 0 { "(" } else { ", (" })
            .bind(kind.name())
            .push(", ")
            .bind(slug.as_str())
            .push(", ")
            .bind(entry.revision)
            .push(")");
    }
    txn.execute_raw(sql.into_statement()).await?;
    Ok(())
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

/// Moves the catalog's revision up to `revision` if it is below: an imported catalog's
/// releases were made at revisions of another database, and the revisions made here from
/// now on come after theirs.
pub async fn raise_revision(txn: &impl ConnectionTrait, revision: i32) -> Result<()> {
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE catalog_state SET revision = ")
        .bind(revision)
        .push(" WHERE id = 1 AND revision < ")
        .bind(revision);
    txn.execute_raw(sql.into_statement()).await?;
    Ok(())
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
    /// Only entries about this node, and the batches that changed it.
    pub node: Option<(Kind, String)>,
    /// Only entries about nodes of these kinds, and imports: an import may change nodes of
    /// every kind, so whoever follows some kinds needs to hear of it.
    pub kinds: Option<Vec<Kind>>,
}

/// Up to `count` entries of `selection`, oldest first: the oldest ones, or with
/// [`Direction::Backward`] the newest; and whether more lie beyond them (newer ones, or
/// older ones when read backward).
pub async fn read(
    db: &impl ConnectionTrait,
    selection: &Selection,
    count: u64,
    direction: Direction,
) -> Result<(Vec<catalog_change::Model>, bool)> {
    let mut query = match direction {
        Direction::Forward => {
            catalog_change::Entity::find().order_by_asc(catalog_change::Column::Revision)
        }
        Direction::Backward => {
            catalog_change::Entity::find().order_by_desc(catalog_change::Column::Revision)
        }
    };
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
        query = query.filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(catalog_change::Column::Kind.eq(kind.name()))
                        .add(catalog_change::Column::Slug.eq(slug.as_str())),
                )
                .add(
                    catalog_change::Column::Revision.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(catalog_change_node::Column::Revision)
                            .from(catalog_change_node::Entity)
                            .and_where(catalog_change_node::Column::Kind.eq(kind.name()))
                            .and_where(catalog_change_node::Column::Slug.eq(slug.as_str()))
                            .to_owned(),
                    ),
                ),
        );
    }
    if let Some(kinds) = &selection.kinds {
        query = query.filter(
            Condition::any()
                .add(catalog_change::Column::Kind.is_in(kinds.iter().map(|kind| kind.name())))
                .add(catalog_change::Column::Kind.eq("")),
        );
    }
    let mut entries = query.limit(count + 1).all(db).await?;
    let more = entries.len() as u64 > count;
    entries.truncate(usize::try_from(count).unwrap_or(usize::MAX));
    if direction == Direction::Backward {
        entries.reverse();
    }
    Ok((entries, more))
}

/// The nodes a batch's entry (its `after`, as [`batch_change`] wrote it) changed: each
/// operation's kind and slug, in order.
pub fn batch_nodes(after: &Value) -> Vec<(Kind, String)> {
    let Some(operations) = after.get("operations").and_then(Value::as_array) else {
        return Vec::new();
    };
    operations
        .iter()
        .filter_map(|operation| {
            let kind = Kind::from_name(operation.get("kind")?.as_str()?)?;
            Some((kind, operation.get("slug")?.as_str()?.to_owned()))
        })
        .collect()
}

/// The change-log entry of a batch: one entry for the catalog as a whole (as an import's),
/// its `after` listing each operation's change in order.
pub(super) fn batch_change(changes: Vec<(String, Change)>) -> Change {
    let operations: Vec<Value> = changes
        .into_iter()
        .map(|(name, change)| {
            let mut entry = Map::new();
            entry.insert("operation".into(), name.into());
            entry.insert("kind".into(), change.kind.map(Kind::name).into());
            entry.insert("slug".into(), change.slug.into());
            entry.insert("before".into(), change.before.map(Value::Object).into());
            entry.insert("after".into(), change.after.map(Value::Object).into());
            Value::Object(entry)
        })
        .collect();
    let mut after = Map::new();
    after.insert("operations".into(), Value::Array(operations));
    Change {
        kind: None,
        slug: String::new(),
        before: None,
        after: Some(after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: Kind, slug: &str) -> Change {
        let mut after = Map::new();
        after.insert("name".into(), "A name".into());
        Change {
            kind: Some(kind),
            slug: slug.into(),
            before: None,
            after: Some(after),
        }
    }

    #[test]
    fn a_batch_entry_names_each_node_it_changed_in_order() {
        let entry = batch_change(vec![
            ("createSkill".into(), change(Kind::Skill, "rust")),
            ("updateRole".into(), change(Kind::Role, "backend-developer")),
        ]);
        let after = Value::Object(entry.after.clone().unwrap_or_default());
        assert_eq!(
            batch_nodes(&after),
            vec![
                (Kind::Skill, "rust".to_owned()),
                (Kind::Role, "backend-developer".to_owned())
            ]
        );
        assert_eq!(entry.kind, None);
    }
}

//! Deprecating and restoring nodes. A deprecated node keeps its slug and ID for good (clients
//! store them) and names the active nodes of its kind that replace it; the rules are checked
//! in [`crate::data::lifecycle`] before the write commits.

use sea_orm::ConnectionTrait;
use serde_json::{Map, Value, json};

use super::Write;
use super::log::Change;
use super::nodes::{Found, bump, check_version, find};
use crate::data::lifecycle::check_replacements;
use crate::data::sql::Sql;
use crate::graph::clock::now_ms;
use crate::graph::rules::{MOST_ITEMS, check_text};
use crate::graph::{EdgeKind, Kind};
use crate::{Error, Result};

/// What a deprecation asks for.
#[derive(Clone, Debug, Default)]
pub struct Deprecation {
    /// Slugs of the nodes of the same kind that replace it, in order.
    pub replaced_by: Vec<String>,
    pub note: Option<String>,
}

/// A node's lifecycle as stored: when it was deprecated, why, and its replacements' slugs.
struct Lifecycle {
    deprecated_at: Option<i64>,
    note: Option<String>,
    replaced_by: Vec<String>,
}

impl Lifecycle {
    /// The fields the change log records.
    fn fields(&self) -> Map<String, Value> {
        let status = if self.deprecated_at.is_some() {
            "DEPRECATED"
        } else {
            "ACTIVE"
        };
        let mut fields = Map::new();
        fields.insert("status".into(), json!(status));
        fields.insert("deprecationNote".into(), json!(self.note));
        fields.insert("replacedBy".into(), json!(self.replaced_by));
        fields
    }
}

async fn lifecycle(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<Lifecycle> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT deprecated_at, deprecation_note FROM ")
        .push(kind.table())
        .push(" WHERE id = ")
        .bind(id);
    let row = db
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(|| Error::Internal(format!("{kind:?} {id} vanished")))?;
    Ok(Lifecycle {
        deprecated_at: row.try_get_by_index(0)?,
        note: row.try_get_by_index(1)?,
        replaced_by: replacements(db, kind, id)
            .await?
            .into_iter()
            .map(|(_, slug)| slug)
            .collect(),
    })
}

/// The replacements of node `id`, in order: id and slug.
async fn replacements(
    db: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
) -> Result<Vec<(i32, String)>> {
    let spec = EdgeKind::replacement_of(kind).spec();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT t.id, t.slug FROM {} e JOIN {} t ON t.id = e.{} WHERE e.{} = ",
        spec.table,
        kind.table(),
        spec.target.column,
        spec.owner.column
    ))
    .bind(id)
    .push(" ORDER BY e.position");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

/// Replaces the replacements of node `owner` with `targets`, in order.
async fn set_replacements(
    db: &impl ConnectionTrait,
    kind: Kind,
    owner: i32,
    targets: &[i32],
) -> Result<()> {
    let spec = EdgeKind::replacement_of(kind).spec();
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(&format!(
        "DELETE FROM {} WHERE {} = ",
        spec.table, spec.owner.column
    ))
    .bind(owner);
    db.execute_raw(sql.into_statement()).await?;
    if targets.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(backend);
    sql.push(&format!(
        "INSERT INTO {} ({}, {}, position) VALUES ",
        spec.table, spec.owner.column, spec.target.column
    ));
    for (position, target) in targets.iter().enumerate() {
        sql.push(if position == 0 { "(" } else { ", (" })
            .bind(owner)
            .push(", ")
            .bind(*target)
            .push(", ")
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .push(")");
    }
    db.execute_raw(sql.into_statement()).await?;
    Ok(())
}

/// The deprecated nodes that name `id` among their replacements.
async fn replaced_by_it(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<Vec<i32>> {
    let spec = EdgeKind::replacement_of(kind).spec();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT {} FROM {} WHERE {} = ",
        spec.owner.column, spec.table, spec.target.column
    ))
    .bind(id)
    .push(" ORDER BY 1");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

async fn set_status(
    db: &impl ConnectionTrait,
    kind: Kind,
    id: i32,
    deprecated_at: Option<i64>,
    note: Option<&str>,
) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE ")
        .push(kind.table())
        .push(" SET deprecated_at = ")
        .bind(deprecated_at)
        .push(", deprecation_note = ")
        .bind(note.map(str::to_owned))
        .push(", version = version + 1 WHERE id = ")
        .bind(id);
    db.execute_raw(sql.into_statement()).await?;
    Ok(())
}

/// Deprecates the node `slug` of `kind`, replaced by `deprecation.replaced_by` (active
/// nodes of the same kind; none is allowed). Deprecating a deprecated node again changes
/// its replacements and note and keeps its time. The deprecated nodes it replaced are then
/// replaced by its own replacements instead, so every replacement stays active.
#[allow(clippy::too_many_arguments)]
pub(super) async fn deprecate(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    deprecation: &Deprecation,
    expected_version: Option<i32>,
) -> Result<Change> {
    if deprecation.replaced_by.len() > MOST_ITEMS {
        return Err(Error::invalid(
            "replacedBy",
            format!("at most {MOST_ITEMS} replacements"),
        ));
    }
    if let Some(note) = &deprecation.note {
        check_text("note", note)?;
    }
    let txn = &write.txn;
    let node: Found = find(txn, kind, "node", slug, true).await?;
    check_version(kind, node, expected_version)?;
    let before = lifecycle(txn, kind, node.id).await?;
    let mut targets = Vec::with_capacity(deprecation.replaced_by.len());
    for target in &deprecation.replaced_by {
        if target == slug {
            return Err(Error::invalid("replacedBy", "a node cannot replace itself"));
        }
        let found = find(txn, kind, "replacedBy", target, true).await?;
        if targets.contains(&found.id) {
            return Err(Error::invalid(
                "replacedBy",
                format!("{target:?} is named twice"),
            ));
        }
        targets.push(found.id);
    }
    let at = before.deprecated_at.unwrap_or_else(now_ms);
    set_status(txn, kind, node.id, Some(at), deprecation.note.as_deref()).await?;
    set_replacements(txn, kind, node.id, &targets).await?;
    // Those it replaced are replaced by its replacements now.
    let mut forwarded = Vec::new();
    for owner in replaced_by_it(txn, kind, node.id).await? {
        let mut list: Vec<i32> = Vec::new();
        for (id, _) in replacements(txn, kind, owner).await? {
            let ids = if id == node.id {
                targets.clone()
            } else {
                vec![id]
            };
            for id in ids {
                if !list.contains(&id) && id != owner {
                    list.push(id);
                }
            }
        }
        set_replacements(txn, kind, owner, &list).await?;
        bump(txn, kind, owner).await?;
        forwarded.push(owner);
    }
    check_replacements(txn, kind).await?;
    let after = lifecycle(txn, kind, node.id).await?;
    let mut after_fields = after.fields();
    if !forwarded.is_empty() {
        let slugs = slugs_of(txn, kind, &forwarded).await?;
        after_fields.insert("forwarded".into(), json!(slugs));
    }
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(before.fields()),
        after: Some(after_fields),
    })
}

/// Makes the deprecated node `slug` of `kind` active again, without replacements.
#[allow(clippy::too_many_arguments)]
pub(super) async fn restore(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    expected_version: Option<i32>,
) -> Result<Change> {
    let txn = &write.txn;
    let node = find(txn, kind, "node", slug, true).await?;
    check_version(kind, node, expected_version)?;
    let before = lifecycle(txn, kind, node.id).await?;
    if before.deprecated_at.is_none() {
        return Err(Error::conflict(
            "node",
            format!("{slug:?} is not deprecated"),
        ));
    }
    set_status(txn, kind, node.id, None, None).await?;
    set_replacements(txn, kind, node.id, &[]).await?;
    check_replacements(txn, kind).await?;
    let after = lifecycle(txn, kind, node.id).await?;
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(before.fields()),
        after: Some(after.fields()),
    })
}

async fn slugs_of(db: &impl ConnectionTrait, kind: Kind, ids: &[i32]) -> Result<Vec<String>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT slug FROM ")
        .push(kind.table())
        .push(" WHERE id IN (")
        .bind_all(ids.iter().copied())
        .push(") ORDER BY slug");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

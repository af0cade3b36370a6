//! The lifecycle's rules as the database holds them: only a deprecated node has replacements,
//! and each is an active node of its kind (so the replacement relation cannot go round, and a
//! client that follows a replacement arrives at a node it can use). Every writer that can
//! break them checks here: a deprecation or restoration, and every bulk write through
//! [`super::cycles::check_graph`].

use sea_orm::ConnectionTrait;

use crate::data::sql::Sql;
use crate::graph::{EdgeKind, Kind};
use crate::{Error, Result};

/// Fails with `CONFLICT` (field `replacedBy`) when a replacement of a node of `kind` breaks
/// the rules: its owner is active, or it is deprecated itself. One statement.
pub async fn check_replacements(db: &impl ConnectionTrait, kind: Kind) -> Result<()> {
    let spec = EdgeKind::replacement_of(kind).spec();
    let table = kind.table();
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT o.slug, t.slug, o.deprecated_at IS NULL FROM {} e \
         JOIN {table} o ON o.id = e.{} JOIN {table} t ON t.id = e.{} \
         WHERE o.deprecated_at IS NULL OR t.deprecated_at IS NOT NULL LIMIT 1",
        spec.table, spec.owner.column, spec.target.column
    ));
    let Some(row) = db.query_one_raw(sql.into_statement()).await? else {
        return Ok(());
    };
    let (owner, target): (String, String) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
    let owner_active: bool = row.try_get_by_index(2)?;
    let word = table;
    Err(Error::conflict(
        "replacedBy",
        if owner_active {
            format!("the {word} {owner:?} is active, so nothing replaces it (it names {target:?})")
        } else {
            format!(
                "the {word} {owner:?} is replaced by {target:?}, which is deprecated itself; \
                 name an active {word}"
            )
        },
    ))
}

/// [`check_replacements`] for every kind.
pub async fn check_all(db: &impl ConnectionTrait) -> Result<()> {
    for kind in Kind::ALL {
        check_replacements(db, *kind).await?;
    }
    Ok(())
}

/// Whether a release holds the node `slug` of `kind` (it can then be deprecated, never
/// deleted). One lookup by primary key.
pub async fn is_released(db: &impl ConnectionTrait, kind: Kind, slug: &str) -> Result<bool> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT 1 FROM released_node WHERE kind = ")
        .bind(kind.name())
        .push(" AND slug = ")
        .bind(slug);
    Ok(db.query_one_raw(sql.into_statement()).await?.is_some())
}

/// The most rows one statement of [`mark_released`] inserts (two values each).
const NODES_PER_STATEMENT: usize = 5_000;

/// Records that a release holds the nodes `nodes` (kind and slug), so that deleting one is
/// refused ([`is_released`]).
pub async fn mark_released<'a>(
    db: &impl ConnectionTrait,
    nodes: impl Iterator<Item = (Kind, &'a str)>,
) -> Result<()> {
    let nodes: Vec<(Kind, &str)> = nodes.collect();
    for chunk in nodes.chunks(NODES_PER_STATEMENT) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("INSERT INTO released_node (kind, slug) VALUES ");
        for (at, (kind, slug)) in chunk.iter().enumerate() {
            sql.push(if at == 0 { "(" } else { ", (" })
                .bind(kind.name())
                .push(", ")
                .bind(*slug)
                .push(")");
        }
        sql.push(" ON CONFLICT (kind, slug) DO NOTHING");
        db.execute_raw(sql.into_statement()).await?;
    }
    Ok(())
}

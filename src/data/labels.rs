//! A node's text in other locales than the catalog's: the label tables (`skill_label`, ...,
//! one per kind of node), read for many nodes at once and written in bulk.
//!
//! Like the edges, labels go through statements built from the kind's table name rather than
//! through SeaORM entities: the five tables have the same columns, and one function per
//! statement serves them all. The row of a node keeps its text in the catalog's locale
//! ([`crate::graph::locales::CATALOG`]); a label of that locale holds hidden labels only.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, FromQueryResult};

use super::sql::Sql;
use crate::graph::Kind;
use crate::graph::locales::Label;
use crate::{Error, Result};

/// The label table of `kind`.
pub fn table(kind: Kind) -> String {
    format!("{}_label", kind.table())
}

/// One node's text in one locale.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct LabelRow {
    pub node_id: i32,
    pub locale: String,
    /// Null for the catalog's locale, whose shown text is the row's.
    pub name: Option<String>,
    /// The aliases shown, a JSON array of strings.
    pub aliases: String,
    /// The hidden labels (search and extraction only), a JSON array of strings.
    pub hidden: String,
    pub description: Option<String>,
}

impl LabelRow {
    pub fn aliases(&self) -> Result<Vec<String>> {
        list(&self.aliases)
    }

    pub fn hidden(&self) -> Result<Vec<String>> {
        list(&self.hidden)
    }
}

fn list(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|err| Error::Internal(format!("bad label list: {err}")))
}

const COLUMNS: &str = "node_id, locale, name, aliases, hidden, description";

/// The labels of `nodes` (of `kind`) in `locales` (every locale: `None`), by node, each
/// node's in the order of their tags: one statement.
pub async fn of_nodes(
    db: &impl ConnectionTrait,
    kind: Kind,
    nodes: &[i32],
    locales: Option<&[String]>,
) -> Result<BTreeMap<i32, Vec<LabelRow>>> {
    let mut by_node: BTreeMap<i32, Vec<LabelRow>> = BTreeMap::new();
    if nodes.is_empty() || locales.is_some_and(<[String]>::is_empty) {
        return Ok(by_node);
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT ")
        .push(COLUMNS)
        .push(" FROM ")
        .push(&table(kind))
        .push(" WHERE node_id IN (")
        .bind_all(nodes.iter().copied())
        .push(")");
    if let Some(locales) = locales {
        sql.push(" AND locale IN (")
            .bind_all(locales.iter().cloned())
            .push(")");
    }
    sql.push(" ORDER BY node_id, locale");
    for row in LabelRow::find_by_statement(sql.into_statement())
        .all(db)
        .await?
    {
        by_node.entry(row.node_id).or_default().push(row);
    }
    Ok(by_node)
}

/// Every label of `kind`, by node and tag.
pub async fn all(db: &impl ConnectionTrait, kind: Kind) -> Result<Vec<LabelRow>> {
    let text = format!(
        "SELECT {COLUMNS} FROM {} ORDER BY node_id, locale",
        table(kind)
    );
    let statement = sea_orm::Statement::from_string(db.get_database_backend(), text);
    Ok(LabelRow::find_by_statement(statement).all(db).await?)
}

/// How many nodes have a translation in each locale (labels with a name), by tag.
pub async fn counts(db: &impl ConnectionTrait) -> Result<BTreeMap<String, i64>> {
    let union = Kind::ALL
        .iter()
        .map(|kind| format!("SELECT locale FROM {} WHERE name IS NOT NULL", table(*kind)))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let text = format!("SELECT locale, COUNT(*) FROM ({union}) l GROUP BY locale");
    let statement = sea_orm::Statement::from_string(db.get_database_backend(), text);
    let mut counts = BTreeMap::new();
    for row in db.query_all_raw(statement).await? {
        let locale: String = row.try_get_by_index(0)?;
        let count: i64 = row.try_get_by_index(1)?;
        counts.insert(locale, count);
    }
    Ok(counts)
}

/// How many nodes the graph holds, of every kind: the catalog locale's count.
pub async fn node_count(db: &impl ConnectionTrait) -> Result<i64> {
    let union = Kind::ALL
        .iter()
        .map(|kind| format!("SELECT COUNT(*) AS n FROM {}", kind.table()))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let text = format!("SELECT CAST(SUM(n) AS BIGINT) FROM ({union}) c");
    let statement = sea_orm::Statement::from_string(db.get_database_backend(), text);
    let row = db.query_one_raw(statement).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0),
        None => 0,
    })
}

/// The most values one INSERT binds (as [`super::bulk`]).
const VALUES_PER_STATEMENT: usize = 30_000;

/// Inserts labels of `kind`, `(node id, label)`, with multi-row INSERTs.
pub async fn insert(db: &impl ConnectionTrait, kind: Kind, rows: &[(i32, &Label)]) -> Result<()> {
    let table = table(kind);
    for chunk in rows.chunks(VALUES_PER_STATEMENT / 6) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("INSERT INTO ")
            .push(&table)
            .push(" (")
            .push(COLUMNS)
            .push(") VALUES ");
        for (at, (node, label)) in chunk.iter().enumerate() {
            if at > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(*node)
                .push(", ")
                .bind(label.locale.clone())
                .push(", ")
                .bind(label.name.clone())
                .push(", ")
                .bind(json(&label.aliases)?)
                .push(", ")
                .bind(json(&label.hidden)?)
                .push(", ")
                .bind(label.description.clone())
                .push(")");
        }
        db.execute_raw(sql.into_statement()).await?;
    }
    Ok(())
}

fn json(list: &[String]) -> Result<String> {
    serde_json::to_string(list).map_err(|err| Error::Internal(err.to_string()))
}

/// The label of one node in one locale, if it has one.
pub async fn one(
    db: &impl ConnectionTrait,
    kind: Kind,
    node: i32,
    locale: &str,
) -> Result<Option<LabelRow>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT ")
        .push(COLUMNS)
        .push(" FROM ")
        .push(&table(kind))
        .push(" WHERE node_id = ")
        .bind(node)
        .push(" AND locale = ")
        .bind(locale.to_owned());
    Ok(LabelRow::find_by_statement(sql.into_statement())
        .one(db)
        .await?)
}

/// Removes the label of one node in one locale; whether there was one.
pub async fn remove(
    db: &impl ConnectionTrait,
    kind: Kind,
    node: i32,
    locale: &str,
) -> Result<bool> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("DELETE FROM ")
        .push(&table(kind))
        .push(" WHERE node_id = ")
        .bind(node)
        .push(" AND locale = ")
        .bind(locale.to_owned());
    Ok(db.execute_raw(sql.into_statement()).await?.rows_affected() > 0)
}

/// Removes every label of `kind` in `locales` (an import of those locales replaces them).
pub async fn remove_locales(
    db: &impl ConnectionTrait,
    kind: Kind,
    locales: &[String],
) -> Result<()> {
    if locales.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("DELETE FROM ")
        .push(&table(kind))
        .push(" WHERE locale IN (")
        .bind_all(locales.iter().cloned())
        .push(")");
    db.execute_raw(sql.into_statement()).await?;
    Ok(())
}

/// Removes every label (inside a transaction that reloads the graph).
pub async fn clear(db: &impl ConnectionTrait) -> Result<()> {
    for kind in Kind::ALL {
        db.execute_unprepared(&format!("DELETE FROM {}", table(*kind)))
            .await?;
    }
    Ok(())
}

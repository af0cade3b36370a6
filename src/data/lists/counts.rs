//! Counting a list's items (`totalCount`, and whether anything precedes a cursor).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::filters::{push_filters, push_up_to};
use super::{Filter, List, SortKey, source};
use crate::Result;
use crate::data::sql::Sql;
use crate::db::Db;

/// Counts a root list's items that pass the filters, all of them or only those up to and
/// including the sort key `up_to` (which tells whether anything precedes a cursor).
pub async fn root_count(
    db: &Db,
    list: List,
    filters: &[Filter],
    up_to: Option<&SortKey>,
) -> Result<i64> {
    let (from, _, key) = source(list, &list.spec());
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push("SELECT COUNT(*) AS total FROM ")
        .push(&from)
        .push(" WHERE 1 = 1");
    push_filters(&mut sql, filters);
    push_up_to(&mut sql, key, up_to);
    let row = db.conn.query_one_raw(sql.into_statement()).await?;
    Ok(match row {
        Some(row) => row.try_get("", "total")?,
        None => 0,
    })
}

/// Counts a nested list's items for every parent in `parents`, in one statement; like
/// [`root_count`], optionally only those up to a sort key.
pub async fn nested_counts(
    db: &Db,
    list: List,
    parents: &[i32],
    filters: &[Filter],
    up_to: Option<&SortKey>,
) -> Result<HashMap<i32, i64>> {
    let (from, Some(parent), key) = source(list, &list.spec()) else {
        return Err(crate::Error::Internal(format!(
            "{list:?} is not a nested list"
        )));
    };
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push(&format!(
        "SELECT {parent} AS sg_parent, COUNT(*) AS sg_total FROM {from} WHERE {parent} IN ("
    ));
    sql.bind_all(parents.iter().copied()).push(")");
    push_filters(&mut sql, filters);
    push_up_to(&mut sql, key, up_to);
    sql.push(&format!(" GROUP BY {parent}"));
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;
    let mut counts: HashMap<i32, i64> = parents.iter().map(|parent| (*parent, 0)).collect();
    for row in &rows {
        counts.insert(row.try_get("", "sg_parent")?, row.try_get("", "sg_total")?);
    }
    Ok(counts)
}

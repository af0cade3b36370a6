//! Counting a list's items (`totalCount`, and whether anything precedes a cursor).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::filters::push_filters;
use super::order::Sorting;
use super::{Filter, List, SortKey, source};
use crate::Result;
use crate::data::sql::Sql;
use crate::db::Db;

/// Which items of a list a count counts besides the filters' (both ends included).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    /// Those up to this sort key: whether anything precedes a page read after a cursor.
    UpTo(SortKey),
    /// Those from this sort key on: whether anything follows a page read before a cursor.
    From(SortKey),
}

/// Counts a root list's items that pass the filters, all of them or only those within
/// `bound`.
pub async fn root_count(
    db: &Db,
    list: List,
    filters: &[Filter],
    bound: Option<&Bound>,
) -> Result<i64> {
    let spec = list.spec();
    let (from, _, key) = source(list, &spec);
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push("SELECT COUNT(*) AS total FROM ")
        .push(&from)
        .push(" WHERE 1 = 1");
    push_filters(&mut sql, filters);
    push_bound(&mut sql, &spec, key, bound);
    let row = db.conn.query_one_raw(sql.into_statement()).await?;
    Ok(match row {
        Some(row) => row.try_get("", "total")?,
        None => 0,
    })
}

/// Counts a nested list's items for every parent in `parents`, in one statement; like
/// [`root_count`], optionally only those within `bound`.
pub async fn nested_counts(
    db: &Db,
    list: List,
    parents: &[i32],
    filters: &[Filter],
    bound: Option<&Bound>,
) -> Result<HashMap<i32, i64>> {
    let spec = list.spec();
    let (from, Some(parent), key) = source(list, &spec) else {
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
    push_bound(&mut sql, &spec, key, bound);
    sql.push(&format!(" GROUP BY {parent}"));
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;
    let mut counts: HashMap<i32, i64> = parents.iter().map(|parent| (*parent, 0)).collect();
    for row in &rows {
        counts.insert(row.try_get("", "sg_parent")?, row.try_get("", "sg_total")?);
    }
    Ok(counts)
}

/// ` AND ...`: the items within `bound`, in the order of its sort key.
fn push_bound(sql: &mut Sql, spec: &super::Spec, key: &str, bound: Option<&Bound>) {
    let (at, up_to) = match bound {
        None => return,
        Some(Bound::UpTo(at)) => (at, true),
        Some(Bound::From(at)) => (at, false),
    };
    let ordering = match at {
        SortKey::Ordered(ordering, _) => Some(ordering),
        _ => None,
    };
    Sorting::of(spec, key, ordering).push_bound(sql, at, up_to);
}

/// How long each list can be: a root list, the rows of its table; a nested list, the most items
/// any parent has. The cost of a query is priced with these where they are below the page size
/// asked for (a page never holds more than its list). One statement per list.
pub async fn longest(db: &Db) -> Result<HashMap<List, u32>> {
    let mut longest = HashMap::with_capacity(List::ALL.len());
    for list in List::ALL {
        let (from, parent, _) = source(*list, &list.spec());
        let mut sql = Sql::new(db.conn.get_database_backend());
        match parent {
            None => sql.push(&format!("SELECT COUNT(*) AS sg_longest FROM {from}")),
            Some(parent) => sql.push(&format!(
                "SELECT COALESCE(MAX(sg_count), 0) AS sg_longest FROM (SELECT COUNT(*) AS sg_count \
                 FROM {from} WHERE {parent} IS NOT NULL GROUP BY {parent}) counted"
            )),
        };
        let row = db.conn.query_one_raw(sql.into_statement()).await?;
        let count: i64 = match row {
            Some(row) => row.try_get("", "sg_longest")?,
            None => 0,
        };
        longest.insert(*list, u32::try_from(count).unwrap_or(u32::MAX));
    }
    Ok(longest)
}

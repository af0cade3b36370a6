//! Reading pages of lists: a root list's page, and the same page of a nested list for a whole
//! batch of parents in one statement, read the cheapest way each backend allows.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryResult};

use super::filters::push_filters;
use super::order::Sorting;
use super::{EdgeData, Filter, Item, Link, List, Order, Page, PageArgs, SortKey, Spec, source};
use crate::Result;
use crate::data::rows::{Columns, NodeColumns, Row};
use crate::data::sql::{Sql, node_columns, table};
use crate::db::Db;
use crate::graph::Datum;

/// The most terms SQLite accepts in one compound SELECT (its `SQLITE_MAX_COMPOUND_SELECT`).
const SQLITE_MAX_COMPOUND_TERMS: usize = 500;

/// ` LIMIT n`: `count + 1` rows, the one beyond the page telling whether another page
/// exists in the direction it is read.
///
/// The number is written into the SQL rather than bound: SQLite recompiles a statement every
/// time a bound `LIMIT` is bound again, even to the same value, so a bound limit cost a
/// compilation per statement. It is a number of our own, never text from a client.
fn limit(count: u32) -> String {
    format!(" LIMIT {}", u64::from(count) + 1)
}

/// Runs a list query and counts the rows it fetched.
async fn run(db: &Db, sql: Sql) -> Result<Vec<QueryResult>> {
    tracing::debug!(target: "skillgraph::sql", sql = %sql.text(), "list query");
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;
    db.list_rows.add(rows.len() as u64);
    tracing::debug!(target: "skillgraph::sql", rows = rows.len(), "list query done");
    Ok(rows)
}

/// Reads an item from a row of a list statement, whose columns are, from `at`: the sort key
/// (one column a key), the list's edge columns, then the node's columns.
fn read_item<M: NodeColumns>(
    row: &Row<'_>,
    spec: &Spec,
    sorting: &Sorting,
    at: usize,
    columns: Columns,
) -> Result<Item<M>> {
    let key = sorting.read(row, at)?;
    let at = at + sorting.width();
    let mut edge = EdgeData::default();
    for (offset, datum) in spec.edge_columns.iter().enumerate() {
        match datum {
            Datum::Importance => edge.importance = Some(row.get_enum(at + offset)?),
            Datum::Level => edge.level = row.get_enum_or_null(at + offset)?,
        }
    }
    let node = M::read(row, at + spec.edge_columns.len(), columns)?;
    Ok(Item {
        key,
        edge,
        node: Arc::new(node),
    })
}

/// Reads one page of a root list.
pub async fn root_page<N>(db: &Db, list: List, args: &PageArgs) -> Result<Page<N::Model>>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns,
{
    debug_assert_eq!(table::<N>(), list.node_table());
    let spec = list.spec();
    let (from, _, key) = source(list, &spec);
    let sorting = Sorting::of(&spec, key, args.order.as_ref());
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push(&format!(
        "SELECT {}, {} FROM {from} WHERE 1 = 1",
        sorting.columns(),
        node_columns::<N::Model>(args.columns)
    ));
    push_filters(&mut sql, &args.filters);
    sorting.push_window(&mut sql, args);
    sql.push(" ORDER BY ")
        .push(&sorting.order_by(args.direction));
    if let Some(count) = args.count {
        sql.push(&limit(count));
    }
    let rows = run(db, sql).await?;
    let mut page = Page::empty(args);
    for row in &rows {
        page.items
            .push(read_item(&Row::of(row)?, &spec, &sorting, 0, args.columns)?);
    }
    if args.backward() {
        page.items.reverse();
    }
    trim(&mut page, args);
    Ok(page)
}

/// Where one parent's page of a per-parent statement finds its parent's ID.
enum ParentId<'a> {
    /// A column of the enclosing statement (`p.id` of PostgreSQL's `LATERAL`).
    Column(&'a str),
    /// A value bound in place.
    Bound(i32),
}

/// Reads the same page of a nested list for every parent in `parents`, in one statement.
pub async fn nested_pages<N>(
    db: &Db,
    list: List,
    parents: &[i32],
    args: &PageArgs,
) -> Result<HashMap<i32, Page<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns,
{
    debug_assert_eq!(table::<N>(), list.node_table());
    let spec = list.spec();
    let (from, Some(parent), key) = source(list, &spec) else {
        return Err(crate::Error::Internal(format!(
            "{list:?} is not a nested list"
        )));
    };
    let backend = db.conn.get_database_backend();
    let sorting = Sorting::of(&spec, key, args.order.as_ref());
    let edge_columns: String = spec
        .edge_columns
        .iter()
        .map(|datum| format!("e.{0} AS sg_{0}, ", datum.column()))
        .collect();
    // When the order and the filters only need the edge table, number the edges alone and
    // join the few surviving rows to their nodes; otherwise number the joined rows.
    let rank_edges_first = match spec.link {
        Link::Table(..) => {
            spec.order == Order::Position
                && args.order.is_none()
                && !args.filters.iter().any(Filter::is_on_node)
        }
        _ => false,
    };
    if let (Link::Table(edge, parent_column, child), Some(count)) = (&spec.link, args.count)
        && rank_edges_first
    {
        // One parent's page, read the cheapest way: walk its edges in the `(parent, position)`
        // index (backwards for a backward page), join each edge to its node and stop after
        // `count + 1`, so that at most `count + 1` nodes are looked up per parent.
        let page_of = |sql: &mut Sql, parent: ParentId| {
            sql.push(&format!(
                "SELECT e.{parent_column} AS sg_parent, e.position AS sg_key, {edge_columns}{} \
                 FROM {edge} e JOIN {} n ON n.id = e.{child} WHERE e.{parent_column} = ",
                node_columns::<N::Model>(args.columns),
                list.node_table()
            ));
            match parent {
                ParentId::Column(column) => sql.push(column),
                ParentId::Bound(id) => sql.bind(id),
            };
            push_filters(sql, &args.filters);
            sorting.push_window(sql, args);
            sql.push(" ORDER BY ")
                .push(&sorting.order_by(args.direction))
                .push(&limit(count));
        };
        // Neither statement sorts the whole result again (on PostgreSQL that sort, and the
        // planner's Memoize node in front of the node lookups, cost about a fifth of the
        // statement): `collect_pages` puts each page in order.
        let statement = match backend {
            // PostgreSQL runs the page once per parent with LATERAL.
            DbBackend::Postgres => {
                let mut sql = Sql::new(backend);
                sql.push("SELECT x.* FROM (VALUES ");
                for (at, id) in parents.iter().enumerate() {
                    sql.push(if at == 0 { "(" } else { ", (" })
                        .bind(*id)
                        .push(")");
                }
                sql.push(") AS p (id) CROSS JOIN LATERAL (");
                page_of(&mut sql, ParentId::Column("p.id"));
                sql.push(") x");
                Some(sql)
            }
            // SQLite has no LATERAL: one page per parent, joined with UNION ALL, which reads
            // half as much as numbering every edge of every parent. SQLite takes at most 500
            // terms in one compound statement; larger batches are numbered instead.
            DbBackend::Sqlite if parents.len() <= SQLITE_MAX_COMPOUND_TERMS => {
                let mut sql = Sql::new(backend);
                for (at, id) in parents.iter().enumerate() {
                    if at > 0 {
                        sql.push(" UNION ALL ");
                    }
                    sql.push("SELECT * FROM (");
                    page_of(&mut sql, ParentId::Bound(*id));
                    sql.push(")");
                }
                Some(sql)
            }
            _ => None,
        };
        if let Some(sql) = statement {
            let rows = run(db, sql).await?;
            return collect_pages::<N>(&rows, &spec, &sorting, parents, args);
        }
    }
    let (inner_from, selected) = match spec.link {
        Link::Table(edge, _, child) if rank_edges_first => {
            (format!("{edge} e"), format!("e.{child} AS sg_child"))
        }
        _ => (from, node_columns::<N::Model>(args.columns)),
    };
    // The numbered rows, and what the outer statement keeps of them.
    let mut sql = Sql::new(backend);
    if rank_edges_first {
        let ranked_edge_columns: String = spec
            .edge_columns
            .iter()
            .map(|datum| format!("ranked.sg_{}, ", datum.column()))
            .collect();
        sql.push(&format!(
            "SELECT ranked.sg_parent, ranked.sg_key, {ranked_edge_columns}{} FROM (",
            node_columns::<N::Model>(args.columns)
        ));
    } else {
        sql.push("SELECT * FROM (");
    }
    sql.push(&format!(
        "SELECT {parent} AS sg_parent, {}, {edge_columns}{selected}, \
         ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {}) AS sg_row \
         FROM {inner_from} WHERE {parent} IN (",
        sorting.columns(),
        sorting.order_by(args.direction),
    ));
    sql.bind_all(parents.iter().copied()).push(")");
    push_filters(&mut sql, &args.filters);
    sorting.push_window(&mut sql, args);
    sql.push(") ranked");
    if rank_edges_first {
        sql.push(&format!(
            " JOIN {} n ON n.id = ranked.sg_child",
            list.node_table()
        ));
    }
    if let Some(count) = args.count {
        sql.push(" WHERE ranked.sg_row <= ")
            .bind(i64::from(count) + 1);
    }
    sql.push(" ORDER BY ranked.sg_parent, ranked.sg_row");
    let rows = run(db, sql).await?;
    collect_pages::<N>(&rows, &spec, &sorting, parents, args)
}

/// Sorts the rows of a nested list query into one page per parent.
fn collect_pages<N>(
    rows: &[QueryResult],
    spec: &Spec,
    sorting: &Sorting,
    parents: &[i32],
    args: &PageArgs,
) -> Result<HashMap<i32, Page<N::Model>>>
where
    N: EntityTrait,
    N::Model: NodeColumns,
{
    let mut pages: HashMap<i32, Page<N::Model>> = parents
        .iter()
        .map(|parent| (*parent, Page::empty(args)))
        .collect();
    for row in rows {
        let row = Row::of(row)?;
        let parent: i32 = row.get(0)?;
        if let Some(page) = pages.get_mut(&parent) {
            page.items
                .push(read_item(&row, spec, sorting, 1, args.columns)?);
        }
    }
    for page in pages.values_mut() {
        if spec.order == Order::Position && args.order.is_none() {
            // The per-parent statements have no ORDER BY outside their subqueries: rows come
            // in order in practice, but SQL does not promise it. Positions are plain integers, so this order is exactly the
            // database's; a page already in order is checked in one pass.
            page.items.sort_by_key(|item| match item.key {
                SortKey::Position(position) => position,
                SortKey::Slug(_) | SortKey::Ordered(..) => i32::MAX,
            });
        } else if args.backward() {
            // Numbered from the end, in the database's own collation: turned around, not
            // sorted again here.
            page.items.reverse();
        }
        trim(page, args);
    }
    Ok(pages)
}

/// Drops the extra row read to learn whether another page exists in the direction the page
/// was read (its items in the list's order): the one after a forward page, the one before a
/// backward one.
fn trim<M>(page: &mut Page<M>, args: &PageArgs) {
    let Some(count) = args.count.map(|count| count as usize) else {
        return;
    };
    let extra = page.items.len().saturating_sub(count);
    if extra == 0 {
        return;
    }
    if args.backward() {
        page.items.drain(..extra);
        page.has_previous_page = true;
    } else {
        page.items.truncate(count);
        page.has_next_page = true;
    }
}

//! Paged lists, root and nested, read in SQL.
//!
//! Every list of the API is a [`List`]: where its items live, what links them to a parent, and
//! in which order they come. One function reads a page of a list for a whole batch of parents
//! in one statement. Where the order and the filters need only the edge table, each parent's
//! page is an index walk that stops after `first + 1` edges (run per parent with `LATERAL` on
//! PostgreSQL, as `UNION ALL` terms on SQLite); otherwise `ROW_NUMBER() OVER (PARTITION BY
//! parent ORDER BY key)` numbers each parent's items and only the first `first + 1` of each
//! survive. Either way a page of 10 costs at most 11 rows per parent, however long the list.
//! Pages are keyset pages: the cursor holds the sort key of the last item seen, so pages
//! neither overlap nor skip when rows are added.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{Importance, Proficiency, ToolCategory};
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, EntityTrait, QueryResult, Value};

use super::rows::{NodeColumns, Row};
use super::sql::{like_pattern, node_columns, placeholders, statement, table};
use crate::Result;
use crate::db::Db;

/// The most terms SQLite accepts in one compound SELECT (its `SQLITE_MAX_COMPOUND_SELECT`).
const SQLITE_MAX_COMPOUND_TERMS: usize = 500;

/// Every list the API serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    Roles,
    Skills,
    Languages,
    Frameworks,
    Tools,
    RoleSkills,
    RoleLanguages,
    RoleFrameworks,
    RoleTools,
    SkillChildren,
    SkillPrerequisites,
    SkillLanguages,
    SkillTools,
    SkillRoles,
    LanguageFrameworks,
    LanguageSkills,
    LanguageRoles,
    FrameworkRoles,
    ToolRoles,
}

/// How a list's items hang off their parent.
enum Link {
    /// A root list: every row of the node table.
    Root,
    /// A column of the node table points at the parent (`skill.parent_id`).
    Column(&'static str),
    /// An edge table joins parent and item: `(table, parent column, item column)`.
    Table(&'static str, &'static str, &'static str),
}

/// What a list is sorted by (and what its cursors hold).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The `position` column of the edge (or of the node, for [`Link::Column`]): catalog order.
    Position,
    /// The item's slug, alphabetically.
    Slug,
}

struct Spec {
    link: Link,
    order: Order,
    /// Columns of the edge table that belong on the connection's edge type.
    edge_columns: &'static [&'static str],
}

impl List {
    fn spec(self) -> Spec {
        use Link::*;
        use Order::*;
        let (link, order, edge_columns): (Link, Order, &'static [&'static str]) = match self {
            List::Roles | List::Skills | List::Languages | List::Frameworks | List::Tools => {
                (Root, Slug, &[])
            }
            List::RoleSkills => (
                Table("role_skill", "role_id", "skill_id"),
                Position,
                &["importance", "level"],
            ),
            List::RoleLanguages => (
                Table("role_language", "role_id", "language_id"),
                Position,
                &["importance"],
            ),
            List::RoleFrameworks => (
                Table("role_framework", "role_id", "framework_id"),
                Position,
                &["importance"],
            ),
            List::RoleTools => (
                Table("role_tool", "role_id", "tool_id"),
                Position,
                &["importance"],
            ),
            List::SkillChildren => (Column("parent_id"), Position, &[]),
            List::SkillPrerequisites => (
                Table("skill_prerequisite", "skill_id", "prerequisite_id"),
                Position,
                &[],
            ),
            List::SkillLanguages => (
                Table("skill_language", "skill_id", "language_id"),
                Position,
                &[],
            ),
            List::SkillTools => (Table("skill_tool", "skill_id", "tool_id"), Position, &[]),
            List::SkillRoles => (
                Table("role_skill", "skill_id", "role_id"),
                Slug,
                &["importance", "level"],
            ),
            List::LanguageFrameworks => (Column("language_id"), Slug, &[]),
            List::LanguageSkills => (
                Table("skill_language", "language_id", "skill_id"),
                Slug,
                &[],
            ),
            List::LanguageRoles => (
                Table("role_language", "language_id", "role_id"),
                Slug,
                &["importance"],
            ),
            List::FrameworkRoles => (
                Table("role_framework", "framework_id", "role_id"),
                Slug,
                &["importance"],
            ),
            List::ToolRoles => (
                Table("role_tool", "tool_id", "role_id"),
                Slug,
                &["importance"],
            ),
        };
        Spec {
            link,
            order,
            edge_columns,
        }
    }

    /// The table the list's items live in.
    pub fn node_table(self) -> &'static str {
        match self {
            List::Roles
            | List::SkillRoles
            | List::LanguageRoles
            | List::FrameworkRoles
            | List::ToolRoles => "role",
            List::Skills
            | List::RoleSkills
            | List::SkillChildren
            | List::SkillPrerequisites
            | List::LanguageSkills => "skill",
            List::Languages | List::RoleLanguages | List::SkillLanguages => "language",
            List::Frameworks | List::RoleFrameworks | List::LanguageFrameworks => "framework",
            List::Tools | List::RoleTools | List::SkillTools => "tool",
        }
    }

    /// Whether this list's cursors hold a position (`true`) or a slug (`false`).
    pub fn ordered_by_position(self) -> bool {
        self.spec().order == Order::Position
    }
}

/// The sort key of an item: what a cursor points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    Position(i32),
    Slug(String),
}

/// A restriction on a list's items. Each is a plain equality or text match on an indexed or
/// small column; they combine with AND.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Case-insensitive substring of the name, the slug or an alias.
    Search(String),
    /// The edge's importance.
    Importance(Importance),
    /// The tool's category.
    Category(ToolCategory),
    /// Skills without a parent.
    RootsOnly,
    /// Frameworks of the language with this slug.
    LanguageSlug(String),
}

impl Filter {
    /// Whether the filter reads a column of the item's own table (rather than of the edge).
    fn is_on_node(&self) -> bool {
        !matches!(self, Filter::Importance(_))
    }
}

/// Which page of a list to read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PageArgs {
    /// How many items; `None` reads the whole list (only for short internal lists).
    pub first: Option<u32>,
    /// Start after the item with this key.
    pub after: Option<SortKey>,
    pub filters: Vec<Filter>,
}

/// Data that belongs to the edge between parent and item, when the list has it.
#[derive(Clone, Debug, Default)]
pub struct EdgeData {
    pub importance: Option<Importance>,
    pub level: Option<Proficiency>,
}

/// One item of a page. The node is shared: a DataLoader hands the same page to every field
/// that asked for it, and the GraphQL objects keep the node without copying it.
#[derive(Clone, Debug)]
pub struct Item<M> {
    pub key: SortKey,
    pub edge: EdgeData,
    pub node: Arc<M>,
}

/// A page of a list.
#[derive(Clone, Debug)]
pub struct Page<M> {
    pub items: Vec<Item<M>>,
    pub has_next_page: bool,
    /// The cursor the page was read after, if any: items up to it precede the page.
    pub after: Option<SortKey>,
}

impl<M> Page<M> {
    /// A page without items, as answered for a parent that has none.
    pub fn empty(args: &PageArgs) -> Self {
        Page {
            items: Vec::new(),
            has_next_page: false,
            after: args.after.clone(),
        }
    }
}

/// The FROM clause, the parent expression (if any) and the sort-key expression of a list.
fn source(list: List, spec: &Spec) -> (String, Option<String>, &'static str) {
    let node_table = list.node_table();
    let (from, parent) = match spec.link {
        Link::Root => (format!("{node_table} n"), None),
        Link::Column(column) => (format!("{node_table} n"), Some(format!("n.{column}"))),
        Link::Table(edge, parent, child) => (
            format!("{edge} e JOIN {node_table} n ON n.id = e.{child}"),
            Some(format!("e.{parent}")),
        ),
    };
    let key = match (spec.order, &spec.link) {
        (Order::Slug, _) => "n.slug",
        (Order::Position, Link::Table(..)) => "e.position",
        (Order::Position, _) => "n.position",
    };
    (from, parent, key)
}

/// `EXISTS (...)`: whether one of the node's aliases, each taken on its own from the JSON
/// array that stores them, matches the `LIKE` pattern bound next. The array is read with the
/// backend's JSON functions, never matched as text: a search for `"` or `,` finds no alias.
fn alias_matches(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "EXISTS (SELECT 1 FROM json_array_elements_text(n.aliases::json) AS a (alias) \
             WHERE LOWER(a.alias) LIKE ? ESCAPE '\\')"
        }
        _ => {
            "EXISTS (SELECT 1 FROM json_each(n.aliases) a WHERE LOWER(a.value) LIKE ? ESCAPE '\\')"
        }
    }
}

/// Appends `AND ...` conditions for the filters and returns their values in order.
fn push_filters(sql: &mut String, values: &mut Vec<Value>, filters: &[Filter], backend: DbBackend) {
    for filter in filters {
        match filter {
            Filter::Search(text) => {
                sql.push_str(
                    " AND (LOWER(n.name) LIKE ? ESCAPE '\\' OR LOWER(n.slug) LIKE ? ESCAPE '\\' OR ",
                );
                sql.push_str(alias_matches(backend));
                sql.push(')');
                let pattern = like_pattern(text);
                values.extend([
                    pattern.clone().into(),
                    pattern.clone().into(),
                    pattern.into(),
                ]);
            }
            Filter::Importance(importance) => {
                sql.push_str(" AND e.importance = ?");
                values.push(importance.to_value().into());
            }
            Filter::Category(category) => {
                sql.push_str(" AND n.category = ?");
                values.push(category.to_value().into());
            }
            Filter::RootsOnly => sql.push_str(" AND n.parent_id IS NULL"),
            Filter::LanguageSlug(slug) => {
                sql.push_str(" AND n.language_id IN (SELECT id FROM language WHERE slug = ?)");
                values.push(slug.clone().into());
            }
        }
    }
}

fn push_up_to(sql: &mut String, values: &mut Vec<Value>, key: &str, up_to: Option<&SortKey>) {
    if let Some(up_to) = up_to {
        sql.push_str(&format!(" AND {key} <= ?"));
        values.push(key_value(up_to));
    }
}

/// ` LIMIT n`: `first + 1` rows, the one beyond the page telling whether a next page exists.
///
/// The number is written into the SQL rather than bound: SQLite recompiles a statement every
/// time a bound `LIMIT` is bound again, even to the same value, so a bound limit cost a
/// compilation per statement. It is a number of our own, never text from a client.
fn limit(first: u32) -> String {
    format!(" LIMIT {}", u64::from(first) + 1)
}

/// Runs a list query and counts the rows it fetched.
async fn run(db: &Db, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
    tracing::debug!(target: "skillgraph::sql", %sql, "list query");
    let rows = db
        .conn
        .query_all_raw(statement(db.conn.get_database_backend(), sql, values))
        .await?;
    db.list_rows.add(rows.len() as u64);
    tracing::debug!(target: "skillgraph::sql", rows = rows.len(), "list query done");
    Ok(rows)
}

fn key_value(key: &SortKey) -> Value {
    match key {
        SortKey::Position(position) => (*position).into(),
        SortKey::Slug(slug) => slug.clone().into(),
    }
}

/// Reads an item from a row of a list statement, whose columns are, from `at`: the sort key,
/// the list's edge columns, then the node's columns.
fn read_item<M: NodeColumns>(row: &Row<'_>, spec: &Spec, at: usize) -> Result<Item<M>> {
    let key = match spec.order {
        Order::Position => SortKey::Position(row.get(at)?),
        Order::Slug => SortKey::Slug(row.get(at)?),
    };
    let mut edge = EdgeData::default();
    for (offset, column) in spec.edge_columns.iter().enumerate() {
        match *column {
            "importance" => edge.importance = Some(row.get_enum(at + 1 + offset)?),
            "level" => edge.level = Some(row.get_enum(at + 1 + offset)?),
            other => {
                return Err(crate::Error::Internal(format!(
                    "unknown edge column {other}"
                )));
            }
        }
    }
    let node = M::read(row, at + 1 + spec.edge_columns.len())?;
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
    let mut sql = format!(
        "SELECT {key} AS sg_key, {} FROM {from} WHERE 1 = 1",
        node_columns::<N::Model>()
    );
    let mut values = Vec::new();
    push_filters(
        &mut sql,
        &mut values,
        &args.filters,
        db.conn.get_database_backend(),
    );
    if let Some(after) = &args.after {
        sql.push_str(&format!(" AND {key} > ?"));
        values.push(key_value(after));
    }
    sql.push_str(&format!(" ORDER BY {key}"));
    if let Some(first) = args.first {
        sql.push_str(&limit(first));
    }
    let rows = run(db, &sql, values).await?;
    let mut page = Page::empty(args);
    for row in &rows {
        page.items.push(read_item(&Row::of(row)?, &spec, 0)?);
    }
    trim(&mut page, args.first);
    Ok(page)
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
    let edge_columns: String = spec
        .edge_columns
        .iter()
        .map(|column| format!("e.{column} AS sg_{column}, "))
        .collect();
    // When the order and the filters only need the edge table, number the edges alone and
    // join the few surviving rows to their nodes; otherwise number the joined rows.
    let rank_edges_first = match spec.link {
        Link::Table(..) => {
            spec.order == Order::Position && !args.filters.iter().any(Filter::is_on_node)
        }
        _ => false,
    };
    if let (Link::Table(edge, parent_column, child), Some(first)) = (&spec.link, args.first)
        && rank_edges_first
    {
        // One parent's page, read the cheapest way: walk its edges in the `(parent, position)`
        // index, join each edge to its node and stop after `first + 1`, so that at most
        // `first + 1` nodes are looked up per parent.
        let page_of = |parent: &str, values: &mut Vec<Value>| {
            let mut sql = format!(
                "SELECT e.{parent_column} AS sg_parent, e.position AS sg_key, {edge_columns}{} \
                 FROM {edge} e JOIN {} n ON n.id = e.{child} WHERE e.{parent_column} = {parent}",
                node_columns::<N::Model>(),
                list.node_table()
            );
            push_filters(
                &mut sql,
                values,
                &args.filters,
                db.conn.get_database_backend(),
            );
            if let Some(after) = &args.after {
                sql.push_str(" AND e.position > ?");
                values.push(key_value(after));
            }
            sql.push_str(" ORDER BY e.position");
            sql.push_str(&limit(first));
            sql
        };
        // Neither statement sorts the whole result again (on PostgreSQL that sort, and the
        // planner's Memoize node in front of the node lookups, cost about a fifth of the
        // statement): `collect_pages` puts each page in order.
        let statement = match db.conn.get_database_backend() {
            // PostgreSQL runs the page once per parent with LATERAL.
            DbBackend::Postgres => {
                let mut values: Vec<Value> = parents.iter().map(|id| (*id).into()).collect();
                let sql = format!(
                    "SELECT x.* FROM (VALUES {}) AS p (id) CROSS JOIN LATERAL ({}) x",
                    vec!["(?)"; parents.len()].join(", "),
                    page_of("p.id", &mut values)
                );
                Some((sql, values))
            }
            // SQLite has no LATERAL: one page per parent, joined with UNION ALL, which reads
            // half as much as numbering every edge of every parent. SQLite takes at most 500
            // terms in one compound statement; larger batches are numbered instead.
            DbBackend::Sqlite if parents.len() <= SQLITE_MAX_COMPOUND_TERMS => {
                let mut values = Vec::new();
                let terms: Vec<String> = parents
                    .iter()
                    .map(|id| {
                        values.push((*id).into());
                        format!("SELECT * FROM ({})", page_of("?", &mut values))
                    })
                    .collect();
                Some((terms.join(" UNION ALL "), values))
            }
            _ => None,
        };
        if let Some((sql, values)) = statement {
            let rows = run(db, &sql, values).await?;
            return collect_pages::<N>(&rows, &spec, parents, args);
        }
    }
    let (inner_from, selected) = match spec.link {
        Link::Table(edge, _, child) if rank_edges_first => {
            (format!("{edge} e"), format!("e.{child} AS sg_child"))
        }
        _ => (from, node_columns::<N::Model>()),
    };
    let mut sql = format!(
        "SELECT {parent} AS sg_parent, {key} AS sg_key, {edge_columns}{selected}, \
         ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {key}) AS sg_row \
         FROM {inner_from} WHERE {parent} IN ({})",
        placeholders(parents.len())
    );
    let mut values: Vec<Value> = parents.iter().map(|id| (*id).into()).collect();
    push_filters(
        &mut sql,
        &mut values,
        &args.filters,
        db.conn.get_database_backend(),
    );
    if let Some(after) = &args.after {
        sql.push_str(&format!(" AND {key} > ?"));
        values.push(key_value(after));
    }
    let mut sql = if rank_edges_first {
        let ranked_edge_columns: String = spec
            .edge_columns
            .iter()
            .map(|column| format!("ranked.sg_{column}, "))
            .collect();
        format!(
            "SELECT ranked.sg_parent, ranked.sg_key, {ranked_edge_columns}{} \
             FROM ({sql}) ranked JOIN {} n ON n.id = ranked.sg_child",
            node_columns::<N::Model>(),
            list.node_table()
        )
    } else {
        format!("SELECT * FROM ({sql}) ranked")
    };
    if let Some(first) = args.first {
        sql.push_str(" WHERE ranked.sg_row <= ?");
        values.push(i64::from(first + 1).into());
    }
    sql.push_str(" ORDER BY ranked.sg_parent, ranked.sg_row");
    let rows = run(db, &sql, values).await?;
    collect_pages::<N>(&rows, &spec, parents, args)
}

/// Sorts the rows of a nested list query into one page per parent.
fn collect_pages<N>(
    rows: &[QueryResult],
    spec: &Spec,
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
            page.items.push(read_item(&row, spec, 1)?);
        }
    }
    for page in pages.values_mut() {
        if spec.order == Order::Position {
            // The per-parent statements have no ORDER BY outside their subqueries: rows come
            // in order in practice, but SQL does not promise it. Positions are plain integers, so this order is exactly the
            // database's; a page already in order is checked in one pass.
            page.items.sort_by_key(|item| match item.key {
                SortKey::Position(position) => position,
                SortKey::Slug(_) => i32::MAX,
            });
        }
        trim(page, args.first);
    }
    Ok(pages)
}

/// Drops the extra row read to learn whether a next page exists.
fn trim<M>(page: &mut Page<M>, first: Option<u32>) {
    if let Some(first) = first
        && page.items.len() > first as usize
    {
        page.items.truncate(first as usize);
        page.has_next_page = true;
    }
}

/// Counts a root list's items that pass the filters, all of them or only those up to and
/// including the sort key `up_to` (which tells whether anything precedes a cursor).
pub async fn root_count(
    db: &Db,
    list: List,
    filters: &[Filter],
    up_to: Option<&SortKey>,
) -> Result<i64> {
    let (from, _, key) = source(list, &list.spec());
    let mut sql = format!("SELECT COUNT(*) AS total FROM {from} WHERE 1 = 1");
    let mut values = Vec::new();
    push_filters(
        &mut sql,
        &mut values,
        filters,
        db.conn.get_database_backend(),
    );
    push_up_to(&mut sql, &mut values, key, up_to);
    let row = db
        .conn
        .query_one_raw(statement(db.conn.get_database_backend(), &sql, values))
        .await?;
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
    let mut sql = format!(
        "SELECT {parent} AS sg_parent, COUNT(*) AS sg_total FROM {from} WHERE {parent} IN ({})",
        placeholders(parents.len())
    );
    let mut values: Vec<Value> = parents.iter().map(|id| (*id).into()).collect();
    push_filters(
        &mut sql,
        &mut values,
        filters,
        db.conn.get_database_backend(),
    );
    push_up_to(&mut sql, &mut values, key, up_to);
    sql.push_str(&format!(" GROUP BY {parent}"));
    let rows = db
        .conn
        .query_all_raw(statement(db.conn.get_database_backend(), &sql, values))
        .await?;
    let mut counts: HashMap<i32, i64> = parents.iter().map(|parent| (*parent, 0)).collect();
    for row in &rows {
        counts.insert(row.try_get("", "sg_parent")?, row.try_get("", "sg_total")?);
    }
    Ok(counts)
}

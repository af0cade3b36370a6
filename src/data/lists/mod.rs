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

mod counts;
mod filters;
mod groups;
mod order;
mod pages;

use std::sync::Arc;

use entity::{Importance, ToolCategory};

use crate::data::rows::Columns;
pub use crate::graph::EdgeData;
use crate::graph::{Datum, EdgeKind, Kind, for_each_edge_kind};

pub use counts::{Bound, longest, nested_counts, root_count};
pub use groups::{Group, GroupKey, nested_groups, root_groups};
pub use order::{Key, KeyValue, OrderKey, Ordering, ordering, signature};
pub use pages::{nested_pages, root_page};

/// Declares [`List`]: the lists of every node of a kind, the two lists that are columns (a
/// skill's children, a language's frameworks), and for each edge kind of the table its
/// owner's list and, where it has one, its target's.
macro_rules! lists {
    ($(
        $(#[doc = $doc:literal])*
        $edge:ident($table:ident):
            $owner:ident($owner_column:ident, $owner_field:ident, $owner_list:ident: $owner_variant:ident)
            -> $target:ident($target_column:ident, $target_field:ident $(, $target_list:ident: $target_variant:ident)?)
            [$($datum:ident),*] $($acyclic:ident)?,
    )*) => {
        /// Every list the API serves.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum List {
            Roles,
            Skills,
            Languages,
            Frameworks,
            Tools,
            SkillChildren,
            LanguageFrameworks,
            $($owner_variant, $($target_variant,)?)*
        }

        impl List {
            /// Every list, for statistics over all of them.
            pub const ALL: &'static [List] = &[
                List::Roles,
                List::Skills,
                List::Languages,
                List::Frameworks,
                List::Tools,
                List::SkillChildren,
                List::LanguageFrameworks,
                $(List::$owner_variant, $(List::$target_variant,)?)*
            ];

            /// The owner's list of an edge kind.
            pub fn of_owner(edge: EdgeKind) -> List {
                match edge {
                    $(EdgeKind::$edge => List::$owner_variant,)*
                }
            }

            fn spec(self) -> Spec {
                match self {
                    List::Roles => Spec::root(Kind::Role),
                    List::Skills => Spec::root(Kind::Skill),
                    List::Languages => Spec::root(Kind::Language),
                    List::Frameworks => Spec::root(Kind::Framework),
                    List::Tools => Spec::root(Kind::Tool),
                    List::SkillChildren => Spec::column(Kind::Skill, "parent_id", Order::Position),
                    List::LanguageFrameworks => {
                        Spec::column(Kind::Framework, "language_id", Order::Slug)
                    }
                    $(
                        List::$owner_variant => Spec::edges(EdgeKind::$edge, Side::Owner),
                        $(List::$target_variant => Spec::edges(EdgeKind::$edge, Side::Target),)?
                    )*
                }
            }
        }
    };
}
for_each_edge_kind!(lists);

/// The end of an edge whose node a list belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// The owner's list, in the owner's order (`position`).
    Owner,
    /// The target's list, by the owners' slugs.
    Target,
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
    /// The data of the edge table that belong on the connection's edge type.
    edge_columns: &'static [Datum],
    /// The table the items live in.
    node_table: &'static str,
}

impl Spec {
    /// Every node of `kind`, by slug.
    fn root(kind: Kind) -> Spec {
        Spec {
            link: Link::Root,
            order: Order::Slug,
            edge_columns: &[],
            node_table: kind.table(),
        }
    }

    /// The nodes of `kind` whose `column` points at the parent.
    fn column(kind: Kind, column: &'static str, order: Order) -> Spec {
        Spec {
            link: Link::Column(column),
            order,
            edge_columns: &[],
            node_table: kind.table(),
        }
    }

    /// The other ends of the edges of `edge` at `side`: an owner's in its order, a target's
    /// by slug.
    fn edges(edge: EdgeKind, side: Side) -> Spec {
        let spec = edge.spec();
        let (parent, item, order) = match side {
            Side::Owner => (&spec.owner, &spec.target, Order::Position),
            Side::Target => (&spec.target, &spec.owner, Order::Slug),
        };
        Spec {
            link: Link::Table(spec.table, parent.column, item.column),
            order,
            edge_columns: spec.data,
            node_table: item.kind.table(),
        }
    }
}

impl List {
    /// The table the list's items live in.
    pub fn node_table(self) -> &'static str {
        self.spec().node_table
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
    /// The values of the keys of an order a client asked for, and that order.
    Ordered(Ordering, Vec<KeyValue>),
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
    /// Active nodes only (not deprecated): what lists hold unless a client asks for
    /// deprecated nodes too.
    Active,
    /// Frameworks of the language with this slug.
    LanguageSlug(String),
    /// Imported nodes whose source row (`table`, joined on `node_column`) has `value` in
    /// `column`.
    Source {
        table: &'static str,
        node_column: &'static str,
        column: &'static str,
        value: String,
    },
}

impl Filter {
    /// Whether the filter reads a column of the item's own table (rather than of the edge).
    fn is_on_node(&self) -> bool {
        !matches!(self, Filter::Importance(_))
    }
}

/// Which end of a list a page is taken from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The first items (`first`), read in the list's order.
    #[default]
    Forward,
    /// The last items (`last`), read in reverse from the end (or from `before`) and put back
    /// in the list's order.
    Backward,
}

/// Which page of a list to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageArgs {
    /// How many items; `None` reads the whole list (only for short internal lists).
    pub count: Option<u32>,
    /// Which end of the window between the cursors the items are taken from.
    pub direction: Direction,
    /// Only the items after the item with this key.
    pub after: Option<SortKey>,
    /// Only the items before the item with this key.
    pub before: Option<SortKey>,
    /// The order a client asked for; `None`: the list's own.
    pub order: Option<Ordering>,
    pub filters: Vec<Filter>,
    /// Which of the nodes' columns to read: [`Columns::Lean`] when the answer asks for none
    /// of the lifecycle's fields.
    pub columns: Columns,
}

impl PageArgs {
    /// Whether the page is read from the end.
    fn backward(&self) -> bool {
        self.direction == Direction::Backward
    }
}

/// Hashes what tells most requests apart in one write: the DataLoaders hash every key
/// several times (a nested list's page once per parent), and a derived hash, one write per
/// field and per filter, cost about 3 % of a nested request. Requests equal in these and
/// different in the rest share a bucket and are told apart by `Eq`.
impl std::hash::Hash for PageArgs {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let count = self.count.map_or(u64::from(u32::MAX) + 1, u64::from);
        let shape = (self.filters.len() as u64) << 34
            | u64::from(self.after.is_some()) << 33
            | u64::from(self.before.is_some()) << 41
            | u64::from(self.backward()) << 42
            | (self.order.as_ref().map_or(0, |order| order.len() as u64) << 44)
            | u64::from(self.columns == Columns::Lean) << 40;
        state.write_u64(count ^ shape);
    }
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
    /// Whether items follow the page within the window between the cursors: known when the
    /// page was read forward (it read one item beyond); for a backward page, false here (see
    /// `before`).
    pub has_next_page: bool,
    /// Whether items precede the page within the window: known when it was read backward;
    /// for a forward page, false here (see `after`).
    pub has_previous_page: bool,
    /// The cursor a forward page was read after, if any: items up to it precede the page.
    pub after: Option<SortKey>,
    /// The cursor a backward page was read before, if any: items from it on follow the page.
    pub before: Option<SortKey>,
}

impl<M> Page<M> {
    /// A page without items, as answered for a parent that has none.
    pub fn empty(args: &PageArgs) -> Self {
        let (after, before) = match args.direction {
            Direction::Forward => (args.after.clone(), None),
            Direction::Backward => (None, args.before.clone()),
        };
        Page {
            items: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
            after,
            before,
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

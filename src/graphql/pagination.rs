//! Relay connections: paging arguments, `PageInfo`, `totalCount`, and the connection and edge
//! types of every list. What a query may ask for is in [`super::limits`].

use async_graphql::{Context, SimpleObject};

use super::enums::{Importance, Proficiency};
use super::ids::{decode_cursor, encode_cursor};
use super::limits;
use super::loaders::{CountRequest, loader};
use crate::data::{Columns, EdgeData, Filter, Item, List, Page, PageArgs, SortKey, lists};
use crate::db::Db;
use crate::{Error, Result};

/// Checks `first` and `after` and turns them, with the filters, into a page request.
pub fn page_args(
    ctx: &Context<'_>,
    list: List,
    first: Option<i32>,
    after: Option<String>,
    filters: Vec<Filter>,
) -> Result<PageArgs> {
    let limits = limits::of(ctx);
    let first = match first {
        None => limits.default_page_size,
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|n| *n <= limits.max_page_size)
            .ok_or_else(|| {
                Error::bad_input(format!(
                    "`first` must be between 0 and {} (the maximum page size), got {n}",
                    limits.max_page_size
                ))
            })?,
    };
    let after = after
        .map(|cursor| decode_cursor(list, &cursor))
        .transpose()?;
    Ok(PageArgs {
        first: Some(first),
        after,
        filters,
        columns: columns_for(ctx),
    })
}

/// The fields of a node that read its lifecycle.
const LIFECYCLE_FIELDS: [&str; 4] = ["status", "deprecatedAt", "deprecationNote", "replacedBy"];

/// Which columns the list being resolved needs of its nodes: the lifecycle's only if the
/// nodes (a plain list's items, a connection's `nodes` or `edges { node }`) select one of
/// [`LIFECYCLE_FIELDS`]. Fragments count; a field under `@skip` counts too, which only reads
/// more than needed.
fn columns_for(ctx: &Context<'_>) -> Columns {
    let asks = |node: async_graphql::SelectionField<'_>| {
        node.selection_set()
            .any(|field| LIFECYCLE_FIELDS.contains(&field.name()))
    };
    let wanted = ctx.field().selection_set().any(|field| match field.name() {
        name if LIFECYCLE_FIELDS.contains(&name) => true,
        "nodes" => asks(field),
        "edges" => field
            .selection_set()
            .any(|edge| edge.name() == "node" && asks(edge)),
        _ => false,
    });
    if wanted { Columns::All } else { Columns::Lean }
}

/// Where a page sits in its list.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct PageInfo {
    /// Whether items follow this page (ask again with `after: endCursor`).
    pub has_next_page: bool,
    /// The cursor of the first item of the page, null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of the page, null when the page is empty.
    pub end_cursor: Option<String>,
    /// Counts the items up to the `after` cursor, when there is one.
    #[graphql(skip)]
    pub before: Option<Count>,
}

#[async_graphql::ComplexObject]
impl PageInfo {
    /// Whether items precede this page: false without `after`; with it, whether any item
    /// (passing the same filters) sorts at or before that cursor. Costs one query per level,
    /// only when selected on a page read with `after`.
    async fn has_previous_page(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(match &self.before {
            None => false,
            Some(before) => before.resolve(ctx).await? > 0,
        })
    }
}

impl PageInfo {
    pub(crate) fn of<M>(page: &Page<M>, total: &Count) -> Self {
        PageInfo {
            has_next_page: page.has_next_page,
            start_cursor: page.items.first().map(|item| encode_cursor(&item.key)),
            end_cursor: page.items.last().map(|item| encode_cursor(&item.key)),
            before: page.after.clone().map(|key| Count {
                up_to: Some(key),
                ..total.clone()
            }),
        }
    }
}

/// A count of a list's items, run only if a client selects `totalCount` or `hasPreviousPage`.
#[derive(Clone, Debug)]
pub struct Count {
    pub list: List,
    /// `None` for a root list.
    pub parent: Option<i32>,
    pub filters: Vec<Filter>,
    /// Count only the items up to and including this sort key.
    pub up_to: Option<SortKey>,
}

impl Count {
    pub fn new(list: List, parent: Option<i32>, filters: Vec<Filter>) -> Self {
        Count {
            list,
            parent,
            filters,
            up_to: None,
        }
    }

    pub(crate) async fn resolve(&self, ctx: &Context<'_>) -> Result<i64> {
        match self.parent {
            None => {
                let db: &Db = super::schema_data(ctx)?;
                lists::root_count(db, self.list, &self.filters, self.up_to.as_ref()).await
            }
            Some(parent) => {
                let request = CountRequest {
                    list: self.list,
                    parent,
                    filters: self.filters.clone(),
                    up_to: self.up_to.clone(),
                };
                Ok(loader(ctx)?.load_one(request).await?.unwrap_or_default())
            }
        }
    }
}

/// Data an edge type carries, read from the edge row.
pub trait EdgeField: Sized {
    fn from_edge(edge: &EdgeData) -> Result<Self>;
}

impl EdgeField for Importance {
    fn from_edge(edge: &EdgeData) -> Result<Self> {
        edge.importance
            .map(Into::into)
            .ok_or_else(|| Error::Internal("edge without importance".into()))
    }
}

impl EdgeField for Option<Proficiency> {
    fn from_edge(edge: &EdgeData) -> Result<Self> {
        Ok(edge.level.map(Into::into))
    }
}

/// Declares a connection type and its edge type (with the edge's own fields, if any).
macro_rules! connection {
    (
        $(#[doc = $doc:literal])*
        $connection:ident, $edge:ident, $node:ident
        $(, $(#[doc = $field_doc:literal])* $field:ident: $field_ty:ty)* $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $connection {
            /// The items of this page, each with its cursor.
            pub edges: $crate::graphql::engine::fast_lists::PlainList<$edge>,
            /// Where this page sits in the whole list.
            pub page_info: $crate::graphql::engine::fast_lists::Ordered<$crate::graphql::pagination::PageInfo>,
            #[graphql(skip)]
            pub total: $crate::graphql::pagination::Count,
        }

        #[async_graphql::ComplexObject]
        impl $connection {
            /// The items of this page, without cursors.
            async fn nodes(&self) -> $crate::graphql::engine::fast_lists::PlainList<$node> {
                $crate::graphql::engine::fast_lists::PlainList(
                    self.edges.0.iter().map(|edge| edge.node.0.clone()).collect(),
                )
            }

            /// How many items the whole list holds (the filters apply, paging does not).
            /// Counted only when selected.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<i64> {
                Ok(self.total.resolve(ctx).await?)
            }
        }

        $(#[doc = $doc])*
        #[derive(async_graphql::SimpleObject, Clone)]
        #[graphql(complex)]
        pub struct $edge {
            /// The item.
            pub node: $crate::graphql::engine::fast_lists::Ordered<$node>,
            $($(#[doc = $field_doc])* pub $field: $field_ty,)*
            /// The item's sort key; encoded into a cursor only when a client asks for it.
            #[graphql(skip)]
            pub key: $crate::data::SortKey,
        }

        #[async_graphql::ComplexObject]
        impl $edge {
            /// Pass this as `after` to continue after this item.
            async fn cursor(&self) -> String {
                $crate::graphql::ids::encode_cursor(&self.key)
            }
        }

        impl $crate::graphql::engine::fast_lists::PlainFields for $edge {
            fn plain_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> Option<async_graphql::Value> {
                match ctx.item.node.name.node.as_str() {
                    "node" => $crate::graphql::engine::fast_lists::plain_object(ctx, &self.node.0),
                    "cursor" => Some(async_graphql::Value::String(
                        $crate::graphql::ids::encode_cursor(&self.key),
                    )),
                    // The edge's own fields are single words: their GraphQL names are their
                    // Rust names.
                    $(stringify!($field) => {
                        Some(async_graphql::InputType::to_value(&self.$field))
                    })*
                    _ => None,
                }
            }
        }

        impl $crate::graphql::engine::fast_lists::PlainFields for $connection {}

        impl $connection {
            pub fn new<M>(
                page: $crate::data::Page<M>,
                total: $crate::graphql::pagination::Count,
            ) -> $crate::Result<$crate::graphql::engine::fast_lists::Ordered<Self>>
            where
                $node: From<std::sync::Arc<M>>,
            {
                let page_info = $crate::graphql::engine::fast_lists::Ordered(
                    $crate::graphql::pagination::PageInfo::of(&page, &total),
                );
                let edges = page
                    .items
                    .into_iter()
                    .map(|item| {
                        Ok($edge {
                            $($field: <$field_ty as $crate::graphql::pagination::EdgeField>::from_edge(&item.edge)?,)*
                            node: $crate::graphql::engine::fast_lists::Ordered($node::from(item.node)),
                            key: item.key,
                        })
                    })
                    .collect::<$crate::Result<Vec<_>>>()?;
                Ok($crate::graphql::engine::fast_lists::Ordered($connection {
                    edges: $crate::graphql::engine::fast_lists::PlainList(edges),
                    page_info,
                    total,
                }))
            }
        }
    };
}
pub(crate) use connection;

/// The nodes of a page, in order, for list fields that are not connections.
pub fn nodes_of<M, N: From<std::sync::Arc<M>>>(page: Page<M>) -> Vec<N> {
    page.items
        .into_iter()
        .map(|Item { node, .. }| N::from(node))
        .collect()
}

impl super::engine::fast_lists::PlainFields for PageInfo {}

/// The filter that keeps deprecated nodes out of a list, unless `include_deprecated`.
pub fn active_filter(include_deprecated: Option<bool>) -> Option<Filter> {
    (include_deprecated != Some(true)).then_some(Filter::Active)
}

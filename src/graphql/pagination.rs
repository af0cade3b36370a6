//! Relay connections: paging arguments, `PageInfo`, `totalCount`, and the connection and edge
//! types of every list. What a query may ask for is in [`super::limits`].

use async_graphql::{Context, SimpleObject};

use super::enums::{Importance, Proficiency};
use super::ids::{decode_cursor, encode_cursor};
use super::limits;
use super::loaders::{CountRequest, GroupRequest, loader};
use crate::data::lists::{Bound, Direction, GroupKey, Ordering};
use crate::data::{Columns, EdgeData, Filter, Item, List, Page, PageArgs, lists};
use crate::db::Db;
use crate::{Error, Result};

/// The paging arguments of a connection field, as the client gave them.
#[derive(Clone, Debug, Default)]
pub struct Paging {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl Paging {
    /// The page size asked for, whichever end it is taken from: what the page is priced by.
    pub fn size(first: Option<i32>, last: Option<i32>) -> Option<i32> {
        first.max(last)
    }
}

/// Checks the paging arguments and turns them, with the filters, into a page request:
/// `first` items after `after` (and before `before`), or the `last` items before `before`
/// (and after `after`), as the Relay cursor connections specification reads them.
pub fn page_args(
    ctx: &Context<'_>,
    list: List,
    paging: Paging,
    order: Option<Ordering>,
    filters: Vec<Filter>,
) -> Result<PageArgs> {
    let limits = limits::of(ctx);
    let (count, direction) = page_size(
        paging.first,
        paging.last,
        limits.default_page_size,
        limits.max_page_size,
    )?;
    let cursor = |argument: &str, cursor: Option<String>| {
        cursor
            .map(|cursor| decode_cursor(list, order.as_ref(), argument, &cursor))
            .transpose()
    };
    Ok(PageArgs {
        count: Some(count),
        direction,
        after: cursor("after", paging.after)?,
        before: cursor("before", paging.before)?,
        order,
        filters,
        columns: columns_for(ctx),
    })
}

/// The page of a list held in memory, whose cursors are the items' indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The indexes of the page's items.
    pub items: std::ops::Range<usize>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

impl Window {
    /// Reads `paging` against a list of `len` items: the same rules as [`page_args`], with
    /// `default` items when neither `first` nor `last` is given and at most `most`. A
    /// cursor is an index this list gave out; the whole list is at hand, so both
    /// `hasPreviousPage` and `hasNextPage` say whether anything lies beyond the page.
    pub fn of(len: usize, paging: Paging, default: u32, most: u32) -> Result<Window> {
        let cursor = |name: &str, cursor: Option<String>| {
            cursor
                .map(|text| {
                    text.parse::<usize>()
                        .ok()
                        .filter(|at| *at < len)
                        .ok_or_else(|| {
                            Error::invalid(
                                name,
                                format!(
                                    "`{name}` must be a cursor this field returned, got {text:?}"
                                ),
                            )
                        })
                })
                .transpose()
        };
        let start = cursor("after", paging.after)?.map_or(0, |at| at + 1);
        let end = cursor("before", paging.before)?.unwrap_or(len).max(start);
        let (count, direction) = page_size(paging.first, paging.last, default, most)?;
        let count = count as usize;
        let items = match direction {
            Direction::Forward => start..(start + count).min(end),
            Direction::Backward => end.saturating_sub(count).max(start)..end,
        };
        Ok(Window {
            has_previous_page: items.start > 0,
            has_next_page: items.end < len,
            items,
        })
    }

    /// The page info of this window, each item's cursor being its index.
    pub fn page_info(&self) -> PageInfo {
        let cursor = |at: usize| (!self.items.is_empty()).then(|| at.to_string());
        PageInfo {
            start_cursor: cursor(self.items.start),
            end_cursor: cursor(self.items.end.saturating_sub(1)),
            next: Known::Answer(self.has_next_page),
            previous: Known::Answer(self.has_previous_page),
        }
    }
}

/// How many items a page holds and from which end: `first` from the start or `last` from the
/// end (not both: the specification discourages it and GitHub's API refuses it too), at
/// most `most`, and `default` from the start when neither is given.
pub(crate) fn page_size(
    first: Option<i32>,
    last: Option<i32>,
    default: u32,
    most: u32,
) -> Result<(u32, Direction)> {
    let size = |name: &str, n: i32| {
        u32::try_from(n).ok().filter(|n| *n <= most).ok_or_else(|| {
            Error::invalid(
                name,
                format!("`{name}` must be between 0 and {most} (the maximum page size), got {n}"),
            )
        })
    };
    match (first, last) {
        (Some(_), Some(_)) => Err(Error::bad_input(
            "`first` and `last` cannot be given together: page forwards with `first` and \
             `after`, or backwards with `last` and `before`",
        )),
        (Some(first), None) => Ok((size("first", first)?, Direction::Forward)),
        (None, Some(last)) => Ok((size("last", last)?, Direction::Backward)),
        (None, None) => Ok((default, Direction::Forward)),
    }
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
    /// The cursor of the first item of the page, null when the page is empty.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of the page, null when the page is empty.
    pub end_cursor: Option<String>,
    #[graphql(skip)]
    next: Known,
    #[graphql(skip)]
    previous: Known,
}

/// Whether items lie beyond one end of a page: known from the page itself (it read one item
/// beyond that end), or counted when a client asks (the items on the far side of the cursor
/// the page was read from).
#[derive(Clone, Debug)]
enum Known {
    Answer(bool),
    Counted(Count),
}

impl Known {
    async fn resolve(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(match self {
            Known::Answer(answer) => *answer,
            Known::Counted(count) => count.resolve(ctx).await? > 0,
        })
    }
}

#[async_graphql::ComplexObject]
impl PageInfo {
    /// Whether items follow this page: with `first`, whether the list (before `before`, if
    /// given) holds more; with `last`, whether any item (passing the same filters) sorts at
    /// or after `before` (false without it). Counting costs one query per level, only when
    /// selected on a page read with `last` and `before`.
    async fn has_next_page(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.next.resolve(ctx).await?)
    }

    /// Whether items precede this page: with `last`, whether the list (after `after`, if
    /// given) holds more; otherwise whether any item (passing the same filters) sorts at or
    /// before `after` (false without it). Counting costs one query per level, only when
    /// selected on a page read with `after`.
    async fn has_previous_page(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.previous.resolve(ctx).await?)
    }
}

impl PageInfo {
    pub(crate) fn of<M>(page: &Page<M>, total: &Count) -> Self {
        let beyond = |known: bool, bound: Option<Bound>| match bound {
            Some(bound) if !known => Known::Counted(Count {
                bound: Some(bound),
                ..total.clone()
            }),
            _ => Known::Answer(known),
        };
        PageInfo {
            start_cursor: page.items.first().map(|item| encode_cursor(&item.key)),
            end_cursor: page.items.last().map(|item| encode_cursor(&item.key)),
            next: beyond(page.has_next_page, page.before.clone().map(Bound::From)),
            previous: beyond(page.has_previous_page, page.after.clone().map(Bound::UpTo)),
        }
    }

    /// The page info of a page that knows what lies beyond both its ends.
    pub(crate) fn known(
        has_previous_page: bool,
        has_next_page: bool,
        start_cursor: Option<String>,
        end_cursor: Option<String>,
    ) -> Self {
        PageInfo {
            start_cursor,
            end_cursor,
            next: Known::Answer(has_next_page),
            previous: Known::Answer(has_previous_page),
        }
    }
}

/// A count of a list's items, run only if a client selects `totalCount`, or
/// `hasPreviousPage` or `hasNextPage` where the page cannot tell.
#[derive(Clone, Debug)]
pub struct Count {
    pub list: List,
    /// `None` for a root list.
    pub parent: Option<i32>,
    pub filters: Vec<Filter>,
    /// Count only the items within this bound.
    pub bound: Option<Bound>,
}

impl Count {
    pub fn new(list: List, parent: Option<i32>, filters: Vec<Filter>) -> Self {
        Count {
            list,
            parent,
            filters,
            bound: None,
        }
    }

    pub(crate) async fn resolve(&self, ctx: &Context<'_>) -> Result<i64> {
        match self.parent {
            None => {
                let db: &Db = super::schema_data(ctx)?;
                lists::root_count(db, self.list, &self.filters, self.bound.as_ref()).await
            }
            Some(parent) => {
                let request = CountRequest {
                    list: self.list,
                    parent,
                    filters: self.filters.clone(),
                    bound: self.bound.clone(),
                };
                Ok(loader(ctx)?.load_one(request).await?.unwrap_or_default())
            }
        }
    }
}

/// Items of a list that share a value, and how many they are.
#[derive(SimpleObject, Clone, Debug)]
pub struct Group {
    /// The value they share, as the schema writes it (an enum value's name, an ISCO code);
    /// null for the items without one.
    pub key: Option<String>,
    /// How many items of the list (the filters apply, paging does not) have it.
    pub count: i64,
}

impl super::engine::fast_lists::PlainFields for Group {}

impl Count {
    /// The list's items grouped by `by`: one statement per level, run only when selected.
    pub(crate) async fn groups(
        &self,
        ctx: &Context<'_>,
        by: GroupKey,
    ) -> Result<super::engine::fast_lists::PlainList<Group>> {
        let groups = match self.parent {
            None => {
                let db: &Db = super::schema_data(ctx)?;
                lists::root_groups(db, self.list, &self.filters, by).await?
            }
            Some(parent) => {
                let request = GroupRequest {
                    list: self.list,
                    parent,
                    filters: self.filters.clone(),
                    by,
                };
                loader(ctx)?.load_one(request).await?.unwrap_or_default()
            }
        };
        Ok(super::engine::fast_lists::PlainList(
            groups
                .into_iter()
                .map(|(key, count)| Group { key, count })
                .collect(),
        ))
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
        $([$group_by:ident: $($group:ident),+])?
        $(, $(#[doc = $field_doc:literal])* $field:ident: $field_ty:ty)* $(,)?
    ) => {
        $(
            #[doc = concat!("What the items of a `", stringify!($connection), "` can be grouped by.")]
            #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
            pub enum $group_by {
                $(
                    #[doc = $crate::graphql::pagination::group_doc!($group)]
                    $group,
                )+
            }

            impl From<$group_by> for $crate::data::lists::GroupKey {
                fn from(by: $group_by) -> Self {
                    match by {
                        $($group_by::$group => $crate::data::lists::GroupKey::$group,)+
                    }
                }
            }
        )?

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

            $(
                /// The whole list's items (the filters apply, paging does not) grouped by a
                /// value they share, with how many have each: the values in order, those
                /// without one last. One statement per level, only when selected.
                #[graphql(complexity = $crate::graphql::limits::groups_cost(child_complexity))]
                async fn groups(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    #[graphql(desc = "What to group by.")] by: $group_by,
                ) -> async_graphql::Result<$crate::graphql::engine::fast_lists::PlainList<$crate::graphql::pagination::Group>> {
                    Ok(self.total.groups(ctx, by.into()).await?)
                }
            )?
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
            /// Pass this as `after` to go on after this item, or as `before` to go back.
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

/// The description of a value a connection's items can be grouped by.
macro_rules! group_doc {
    (Importance) => {
        "How much the role needs the item (`ESSENTIAL`, `OPTIONAL`)."
    };
    (Level) => {
        "The level the role needs the skill at; null where the source gives none."
    };
    (Category) => {
        "The tool's category."
    };
    (SkillType) => {
        "The skill's ESCO type (`KNOWLEDGE`, `SKILL_COMPETENCE`, `SKILL_GROUP`); null for a skill curated by hand."
    };
    (IscoGroup) => {
        "The role's ISCO-08 group (a four-digit code); null for a role curated by hand."
    };
}
pub(crate) use group_doc;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn window(
        first: Option<i32>,
        after: Option<usize>,
        last: Option<i32>,
        before: Option<usize>,
    ) -> Window {
        let paging = Paging {
            first,
            after: after.map(|at| at.to_string()),
            last,
            before: before.map(|at| at.to_string()),
        };
        Window::of(10, paging, 4, 6).unwrap()
    }

    #[test]
    fn windows_follow_the_relay_rules() {
        let forward = window(None, None, None, None);
        assert_eq!(
            (
                forward.items,
                forward.has_previous_page,
                forward.has_next_page
            ),
            (0..4, false, true)
        );
        let next = window(Some(6), Some(3), None, None);
        assert_eq!(
            (next.items, next.has_previous_page, next.has_next_page),
            (4..10, true, false)
        );
        let back = window(None, None, Some(3), None);
        assert_eq!(
            (back.items, back.has_previous_page, back.has_next_page),
            (7..10, true, false)
        );
        let back = window(None, None, Some(3), Some(7));
        assert_eq!(
            (back.items, back.has_previous_page, back.has_next_page),
            (4..7, true, true)
        );
        let between = window(None, Some(2), Some(6), Some(5));
        assert_eq!((between.items, between.has_previous_page), (3..5, true));
        let crossed = window(Some(2), Some(6), None, Some(3));
        assert!(crossed.items.is_empty());
        assert_eq!(window(None, None, Some(0), None).items, 10..10);
    }

    #[test]
    fn window_mistakes_name_their_argument() {
        let refused = |paging: Paging| format!("{:?}", Window::of(10, paging, 4, 6).unwrap_err());
        assert!(
            refused(Paging {
                first: Some(1),
                last: Some(1),
                ..Paging::default()
            })
            .contains("together")
        );
        assert!(
            refused(Paging {
                last: Some(7),
                ..Paging::default()
            })
            .contains("`last`")
        );
        assert!(
            refused(Paging {
                before: Some("10".into()),
                ..Paging::default()
            })
            .contains("`before`")
        );
        assert!(
            refused(Paging {
                after: Some("x".into()),
                ..Paging::default()
            })
            .contains("`after`")
        );
    }
}

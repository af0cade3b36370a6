//! The GraphQL object types, one file per kind of node. Each wraps its SeaORM model and
//! resolves nested fields through the request's DataLoader.

mod framework;
mod language;
mod node;
mod role;
mod skill;
mod tool;

pub use framework::Framework;
pub use language::Language;
pub use node::{Node, node_by_id};
pub use role::Role;
pub use skill::Skill;
pub use tool::Tool;

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::resolver_utils::ContainerType;
use async_graphql::{Context, ID, Object, TypeName, Value};
use sea_orm::EntityTrait;

use chrono::{DateTime, Utc};

use super::engine::fast_lists::{PlainFields, PlainList};
use super::enums::NodeStatus;
use super::ids::{Kind, encode_id};
use super::loaders::{BySlug, PageRequest, Typed, loader};
use super::locales::{Label, aliases_of, description_of, labels_of, name_of, reads_rows};
use super::pagination::{Count, Paging, page_args};
use crate::data::model::NodeModel;
use crate::data::{Filter, List, NodeColumns, Page, PageArgs};
use crate::graph::slug::is_slug;
use crate::graph::{EdgeKind, for_each_node_kind};
use crate::{Error, Result};

/// A node row, served as one of the GraphQL node types: `NodeObject<role::Model>` is `Role`,
/// and so on. What every node type has — the shared fields, their fast answers in lists, the
/// `id` the `Node` interface asks for — is written once, here, for all of them; each type's
/// own file holds only its own fields.
#[derive(Debug)]
pub struct NodeObject<M>(pub Arc<M>);

impl<M> Clone for NodeObject<M> {
    fn clone(&self) -> Self {
        NodeObject(self.0.clone())
    }
}

impl<M> From<Arc<M>> for NodeObject<M> {
    fn from(model: Arc<M>) -> Self {
        NodeObject(model)
    }
}

/// What the shared fields read from a node model.
pub trait NodeText: NodeModel + NodeColumns + Send + Sync + 'static {
    /// The model's table.
    type Entity: EntityTrait<Model = Self> + Default;
    /// The kind of node, as global IDs name it.
    const KIND: Kind;
    /// The name of the (internal, never exposed) object holding the kind's shared fields.
    const SHARED_FIELDS: &'static str;
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    /// The aliases, as stored: a JSON array of strings.
    fn aliases(&self) -> &str;
    fn version(&self) -> i32;
    fn deprecated_at(&self) -> Option<i64>;
    fn deprecation_note(&self) -> Option<&str>;
    /// The node as the `Node` interface serves it.
    fn into_node(model: Arc<Self>) -> Node;
}

macro_rules! node_text {
    ($($kind:ident: $module:ident),* $(,)?) => {$(
        impl NodeText for entity::$module::Model {
            type Entity = entity::$module::Entity;
            const KIND: Kind = Kind::$kind;
            const SHARED_FIELDS: &'static str = concat!(stringify!($kind), "SharedFields");
            fn name(&self) -> &str {
                &self.name
            }
            fn description(&self) -> &str {
                &self.description
            }
            fn aliases(&self) -> &str {
                &self.aliases
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn deprecated_at(&self) -> Option<i64> {
                self.deprecated_at
            }
            fn deprecation_note(&self) -> Option<&str> {
                self.deprecation_note.as_deref()
            }
            fn into_node(model: Arc<Self>) -> Node {
                Node::$kind($kind::from(model))
            }
        }
    )*};
}
for_each_node_kind!(node_text);

impl<M: NodeText> NodeObject<M> {
    /// The node's global ID; the `Node` interface resolves `id` through this.
    pub async fn id(&self, _ctx: &Context<'_>) -> async_graphql::Result<ID> {
        Ok(encode_id(M::KIND, self.0.slug()))
    }

    /// The row's ID, which its nested connections read by (see [`nested_connections`]).
    fn row_id(&self) -> i32 {
        self.0.id()
    }

    /// The shared fields, for a node type's `#[graphql(flatten)]` resolver.
    fn shared(&self) -> SharedFields<M> {
        SharedFields(self.0.clone())
    }
}

/// The fields every node type has. Each type flattens them into its own fields (async-graphql
/// then drops this object from the schema, since no field returns it).
pub struct SharedFields<M>(Arc<M>);

impl<M: NodeText> TypeName for SharedFields<M> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(M::SHARED_FIELDS)
    }
}

#[Object(name_type)]
impl<M: NodeText> SharedFields<M> {
    /// This object's global ID, for `node(id:)`.
    async fn id(&self) -> ID {
        encode_id(M::KIND, self.0.slug())
    }

    /// A stable, URL-friendly identifier, unique among nodes of its kind, e.g.
    /// `backend-developer`, `query-optimization`, `csharp`, `ruby-on-rails`, `postgresql`.
    async fn slug(&self) -> &str {
        self.0.slug()
    }

    /// The common name, e.g. `Backend Developer`, `C#`, `Ruby on Rails`, `PostgreSQL`: in
    /// the request's locale (`Accept-Language`) or `locale`, falling back along the chain to
    /// the server's default locale and to `en`.
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read this locale (a BCP 47 tag, e.g. `de`) instead of the request's.")]
        locale: Option<String>,
    ) -> async_graphql::Result<String> {
        Ok(name_of(ctx, self.0.as_ref(), locale.as_deref()).await?)
    }

    /// What it is, in a sentence or two; in the request's locale or `locale`, falling back as
    /// `name` does (each text on its own: a translation without a description reads the next
    /// locale's).
    async fn description(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read this locale (a BCP 47 tag, e.g. `de`) instead of the request's.")]
        locale: Option<String>,
    ) -> async_graphql::Result<String> {
        Ok(description_of(ctx, self.0.as_ref(), locale.as_deref()).await?)
    }

    /// Other names people use for it (for a role: job titles that mean the same), in the
    /// locale `name` is read in.
    async fn aliases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Read this locale (a BCP 47 tag, e.g. `de`) instead of the request's.")]
        locale: Option<String>,
    ) -> async_graphql::Result<Vec<String>> {
        Ok(aliases_of(ctx, self.0.as_ref(), locale.as_deref()).await?)
    }

    /// Its text in every locale the catalog holds for it, `en` (the catalog's own) included,
    /// by tag; only `locales` when given. Hidden aliases (for search only) are not shown.
    #[graphql(
        complexity = "crate::graphql::limits::list_cost(crate::graphql::locales::PRICED_LABELS, child_complexity)"
    )]
    async fn labels(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these locales (BCP 47 tags, at most 12).")] locales: Option<
            Vec<String>,
        >,
    ) -> async_graphql::Result<PlainList<Label>> {
        Ok(PlainList(labels_of(ctx, self.0.as_ref(), locales).await?))
    }

    /// Grows by one with every change to this node or its edges. Pass the version you read as
    /// `expectedVersion` to an update, and it fails with `CONFLICT` if someone changed the
    /// node in between, instead of overwriting their change.
    async fn version(&self) -> i32 {
        self.0.version()
    }

    /// `ACTIVE`, or `DEPRECATED`: kept for the clients that stored its slug or ID, but left
    /// out of lists, search and answers unless they ask (`includeDeprecated`).
    async fn status(&self) -> NodeStatus {
        if self.0.deprecated_at().is_some() {
            NodeStatus::Deprecated
        } else {
            NodeStatus::Active
        }
    }

    /// When it was deprecated; null while it is active.
    async fn deprecated_at(&self) -> Option<DateTime<Utc>> {
        self.0
            .deprecated_at()
            .and_then(DateTime::<Utc>::from_timestamp_millis)
    }

    /// Why it was deprecated; null while it is active or when no reason was given.
    async fn deprecation_note(&self) -> Option<&str> {
        self.0.deprecation_note()
    }

    /// What to use instead of a deprecated node: active nodes of the same kind, in order
    /// (several for a split). Empty for an active node, and for a deprecated one that nothing
    /// replaces.
    #[graphql(complexity = "crate::graphql::limits::short_list_cost(child_complexity)")]
    async fn replaced_by(&self, ctx: &Context<'_>) -> async_graphql::Result<PlainList<Node>> {
        if self.0.deprecated_at().is_none() {
            return Ok(PlainList(Vec::new()));
        }
        let list = List::of_owner(EdgeKind::replacement_of(M::KIND));
        let page = load_page::<M::Entity>(ctx, list, self.0.id(), PageArgs::default()).await?;
        Ok(PlainList(
            page.items
                .into_iter()
                .map(|item| M::into_node(item.node))
                .collect(),
        ))
    }
}

/// The shared fields that copy a column (and the ID), answered without a future in lists (see
/// [`crate::graphql::engine::fast_lists`]); the same values as the resolvers above.
impl<M: NodeText> PlainFields for NodeObject<M>
where
    NodeObject<M>: ContainerType,
{
    fn plain_field(&self, ctx: &Context<'_>) -> Option<Value> {
        let text = match ctx.item.node.name.node.as_str() {
            "id" => encode_id(M::KIND, self.0.slug()).0,
            "slug" => self.0.slug().to_owned(),
            "name" if reads_rows(ctx) => self.0.name().to_owned(),
            "description" if reads_rows(ctx) => self.0.description().to_owned(),
            "version" => return Some(Value::from(self.0.version())),
            _ => return None,
        };
        Some(Value::String(text))
    }
}

/// Declares nested connections of a node type, each in one line that names its list once:
/// `children(SkillChildren) -> SkillConnection of skill;` is the field `children`, priced for the
/// complexity limit by the length of [`List::SkillChildren`], paged by `first` and `after`, and
/// read from that list as a `SkillConnection` of `skill` rows. A connection may take filters,
/// each an optional argument with its description, and the expression that makes them:
/// `where importance: Importance = "…" => importance_filter(importance)`.
///
/// `Lists { … }` declares them as the fields of an object `Lists` holding the parent's row ID,
/// which the node type's `#[Object]` impl flattens into its own fields where they stand in the
/// schema (`#[graphql(flatten)] async fn connections(&self) -> Lists`); async-graphql copies
/// the flattened fields, with their costs, into the node type and leaves `Lists` out of the
/// schema, since no field returns it. `impl Language with shared fields of language { … }`
/// declares instead the whole impl of a node type that has no other fields of its own (an
/// `#[Object]` impl needs one field that is not flattened).
///
/// The macro writes the `#[Object]` impl itself: `#[Object]` does not expand macros inside its
/// impl, and a cost expression must be written in the same expansion as the `#[Object]` that
/// binds its `child_complexity`.
macro_rules! nested_connections {
    (
        @object [$($doc:tt)*] $object:ident [$($first:tt)*] {
            $(
                $(#[doc = $field_doc:literal])*
                $name:ident($list:ident) -> $connection:ident of $module:ident
                $(ordered by $order:ident)?
                $(where $($arg:ident: $arg_ty:ident = $arg_doc:literal),+ => $filters:expr)?;
            )+
        }
    ) => {
        $($doc)*
        #[async_graphql::Object]
        impl $object {
            $($first)*

            $(
                $(#[doc = $field_doc])*
                #[graphql(
                    complexity = crate::graphql::limits::connection_cost(
                        crate::data::List::$list,
                        $crate::graphql::pagination::Paging::size(first, last),
                        child_complexity,
                    )
                )]
                // Each parameter is one of the field's GraphQL arguments.
                #[allow(clippy::too_many_arguments)]
                async fn $name(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    #[graphql(desc = "How many items to return from the start (after `after`, if given); absent, and without `last`: the server's default page size; never more than its maximum page size (both in `Query.limits`).")] first: Option<i32>,
                    #[graphql(desc = "Return only the items after this cursor.")] after: Option<String>,
                    #[graphql(desc = "How many items to return from the end (before `before`, if given), to page backwards; not together with `first`; never more than the maximum page size.")] last: Option<i32>,
                    #[graphql(desc = "Return only the items before this cursor.")] before: Option<String>,
                    $($(#[graphql(desc = $arg_doc)] $arg: Option<$arg_ty>,)+)?
                    $(
                        #[graphql(desc = "Sorts the list by these keys in turn, ties broken by slug; absent: by slug. A cursor belongs to its order: pass the same `orderBy` with it.")]
                        order_by: Option<Vec<$crate::graphql::orders::$order>>,
                    )?
                ) -> async_graphql::Result<$crate::graphql::engine::fast_lists::Ordered<$connection>> {
                    let filters: Vec<$crate::data::Filter> =
                        $crate::graphql::types::nested_connections!(@filters $($filters)?);
                    let order = $crate::graphql::types::nested_connections!(@order $(order_by $order)?);
                    let paging = $crate::graphql::pagination::Paging { first, after, last, before };
                    let (page, total) = $crate::graphql::types::nested_connection::<entity::$module::Entity>(
                        ctx,
                        $crate::data::List::$list,
                        self.row_id(),
                        paging,
                        order,
                        filters,
                    )
                    .await?;
                    Ok($connection::new(page, total)?)
                }
            )+
        }
    };
    (@filters) => {
        Vec::new()
    };
    (@order) => {
        None
    };
    (@order $order_by:ident $order:ident) => {
        $crate::graphql::orders::ordering_of::<$crate::graphql::orders::$order>($order_by)?
    };
    (@filters $filters:expr) => {
        $filters
    };
    (
        $(#[doc = $doc:literal])*
        impl $node:ident with shared fields of $model:ident { $($fields:tt)* }
    ) => {
        $crate::graphql::types::nested_connections!(@object [$(#[doc = $doc])*] $node [
            #[graphql(flatten)]
            async fn shared_fields(&self) -> $crate::graphql::types::SharedFields<entity::$model::Model> {
                self.shared()
            }
        ] { $($fields)* });
    };
    (
        $(#[doc = $doc:literal])*
        $lists:ident { $($fields:tt)* }
    ) => {
        $(#[doc = $doc])*
        pub struct $lists(i32);

        impl $lists {
            fn row_id(&self) -> i32 {
                self.0
            }
        }

        $crate::graphql::types::nested_connections!(@object [] $lists [] { $($fields)* });
    };
}
pub(crate) use nested_connections;

/// The filter of a nested connection's `importance` argument.
fn importance_filter(importance: Option<super::enums::Importance>) -> Vec<Filter> {
    importance
        .map(|i| Filter::Importance(i.into()))
        .into_iter()
        .collect()
}

/// The filter of a reverse list's `includeDeprecated` argument.
fn active(include_deprecated: Option<bool>) -> Vec<Filter> {
    super::pagination::active_filter(include_deprecated)
        .into_iter()
        .collect()
}

/// Where an imported node came from, through the request's DataLoader (one statement per
/// level of a query); `None` for a node curated by hand.
async fn source_of<M: crate::data::sources::SourceRow>(
    ctx: &Context<'_>,
    node: i32,
) -> Result<Option<Arc<M>>> {
    loader(ctx)?
        .load_one(super::loaders::SourceRequest::<M>::new(node))
        .await
}

/// Reads a list column stored as a JSON array of strings.
fn string_list(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|err| Error::Internal(format!("bad string list: {err}")))
}

/// One node by slug, through the request's DataLoader. Text that is not a slug names no node,
/// so it is answered without asking the database.
pub async fn by_slug<N>(ctx: &Context<'_>, slug: String) -> Result<Option<Arc<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
{
    if !is_slug(&slug) {
        return Ok(None);
    }
    loader(ctx)?.load_one(BySlug::<N>::new(slug)).await
}

/// One parent's page of a nested list, through the request's DataLoader.
async fn load_page<N>(
    ctx: &Context<'_>,
    list: List,
    parent: i32,
    args: PageArgs,
) -> Result<Page<N::Model>>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns + Sync,
{
    let empty = Page::empty(&args);
    let request = Typed::<PageRequest, N>::new(PageRequest { list, parent, args });
    Ok(loader(ctx)?.load_one(request).await?.unwrap_or(empty))
}

/// Checks the paging arguments of a nested connection field and loads its page, together
/// with what `totalCount` will need if selected.
async fn nested_connection<N>(
    ctx: &Context<'_>,
    list: List,
    parent: i32,
    paging: Paging,
    order: Option<crate::data::lists::Ordering>,
    filters: Vec<Filter>,
) -> Result<(Page<N::Model>, Count)>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns + Sync,
{
    let args = page_args(ctx, list, paging, order, filters.clone())?;
    let page = load_page::<N>(ctx, list, parent, args).await?;
    Ok((page, Count::new(list, Some(parent), filters)))
}

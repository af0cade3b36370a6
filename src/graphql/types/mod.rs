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
pub use node::Node;
pub use role::Role;
pub use skill::Skill;
pub use tool::Tool;

use async_graphql::Context;
use sea_orm::EntityTrait;

use super::loaders::{PageRequest, Typed, loader};
use super::pagination::{Count, page_args};
use crate::data::{Filter, List, NodeColumns, Page, PageArgs};
use crate::{Error, Result};

/// The fields of a node type that copy a column (and its ID), answered without a future
/// (see [`crate::graphql::plain`]). They are the same as the type's resolvers of those names.
macro_rules! plain_node_fields {
    ($node:ident, $kind:expr) => {
        impl $crate::graphql::fast_lists::PlainFields for $node {
            fn plain_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> Option<async_graphql::Value> {
                let text = match ctx.item.node.name.node.as_str() {
                    "id" => $crate::graphql::ids::encode_id($kind, &self.0.slug).0,
                    "slug" => self.0.slug.clone(),
                    "name" => self.0.name.clone(),
                    "description" => self.0.description.clone(),
                    _ => return None,
                };
                Some(async_graphql::Value::String(text))
            }
        }
    };
}
use plain_node_fields;

/// Reads a list column stored as a JSON array of strings.
fn string_list(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|err| Error::Internal(format!("bad string list: {err}")))
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
    first: Option<i32>,
    after: Option<String>,
    filters: Vec<Filter>,
) -> Result<(Page<N::Model>, Count)>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns + Sync,
{
    let args = page_args(ctx, list, first, after, filters.clone())?;
    let page = load_page::<N>(ctx, list, parent, args).await?;
    Ok((page, Count::new(list, Some(parent), filters)))
}

//! The `Node` interface (Relay object identification) over every kind of node, and finding a
//! node again by its global ID.

use async_graphql::{Context, ID, Interface};

use super::{Framework, Language, Role, Skill, Tool, by_slug};
use crate::Result;
use crate::graph::for_each_node_kind;
use crate::graphql::ids::Kind;

/// Declares the `Node` interface over every kind of node, and the lookup of a node by its
/// decoded global ID.
macro_rules! node_interface {
    ($($kind:ident: $module:ident),* $(,)?) => {
        /// An object with a global ID (Relay object identification): fetch any of them again
        /// with `node(id:)` or `nodes(ids:)`.
        #[derive(Interface, Clone, Debug)]
        #[graphql(field(
            name = "id",
            ty = "ID",
            desc = "The object's global ID: opaque and stable."
        ))]
        pub enum Node {
            $($kind($kind),)*
        }

        impl crate::graphql::engine::fast_lists::PlainFields for Node {
            fn plain_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> Option<async_graphql::Value> {
                match self {
                    $(Node::$kind(node) => crate::graphql::engine::fast_lists::PlainFields::plain_field(node, ctx),)*
                }
            }
        }

        /// The node of kind `kind` with this slug, through the request's DataLoader.
        pub async fn node_by_id(
            ctx: &Context<'_>,
            kind: Kind,
            slug: String,
        ) -> Result<Option<Node>> {
            Ok(match kind {
                $(Kind::$kind => by_slug::<entity::$module::Entity>(ctx, slug)
                    .await?
                    .map(|model| Node::$kind($kind::from(model))),)*
            })
        }
    };
}
for_each_node_kind!(node_interface);

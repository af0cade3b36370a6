//! The GraphQL type of a search hit (`search`); over [`crate::analysis::search`].

use async_graphql::{Context, Object};

use crate::analysis::Hit;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::enums::{NodeKind, SearchMatch};
use crate::graphql::types::{Node, node_by_id};

/// A node found by `search`.
pub struct SearchHit(pub(super) Hit);

/// A node found by `search`, and why.
#[Object]
impl SearchHit {
    /// The node's kind.
    async fn kind(&self) -> NodeKind {
        self.0.kind.into()
    }

    /// The node's slug.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The node's name, in the request's locale (or the search's `locale`), falling back as
    /// a node's `name` does.
    async fn name(&self, ctx: &Context<'_>) -> &str {
        crate::graphql::locales::spoken(ctx, &self.0.name_locale);
        &self.0.name
    }

    /// The node.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.kind, self.0.slug.clone())
            .await?
            .map(Ordered))
    }

    /// Why it was found (its rank).
    async fn matched_by(&self) -> SearchMatch {
        self.0.matched_by.into()
    }

    /// The slug, name or alias that matched, as written (for a hidden label, which is never
    /// shown, the node's name in that label's locale).
    async fn matched(&self) -> &str {
        &self.0.matched
    }

    /// The locale of the label that matched (`en` for a slug).
    async fn locale(&self) -> &str {
        &self.0.locale
    }

    /// For `TYPO`, how many edits (inserted, deleted, replaced or swapped characters) separate
    /// the query from the beginning of `matched`; 0 otherwise.
    async fn distance(&self) -> i32 {
        i32::from(self.0.distance)
    }
}

impl PlainFields for SearchHit {}

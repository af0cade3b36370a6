//! The GraphQL type of a node found in a text (`extractSkills`, a posting's mentions); over
//! [`crate::analysis::mentions`].

use async_graphql::{Context, Object};

use crate::analysis;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::enums::NodeKind;
use crate::graphql::types::{Node, node_by_id};

/// A node found in a text.
pub struct Mention(pub(super) analysis::Mention);

/// A node found in a text, and where.
#[Object]
impl Mention {
    /// Where the mention starts, in UTF-16 code units: what JavaScript's
    /// `text.slice(start, end)` takes.
    async fn start(&self) -> usize {
        self.0.start
    }

    /// Where the mention ends (exclusive), in UTF-16 code units.
    async fn end(&self) -> usize {
        self.0.end
    }

    /// The mention as written.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Whether the text is the node's name (otherwise one of its aliases).
    async fn by_name(&self) -> bool {
        self.0.by_name
    }

    /// The kind of node mentioned.
    async fn kind(&self) -> NodeKind {
        self.0.kind.into()
    }

    /// The locale of the label found (the text may be in another locale's words that fold
    /// to the same: `buro` finds the German `Büro`).
    async fn locale(&self) -> &str {
        &self.0.locale
    }

    /// How sure the extraction is that the text means the node, from 0 to 1: 1 for a label
    /// that is neither a common English word (`Go`, `Spring`, `Express`) nor shared by nodes of
    /// several kinds; otherwise read from the context: a capital where the catalog writes one
    /// (not at a sentence's start), a preposition before it (`in`, `with`, `using`, ...), a
    /// list's punctuation beside it, and other technologies near it.
    async fn confidence(&self) -> f64 {
        self.0.confidence
    }

    /// The slug of the node mentioned.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The node mentioned.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.kind, self.0.slug.clone())
            .await?
            .map(Ordered))
    }
}

impl PlainFields for Mention {}

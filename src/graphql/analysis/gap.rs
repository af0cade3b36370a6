//! The GraphQL types of a gap (`skillGap`, `roleGap`): what a person has and lacks for a
//! role, need by need; over [`crate::analysis::gap`].

use async_graphql::{Context, Object};

use crate::analysis::{self, Gap};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::enums::{Importance, NodeKind, Proficiency};
use crate::graphql::types::{Node, Role, node_by_id};

use super::role_of;

/// One need of a role, as a person meets it.
pub struct GapItem(pub(super) analysis::GapItem);

/// One need of a role (a skill, language, framework or tool), as a person meets it.
#[Object]
impl GapItem {
    /// The kind of node needed.
    async fn kind(&self) -> NodeKind {
        self.0.need.kind.into()
    }

    /// The needed node's slug.
    async fn slug(&self) -> &str {
        &self.0.need.slug
    }

    /// The needed node's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The needed node.
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Node>>> {
        Ok(node_by_id(ctx, self.0.need.kind, self.0.need.slug.clone())
            .await?
            .map(Ordered))
    }

    /// How much the role needs it.
    async fn importance(&self) -> Importance {
        self.0.need.importance.into()
    }

    /// The level the role asks (skills only).
    async fn level(&self) -> Option<Proficiency> {
        self.0.need.level.map(Into::into)
    }

    /// The level the person said they hold, if they said.
    async fn held(&self) -> Option<Proficiency> {
        self.0.held.map(Into::into)
    }

    /// What this need counts toward `coverage`, from 0 (not held) to 1 (held at the level
    /// asked); in between for a skill held below it.
    async fn credit(&self) -> f64 {
        self.0.credit
    }
}

/// What a person has and lacks for a role.
pub struct SkillGap(pub(super) Gap);

/// What a person has and lacks for a role, and how much of it they cover.
#[Object]
impl SkillGap {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.role).await
    }

    /// The weighted share of the role's needs met, from 0 to 1: essential needs weigh 2,
    /// optional ones 1; a need met at the level asked counts whole, a skill held below it in
    /// proportion of the levels (BEGINNER 1 … EXPERT 4), a need not held 0.
    async fn coverage(&self) -> f64 {
        self.0.coverage
    }

    /// The needs met, in the role's order (skills, languages, frameworks, tools).
    async fn covered(&self) -> PlainList<GapItem> {
        PlainList(self.0.covered.iter().cloned().map(GapItem).collect())
    }

    /// The skills held below the level the role asks.
    async fn below_level(&self) -> PlainList<GapItem> {
        PlainList(self.0.below_level.iter().cloned().map(GapItem).collect())
    }

    /// The needs not held at all.
    async fn missing(&self) -> PlainList<GapItem> {
        PlainList(self.0.missing.iter().cloned().map(GapItem).collect())
    }

    /// The slugs of `have` that name no node.
    async fn unknown(&self) -> &[String] {
        &self.0.unknown
    }

    /// The entries of `have` that named deprecated nodes, and the replacements each was
    /// counted as instead.
    async fn followed(&self) -> PlainList<FollowedReplacement> {
        PlainList(
            self.0
                .followed
                .iter()
                .map(|followed| FollowedReplacement {
                    slug: followed.slug.clone(),
                    replaced_by: followed.replaced_by.clone(),
                })
                .collect(),
        )
    }
}

/// A `have` entry that named a deprecated node, followed to the nodes that replace it.
#[derive(async_graphql::SimpleObject)]
pub struct FollowedReplacement {
    /// The deprecated node's slug, as given.
    pub slug: String,
    /// The slugs it was counted as instead, in order; empty when nothing replaces it (the
    /// entry then counts for nothing).
    pub replaced_by: Vec<String>,
}

impl PlainFields for FollowedReplacement {}

impl PlainFields for GapItem {}
impl PlainFields for SkillGap {}

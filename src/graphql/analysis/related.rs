//! The GraphQL types of related and recommended roles (`Role.related`, `recommendRoles`);
//! over [`crate::analysis::related`].

use async_graphql::{Context, Object};

use crate::Result;
use crate::analysis::{self, Fit, Related};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::types::Role;

use super::{GapItem, SkillGap, index, role_of, roles_first};

/// A role near another, with the needs they share named.
#[derive(Clone)]
pub struct RelatedRole {
    pub(super) related: Related,
    pub(super) shared: Vec<analysis::GapItem>,
}

/// A role near another, by the needs they share.
#[Object]
impl RelatedRole {
    /// The other role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.related.slug).await
    }

    /// From 0 (nothing shared) to 1 (the same needs, equally important): a weighted Jaccard
    /// index, essential needs weighing 2 and optional ones 1; Σ over shared needs of the
    /// smaller weight / Σ over the needs of either of the larger weight.
    async fn similarity(&self) -> f64 {
        self.related.similarity
    }

    /// The skills, languages, frameworks and tools both roles need, in the other role's order.
    async fn shared(&self) -> PlainList<GapItem> {
        PlainList(self.shared.iter().cloned().map(GapItem).collect())
    }

    /// How many needs they share.
    async fn shared_count(&self) -> usize {
        self.shared.len()
    }
}

/// How a role fits a person.
pub struct RoleRecommendation(pub(super) Fit);

/// A role ranked for a person by how much of it they already cover.
#[Object]
impl RoleRecommendation {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.gap.role).await
    }

    /// The person's coverage of the role (see `SkillGap.coverage`).
    async fn coverage(&self) -> f64 {
        self.0.gap.coverage
    }

    /// How many essential needs the person does not hold at all.
    async fn missing_essentials(&self) -> usize {
        self.0.missing_essentials
    }

    /// The whole gap.
    async fn gap(&self) -> Ordered<SkillGap> {
        Ordered(SkillGap(self.0.gap.clone()))
    }
}

impl PlainFields for RelatedRole {}
impl PlainFields for RoleRecommendation {}

/// A related role with the names of what it shares.
pub(super) fn related_role(index: &analysis::GraphIndex, related: Related) -> RelatedRole {
    RelatedRole {
        shared: related
            .shared
            .iter()
            .map(|need| analysis::GapItem {
                need: need.clone(),
                name: index.name(need.kind, &need.slug),
                held: None,
                credit: 1.0,
            })
            .collect(),
        related,
    }
}

/// The `first` roles most similar to `role`.
pub async fn related_roles(
    ctx: &Context<'_>,
    role: &str,
    first: Option<i32>,
) -> Result<PlainList<RelatedRole>> {
    let first = roles_first(first)?;
    let index = index(ctx).await?;
    Ok(PlainList(
        analysis::related(&index, role, first)
            .into_iter()
            .map(|related| related_role(&index, related))
            .collect(),
    ))
}

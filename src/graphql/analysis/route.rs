//! The GraphQL types of a route between roles (`careerRoute`); over
//! [`crate::analysis::route`].

use async_graphql::{Context, Object};

use crate::analysis;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::types::Role;

use super::{SkillGap, role_of};

/// One move of a career route: from a role to a role near it.
pub struct CareerStep(analysis::Move);

/// One move of a career route: from a role to a role near it, what it costs and the gap.
#[Object]
impl CareerStep {
    /// The role left.
    async fn from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.from).await
    }

    /// The role reached.
    async fn to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.to).await
    }

    /// What the move costs: the skills of the learning path to `to` (with the prerequisites
    /// it adds) and the languages, frameworks and tools `to` needs that the person lacks, for
    /// a person who has `have` and `from`'s needs.
    async fn cost(&self) -> usize {
        self.0.cost
    }

    /// What the person lacks for `to` on arriving from `from`.
    async fn gap(&self) -> Ordered<SkillGap> {
        Ordered(SkillGap(self.0.gap.clone()))
    }
}

/// The cheapest route between two roles, or the answer that there is none within the moves.
pub struct CareerRoute(pub(super) analysis::Route);

/// The cheapest route between two roles within the moves allowed, or that there is none.
#[Object]
impl CareerRoute {
    /// Whether a route was found within `maxSteps` moves.
    async fn found(&self) -> bool {
        self.0.found
    }

    /// The moves, in order (none when no route was found).
    async fn steps(&self) -> PlainList<CareerStep> {
        PlainList(self.0.moves.iter().cloned().map(CareerStep).collect())
    }

    /// The moves' costs, summed.
    async fn cost(&self) -> usize {
        self.0.cost
    }

    /// Whether the search ran to its end; false when it stopped at the most roles one
    /// search expands, with the cheapest route it had found (a cheaper one may exist).
    async fn complete(&self) -> bool {
        self.0.complete
    }

    /// How many roles the search expanded.
    async fn expanded(&self) -> usize {
        self.0.expanded
    }
}

impl PlainFields for CareerStep {}
impl PlainFields for CareerRoute {}

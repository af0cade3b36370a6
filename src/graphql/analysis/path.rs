//! The GraphQL types of a learning path (`learningPath`): the skills to learn, each
//! prerequisite first; over [`crate::analysis::path`].

use async_graphql::{Context, Object};
use entity::skill;

use crate::analysis::{self, Step};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::enums::{Importance, Proficiency};
use crate::graphql::types::{NodeObject, Role, Skill, by_slug};

use super::role_of;

/// One step of a learning path.
pub struct LearningStep {
    pub(super) position: i32,
    pub(super) step: Step,
}

/// One skill to learn, and why it is on the path.
#[Object]
impl LearningStep {
    /// The step's place in the path, from 1.
    async fn position(&self) -> i32 {
        self.position
    }

    /// The skill's slug.
    async fn slug(&self) -> &str {
        &self.step.slug
    }

    /// The skill's name.
    async fn name(&self) -> &str {
        &self.step.name
    }

    /// The skill to learn.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Skill>>> {
        Ok(by_slug::<skill::Entity>(ctx, self.step.slug.clone())
            .await?
            .map(|model| Ordered(NodeObject(model))))
    }

    /// How much the role needs it (a prerequisite: as much as what waits for it).
    async fn importance(&self) -> Importance {
        self.step.importance.into()
    }

    /// The level the role asks; null for a skill that is only a prerequisite.
    async fn level(&self) -> Option<Proficiency> {
        self.step.level.map(Into::into)
    }

    /// The level held now, when the step is to reach a higher one.
    async fn held(&self) -> Option<Proficiency> {
        self.step.held.map(Into::into)
    }

    /// Why it is on the path, e.g. `essential for Backend Developer`, `prerequisite of Query
    /// Optimization`.
    async fn reason(&self) -> &str {
        &self.step.reason
    }
}

/// The skills to learn for a role, in an order to learn them.
pub struct LearningPath(pub(super) analysis::LearningPath);

/// The skills to learn for a role, each prerequisite before what needs it.
#[Object]
impl LearningPath {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.role).await
    }

    /// The steps: every skill the person lacks (or holds below the level asked) and its
    /// prerequisites they do not hold, each prerequisite before what needs it; among the
    /// skills ready to learn, essential first, then the catalog's order.
    async fn steps(&self) -> PlainList<LearningStep> {
        PlainList(
            self.0
                .steps
                .iter()
                .enumerate()
                .map(|(at, step)| LearningStep {
                    position: i32::try_from(at + 1).unwrap_or(i32::MAX),
                    step: step.clone(),
                })
                .collect(),
        )
    }

    /// Skills that could not be placed because their prerequisites form a cycle (empty on a
    /// graph written through the API, which keeps prerequisites acyclic).
    async fn cycle(&self) -> &[String] {
        &self.0.cycle
    }
}

impl PlainFields for LearningStep {}
impl PlainFields for LearningPath {}

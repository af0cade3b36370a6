//! The GraphQL types of the next skills worth learning (`nextSkills`); over
//! [`crate::analysis::next`].

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, Object};

use crate::analysis;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::enums::{Importance, Proficiency};
use crate::graphql::types::{Role, Skill};

use super::{role_of, skill_of};

/// What learning a skill gains for one role.
pub struct RoleGain(analysis::RoleGain);

/// What learning a skill gains for one role: the rise of the person's coverage of it.
#[Object]
impl RoleGain {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Role>>> {
        role_of(ctx, &self.0.role).await
    }

    /// The role's slug.
    async fn role_slug(&self) -> &str {
        &self.0.role
    }

    /// How much the person's coverage of the role rises (see `SkillGap.coverage`).
    async fn gain(&self) -> f64 {
        self.0.gain
    }

    /// How much the role needs the skill.
    async fn importance(&self) -> Importance {
        self.0.importance.into()
    }

    /// The level the role asks, if it says.
    async fn level(&self) -> Option<Proficiency> {
        self.0.level.map(Into::into)
    }
}

/// A skill the person could learn now (every prerequisite held).
pub struct NextSkill(analysis::NextSkill);

/// A skill a person could learn now (every prerequisite held), with what it gains them.
#[Object]
impl NextSkill {
    /// The skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Skill>>> {
        skill_of(ctx, &self.0.slug).await
    }

    /// The skill's slug.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The mean rise of the person's coverage of the roles, from 0 to 1.
    async fn gain(&self) -> f64 {
        self.0.gain
    }

    /// The gain for each role that needs the skill, in the roles' order.
    async fn gains(&self) -> PlainList<RoleGain> {
        PlainList(self.0.gains.iter().cloned().map(RoleGain).collect())
    }

    /// The needed skills that wait for this one alone (it is their last missing
    /// prerequisite), in the catalog's order.
    async fn unlocks(&self, ctx: &Context<'_>) -> async_graphql::Result<PlainList<Skill>> {
        let found = try_join_all(self.0.unlocks.iter().map(|slug| skill_of(ctx, slug))).await?;
        Ok(PlainList(
            found.into_iter().flatten().map(|s| s.0).collect(),
        ))
    }

    /// What the skills it unlocks would gain, summed like `gain`.
    async fn unlocked_gain(&self) -> f64 {
        self.0.unlocked_gain
    }
}

/// The skills worth learning next, and the roles they were ranked for.
pub struct NextSkills {
    pub(super) roles: Vec<String>,
    pub(super) skills: Vec<analysis::NextSkill>,
}

/// The skills worth learning next, and the roles they were ranked for.
#[Object]
impl NextSkills {
    /// The roles the skills were ranked for (the given ones that exist, in their order, or
    /// the closest ones, closest first).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<PlainList<Role>> {
        let found = try_join_all(self.roles.iter().map(|slug| role_of(ctx, slug))).await?;
        Ok(PlainList(
            found.into_iter().flatten().map(|r| r.0).collect(),
        ))
    }

    /// The skills, the most gainful first (then what they unlock, then the catalog's order).
    async fn skills(&self) -> PlainList<NextSkill> {
        PlainList(self.skills.iter().cloned().map(NextSkill).collect())
    }
}

impl PlainFields for RoleGain {}
impl PlainFields for NextSkill {}
impl PlainFields for NextSkills {}

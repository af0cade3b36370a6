//! The GraphQL types of related skills (`Skill.related`); over
//! [`crate::analysis::related_skills`].

use async_graphql::{Context, Enum, Object};

use crate::analysis::related_skills::{self, Because, Reason};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::enums::Importance;
use crate::graphql::types::Skill;
use crate::{Error, Result};

use super::{index, skill_of};

/// Why a skill is related to another.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkillRelationKind {
    /// The skill names the other in its `relations` (ESCO's skill-to-skill relations).
    Relation,
    /// The other skill names this one in its `relations`.
    ReverseRelation,
    /// Roles need both (co-occurrence).
    SharedRoles,
}

/// One reason a skill is related to another, with its score.
pub struct RelatedSkillReason(Because);

/// One reason a skill is related to another: its kind and score.
#[Object]
impl RelatedSkillReason {
    /// What kind of reason.
    async fn kind(&self) -> SkillRelationKind {
        match self.0.reason {
            Reason::Names(_) => SkillRelationKind::Relation,
            Reason::NamedBy(_) => SkillRelationKind::ReverseRelation,
            Reason::SharedRoles => SkillRelationKind::SharedRoles,
        }
    }

    /// How much the relation matters (the catalog's relations only).
    async fn importance(&self) -> Option<Importance> {
        match self.0.reason {
            Reason::Names(importance) | Reason::NamedBy(importance) => Some(importance.into()),
            Reason::SharedRoles => None,
        }
    }

    /// From 0 to 1: a relation 0.9 when essential and 0.6 when optional; for shared roles the
    /// Jaccard index of the two skills' roles, discounted when few roles share them: `J × s /
    /// (s + 1)`, `s` the roles needing both.
    async fn score(&self) -> f64 {
        self.0.score
    }

    /// How many roles need both skills.
    async fn shared_roles(&self) -> usize {
        self.0.shared_roles
    }
}

/// A skill related to another, and why.
pub struct RelatedSkill(related_skills::RelatedSkill);

/// A skill related to another, with a score and its reasons.
#[Object]
impl RelatedSkill {
    /// The related skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Skill>>> {
        skill_of(ctx, &self.0.slug).await
    }

    /// What the list is ranked by, from 0 to 1, comparable across skills: the reasons'
    /// scores joined as independent evidence, `1 − Π (1 − score)`.
    async fn score(&self) -> f64 {
        self.0.score
    }

    /// Why, the catalog's relations first.
    async fn reasons(&self) -> PlainList<RelatedSkillReason> {
        PlainList(
            self.0
                .reasons
                .iter()
                .cloned()
                .map(RelatedSkillReason)
                .collect(),
        )
    }
}

impl PlainFields for RelatedSkill {}
impl PlainFields for RelatedSkillReason {}

/// The most skills `Skill.related` returns.
pub const MOST_RELATED_SKILLS: i32 = related_skills::MOST_RELATED as i32;

/// The `first` skills most related to `skill`.
pub async fn related_skills(
    ctx: &Context<'_>,
    skill: &str,
    first: Option<i32>,
) -> Result<PlainList<RelatedSkill>> {
    let first = first.unwrap_or(10);
    if !(0..=MOST_RELATED_SKILLS).contains(&first) {
        return Err(Error::invalid(
            "first",
            format!("`first` must be between 0 and {MOST_RELATED_SKILLS}, got {first}"),
        ));
    }
    let index = index(ctx).await?;
    let first = usize::try_from(first).unwrap_or_default();
    Ok(PlainList(
        related_skills::related_skills(&index, skill, first)
            .into_iter()
            .map(RelatedSkill)
            .collect(),
    ))
}

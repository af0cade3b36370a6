//! Moving a skill in the skill tree, or among its siblings.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::skill;

use crate::graph::Kind;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::require;
use crate::graphql::types::Skill;
use crate::keys::Scope;

use super::{curator, node, operation, slug_of};

/// Where to move a skill.
#[derive(InputObject)]
pub struct MoveSkillInput {
    /// The skill (global ID or slug).
    pub skill: ID,
    /// Its new parent (global ID or slug); null or absent makes it a root. Refused with
    /// `CONFLICT`, and the cycle in `extensions.cycle`, if it is the skill or a descendant.
    pub parent: Option<ID>,
    /// Its index among its new siblings; the end (or, under the same parent, where it is)
    /// when not given.
    pub position: Option<i32>,
    /// The `version` you read; the move fails with `CONFLICT` if the skill changed since.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// The moved skill and its new parent.
#[derive(SimpleObject)]
pub struct MoveSkillPayload {
    /// The skill, as it is now.
    pub skill: Option<Ordered<Skill>>,
    /// Its new parent; null for a root.
    pub parent: Option<Ordered<Skill>>,
    /// The input's `clientMutationId`, unchanged.
    pub client_mutation_id: Option<String>,
    /// The catalog's revision after the change.
    pub revision: i32,
}

impl PlainFields for MoveSkillPayload {}

#[derive(Default)]
pub struct TreeMutations;

#[Object]
impl TreeMutations {
    /// Moves a skill in the tree, or among its siblings. Needs a `write` key.
    async fn move_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The skill and where it goes.")] input: MoveSkillInput,
    ) -> async_graphql::Result<Option<Ordered<MoveSkillPayload>>> {
        let who = require(ctx, Scope::Write)?;
        let slug = slug_of(Kind::Skill, "skill", &input.skill)?;
        let parent = input
            .parent
            .as_ref()
            .map(|parent| slug_of(Kind::Skill, "parent", parent))
            .transpose()?;
        let committed = curator(ctx)?
            .move_skill(
                who,
                operation(ctx),
                &slug,
                parent.as_deref(),
                input.position,
                input.expected_version,
            )
            .await?;
        let parent = match parent {
            Some(parent) => node::<skill::Entity>(ctx, parent).await?,
            None => None,
        };
        Ok(Some(Ordered(MoveSkillPayload {
            skill: node::<skill::Entity>(ctx, slug).await?,
            parent,
            client_mutation_id: input.client_mutation_id,
            revision: committed.revision,
        })))
    }
}

//! Moving a skill in the skill tree, or among its siblings.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::skill;

use crate::curation::Operation;
use crate::graph::Kind;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::types::Skill;

use super::{Preview, WriteInput, node, slug_of, write};

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
    /// Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes.
    pub dry_run: Option<bool>,
}

impl WriteInput for MoveSkillInput {
    fn operation(&self) -> crate::Result<Operation> {
        Ok(Operation::MoveSkill {
            skill: slug_of(Kind::Skill, "skill", &self.skill)?,
            parent: self.parent()?,
            position: self.position,
            expected: self.expected_version,
        })
    }
    fn dry_run(&self) -> Option<bool> {
        self.dry_run
    }
}

impl MoveSkillInput {
    fn parent(&self) -> crate::Result<Option<String>> {
        self.parent
            .as_ref()
            .map(|parent| slug_of(Kind::Skill, "parent", parent))
            .transpose()
    }
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
    /// The catalog's revision after the change (in a dry run, the one it ran against: nothing changed).
    pub revision: i32,
    /// With `dryRun: true`: what the write would change (it changed nothing). Null otherwise.
    pub preview: Option<Ordered<Preview>>,
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
        let written = write(ctx, &input).await?;
        let slug = slug_of(Kind::Skill, "skill", &input.skill)?;
        let parent = input.parent()?;
        let parent = match parent {
            Some(parent) => node::<skill::Entity>(ctx, parent).await?,
            None => None,
        };
        Ok(Some(Ordered(MoveSkillPayload {
            skill: node::<skill::Entity>(ctx, slug).await?,
            parent,
            client_mutation_id: input.client_mutation_id,
            revision: written.revision,
            preview: written.preview,
        })))
    }
}

//! Answers computed from the graph (`skillGap`, `learningPath`), over the in-memory index of
//! [`crate::answers`]; the nodes they name are loaded through the request's DataLoader, only
//! when selected.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object};
use entity::{role, skill};

use super::enums::{Importance, NodeKind, Proficiency};
use super::types::{Node, NodeObject, Role, Skill, by_slug, node_by_id};
use crate::answers::{self, Answers, Gap, GapItem, Have, LearningPath, Step};
use crate::slug::is_slug;
use crate::{Error, Result};

/// Something a person has: a skill, language, framework or tool, by slug, at a level if
/// known (without one it meets any level).
#[derive(InputObject, Clone)]
pub struct HaveInput {
    /// The slug of a skill, language, framework or tool, e.g. `python`, `sql-querying`.
    pub slug: String,
    /// How well the person has it (skills only; ignored for the others).
    pub level: Option<Proficiency>,
}

/// The most entries `have` takes.
const MOST_HAVE: usize = 1_000;

fn haves(have: Vec<HaveInput>) -> Result<Vec<Have>> {
    if have.len() > MOST_HAVE {
        return Err(Error::bad_input(format!(
            "`have` takes at most {MOST_HAVE} entries, got {}",
            have.len()
        )));
    }
    Ok(have
        .into_iter()
        .map(|have| Have {
            slug: have.slug,
            level: have.level.map(Into::into),
        })
        .collect())
}

async fn index(ctx: &Context<'_>) -> Result<Arc<answers::GraphIndex>> {
    let answers = ctx
        .data::<Answers>()
        .map_err(|_| Error::Internal("no answers in the schema data".into()))?;
    let db = ctx
        .data::<crate::db::Db>()
        .map_err(|_| Error::Internal("no database in the schema data".into()))?;
    answers.index(db).await
}

async fn role_of(ctx: &Context<'_>, slug: &str) -> async_graphql::Result<Option<Role>> {
    Ok(by_slug::<role::Entity>(ctx, slug.to_owned())
        .await?
        .map(NodeObject))
}

/// One need of a role, as a person meets it.
pub struct GapEntry(GapItem);

/// One need of a role (a skill, language, framework or tool), as a person meets it.
#[Object(name = "GapItem")]
impl GapEntry {
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
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        Ok(node_by_id(ctx, self.0.need.kind, self.0.need.slug.clone()).await?)
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
pub struct SkillGap(Gap);

/// What a person has and lacks for a role, and how much of it they cover.
#[Object]
impl SkillGap {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        role_of(ctx, &self.0.role).await
    }

    /// The weighted share of the role's needs met, from 0 to 1: essential needs weigh 2,
    /// optional ones 1; a need met at the level asked counts whole, a skill held below it in
    /// proportion of the levels (BEGINNER 1 … EXPERT 4), a need not held 0.
    async fn coverage(&self) -> f64 {
        self.0.coverage
    }

    /// The needs met, in the role's order (skills, languages, frameworks, tools).
    async fn covered(&self) -> Vec<GapEntry> {
        self.0.covered.iter().cloned().map(GapEntry).collect()
    }

    /// The skills held below the level the role asks.
    async fn below_level(&self) -> Vec<GapEntry> {
        self.0.below_level.iter().cloned().map(GapEntry).collect()
    }

    /// The needs not held at all.
    async fn missing(&self) -> Vec<GapEntry> {
        self.0.missing.iter().cloned().map(GapEntry).collect()
    }

    /// The slugs of `have` that name no node.
    async fn unknown(&self) -> &[String] {
        &self.0.unknown
    }
}

/// One step of a learning path.
pub struct LearningStep {
    position: i32,
    step: Step,
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
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Skill>> {
        Ok(by_slug::<skill::Entity>(ctx, self.step.slug.clone())
            .await?
            .map(NodeObject))
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
pub struct Path(LearningPath);

/// The skills to learn for a role, each prerequisite before what needs it.
#[Object(name = "LearningPath")]
impl Path {
    /// The role.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        role_of(ctx, &self.0.role).await
    }

    /// The steps: every skill the person lacks (or holds below the level asked) and its
    /// prerequisites they do not hold, each prerequisite before what needs it; among the
    /// skills ready to learn, essential first, then the catalog's order.
    async fn steps(&self) -> Vec<LearningStep> {
        self.0
            .steps
            .iter()
            .enumerate()
            .map(|(at, step)| LearningStep {
                position: i32::try_from(at + 1).unwrap_or(i32::MAX),
                step: step.clone(),
            })
            .collect()
    }

    /// Skills that could not be placed because their prerequisites form a cycle (empty on a
    /// graph written through the API, which keeps prerequisites acyclic).
    async fn cycle(&self) -> &[String] {
        &self.0.cycle
    }
}

/// The answers computed from the graph.
#[derive(Default)]
pub struct AnswersQuery;

#[Object]
impl AnswersQuery {
    /// What a person who has `have` lacks for the role `role` (a slug): what they cover, what
    /// they hold below the level asked, what is missing, and a coverage score. Null when
    /// there is no such role.
    async fn skill_gap(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug, e.g. `backend-developer`.")] role: String,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
    ) -> async_graphql::Result<Option<SkillGap>> {
        let have = haves(have)?;
        if !is_slug(&role) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(answers::skill_gap(&index, &role, &have).map(SkillGap))
    }

    /// The skills a person who has `have` should learn for the role `role`, in an order to
    /// learn them, each with the reason it is there. Null when there is no such role.
    async fn learning_path(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug, e.g. `backend-developer`.")] role: String,
        #[graphql(desc = "What the person has (at most 1,000 entries).")] have: Vec<HaveInput>,
    ) -> async_graphql::Result<Option<Path>> {
        let have = haves(have)?;
        if !is_slug(&role) {
            return Ok(None);
        }
        let index = index(ctx).await?;
        Ok(answers::learning_path(&index, &role, &have).map(Path))
    }
}

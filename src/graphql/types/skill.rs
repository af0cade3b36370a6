//! The GraphQL type `Skill`: a skill row, its place in the skill tree (parent, children,
//! descendants), its prerequisites, the languages and tools it uses and the roles that need it.

use async_graphql::{Context, Object, SimpleObject};
use entity::{skill, skill_external};
use std::collections::HashMap;

use super::{importance_filter, load_page, nested_connections};
use crate::Error;
use crate::data::{List, PageArgs};
use crate::graphql::connections::{
    LanguageConnection, SkillConnection, SkillRelationConnection, SkillRoleConnection,
    ToolConnection,
};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::enums::{Importance, ReuseLevel, SkillType};
use crate::graphql::limits;
use crate::graphql::loaders::{ById, SubtreeRequest, loader};
use crate::graphql::pagination::nodes_of;

/// A `skill` row, served as the GraphQL type `Skill`.
pub type Skill = super::NodeObject<skill::Model>;

/// One skill of a subtree returned by `Skill.descendants`.
#[derive(SimpleObject, Clone, Debug)]
pub struct SkillTreeEntry {
    /// How far below the skill that was asked about: its children have depth 1.
    pub depth: i32,
    /// The slug of this skill's parent (at depth 1, the skill that was asked about).
    pub parent_slug: Option<String>,
    /// The skill itself.
    pub skill: Ordered<Skill>,
}

impl PlainFields for SkillTreeEntry {}

/// An ability or area of knowledge, such as Database Management or Query Optimization.
/// Skills form a tree (`parent`, `children`, `descendants`) and a learning order
/// (`prerequisites`).
#[Object]
impl Skill {
    #[graphql(flatten)]
    async fn shared_fields(&self) -> super::SharedFields<skill::Model> {
        self.shared()
    }

    /// The URI of the concept this skill was imported from (an ESCO skill or skill group, e.g.
    /// `http://data.europa.eu/esco/skill/…`); null for a skill curated by hand.
    async fn external_uri(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let source = super::source_of::<skill_external::Model>(ctx, self.0.id).await?;
        Ok(source.map(|row| row.uri.clone()))
    }

    /// What kind of concept the imported skill is; null for a skill curated by hand.
    async fn skill_type(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<SkillType>> {
        let source = super::source_of::<skill_external::Model>(ctx, self.0.id).await?;
        Ok(source.and_then(|row| row.skill_type.map(Into::into)))
    }

    /// How widely the imported skill applies; null when the source does not say.
    async fn reuse_level(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ReuseLevel>> {
        let source = super::source_of::<skill_external::Model>(ctx, self.0.id).await?;
        Ok(source.and_then(|row| row.reuse_level.map(Into::into)))
    }

    /// The URIs of the source's other broader concepts: a tree gives a skill one `parent`,
    /// ESCO may give it several (the parent is the one with the smallest URI); the others are
    /// kept here. Empty for a skill curated by hand.
    async fn other_broader_uris(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let source = super::source_of::<skill_external::Model>(ctx, self.0.id).await?;
        match source {
            Some(row) => Ok(super::string_list(&row.other_broader)?),
            None => Ok(Vec::new()),
        }
    }

    /// The broader skill this one is part of; null for a top-level skill area.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ordered<Skill>>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        let parent = loader(ctx)?
            .load_one(ById::<skill::Entity>::new(parent_id))
            .await?;
        Ok(parent.map(|parent| Ordered(Skill::from(parent))))
    }

    /// The skills directly under this one (see `SkillChildren`).
    #[graphql(flatten)]
    async fn children_connection(&self) -> SkillChildren {
        SkillChildren(self.0.id)
    }

    /// The whole subtree under this skill in one call, in pre-order: each skill is followed by
    /// its own subtree, siblings in learning order.
    #[graphql(complexity = "crate::graphql::limits::tree_cost(max_depth, child_complexity)")]
    async fn descendants(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many levels to return (1 = children only). Defaults to, and may not exceed, the server's tree depth limit (`Query.limits.maxTreeDepth`)."
        )]
        max_depth: Option<i32>,
        #[graphql(
            desc = "Also walk deprecated skills; without it a deprecated skill is left out, with what is under it."
        )]
        include_deprecated: Option<bool>,
    ) -> async_graphql::Result<PlainList<SkillTreeEntry>> {
        let limit = limits::of(ctx).max_tree_depth;
        let max_depth = match max_depth {
            None => limit,
            Some(depth) => u32::try_from(depth)
                .ok()
                .filter(|depth| *depth <= limit)
                .ok_or_else(|| {
                    Error::bad_input(format!(
                        "`maxDepth` must be between 0 and {limit} (the tree depth limit), got {depth}"
                    ))
                })?,
        };
        let request = SubtreeRequest {
            root: self.0.id,
            max_depth,
            include_deprecated: include_deprecated.unwrap_or(false),
        };
        let entries = loader(ctx)?.load_one(request).await?.unwrap_or_default();
        let mut slugs: HashMap<i32, String> = HashMap::with_capacity(entries.len() + 1);
        slugs.insert(self.0.id, self.0.slug.clone());
        for entry in &entries {
            slugs.insert(entry.skill.id, entry.skill.slug.clone());
        }
        Ok(PlainList(
            entries
                .into_iter()
                .map(|entry| SkillTreeEntry {
                    depth: entry.depth,
                    parent_slug: entry.skill.parent_id.and_then(|id| slugs.get(&id).cloned()),
                    skill: Ordered(Skill::from(entry.skill)),
                })
                .collect(),
        ))
    }

    /// The skills best learnt before this one, in the order to learn them.
    #[graphql(complexity = "crate::graphql::limits::short_list_cost(child_complexity)")]
    async fn prerequisites(&self, ctx: &Context<'_>) -> async_graphql::Result<PlainList<Skill>> {
        let page = load_page::<skill::Entity>(
            ctx,
            List::SkillPrerequisites,
            self.0.id,
            PageArgs::default(),
        )
        .await?;
        Ok(PlainList(nodes_of(page)))
    }

    /// The skills most related to this one, most related first: those the catalog relates
    /// to it either way (ESCO's skill-to-skill relations) and those the same roles need, each
    /// with its reasons and a score.
    #[graphql(
        complexity = "crate::graphql::limits::list_cost(usize::try_from(first.unwrap_or(10)).unwrap_or(0), child_complexity)"
    )]
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many skills (0 to 50; 10 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<PlainList<crate::graphql::analysis::RelatedSkill>> {
        Ok(crate::graphql::analysis::related_skills(ctx, &self.0.slug, first).await?)
    }

    /// The other nested connections (see `SkillConnections`).
    #[graphql(flatten)]
    async fn connections(&self) -> SkillConnections {
        SkillConnections(self.0.id)
    }
}

nested_connections! {
    /// The connection of a skill's children, flattened into `Skill`.
    SkillChildren {
        /// The skills directly under this one, in learning order.
        children(SkillChildren) -> SkillConnection of skill
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);
    }
}

nested_connections! {
    /// The languages, tools and roles of a skill, flattened into `Skill`.
    SkillConnections {
        /// The programming languages this skill is practised in, in the catalog's order.
        languages(SkillLanguages) -> LanguageConnection of language;

        /// The tools this skill is practised with, in the catalog's order.
        tools(SkillTools) -> ToolConnection of tool;

        /// The skills related to this one as the catalog records them (ESCO's skill-to-skill
        /// relations), essential or optional to it, in the catalog's order. `related` ranks
        /// these with the skills that the same roles need.
        relations(SkillRelations) -> SkillRelationConnection of skill;

        /// The roles that need this skill, with importance and level, ordered by role slug unless `orderBy` says otherwise.
        roles(SkillRoles) -> SkillRoleConnection of role ordered by RoleOrder
            where importance: Importance = "Only the roles that need the skill with this importance.",
            include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => [importance_filter(importance), super::active(include_deprecated)].concat();
    }
}

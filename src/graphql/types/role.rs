//! The GraphQL type `Role`: a role row, the skills, languages, frameworks and tools it
//! needs (each a connection whose edges say how much), its ESCO data and the roles related to it.

use async_graphql::{Context, Object};
use entity::{role, role_external};

use super::{importance_filter, nested_connections, string_list};
use crate::data::Filter;
use crate::graphql::connections::{
    RoleFrameworkConnection, RoleLanguageConnection, RoleSkillConnection, RoleToolConnection,
};
use crate::graphql::enums::{Importance, ToolCategory};

/// A `role` row, served as the GraphQL type `Role`.
pub type Role = super::NodeObject<role::Model>;

/// The filters of `Role.tools`.
fn tool_filters(importance: Option<Importance>, category: Option<ToolCategory>) -> Vec<Filter> {
    let mut filters = importance_filter(importance);
    filters.extend(category.map(|c| Filter::Category(c.into())));
    filters
}

/// A job role, such as Backend Developer: what it does, and the skills, languages, frameworks
/// and tools it needs.
#[Object]
impl Role {
    #[graphql(flatten)]
    async fn shared_fields(&self) -> super::SharedFields<role::Model> {
        self.shared()
    }

    /// What people in this role do day to day.
    async fn responsibilities(&self) -> async_graphql::Result<Vec<String>> {
        Ok(string_list(&self.0.responsibilities)?)
    }

    /// Application domains where the role is in demand, as slugs (`e-commerce`, `fintech`, ...).
    async fn domains(&self) -> async_graphql::Result<Vec<String>> {
        Ok(string_list(&self.0.domains)?)
    }

    /// The URI of the concept this role was imported from (an ESCO occupation, e.g.
    /// `http://data.europa.eu/esco/occupation/…`); null for a role curated by hand.
    async fn external_uri(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let source = super::source_of::<role_external::Model>(ctx, self.0.id).await?;
        Ok(source.map(|row| row.uri.clone()))
    }

    /// The ISCO-08 unit group of the occupation this role was imported from, e.g. `2512`.
    async fn isco_group(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let source = super::source_of::<role_external::Model>(ctx, self.0.id).await?;
        Ok(source.and_then(|row| row.isco_group.clone()))
    }

    /// The roles nearest to this one by the skills, languages, frameworks and tools they
    /// share (see `RelatedRole.similarity`), most similar first.
    #[graphql(
        complexity = "crate::graphql::limits::list_cost(usize::try_from(first.unwrap_or(5)).unwrap_or(0), child_complexity)"
    )]
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many roles (0 to 100; 5 if not given).")] first: Option<i32>,
    ) -> async_graphql::Result<
        crate::graphql::engine::fast_lists::PlainList<crate::graphql::analysis::RelatedRole>,
    > {
        Ok(crate::graphql::analysis::related_roles(ctx, &self.0.slug, first).await?)
    }

    /// The nested connections (see `RoleConnections`).
    #[graphql(flatten)]
    async fn connections(&self) -> RoleConnections {
        RoleConnections(self.0.id)
    }
}

nested_connections! {
    /// The skills, languages, frameworks and tools of a role, flattened into `Role`.
    RoleConnections {
        /// The skills the role needs, with importance and level, in the catalog's order (broad
        /// areas first, each followed by its parts).
        skills(RoleSkills) -> RoleSkillConnection of skill
            where importance: Importance = "Only the items of this importance."
            => importance_filter(importance);

        /// The programming languages the role uses, most important first.
        languages(RoleLanguages) -> RoleLanguageConnection of language
            where importance: Importance = "Only the items of this importance."
            => importance_filter(importance);

        /// The frameworks the role uses, in the catalog's order.
        frameworks(RoleFrameworks) -> RoleFrameworkConnection of framework
            where importance: Importance = "Only the items of this importance."
            => importance_filter(importance);

        /// The tools the role uses (databases, cloud platforms, web servers, ...), in the
        /// catalog's order.
        tools(RoleTools) -> RoleToolConnection of tool
            where
                importance: Importance = "Only the items of this importance.",
                category: ToolCategory = "Only the tools of this category."
            => tool_filters(importance, category);
    }
}

//! The GraphQL type `Role`: a role row, the skills, languages, frameworks and tools it
//! needs (each a connection whose edges say how much), its ESCO data and the roles related to it.

use async_graphql::{Context, Object};
use entity::{framework, language, role, role_external, skill, tool};

use super::{nested_connection, string_list};
use crate::data::{Filter, List};
use crate::graphql::connections::{
    RoleFrameworkConnection, RoleLanguageConnection, RoleSkillConnection, RoleToolConnection,
};
use crate::graphql::engine::fast_lists::Ordered;
use crate::graphql::enums::{Importance, ToolCategory};

/// A `role` row, served as the GraphQL type `Role`.
pub type Role = super::NodeObject<role::Model>;

fn importance_filter(importance: Option<Importance>) -> Vec<Filter> {
    importance
        .map(|i| Filter::Importance(i.into()))
        .into_iter()
        .collect()
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

    /// The skills the role needs, with importance and level, in the catalog's order (broad
    /// areas first, each followed by its parts).
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::RoleSkills, first, child_complexity)"
    )]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only the items of this importance.")] importance: Option<Importance>,
    ) -> async_graphql::Result<Ordered<RoleSkillConnection>> {
        let filters = importance_filter(importance);
        let (page, total) = nested_connection::<skill::Entity>(
            ctx,
            List::RoleSkills,
            self.0.id,
            first,
            after,
            filters,
        )
        .await?;
        Ok(RoleSkillConnection::new(page, total)?)
    }

    /// The programming languages the role uses, most important first.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::RoleLanguages, first, child_complexity)"
    )]
    async fn languages(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only the items of this importance.")] importance: Option<Importance>,
    ) -> async_graphql::Result<Ordered<RoleLanguageConnection>> {
        let filters = importance_filter(importance);
        let (page, total) = nested_connection::<language::Entity>(
            ctx,
            List::RoleLanguages,
            self.0.id,
            first,
            after,
            filters,
        )
        .await?;
        Ok(RoleLanguageConnection::new(page, total)?)
    }

    /// The frameworks the role uses, in the catalog's order.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::RoleFrameworks, first, child_complexity)"
    )]
    async fn frameworks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only the items of this importance.")] importance: Option<Importance>,
    ) -> async_graphql::Result<Ordered<RoleFrameworkConnection>> {
        let filters = importance_filter(importance);
        let (page, total) = nested_connection::<framework::Entity>(
            ctx,
            List::RoleFrameworks,
            self.0.id,
            first,
            after,
            filters,
        )
        .await?;
        Ok(RoleFrameworkConnection::new(page, total)?)
    }

    /// The tools the role uses (databases, cloud platforms, web servers, ...), in the
    /// catalog's order.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::RoleTools, first, child_complexity)"
    )]
    async fn tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Only the items of this importance.")] importance: Option<Importance>,
        #[graphql(desc = "Only the tools of this category.")] category: Option<ToolCategory>,
    ) -> async_graphql::Result<Ordered<RoleToolConnection>> {
        let mut filters = importance_filter(importance);
        filters.extend(category.map(|c| Filter::Category(c.into())));
        let (page, total) = nested_connection::<tool::Entity>(
            ctx,
            List::RoleTools,
            self.0.id,
            first,
            after,
            filters,
        )
        .await?;
        Ok(RoleToolConnection::new(page, total)?)
    }
}

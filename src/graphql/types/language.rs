//! The GraphQL type `Language`: a programming language row, its frameworks, the skills that
//! use it and the roles that need it.

use async_graphql::{Context, Object};
use entity::{framework, language, role, skill};

use super::nested_connection;
use crate::data::List;
use crate::graphql::connections::{FrameworkConnection, LanguageRoleConnection, SkillConnection};
use crate::graphql::engine::fast_lists::Ordered;

/// A `language` row, served as the GraphQL type `Language`.
pub type Language = super::NodeObject<language::Model>;

/// A programming language, such as Python or C#.
#[Object]
impl Language {
    #[graphql(flatten)]
    async fn shared_fields(&self) -> super::SharedFields<language::Model> {
        self.shared()
    }

    /// The frameworks written for this language, ordered by slug.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::LanguageFrameworks, first, child_complexity)"
    )]
    async fn frameworks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<Ordered<FrameworkConnection>> {
        let (page, total) = nested_connection::<framework::Entity>(
            ctx,
            List::LanguageFrameworks,
            self.0.id,
            first,
            after,
            Vec::new(),
        )
        .await?;
        Ok(FrameworkConnection::new(page, total)?)
    }

    /// The skills practised in this language, ordered by slug.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::LanguageSkills, first, child_complexity)"
    )]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<Ordered<SkillConnection>> {
        let (page, total) = nested_connection::<skill::Entity>(
            ctx,
            List::LanguageSkills,
            self.0.id,
            first,
            after,
            Vec::new(),
        )
        .await?;
        Ok(SkillConnection::new(page, total)?)
    }

    /// The roles that use this language, with importance, ordered by role slug.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::LanguageRoles, first, child_complexity)"
    )]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<Ordered<LanguageRoleConnection>> {
        let (page, total) = nested_connection::<role::Entity>(
            ctx,
            List::LanguageRoles,
            self.0.id,
            first,
            after,
            Vec::new(),
        )
        .await?;
        Ok(LanguageRoleConnection::new(page, total)?)
    }
}

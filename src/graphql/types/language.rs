use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{framework, language, role, skill};

use super::{nested_connection, string_list};
use crate::data::List;
use crate::graphql::connections::{FrameworkConnection, LanguageRoleConnection, SkillConnection};
use crate::graphql::ids::{Kind, encode_id};

/// A `language` row, served as the GraphQL type `Language`.
#[derive(Clone, Debug)]
pub struct Language(pub Arc<language::Model>);

impl From<Arc<language::Model>> for Language {
    fn from(model: Arc<language::Model>) -> Self {
        Language(model)
    }
}

super::plain_node_fields!(Language, Kind::Language);

/// A programming language, such as Python or C#.
#[Object]
impl Language {
    /// The language's global ID, for `node(id:)`.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Language, &self.0.slug)
    }

    /// A stable, URL-friendly identifier, e.g. `csharp`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The language's common name, e.g. `C#`.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the language is and where it is used.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Other names people use for the language.
    async fn aliases(&self) -> async_graphql::Result<Vec<String>> {
        Ok(string_list(&self.0.aliases)?)
    }

    /// The frameworks written for this language, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::connection_cost(first, child_complexity)")]
    async fn frameworks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<FrameworkConnection> {
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
    #[graphql(complexity = "crate::graphql::limits::connection_cost(first, child_complexity)")]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<SkillConnection> {
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
    #[graphql(complexity = "crate::graphql::limits::connection_cost(first, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<LanguageRoleConnection> {
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

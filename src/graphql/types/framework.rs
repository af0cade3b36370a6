//! The GraphQL type `Framework`: a framework row, its language, and the roles that need it.

use async_graphql::{Context, Object};
use entity::{framework, language, role};

use super::{Language, nested_connection};
use crate::Error;
use crate::data::List;
use crate::graphql::connections::FrameworkRoleConnection;
use crate::graphql::engine::fast_lists::Ordered;
use crate::graphql::loaders::{ById, loader};

/// A `framework` row, served as the GraphQL type `Framework`.
pub type Framework = super::NodeObject<framework::Model>;

/// A framework or library, such as Django or Ruby on Rails. Each belongs to one language.
#[Object]
impl Framework {
    #[graphql(flatten)]
    async fn shared_fields(&self) -> super::SharedFields<framework::Model> {
        self.shared()
    }

    /// The language the framework is written for.
    async fn language(&self, ctx: &Context<'_>) -> async_graphql::Result<Ordered<Language>> {
        let language = loader(ctx)?
            .load_one(ById::<language::Entity>::new(self.0.language_id))
            .await?
            .ok_or_else(|| Error::Internal(format!("framework {} has no language", self.0.slug)))?;
        Ok(Ordered(Language::from(language)))
    }

    /// The roles that use this framework, with importance, ordered by role slug.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::FrameworkRoles, first, child_complexity)"
    )]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<Ordered<FrameworkRoleConnection>> {
        let (page, total) = nested_connection::<role::Entity>(
            ctx,
            List::FrameworkRoles,
            self.0.id,
            first,
            after,
            Vec::new(),
        )
        .await?;
        Ok(FrameworkRoleConnection::new(page, total)?)
    }
}

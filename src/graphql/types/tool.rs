//! The GraphQL type `Tool`: a tool row and the roles that need it.

use async_graphql::{Context, Object};
use entity::{role, tool};

use super::nested_connection;
use crate::data::List;
use crate::graphql::connections::ToolRoleConnection;
use crate::graphql::engine::fast_lists::Ordered;
use crate::graphql::enums::ToolCategory;

/// A `tool` row, served as the GraphQL type `Tool`.
pub type Tool = super::NodeObject<tool::Model>;

/// Any other technology a role uses: a database, cloud platform, web server, version control
/// system, container tool, ...
#[Object]
impl Tool {
    #[graphql(flatten)]
    async fn shared_fields(&self) -> super::SharedFields<tool::Model> {
        self.shared()
    }

    /// What kind of technology the tool is.
    async fn category(&self) -> ToolCategory {
        self.0.category.into()
    }

    /// The roles that use this tool, with importance, ordered by role slug.
    #[graphql(
        complexity = "crate::graphql::limits::connection_cost(crate::data::List::ToolRoles, first, child_complexity)"
    )]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<Ordered<ToolRoleConnection>> {
        let (page, total) = nested_connection::<role::Entity>(
            ctx,
            List::ToolRoles,
            self.0.id,
            first,
            after,
            Vec::new(),
        )
        .await?;
        Ok(ToolRoleConnection::new(page, total)?)
    }
}

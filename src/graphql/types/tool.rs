use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{role, tool};

use super::{nested_connection, string_list};
use crate::data::List;
use crate::graphql::connections::ToolRoleConnection;
use crate::graphql::enums::ToolCategory;
use crate::graphql::ids::{Kind, encode_id};

/// A `tool` row, served as the GraphQL type `Tool`.
#[derive(Clone, Debug)]
pub struct Tool(pub Arc<tool::Model>);

impl From<Arc<tool::Model>> for Tool {
    fn from(model: Arc<tool::Model>) -> Self {
        Tool(model)
    }
}

super::plain_node_fields!(Tool, Kind::Tool);

/// Any other technology a role uses: a database, cloud platform, web server, version control
/// system, container tool, ...
#[Object]
impl Tool {
    /// The tool's global ID, for `node(id:)`.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Tool, &self.0.slug)
    }

    /// A stable, URL-friendly identifier, e.g. `postgresql`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The tool's common name, e.g. `PostgreSQL`.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the tool does.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Other names people use for the tool.
    async fn aliases(&self) -> async_graphql::Result<Vec<String>> {
        Ok(string_list(&self.0.aliases)?)
    }

    /// What kind of technology the tool is.
    async fn category(&self) -> ToolCategory {
        self.0.category.into()
    }

    /// The roles that use this tool, with importance, ordered by role slug.
    #[graphql(complexity = "crate::graphql::limits::connection_cost(first, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<ToolRoleConnection> {
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

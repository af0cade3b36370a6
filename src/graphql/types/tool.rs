//! The GraphQL type `Tool`: a tool row and the roles that need it.

use async_graphql::Object;
use entity::tool;

use super::nested_connections;
use crate::graphql::connections::ToolRoleConnection;
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

    /// The nested connections (see `ToolConnections`).
    #[graphql(flatten)]
    async fn connections(&self) -> ToolConnections {
        ToolConnections(self.0.id)
    }
}

nested_connections! {
    /// The roles of a tool, flattened into `Tool`.
    ToolConnections {
        /// The roles that use this tool, with importance, ordered by role slug unless `orderBy` says otherwise.
        roles(ToolRoles) -> ToolRoleConnection of role ordered by RoleOrder
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);
    }
}

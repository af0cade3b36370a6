//! The GraphQL type `Framework`: a framework row, its language, and the roles that need it.

use async_graphql::{Context, Object};
use entity::{framework, language};

use super::{Language, nested_connections};
use crate::Error;
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

    /// The nested connections (see `FrameworkConnections`).
    #[graphql(flatten)]
    async fn connections(&self) -> FrameworkConnections {
        FrameworkConnections(self.0.id)
    }
}

nested_connections! {
    /// The roles of a framework, flattened into `Framework`.
    FrameworkConnections {
        /// The roles that use this framework, with importance, ordered by role slug unless `orderBy` says otherwise.
        roles(FrameworkRoles) -> FrameworkRoleConnection of role ordered by RoleOrder
            where include_deprecated: bool = "Also list deprecated nodes (left out by default)."
            => super::active(include_deprecated);
    }
}

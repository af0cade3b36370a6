use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::{framework, language, role};

use super::{Language, nested_connection, string_list};
use crate::Error;
use crate::data::List;
use crate::graphql::connections::FrameworkRoleConnection;
use crate::graphql::ids::{Kind, encode_id};
use crate::graphql::loaders::{ById, loader};

/// A `framework` row, served as the GraphQL type `Framework`.
#[derive(Clone, Debug)]
pub struct Framework(pub Arc<framework::Model>);

impl From<Arc<framework::Model>> for Framework {
    fn from(model: Arc<framework::Model>) -> Self {
        Framework(model)
    }
}

super::plain_node_fields!(Framework, Kind::Framework);

/// A framework or library, such as Django or Ruby on Rails. Each belongs to one language.
#[Object]
impl Framework {
    /// The framework's global ID, for `node(id:)`.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Framework, &self.0.slug)
    }

    /// A stable, URL-friendly identifier, e.g. `ruby-on-rails`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The framework's common name, e.g. `Ruby on Rails`.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the framework is for.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Other names people use for the framework.
    async fn aliases(&self) -> async_graphql::Result<Vec<String>> {
        Ok(string_list(&self.0.aliases)?)
    }

    /// The language the framework is written for.
    async fn language(&self, ctx: &Context<'_>) -> async_graphql::Result<Language> {
        let language = loader(ctx)?
            .load_one(ById::<language::Entity>::new(self.0.language_id))
            .await?
            .ok_or_else(|| Error::Internal(format!("framework {} has no language", self.0.slug)))?;
        Ok(Language(language))
    }

    /// The roles that use this framework, with importance, ordered by role slug.
    #[graphql(complexity = "crate::graphql::limits::connection_cost(first, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<FrameworkRoleConnection> {
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

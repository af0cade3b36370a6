//! The root `Query` type: single nodes by slug or ID, and the five root lists.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, InputObject, Object};
use entity::{framework, language, role, skill, tool};
use sea_orm::EntityTrait;

use super::connections::{
    FrameworkConnection, LanguageConnection, RoleConnection, SkillConnection, ToolConnection,
};
use super::enums::ToolCategory;
use super::ids::{Kind, decode_id};
use super::limits::{self, Limits};
use super::loaders::{BySlug, loader};
use super::pagination::{Count, page_args};
use super::types::{Framework, Language, Node, Role, Skill, Tool};
use crate::data::model::NodeModel;
use crate::data::{Filter, List, NodeColumns, Page, lists};
use crate::db::Db;
use crate::slug::is_slug;
use crate::{Error, Result};

/// Filters of the `roles` list.
#[derive(InputObject, Default)]
pub struct RoleFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
}

/// Filters of the `skills` list.
#[derive(InputObject, Default)]
pub struct SkillFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
    /// Only the top-level skill areas (skills without a parent).
    pub roots_only: Option<bool>,
}

/// Filters of the `languages` list.
#[derive(InputObject, Default)]
pub struct LanguageFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
}

/// Filters of the `frameworks` list.
#[derive(InputObject, Default)]
pub struct FrameworkFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
    /// Only the frameworks of the language with this slug, e.g. `python`.
    pub language: Option<String>,
}

/// Filters of the `tools` list.
#[derive(InputObject, Default)]
pub struct ToolFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
    /// Only the tools of this category.
    pub category: Option<ToolCategory>,
}

/// The longest text `search` accepts.
const MAX_SEARCH_CHARS: usize = 200;

/// A search filter, refused when it could never be a name: too long, or holding control
/// characters (NUL among them, which PostgreSQL cannot even compare).
fn search(text: Option<String>) -> Result<Option<Filter>> {
    let Some(text) = text else {
        return Ok(None);
    };
    if text.chars().count() > MAX_SEARCH_CHARS || text.chars().any(char::is_control) {
        return Err(Error::bad_input(format!(
            "`search` must be at most {MAX_SEARCH_CHARS} characters of text without control characters"
        )));
    }
    Ok(Some(Filter::Search(text)))
}

/// A language slug filter, refused when it is not a slug at all.
fn language_slug(slug: Option<String>) -> Result<Option<Filter>> {
    match slug {
        Some(slug) if !is_slug(&slug) => Err(Error::bad_input(format!(
            "`language` must be a language slug such as `python`, got {slug:?}"
        ))),
        slug => Ok(slug.map(Filter::LanguageSlug)),
    }
}

/// The root of the schema.
pub struct Query;

fn database<'a>(ctx: &Context<'a>) -> Result<&'a Db> {
    ctx.data::<Db>()
        .map_err(|_| Error::Internal("no database in the schema data".into()))
}

/// Reads a page of a root list.
async fn root_page<N>(
    ctx: &Context<'_>,
    list: List,
    first: Option<i32>,
    after: Option<String>,
    filters: Vec<Filter>,
) -> Result<(Page<N::Model>, Count)>
where
    N: EntityTrait + Default,
    N::Model: NodeColumns,
{
    let args = page_args(ctx, list, first, after, filters.clone())?;
    let page = lists::root_page::<N>(database(ctx)?, list, &args).await?;
    Ok((page, Count::new(list, None, filters)))
}

/// One node by slug, through the request's DataLoader. Text that is not a slug names no node,
/// so it is answered without asking the database.
async fn by_slug<N>(ctx: &Context<'_>, slug: String) -> Result<Option<std::sync::Arc<N::Model>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
{
    if !is_slug(&slug) {
        return Ok(None);
    }
    loader(ctx)?.load_one(BySlug::<N>::new(slug)).await
}

async fn node_by_id(ctx: &Context<'_>, kind: Kind, slug: String) -> Result<Option<Node>> {
    Ok(match kind {
        Kind::Role => by_slug::<role::Entity>(ctx, slug)
            .await?
            .map(|m| Node::Role(Role(m))),
        Kind::Skill => by_slug::<skill::Entity>(ctx, slug)
            .await?
            .map(|m| Node::Skill(Skill(m))),
        Kind::Language => by_slug::<language::Entity>(ctx, slug)
            .await?
            .map(|m| Node::Language(Language(m))),
        Kind::Framework => by_slug::<framework::Entity>(ctx, slug)
            .await?
            .map(|m| Node::Framework(Framework(m))),
        Kind::Tool => by_slug::<tool::Entity>(ctx, slug)
            .await?
            .map(|m| Node::Tool(Tool(m))),
    })
}

/// The entry points of the API: one node by global ID or slug, and the five root lists.
#[Object]
impl Query {
    /// Any object by its global ID; null when no such object exists.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as returned in any node's `id`.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let (kind, slug) = decode_id(&id)?;
        Ok(node_by_id(ctx, kind, slug).await?)
    }

    /// Objects by global ID, in the order asked; null for each ID that names no object.
    /// At most as many IDs as the maximum page size (`Query.limits.maxPageSize`).
    #[graphql(complexity = "crate::graphql::limits::list_cost(ids.len(), child_complexity)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, as returned in nodes' `id`.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        let max = limits::of(ctx).max_page_size;
        if ids.len() > max as usize {
            return Err(Error::bad_input(format!(
                "`ids` may hold at most {max} IDs (the maximum page size), got {}",
                ids.len()
            ))
            .into());
        }
        let decoded = ids
            .iter()
            .map(|id| decode_id(id))
            .collect::<Result<Vec<_>>>()?;
        let lookups = decoded
            .into_iter()
            .map(|(kind, slug)| node_by_id(ctx, kind, slug));
        Ok(try_join_all(lookups).await?)
    }

    /// The limits this server applies to queries: page sizes, depth and cost.
    async fn limits(&self, ctx: &Context<'_>) -> Limits {
        limits::of(ctx)
    }

    /// The role with this slug (e.g. `backend-developer`), or null.
    async fn role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Role>> {
        Ok(by_slug::<role::Entity>(ctx, slug).await?.map(Role))
    }

    /// All roles, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::root_connection_cost(first, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<RoleFilter>,
    ) -> async_graphql::Result<RoleConnection> {
        let filter = filter.unwrap_or_default();
        let filters = search(filter.search)?.into_iter().collect();
        let (page, total) =
            root_page::<role::Entity>(ctx, List::Roles, first, after, filters).await?;
        Ok(RoleConnection::new(page, total)?)
    }

    /// The skill with this slug (e.g. `query-optimization`), or null.
    async fn skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The skill's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Skill>> {
        Ok(by_slug::<skill::Entity>(ctx, slug).await?.map(Skill))
    }

    /// All skills, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::root_connection_cost(first, child_complexity)")]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<
            SkillFilter,
        >,
    ) -> async_graphql::Result<SkillConnection> {
        let filter = filter.unwrap_or_default();
        let mut filters: Vec<Filter> = search(filter.search)?.into_iter().collect();
        if filter.roots_only == Some(true) {
            filters.push(Filter::RootsOnly);
        }
        let (page, total) =
            root_page::<skill::Entity>(ctx, List::Skills, first, after, filters).await?;
        Ok(SkillConnection::new(page, total)?)
    }

    /// The language with this slug (e.g. `python`, `csharp`), or null.
    async fn language(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Language>> {
        Ok(by_slug::<language::Entity>(ctx, slug).await?.map(Language))
    }

    /// All languages, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::root_connection_cost(first, child_complexity)")]
    async fn languages(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<
            LanguageFilter,
        >,
    ) -> async_graphql::Result<LanguageConnection> {
        let filter = filter.unwrap_or_default();
        let filters = search(filter.search)?.into_iter().collect();
        let (page, total) =
            root_page::<language::Entity>(ctx, List::Languages, first, after, filters).await?;
        Ok(LanguageConnection::new(page, total)?)
    }

    /// The framework with this slug (e.g. `ruby-on-rails`), or null.
    async fn framework(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The framework's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Framework>> {
        Ok(by_slug::<framework::Entity>(ctx, slug)
            .await?
            .map(Framework))
    }

    /// All frameworks, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::root_connection_cost(first, child_complexity)")]
    async fn frameworks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<
            FrameworkFilter,
        >,
    ) -> async_graphql::Result<FrameworkConnection> {
        let filter = filter.unwrap_or_default();
        let mut filters: Vec<Filter> = search(filter.search)?.into_iter().collect();
        filters.extend(language_slug(filter.language)?);
        let (page, total) =
            root_page::<framework::Entity>(ctx, List::Frameworks, first, after, filters).await?;
        Ok(FrameworkConnection::new(page, total)?)
    }

    /// The tool with this slug (e.g. `postgresql`), or null.
    async fn tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Tool>> {
        Ok(by_slug::<tool::Entity>(ctx, slug).await?.map(Tool))
    }

    /// All tools, ordered by slug.
    #[graphql(complexity = "crate::graphql::limits::root_connection_cost(first, child_complexity)")]
    async fn tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items to return; absent: the server's default page size, and never more than its maximum page size (both in `Query.limits`)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<ToolFilter>,
    ) -> async_graphql::Result<ToolConnection> {
        let filter = filter.unwrap_or_default();
        let mut filters: Vec<Filter> = search(filter.search)?.into_iter().collect();
        filters.extend(filter.category.map(|c| Filter::Category(c.into())));
        let (page, total) =
            root_page::<tool::Entity>(ctx, List::Tools, first, after, filters).await?;
        Ok(ToolConnection::new(page, total)?)
    }
}

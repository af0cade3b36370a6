//! The root `Query` type: single nodes by global ID, the server's limits, and for each kind of
//! node its lookup by slug and its root list.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, InputObject, MergedObject, Object};
use entity::{framework, language, role, skill, tool};

use super::connections::{
    FrameworkConnection, LanguageConnection, RoleConnection, SkillConnection, ToolConnection,
};
use super::engine::fast_lists::Ordered;
use super::enums::{ReuseLevel, SkillType, ToolCategory};
use super::ids::decode_id;
use super::limits::{self, Limits};
use super::pagination::{Count, page_args};
use super::types::{Framework, Language, Node, Role, Skill, Tool, by_slug, node_by_id};
use crate::data::{Filter, List, lists};
use crate::graph::slug::is_slug;
use crate::{Error, Result};

/// Filters of the `roles` list.
#[derive(InputObject, Default)]
pub struct RoleFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
    /// Only the role imported from the concept with this URI.
    pub external_uri: Option<String>,
    /// Only the roles imported from occupations of this ISCO-08 unit group, e.g. `2512`.
    pub isco_group: Option<String>,
}

/// Filters of the `skills` list.
#[derive(InputObject, Default)]
pub struct SkillFilter {
    /// Case-insensitive text found in the name, the slug or an alias.
    pub search: Option<String>,
    /// Only the top-level skill areas (skills without a parent).
    pub roots_only: Option<bool>,
    /// Only the skill imported from the concept with this URI.
    pub external_uri: Option<String>,
    /// Only the imported skills of this type.
    pub skill_type: Option<SkillType>,
    /// Only the imported skills of this reuse level.
    pub reuse_level: Option<ReuseLevel>,
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

/// A root list's filter input, turned into the conditions of its statement.
trait ListFilter: Default {
    fn filters(self) -> Result<Vec<Filter>>;
}

/// The longest URI or code a source filter accepts.
const MAX_SOURCE_VALUE: usize = 512;

/// The source tables of imported roles and skills, with the column naming their node.
const ROLE_SOURCE: (&str, &str) = ("role_external", "role_id");
const SKILL_SOURCE: (&str, &str) = ("skill_external", "skill_id");

/// A filter on the source row of imported nodes (`role_external` or `skill_external`).
fn source(
    (table, node_column): (&'static str, &'static str),
    (field, column): (&str, &'static str),
    value: Option<String>,
) -> Result<Option<Filter>> {
    let Some(value) = value else {
        return Ok(None);
    };
    if value.len() > MAX_SOURCE_VALUE || value.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!(
                "`{field}` must be at most {MAX_SOURCE_VALUE} bytes without control characters"
            ),
        ));
    }
    Ok(Some(Filter::Source {
        table,
        node_column,
        column,
        value,
    }))
}

impl ListFilter for RoleFilter {
    fn filters(self) -> Result<Vec<Filter>> {
        let mut filters: Vec<Filter> = search(self.search)?.into_iter().collect();
        filters.extend(source(
            ROLE_SOURCE,
            ("externalUri", "uri"),
            self.external_uri,
        )?);
        filters.extend(source(
            ROLE_SOURCE,
            ("iscoGroup", "isco_group"),
            self.isco_group,
        )?);
        Ok(filters)
    }
}

impl ListFilter for SkillFilter {
    fn filters(self) -> Result<Vec<Filter>> {
        use sea_orm::ActiveEnum;
        let mut filters: Vec<Filter> = search(self.search)?.into_iter().collect();
        if self.roots_only == Some(true) {
            filters.push(Filter::RootsOnly);
        }
        filters.extend(source(
            SKILL_SOURCE,
            ("externalUri", "uri"),
            self.external_uri,
        )?);
        let skill_type = self
            .skill_type
            .map(|t| entity::SkillType::from(t).to_value());
        filters.extend(source(
            SKILL_SOURCE,
            ("skillType", "skill_type"),
            skill_type,
        )?);
        let reuse = self
            .reuse_level
            .map(|r| entity::ReuseLevel::from(r).to_value());
        filters.extend(source(SKILL_SOURCE, ("reuseLevel", "reuse_level"), reuse)?);
        Ok(filters)
    }
}

impl ListFilter for LanguageFilter {
    fn filters(self) -> Result<Vec<Filter>> {
        Ok(search(self.search)?.into_iter().collect())
    }
}

impl ListFilter for FrameworkFilter {
    fn filters(self) -> Result<Vec<Filter>> {
        let mut filters: Vec<Filter> = search(self.search)?.into_iter().collect();
        filters.extend(language_slug(self.language)?);
        Ok(filters)
    }
}

impl ListFilter for ToolFilter {
    fn filters(self) -> Result<Vec<Filter>> {
        let mut filters: Vec<Filter> = search(self.search)?.into_iter().collect();
        filters.extend(self.category.map(|c| Filter::Category(c.into())));
        Ok(filters)
    }
}

/// The entry points of the API: any node by global ID, the server's limits, and for each kind
/// of node one by slug and all of them as a list.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    RoleQuery,
    SkillQuery,
    LanguageQuery,
    FrameworkQuery,
    ToolQuery,
    super::history::HistoryQuery,
    super::releases::ReleaseQuery,
    super::analysis::AnalysisQuery,
);

/// The root fields that are not about one kind of node.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when no such object exists.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as returned in any node's `id`.")] id: ID,
    ) -> async_graphql::Result<Option<Ordered<Node>>> {
        let (kind, slug) = decode_id(&id)?;
        Ok(node_by_id(ctx, kind, slug).await?.map(Ordered))
    }

    /// Objects by global ID, in the order asked; null for each ID that names no object.
    /// At most as many IDs as the maximum page size (`Query.limits.maxPageSize`).
    #[graphql(complexity = "crate::graphql::limits::list_cost(ids.len(), child_complexity)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, as returned in nodes' `id`.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Ordered<Node>>>> {
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
        let found = try_join_all(lookups).await?;
        Ok(found.into_iter().map(|node| node.map(Ordered)).collect())
    }

    /// The limits this server applies to queries: page sizes, depth and cost.
    async fn limits(&self, ctx: &Context<'_>) -> Ordered<Limits> {
        Ordered(limits::of(ctx))
    }
}

/// Declares the root fields of one kind of node: one by slug, and the root list.
macro_rules! root_fields {
    (
        $object:ident: $kind:ident ($module:ident) as $one:ident, $all:ident;
        list $list:expr, $connection:ident, $filter:ident, $order:ident;
        $one_doc:literal, $slug_doc:literal, $all_doc:literal
    ) => {
        #[derive(Default)]
        pub struct $object;

        impl $object {
            /// What the root list costs (its statement, and its items' selections).
            fn root_cost(first: Option<i32>, child_complexity: usize) -> usize {
                crate::graphql::limits::root_connection_cost($list, first, child_complexity)
            }
        }

        #[Object]
        impl $object {
            #[doc = $one_doc]
            async fn $one(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = $slug_doc)] slug: String,
            ) -> async_graphql::Result<Option<Ordered<$kind>>> {
                let found = by_slug::<$module::Entity>(ctx, slug).await?;
                Ok(found.map(|model| Ordered($kind::from(model))))
            }

            #[doc = $all_doc]
            #[graphql(
                complexity = "Self::root_cost(crate::graphql::pagination::Paging::size(first, last), child_complexity)"
            )]
            // Each parameter is one of the field's GraphQL arguments.
            #[allow(clippy::too_many_arguments)]
            async fn $all(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "How many items to return from the start (after `after`, if given); absent, and without `last`: the server's default page size; never more than its maximum page size (both in `Query.limits`).")] first: Option<i32>,
                #[graphql(desc = "Return only the items after this cursor.")] after: Option<String>,
                #[graphql(desc = "How many items to return from the end (before `before`, if given), to page backwards; not together with `first`; never more than the maximum page size.")] last: Option<i32>,
                #[graphql(desc = "Return only the items before this cursor.")] before: Option<String>,
                #[graphql(desc = "Narrows the list; all conditions must hold.")] filter: Option<
                    $filter,
                >,
                #[graphql(desc = "Also list deprecated nodes (left out by default).")]
                include_deprecated: Option<bool>,
                #[graphql(desc = "Sorts the list by these keys in turn, ties broken by slug; absent: by slug. A cursor belongs to its order: pass the same `orderBy` with it.")]
                order_by: Option<Vec<crate::graphql::orders::$order>>,
            ) -> async_graphql::Result<Ordered<$connection>> {
                let mut filters = filter.unwrap_or_default().filters()?;
                filters.extend(crate::graphql::pagination::active_filter(include_deprecated));
                let paging = crate::graphql::pagination::Paging { first, after, last, before };
                let order = crate::graphql::orders::ordering_of(order_by)?;
                let args = page_args(ctx, $list, paging, order, filters.clone())?;
                let page = lists::root_page::<$module::Entity>(super::schema_data(ctx)?, $list, &args).await?;
                Ok($connection::new(page, Count::new($list, None, filters))?)
            }
        }
    };
}

root_fields!(
    RoleQuery: Role(role) as role, roles;
    list List::Roles, RoleConnection, RoleFilter, RoleOrder;
    "The role with this slug (e.g. `backend-developer`), or null.",
    "The role's slug.",
    "All active roles, ordered by slug unless `orderBy` says otherwise."
);
root_fields!(
    SkillQuery: Skill(skill) as skill, skills;
    list List::Skills, SkillConnection, SkillFilter, SkillOrder;
    "The skill with this slug (e.g. `query-optimization`), or null.",
    "The skill's slug.",
    "All active skills, ordered by slug unless `orderBy` says otherwise."
);
root_fields!(
    LanguageQuery: Language(language) as language, languages;
    list List::Languages, LanguageConnection, LanguageFilter, LanguageOrder;
    "The language with this slug (e.g. `python`, `csharp`), or null.",
    "The language's slug.",
    "All active languages, ordered by slug unless `orderBy` says otherwise."
);
root_fields!(
    FrameworkQuery: Framework(framework) as framework, frameworks;
    list List::Frameworks, FrameworkConnection, FrameworkFilter, FrameworkOrder;
    "The framework with this slug (e.g. `ruby-on-rails`), or null.",
    "The framework's slug.",
    "All active frameworks, ordered by slug unless `orderBy` says otherwise."
);
root_fields!(
    ToolQuery: Tool(tool) as tool, tools;
    list List::Tools, ToolConnection, ToolFilter, ToolOrder;
    "The tool with this slug (e.g. `postgresql`), or null.",
    "The tool's slug.",
    "All active tools, ordered by slug unless `orderBy` says otherwise."
);

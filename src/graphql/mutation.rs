//! The root `Mutation` type: create, update and delete every kind of node, set and remove
//! every kind of edge, move skills. Relay's conventions: one `input` argument, a payload with
//! the changed nodes, the input's `clientMutationId` and the catalog's new revision. Every
//! field is one transaction of [`crate::curation`], which checks the graph's rules.
//!
//! Every field needs a key with the `write` scope (`Authorization: Bearer <key>`).

use async_graphql::{Context, ID, InputObject, MergedObject, Object, SimpleObject};
use entity::{framework, language, role, skill, tool};
use sea_orm::EntityTrait;

use super::enums::{Importance, Proficiency, ToolCategory};
use super::fast_lists::{Ordered, PlainFields};
use super::ids::decode_id;
use super::require;
use super::types::{Framework, Language, NodeObject, Role, Skill, Tool, by_slug};
use crate::curation::Curator;
use crate::curation::edges::{EdgeKind, EdgeValues};
use crate::curation::fields::Draft;
use crate::curation::nodes::Placement;
use crate::data::model::{Kind, NodeModel};
use crate::keys::Scope;
use crate::slug::is_slug;
use crate::{Error, Result};

fn curator<'a>(ctx: &Context<'a>) -> Result<&'a Curator> {
    super::schema_data(ctx)
}

/// The mutation's own name, as the change log records it.
fn operation<'a>(ctx: &Context<'a>) -> &'a str {
    ctx.item.node.name.node.as_str()
}

/// The slug of the node of `kind` that the input field `field` names, by global ID or slug.
fn slug_of(kind: Kind, field: &str, reference: &ID) -> Result<String> {
    if is_slug(reference) {
        return Ok(reference.to_string());
    }
    match decode_id(reference) {
        Ok((found, slug)) if found == kind => Ok(slug),
        Ok((found, _)) => Err(Error::invalid(
            field,
            format!(
                "{field} must name a {}, got the ID of a {}",
                kind.name(),
                found.name()
            ),
        )),
        Err(_) => Err(Error::invalid(
            field,
            format!(
                "{field} must be a global ID or a slug, got {:?}",
                reference.as_str()
            ),
        )),
    }
}

/// The node `slug` as it is after the write (null if it is gone).
async fn node<N>(ctx: &Context<'_>, slug: String) -> Result<Option<Ordered<NodeObject<N::Model>>>>
where
    N: EntityTrait + Default,
    N::Model: NodeModel + Sync,
{
    Ok(by_slug::<N>(ctx, slug)
        .await?
        .map(|model| Ordered(NodeObject(model))))
}

// ---------------------------------------------------------------------------------------
// Inputs of the node mutations
// ---------------------------------------------------------------------------------------

/// A new role.
#[derive(InputObject)]
pub struct CreateRoleInput {
    /// Kebab-case, unique among roles, stable forever, e.g. `data-engineer`.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// What the role does day to day (up to 100 items).
    pub responsibilities: Option<Vec<String>>,
    /// Application domains (up to 100 items).
    pub domains: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new skill, at a place in the skill tree.
#[derive(InputObject)]
pub struct CreateSkillInput {
    /// Kebab-case, unique among skills, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// The skill it is part of (global ID or slug); a new root when not given.
    pub parent: Option<ID>,
    /// Its index among its siblings; the end when not given.
    pub position: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new programming language.
#[derive(InputObject)]
pub struct CreateLanguageInput {
    /// Kebab-case, unique among languages, stable forever, e.g. `csharp`.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new framework of an existing language.
#[derive(InputObject)]
pub struct CreateFrameworkInput {
    /// Kebab-case, unique among frameworks, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// Its language (global ID or slug); it must exist.
    pub language: ID,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// A new tool.
#[derive(InputObject)]
pub struct CreateToolInput {
    /// Kebab-case, unique among tools, stable forever.
    pub slug: String,
    /// 1 to 256 characters.
    pub name: String,
    /// Up to 10,000 characters; empty if not given.
    pub description: Option<String>,
    /// Up to 100 other names, each up to 256 characters.
    pub aliases: Option<Vec<String>>,
    /// What kind of technology it is.
    pub category: ToolCategory,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a role; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateRoleInput {
    /// The role (global ID or slug).
    pub role: ID,
    /// The `version` you read; the update fails with `CONFLICT` if the role changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// The new list of responsibilities (replaces the old one).
    pub responsibilities: Option<Vec<String>>,
    /// The new list of domains (replaces the old one).
    pub domains: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a skill; fields not given stay as they are (its place: `moveSkill`).
#[derive(InputObject)]
pub struct UpdateSkillInput {
    /// The skill (global ID or slug).
    pub skill: ID,
    /// The `version` you read; the update fails with `CONFLICT` if the skill changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a language; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateLanguageInput {
    /// The language (global ID or slug).
    pub language: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a framework; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateFrameworkInput {
    /// The framework (global ID or slug).
    pub framework: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// Another language for it (global ID or slug).
    pub language: Option<ID>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// Changes to a tool; fields not given stay as they are.
#[derive(InputObject)]
pub struct UpdateToolInput {
    /// The tool (global ID or slug).
    pub tool: ID,
    /// The `version` you read; the update fails with `CONFLICT` if it changed since.
    pub expected_version: Option<i32>,
    /// A new name (1 to 256 characters).
    pub name: Option<String>,
    /// A new description (up to 10,000 characters).
    pub description: Option<String>,
    /// The new list of other names (replaces the old one).
    pub aliases: Option<Vec<String>>,
    /// A new category.
    pub category: Option<ToolCategory>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

fn category_name(category: ToolCategory) -> String {
    use sea_orm::ActiveEnum;
    entity::ToolCategory::from(category).to_value()
}

/// The parts of a create or update input the curator needs.
trait NodeInput {
    /// The node the input changes (`None` for a creation).
    fn target(&self) -> Option<&ID>;
    fn expected_version(&self) -> Option<i32>;
    fn client_mutation_id(&mut self) -> Option<String>;
    fn draft(self) -> Result<Draft>;
    fn placement(&self) -> Result<Option<Placement>> {
        Ok(None)
    }
}

/// Implements [`NodeInput`] for a kind's create and update inputs.
macro_rules! node_input {
    (create $input:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl NodeInput for $input {
            fn target(&self) -> Option<&ID> {
                None
            }
            fn expected_version(&self) -> Option<i32> {
                None
            }
            fn client_mutation_id(&mut self) -> Option<String> {
                self.client_mutation_id.take()
            }
            fn draft(self) -> Result<Draft> {
                let $this = self;
                let $base = Draft::default()
                    .text("slug", Some($this.slug))
                    .text("name", Some($this.name))
                    .text("description", $this.description)
                    .list("aliases", $this.aliases);
                $draft
            }
        }
    };
    (update $input:ident . $target:ident, |$this:ident, $base:ident| $draft:expr) => {
        impl NodeInput for $input {
            fn target(&self) -> Option<&ID> {
                Some(&self.$target)
            }
            fn expected_version(&self) -> Option<i32> {
                self.expected_version
            }
            fn client_mutation_id(&mut self) -> Option<String> {
                self.client_mutation_id.take()
            }
            fn draft(self) -> Result<Draft> {
                let $this = self;
                let $base = Draft::default()
                    .text("name", $this.name)
                    .text("description", $this.description)
                    .list("aliases", $this.aliases);
                $draft
            }
        }
    };
}

node_input!(create CreateRoleInput, |input, draft| Ok(
    draft
        .list("responsibilities", input.responsibilities)
        .list("domains", input.domains)
));
node_input!(create CreateLanguageInput, |_input, draft| Ok(draft));
node_input!(create CreateFrameworkInput, |input, draft| Ok(draft.text(
    "language",
    Some(slug_of(Kind::Language, "language", &input.language)?)
)));
node_input!(create CreateToolInput, |input, draft| Ok(
    draft.text("category", Some(category_name(input.category)))
));
node_input!(update UpdateRoleInput.role, |input, draft| Ok(
    draft
        .list("responsibilities", input.responsibilities)
        .list("domains", input.domains)
));
node_input!(update UpdateSkillInput.skill, |_input, draft| Ok(draft));
node_input!(update UpdateLanguageInput.language, |_input, draft| Ok(draft));
node_input!(update UpdateFrameworkInput.framework, |input, draft| {
    let language = input
        .language
        .as_ref()
        .map(|language| slug_of(Kind::Language, "language", language))
        .transpose()?;
    Ok(draft.text("language", language))
});
node_input!(update UpdateToolInput.tool, |input, draft| Ok(
    draft.text("category", input.category.map(category_name))
));

impl NodeInput for CreateSkillInput {
    fn target(&self) -> Option<&ID> {
        None
    }
    fn expected_version(&self) -> Option<i32> {
        None
    }
    fn client_mutation_id(&mut self) -> Option<String> {
        self.client_mutation_id.take()
    }
    fn draft(self) -> Result<Draft> {
        Ok(Draft::default()
            .text("slug", Some(self.slug))
            .text("name", Some(self.name))
            .text("description", self.description)
            .list("aliases", self.aliases))
    }
    fn placement(&self) -> Result<Option<Placement>> {
        let parent = self
            .parent
            .as_ref()
            .map(|parent| slug_of(Kind::Skill, "parent", parent))
            .transpose()?;
        Ok(Some(Placement {
            parent,
            position: self.position,
        }))
    }
}

// ---------------------------------------------------------------------------------------
// Node mutations, per kind
// ---------------------------------------------------------------------------------------

/// Declares a kind's payloads, delete input and mutation object.
macro_rules! node_mutations {
    (
        $kind:ident, $entity:ident, $object:ident, $field:ident,
        $create_doc:literal $create:ident($create_input:ident) -> $create_payload:ident,
        $update_doc:literal $update:ident($update_input:ident) -> $update_payload:ident,
        $delete_doc:literal $delete:ident($delete_input:ident) -> $delete_payload:ident $(,)?
    ) => {
        #[doc = "What a create mutation returns."]
        #[derive(SimpleObject)]
        pub struct $create_payload {
            #[doc = "The new node."]
            pub $field: Option<Ordered<$kind>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change."]
            pub revision: i32,
        }

        #[doc = "What an update mutation returns."]
        #[derive(SimpleObject)]
        pub struct $update_payload {
            #[doc = "The node as it is now."]
            pub $field: Option<Ordered<$kind>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change."]
            pub revision: i32,
        }

        #[doc = "The node to delete."]
        #[derive(InputObject)]
        pub struct $delete_input {
            #[doc = "The node (global ID or slug)."]
            pub $field: ID,
            #[doc = "Also delete what depends on it; without it, a node others depend on is refused with `CONFLICT`, listing them in `extensions.dependents`."]
            #[graphql(default)]
            pub cascade: bool,
            #[doc = "The `version` you read; the deletion fails with `CONFLICT` if the node changed since."]
            pub expected_version: Option<i32>,
            #[doc = "Any text; the payload returns it unchanged."]
            pub client_mutation_id: Option<String>,
        }

        #[doc = "What a delete mutation returns."]
        #[derive(SimpleObject)]
        pub struct $delete_payload {
            #[doc = "The global ID the deleted node had."]
            pub deleted_id: ID,
            #[doc = "The slug the deleted node had."]
            pub deleted_slug: String,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change."]
            pub revision: i32,
        }

        impl PlainFields for $create_payload {}
        impl PlainFields for $update_payload {}
        impl PlainFields for $delete_payload {}

        #[derive(Default)]
        pub struct $object;

        #[Object]
        impl $object {
            #[doc = $create_doc]
            async fn $create(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The node's fields.")] mut input: $create_input,
            ) -> async_graphql::Result<Option<Ordered<$create_payload>>> {
                let who = require(ctx, Scope::Write)?;
                let client_mutation_id = input.client_mutation_id();
                let placement = input.placement()?;
                let draft = input.draft()?;
                let (committed, slug) = curator(ctx)?
                    .create_node(who, operation(ctx), Kind::$kind, draft, placement)
                    .await?;
                Ok(Some(Ordered($create_payload {
                    $field: node::<$entity::Entity>(ctx, slug).await?,
                    client_mutation_id,
                    revision: committed.revision,
                })))
            }

            #[doc = $update_doc]
            async fn $update(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The node, and the fields to change.")] mut input: $update_input,
            ) -> async_graphql::Result<Option<Ordered<$update_payload>>> {
                let who = require(ctx, Scope::Write)?;
                let client_mutation_id = input.client_mutation_id();
                let target = input.target().cloned().unwrap_or_default();
                let slug = slug_of(Kind::$kind, stringify!($field), &target)?;
                let expected = input.expected_version();
                let draft = input.draft()?;
                let committed = curator(ctx)?
                    .update_node(who, operation(ctx), Kind::$kind, &slug, expected, draft)
                    .await?;
                Ok(Some(Ordered($update_payload {
                    $field: node::<$entity::Entity>(ctx, slug).await?,
                    client_mutation_id,
                    revision: committed.revision,
                })))
            }

            #[doc = $delete_doc]
            async fn $delete(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The node to delete.")] input: $delete_input,
            ) -> async_graphql::Result<Option<Ordered<$delete_payload>>> {
                let who = require(ctx, Scope::Write)?;
                let slug = slug_of(Kind::$kind, stringify!($field), &input.$field)?;
                let committed = curator(ctx)?
                    .delete_node(
                        who,
                        operation(ctx),
                        Kind::$kind,
                        &slug,
                        input.expected_version,
                        input.cascade,
                    )
                    .await?;
                Ok(Some(Ordered($delete_payload {
                    deleted_id: super::ids::encode_id(Kind::$kind, &slug),
                    deleted_slug: slug,
                    client_mutation_id: input.client_mutation_id,
                    revision: committed.revision,
                })))
            }
        }
    };
}

node_mutations!(
    Role, role, RoleMutations, role,
    "Creates a role. Needs a `write` key."
    create_role(CreateRoleInput) -> CreateRolePayload,
    "Changes a role's fields. Needs a `write` key."
    update_role(UpdateRoleInput) -> UpdateRolePayload,
    "Deletes a role and its edges to skills, languages, frameworks and tools. Needs a `write` key."
    delete_role(DeleteRoleInput) -> DeleteRolePayload,
);
node_mutations!(
    Skill, skill, SkillMutations, skill,
    "Creates a skill, under a parent or as a root. Needs a `write` key."
    create_skill(CreateSkillInput) -> CreateSkillPayload,
    "Changes a skill's fields (its place: `moveSkill`). Needs a `write` key."
    update_skill(UpdateSkillInput) -> UpdateSkillPayload,
    "Deletes a skill and its own edges; with `cascade`, also its subtree and the edges of roles and skills that need it. Needs a `write` key."
    delete_skill(DeleteSkillInput) -> DeleteSkillPayload,
);
node_mutations!(
    Language, language, LanguageMutations, language,
    "Creates a programming language. Needs a `write` key."
    create_language(CreateLanguageInput) -> CreateLanguagePayload,
    "Changes a language's fields. Needs a `write` key."
    update_language(UpdateLanguageInput) -> UpdateLanguagePayload,
    "Deletes a language; with `cascade`, also its frameworks and the edges that point at it. Needs a `write` key."
    delete_language(DeleteLanguageInput) -> DeleteLanguagePayload,
);
node_mutations!(
    Framework, framework, FrameworkMutations, framework,
    "Creates a framework of an existing language. Needs a `write` key."
    create_framework(CreateFrameworkInput) -> CreateFrameworkPayload,
    "Changes a framework's fields, or its language. Needs a `write` key."
    update_framework(UpdateFrameworkInput) -> UpdateFrameworkPayload,
    "Deletes a framework; with `cascade`, also the roles' edges to it. Needs a `write` key."
    delete_framework(DeleteFrameworkInput) -> DeleteFrameworkPayload,
);
node_mutations!(
    Tool, tool, ToolMutations, tool,
    "Creates a tool. Needs a `write` key."
    create_tool(CreateToolInput) -> CreateToolPayload,
    "Changes a tool's fields. Needs a `write` key."
    update_tool(UpdateToolInput) -> UpdateToolPayload,
    "Deletes a tool; with `cascade`, also the edges of roles and skills to it. Needs a `write` key."
    delete_tool(DeleteToolInput) -> DeleteToolPayload,
);

// ---------------------------------------------------------------------------------------
// Edge mutations
// ---------------------------------------------------------------------------------------

/// Declares an edge kind's set and remove inputs, payloads and mutation object.
/// `$($extra: $extra_ty)` are the data the edge carries besides its position.
macro_rules! edge_mutations {
    (
        $edge:ident, $object:ident,
        $owner:ident: $owner_kind:ident / $owner_entity:ident,
        $target:ident: $target_kind:ident / $target_entity:ident,
        $set:ident($set_input:ident) -> $set_payload:ident,
        $remove:ident($remove_input:ident) -> $remove_payload:ident,
        { $($(#[doc = $doc:literal])* $extra:ident: $extra_ty:ty),* } $(,)?
    ) => {
        #[doc = "The edge to add, or to change if it exists."]
        #[derive(InputObject)]
        pub struct $set_input {
            #[doc = "The node the edge belongs to (global ID or slug)."]
            pub $owner: ID,
            #[doc = "The node the edge points at (global ID or slug)."]
            pub $target: ID,
            $($(#[doc = $doc])* pub $extra: $extra_ty,)*
            #[doc = "Its index in the list; a new edge goes to the end and an existing one stays where it is when not given."]
            pub position: Option<i32>,
            #[doc = "Any text; the payload returns it unchanged."]
            pub client_mutation_id: Option<String>,
        }

        #[doc = "The edge to remove."]
        #[derive(InputObject)]
        pub struct $remove_input {
            #[doc = "The node the edge belongs to (global ID or slug)."]
            pub $owner: ID,
            #[doc = "The node the edge points at (global ID or slug)."]
            pub $target: ID,
            #[doc = "Any text; the payload returns it unchanged."]
            pub client_mutation_id: Option<String>,
        }

        #[doc = "The two ends of the changed edge."]
        #[derive(SimpleObject)]
        pub struct $set_payload {
            #[doc = "The node the edge belongs to, as it is now."]
            pub $owner: Option<Ordered<$owner_kind>>,
            #[doc = "The node the edge points at."]
            pub $target: Option<Ordered<$target_kind>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change."]
            pub revision: i32,
        }

        #[doc = "The two ends of the removed edge."]
        #[derive(SimpleObject)]
        pub struct $remove_payload {
            #[doc = "The node the edge belonged to, as it is now."]
            pub $owner: Option<Ordered<$owner_kind>>,
            #[doc = "The node the edge pointed at."]
            pub $target: Option<Ordered<$target_kind>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change."]
            pub revision: i32,
        }

        impl PlainFields for $set_payload {}
        impl PlainFields for $remove_payload {}

        #[derive(Default)]
        pub struct $object;

        #[Object]
        impl $object {
            #[doc = "Adds the edge, or changes its data and place. Needs a `write` key."]
            async fn $set(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The edge's ends and data.")] input: $set_input,
            ) -> async_graphql::Result<Option<Ordered<$set_payload>>> {
                let who = require(ctx, Scope::Write)?;
                let owner = slug_of(Kind::$owner_kind, stringify!($owner), &input.$owner)?;
                let target = slug_of(Kind::$target_kind, stringify!($target), &input.$target)?;
                let values = EdgeValues {
                    position: input.position,
                    ..edge_values(&[$((stringify!($extra), EdgeDatum::from(input.$extra))),*])
                };
                let committed = curator(ctx)?
                    .set_edge(who, operation(ctx), EdgeKind::$edge, &owner, &target, values)
                    .await?;
                Ok(Some(Ordered($set_payload {
                    $owner: node::<$owner_entity::Entity>(ctx, owner).await?,
                    $target: node::<$target_entity::Entity>(ctx, target).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: committed.revision,
                })))
            }

            #[doc = "Removes the edge; `NOT_FOUND` if there is none. Needs a `write` key."]
            async fn $remove(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The edge's ends.")] input: $remove_input,
            ) -> async_graphql::Result<Option<Ordered<$remove_payload>>> {
                let who = require(ctx, Scope::Write)?;
                let owner = slug_of(Kind::$owner_kind, stringify!($owner), &input.$owner)?;
                let target = slug_of(Kind::$target_kind, stringify!($target), &input.$target)?;
                let committed = curator(ctx)?
                    .remove_edge(who, operation(ctx), EdgeKind::$edge, &owner, &target)
                    .await?;
                Ok(Some(Ordered($remove_payload {
                    $owner: node::<$owner_entity::Entity>(ctx, owner).await?,
                    $target: node::<$target_entity::Entity>(ctx, target).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: committed.revision,
                })))
            }
        }
    };
}

/// One datum of an edge input.
enum EdgeDatum {
    Importance(Importance),
    Level(Proficiency),
}

impl From<Importance> for EdgeDatum {
    fn from(value: Importance) -> Self {
        EdgeDatum::Importance(value)
    }
}

impl From<Proficiency> for EdgeDatum {
    fn from(value: Proficiency) -> Self {
        EdgeDatum::Level(value)
    }
}

fn edge_values(data: &[(&str, EdgeDatum)]) -> EdgeValues {
    let mut values = EdgeValues::default();
    for (_, datum) in data {
        match datum {
            EdgeDatum::Importance(importance) => values.importance = Some((*importance).into()),
            EdgeDatum::Level(level) => values.level = Some((*level).into()),
        }
    }
    values
}

edge_mutations!(
    RoleSkill, RoleSkillMutations,
    role: Role / role, skill: Skill / skill,
    set_role_skill(SetRoleSkillInput) -> SetRoleSkillPayload,
    remove_role_skill(RemoveRoleSkillInput) -> RemoveRoleSkillPayload,
    {
        /// How much the role needs the skill.
        importance: Importance,
        /// The level the role needs.
        level: Proficiency
    },
);
edge_mutations!(
    RoleLanguage, RoleLanguageMutations,
    role: Role / role, language: Language / language,
    set_role_language(SetRoleLanguageInput) -> SetRoleLanguagePayload,
    remove_role_language(RemoveRoleLanguageInput) -> RemoveRoleLanguagePayload,
    {
        /// How much the role needs the language.
        importance: Importance
    },
);
edge_mutations!(
    RoleFramework, RoleFrameworkMutations,
    role: Role / role, framework: Framework / framework,
    set_role_framework(SetRoleFrameworkInput) -> SetRoleFrameworkPayload,
    remove_role_framework(RemoveRoleFrameworkInput) -> RemoveRoleFrameworkPayload,
    {
        /// How much the role needs the framework.
        importance: Importance
    },
);
edge_mutations!(
    RoleTool, RoleToolMutations,
    role: Role / role, tool: Tool / tool,
    set_role_tool(SetRoleToolInput) -> SetRoleToolPayload,
    remove_role_tool(RemoveRoleToolInput) -> RemoveRoleToolPayload,
    {
        /// How much the role needs the tool.
        importance: Importance
    },
);
edge_mutations!(
    SkillPrerequisite, SkillPrerequisiteMutations,
    skill: Skill / skill, prerequisite: Skill / skill,
    add_skill_prerequisite(AddSkillPrerequisiteInput) -> AddSkillPrerequisitePayload,
    remove_skill_prerequisite(RemoveSkillPrerequisiteInput) -> RemoveSkillPrerequisitePayload,
    {},
);
edge_mutations!(
    SkillLanguage, SkillLanguageMutations,
    skill: Skill / skill, language: Language / language,
    set_skill_language(SetSkillLanguageInput) -> SetSkillLanguagePayload,
    remove_skill_language(RemoveSkillLanguageInput) -> RemoveSkillLanguagePayload,
    {},
);
edge_mutations!(
    SkillTool, SkillToolMutations,
    skill: Skill / skill, tool: Tool / tool,
    set_skill_tool(SetSkillToolInput) -> SetSkillToolPayload,
    remove_skill_tool(RemoveSkillToolInput) -> RemoveSkillToolPayload,
    {},
);

/// Where to move a skill.
#[derive(InputObject)]
pub struct MoveSkillInput {
    /// The skill (global ID or slug).
    pub skill: ID,
    /// Its new parent (global ID or slug); null or absent makes it a root. Refused with
    /// `CONFLICT`, and the cycle in `extensions.cycle`, if it is the skill or a descendant.
    pub parent: Option<ID>,
    /// Its index among its new siblings; the end (or, under the same parent, where it is)
    /// when not given.
    pub position: Option<i32>,
    /// The `version` you read; the move fails with `CONFLICT` if the skill changed since.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// The moved skill and its new parent.
#[derive(SimpleObject)]
pub struct MoveSkillPayload {
    /// The skill, as it is now.
    pub skill: Option<Ordered<Skill>>,
    /// Its new parent; null for a root.
    pub parent: Option<Ordered<Skill>>,
    /// The input's `clientMutationId`, unchanged.
    pub client_mutation_id: Option<String>,
    /// The catalog's revision after the change.
    pub revision: i32,
}

impl PlainFields for MoveSkillPayload {}

#[derive(Default)]
pub struct TreeMutations;

#[Object]
impl TreeMutations {
    /// Moves a skill in the tree, or among its siblings. Needs a `write` key.
    async fn move_skill(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The skill and where it goes.")] input: MoveSkillInput,
    ) -> async_graphql::Result<Option<Ordered<MoveSkillPayload>>> {
        let who = require(ctx, Scope::Write)?;
        let slug = slug_of(Kind::Skill, "skill", &input.skill)?;
        let parent = input
            .parent
            .as_ref()
            .map(|parent| slug_of(Kind::Skill, "parent", parent))
            .transpose()?;
        let committed = curator(ctx)?
            .move_skill(
                who,
                operation(ctx),
                &slug,
                parent.as_deref(),
                input.position,
                input.expected_version,
            )
            .await?;
        let parent = match parent {
            Some(parent) => node::<skill::Entity>(ctx, parent).await?,
            None => None,
        };
        Ok(Some(Ordered(MoveSkillPayload {
            skill: node::<skill::Entity>(ctx, slug).await?,
            parent,
            client_mutation_id: input.client_mutation_id,
            revision: committed.revision,
        })))
    }
}

/// Every write of the API.
#[derive(MergedObject, Default)]
pub struct Mutation(
    RoleMutations,
    SkillMutations,
    LanguageMutations,
    FrameworkMutations,
    ToolMutations,
    RoleSkillMutations,
    RoleLanguageMutations,
    RoleFrameworkMutations,
    RoleToolMutations,
    TreeMutations,
    SkillPrerequisiteMutations,
    SkillLanguageMutations,
    SkillToolMutations,
);

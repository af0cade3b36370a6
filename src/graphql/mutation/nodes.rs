//! The node mutations, per kind: create, update and delete, with their payloads.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{framework, language, role, skill, tool};

use crate::curation::Operation;
use crate::graph::Kind;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::types::{Framework, Language, Role, Skill, Tool};

use super::inputs::{
    CreateFrameworkInput, CreateLanguageInput, CreateRoleInput, CreateSkillInput, CreateToolInput,
    UpdateFrameworkInput, UpdateLanguageInput, UpdateRoleInput, UpdateSkillInput, UpdateToolInput,
};
use super::{Preview, WriteInput, node, slug_of, write};

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
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
        }

        #[doc = "What an update mutation returns."]
        #[derive(SimpleObject)]
        pub struct $update_payload {
            #[doc = "The node as it is now."]
            pub $field: Option<Ordered<$kind>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
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
            #[doc = "Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes."]
            pub dry_run: Option<bool>,
        }

        impl WriteInput for $delete_input {
            fn operation(&self) -> crate::Result<Operation> {
                Ok(Operation::DeleteNode {
                    kind: Kind::$kind,
                    slug: slug_of(Kind::$kind, stringify!($field), &self.$field)?,
                    expected: self.expected_version,
                    cascade: self.cascade,
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
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
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
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
                #[graphql(desc = "The node's fields.")] input: $create_input,
            ) -> async_graphql::Result<Option<Ordered<$create_payload>>> {
                let written = write(ctx, &input).await?;
                Ok(Some(Ordered($create_payload {
                    $field: node::<$entity::Entity>(ctx, input.slug).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
                })))
            }

            #[doc = $update_doc]
            async fn $update(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The node, and the fields to change.")] input: $update_input,
            ) -> async_graphql::Result<Option<Ordered<$update_payload>>> {
                let written = write(ctx, &input).await?;
                let slug = slug_of(Kind::$kind, stringify!($field), &input.$field)?;
                Ok(Some(Ordered($update_payload {
                    $field: node::<$entity::Entity>(ctx, slug).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
                })))
            }

            #[doc = $delete_doc]
            async fn $delete(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The node to delete.")] input: $delete_input,
            ) -> async_graphql::Result<Option<Ordered<$delete_payload>>> {
                let written = write(ctx, &input).await?;
                let slug = slug_of(Kind::$kind, stringify!($field), &input.$field)?;
                Ok(Some(Ordered($delete_payload {
                    deleted_id: crate::graphql::ids::encode_id(Kind::$kind, &slug),
                    deleted_slug: slug,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
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

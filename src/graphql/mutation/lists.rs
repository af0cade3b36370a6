//! The list mutations: a role's whole list of one edge kind set in one call, all or nothing,
//! through the curator's `SetEdges` operation. Each kind's item, input, payload and
//! field are declared by [`list_mutations!`] from its target and data.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::role;

use crate::curation::Operation;
use crate::curation::edges::EdgeValues;
use crate::graph::{EdgeKind, Kind};
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::enums::{Importance, Proficiency};
use crate::graphql::types::Role;

use super::edges::{EdgeDatum, edge_values};
use super::{Preview, WriteInput, node, slug_of, write};

/// Declares a role list's item and input, its payload, and the mutation object with its one
/// field. `$($extra: $extra_ty)` are the data each edge carries.
macro_rules! list_mutations {
    (
        $edge:ident, $object:ident,
        $set:ident($input:ident) -> $payload:ident,
        $list:ident: [$item:ident { $target:ident: $target_kind:ident }],
        { $($(#[doc = $doc:literal])* $extra:ident: $extra_ty:ty),* } $(,)?
    ) => {
        #[doc = concat!("One item of a role's `", stringify!($list), "`: the ", stringify!($target), " and the edge's data.")]
        #[derive(InputObject)]
        pub struct $item {
            #[doc = concat!("The ", stringify!($target), " (global ID or slug).")]
            pub $target: ID,
            $($(#[doc = $doc])* pub $extra: $extra_ty,)*
        }

        #[doc = concat!("A role's whole `", stringify!($list), "` list, in order.")]
        #[derive(InputObject)]
        pub struct $input {
            #[doc = "The role (global ID or slug)."]
            pub role: ID,
            #[doc = concat!("The list as it is to be: positions follow this order, and the ", stringify!($list), " not named are removed. At most 100 items, each named once.")]
            pub $list: Vec<$item>,
            #[doc = "The `version` you read; the write fails with `CONFLICT` if the role changed since."]
            pub expected_version: Option<i32>,
            #[doc = "Any text; the payload returns it unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes."]
            pub dry_run: Option<bool>,
        }

        impl WriteInput for $input {
            fn operation(&self) -> crate::Result<Operation> {
                let items = self
                    .$list
                    .iter()
                    .map(|item| {
                        let slug = slug_of(Kind::$target_kind, stringify!($list), &item.$target)?;
                        let values: EdgeValues =
                            edge_values(&[$((stringify!($extra), EdgeDatum::from(item.$extra))),*]);
                        Ok((slug, values))
                    })
                    .collect::<crate::Result<Vec<_>>>()?;
                Ok(Operation::SetEdges {
                    edge: EdgeKind::$edge,
                    owner: slug_of(Kind::Role, "role", &self.role)?,
                    items,
                    expected: self.expected_version,
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
        }

        #[doc = concat!("The role whose `", stringify!($list), "` were set.")]
        #[derive(SimpleObject)]
        pub struct $payload {
            #[doc = "The role, as it is now."]
            pub role: Option<Ordered<Role>>,
            #[doc = "The input's `clientMutationId`, unchanged."]
            pub client_mutation_id: Option<String>,
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
        }

        impl PlainFields for $payload {}

        #[derive(Default)]
        pub struct $object;

        #[Object]
        impl $object {
            #[doc = concat!("Sets the role's whole `", stringify!($list), "` list at once: one revision and one change-log entry, and nothing written if any item is refused (an unknown ", stringify!($target), ", one named twice, a new edge to a deprecated one, more than 100). Needs a `write` key.")]
            async fn $set(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The role and its list.")] input: $input,
            ) -> async_graphql::Result<Option<Ordered<$payload>>> {
                let written = write(ctx, &input).await?;
                let owner = slug_of(Kind::Role, "role", &input.role)?;
                Ok(Some(Ordered($payload {
                    role: node::<role::Entity>(ctx, owner).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
                })))
            }
        }
    };
}

list_mutations!(
    RoleSkill, RoleSkillsMutations,
    set_role_skills(SetRoleSkillsInput) -> SetRoleSkillsPayload,
    skills: [RoleSkillItemInput { skill: Skill }],
    {
        /// How much the role needs the skill.
        importance: Importance,
        /// The level the role needs.
        level: Proficiency
    },
);
list_mutations!(
    RoleLanguage, RoleLanguagesMutations,
    set_role_languages(SetRoleLanguagesInput) -> SetRoleLanguagesPayload,
    languages: [RoleLanguageItemInput { language: Language }],
    {
        /// How much the role needs the language.
        importance: Importance
    },
);
list_mutations!(
    RoleFramework, RoleFrameworksMutations,
    set_role_frameworks(SetRoleFrameworksInput) -> SetRoleFrameworksPayload,
    frameworks: [RoleFrameworkItemInput { framework: Framework }],
    {
        /// How much the role needs the framework.
        importance: Importance
    },
);
list_mutations!(
    RoleTool, RoleToolsMutations,
    set_role_tools(SetRoleToolsInput) -> SetRoleToolsPayload,
    tools: [RoleToolItemInput { tool: Tool }],
    {
        /// How much the role needs the tool.
        importance: Importance
    },
);

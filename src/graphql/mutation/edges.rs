//! The edge mutations, per edge kind: set and remove, with their inputs and payloads.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{framework, language, role, skill, tool};

use crate::curation::Operation;
use crate::curation::edges::EdgeValues;
use crate::graph::EdgeKind;
use crate::graph::Kind;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::enums::{Importance, Proficiency};
use crate::graphql::types::{Framework, Language, Role, Skill, Tool};

use super::{Preview, WriteInput, node, slug_of, write};

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
            #[doc = "Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes."]
            pub dry_run: Option<bool>,
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
            #[doc = "Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes."]
            pub dry_run: Option<bool>,
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
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
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
            #[doc = "The catalog's revision after the change (in a dry run, the one it ran against: nothing changed)."]
            pub revision: i32,
            #[doc = "With `dryRun: true`: what the write would change (it changed nothing). Null otherwise."]
            pub preview: Option<Ordered<Preview>>,
        }

        impl WriteInput for $set_input {
            fn operation(&self) -> crate::Result<Operation> {
                Ok(Operation::SetEdge {
                    edge: EdgeKind::$edge,
                    owner: slug_of(Kind::$owner_kind, stringify!($owner), &self.$owner)?,
                    target: slug_of(Kind::$target_kind, stringify!($target), &self.$target)?,
                    values: EdgeValues {
                        position: self.position,
                        ..edge_values(&[$((stringify!($extra), EdgeDatum::from(self.$extra))),*])
                    },
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
        }

        impl WriteInput for $remove_input {
            fn operation(&self) -> crate::Result<Operation> {
                Ok(Operation::RemoveEdge {
                    edge: EdgeKind::$edge,
                    owner: slug_of(Kind::$owner_kind, stringify!($owner), &self.$owner)?,
                    target: slug_of(Kind::$target_kind, stringify!($target), &self.$target)?,
                })
            }
            fn dry_run(&self) -> Option<bool> {
                self.dry_run
            }
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
                let written = write(ctx, &input).await?;
                let owner = slug_of(Kind::$owner_kind, stringify!($owner), &input.$owner)?;
                let target = slug_of(Kind::$target_kind, stringify!($target), &input.$target)?;
                Ok(Some(Ordered($set_payload {
                    $owner: node::<$owner_entity::Entity>(ctx, owner).await?,
                    $target: node::<$target_entity::Entity>(ctx, target).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
                })))
            }

            #[doc = "Removes the edge; `NOT_FOUND` if there is none. Needs a `write` key."]
            async fn $remove(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The edge's ends.")] input: $remove_input,
            ) -> async_graphql::Result<Option<Ordered<$remove_payload>>> {
                let written = write(ctx, &input).await?;
                let owner = slug_of(Kind::$owner_kind, stringify!($owner), &input.$owner)?;
                let target = slug_of(Kind::$target_kind, stringify!($target), &input.$target)?;
                Ok(Some(Ordered($remove_payload {
                    $owner: node::<$owner_entity::Entity>(ctx, owner).await?,
                    $target: node::<$target_entity::Entity>(ctx, target).await?,
                    client_mutation_id: input.client_mutation_id,
                    revision: written.revision,
                    preview: written.preview,
                })))
            }
        }
    };
}

/// One datum of an edge input.
pub(super) enum EdgeDatum {
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

pub(super) fn edge_values(data: &[(&str, EdgeDatum)]) -> EdgeValues {
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
edge_mutations!(
    SkillRelation, SkillRelationMutations,
    skill: Skill / skill, related: Skill / skill,
    set_skill_relation(SetSkillRelationInput) -> SetSkillRelationPayload,
    remove_skill_relation(RemoveSkillRelationInput) -> RemoveSkillRelationPayload,
    {
        /// How much the related skill matters to the skill.
        importance: Importance
    },
);

//! `batch`: many writes applied as one, in one transaction, under one revision and one
//! change-log entry, all or nothing; with `dryRun`, reviewed before they are made.
//!
//! Why a mutation with a list of operations rather than a directive on the operation (say
//! `mutation @atomic { a: createSkill(…) b: setRoleSkill(…) }`):
//! - GraphQL executes a mutation's root fields one after another, each answering for
//!   itself; a field that fails leaves `data` for the fields before it. Under a directive
//!   that rolled everything back, those answers would describe writes that never happened,
//!   and a client would have to know to discard them. A batch has one payload, produced once
//!   the whole write committed (or one error, and no data).
//! - A directive that changes how sibling fields execute is invisible to the tools that read
//!   the schema: codegen cannot type it, and a client that drops it silently gets one
//!   transaction per field. A batch's input is a typed value; a curation tool builds it as
//!   data (a list from a spreadsheet or a diff), and the request's limits see its size.
//! - async-graphql, like the specification, runs directives on fields, not operations.
//!
//! Each operation is a `@oneOf` input naming one mutation and taking that mutation's own
//! input, so a batch can do anything the separate mutations do, and adding a mutation means
//! adding its line to [`batch_operations!`].

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, InputObject, Object, OneofObject, SimpleObject};

use super::edges::{
    AddSkillPrerequisiteInput, RemoveRoleFrameworkInput, RemoveRoleLanguageInput,
    RemoveRoleSkillInput, RemoveRoleToolInput, RemoveSkillLanguageInput,
    RemoveSkillPrerequisiteInput, RemoveSkillRelationInput, RemoveSkillToolInput,
    SetRoleFrameworkInput, SetRoleLanguageInput, SetRoleSkillInput, SetRoleToolInput,
    SetSkillLanguageInput, SetSkillRelationInput, SetSkillToolInput,
};
use super::inputs::{
    CreateFrameworkInput, CreateLanguageInput, CreateRoleInput, CreateSkillInput, CreateToolInput,
    UpdateFrameworkInput, UpdateLanguageInput, UpdateRoleInput, UpdateSkillInput, UpdateToolInput,
};
use super::labels::{RemoveLabelInput, SetLabelInput};
use super::lifecycle::{DeprecateNodeInput, RestoreNodeInput};
use super::lists::{
    SetRoleFrameworksInput, SetRoleLanguagesInput, SetRoleSkillsInput, SetRoleToolsInput,
};
use super::nodes::{
    DeleteFrameworkInput, DeleteLanguageInput, DeleteRoleInput, DeleteSkillInput, DeleteToolInput,
};
use super::tree::MoveSkillInput;
use super::{Preview, WriteInput, run};
use crate::curation::{Operation, Step};
use crate::graph::rules::MOST_ITEMS;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields, PlainList};
use crate::graphql::require;
use crate::graphql::types::{Node, node_by_id};
use crate::keys::Scope;
use crate::{Error, Result};

/// Declares [`BatchOperation`]: one variant per mutation, named as the mutation, taking its
/// input.
macro_rules! batch_operations {
    ($($variant:ident($input:ident) = $name:literal,)*) => {
        /// One operation of a batch: exactly one field, named as the mutation it runs and
        /// taking that mutation's input.
        #[derive(OneofObject)]
        pub enum BatchOperation {
            $(
                #[doc = concat!("Runs `", $name, "`.")]
                $variant($input),
            )*
        }

        impl BatchOperation {
            /// The mutation's name and its input.
            fn input(&self) -> (&'static str, &dyn Input) {
                match self {
                    $(BatchOperation::$variant(input) => ($name, input),)*
                }
            }
        }
    };
}

/// What a batch needs of a mutation's input besides its operation.
trait Input: WriteInput {
    fn client_mutation_id(&self) -> Option<String>;
}

macro_rules! inputs {
    ($($input:ident),* $(,)?) => {
        $(impl Input for $input {
            fn client_mutation_id(&self) -> Option<String> {
                self.client_mutation_id.clone()
            }
        })*
    };
}

batch_operations! {
    CreateRole(CreateRoleInput) = "createRole",
    UpdateRole(UpdateRoleInput) = "updateRole",
    DeleteRole(DeleteRoleInput) = "deleteRole",
    CreateSkill(CreateSkillInput) = "createSkill",
    UpdateSkill(UpdateSkillInput) = "updateSkill",
    DeleteSkill(DeleteSkillInput) = "deleteSkill",
    CreateLanguage(CreateLanguageInput) = "createLanguage",
    UpdateLanguage(UpdateLanguageInput) = "updateLanguage",
    DeleteLanguage(DeleteLanguageInput) = "deleteLanguage",
    CreateFramework(CreateFrameworkInput) = "createFramework",
    UpdateFramework(UpdateFrameworkInput) = "updateFramework",
    DeleteFramework(DeleteFrameworkInput) = "deleteFramework",
    CreateTool(CreateToolInput) = "createTool",
    UpdateTool(UpdateToolInput) = "updateTool",
    DeleteTool(DeleteToolInput) = "deleteTool",
    SetRoleSkill(SetRoleSkillInput) = "setRoleSkill",
    RemoveRoleSkill(RemoveRoleSkillInput) = "removeRoleSkill",
    SetRoleLanguage(SetRoleLanguageInput) = "setRoleLanguage",
    RemoveRoleLanguage(RemoveRoleLanguageInput) = "removeRoleLanguage",
    SetRoleFramework(SetRoleFrameworkInput) = "setRoleFramework",
    RemoveRoleFramework(RemoveRoleFrameworkInput) = "removeRoleFramework",
    SetRoleTool(SetRoleToolInput) = "setRoleTool",
    RemoveRoleTool(RemoveRoleToolInput) = "removeRoleTool",
    AddSkillPrerequisite(AddSkillPrerequisiteInput) = "addSkillPrerequisite",
    RemoveSkillPrerequisite(RemoveSkillPrerequisiteInput) = "removeSkillPrerequisite",
    SetSkillLanguage(SetSkillLanguageInput) = "setSkillLanguage",
    RemoveSkillLanguage(RemoveSkillLanguageInput) = "removeSkillLanguage",
    SetSkillTool(SetSkillToolInput) = "setSkillTool",
    RemoveSkillTool(RemoveSkillToolInput) = "removeSkillTool",
    SetSkillRelation(SetSkillRelationInput) = "setSkillRelation",
    RemoveSkillRelation(RemoveSkillRelationInput) = "removeSkillRelation",
    SetRoleSkills(SetRoleSkillsInput) = "setRoleSkills",
    SetRoleLanguages(SetRoleLanguagesInput) = "setRoleLanguages",
    SetRoleFrameworks(SetRoleFrameworksInput) = "setRoleFrameworks",
    SetRoleTools(SetRoleToolsInput) = "setRoleTools",
    MoveSkill(MoveSkillInput) = "moveSkill",
    DeprecateNode(DeprecateNodeInput) = "deprecateNode",
    RestoreNode(RestoreNodeInput) = "restoreNode",
    SetLabel(SetLabelInput) = "setLabel",
    RemoveLabel(RemoveLabelInput) = "removeLabel",
}

inputs!(
    CreateRoleInput,
    UpdateRoleInput,
    DeleteRoleInput,
    CreateSkillInput,
    UpdateSkillInput,
    DeleteSkillInput,
    CreateLanguageInput,
    UpdateLanguageInput,
    DeleteLanguageInput,
    CreateFrameworkInput,
    UpdateFrameworkInput,
    DeleteFrameworkInput,
    CreateToolInput,
    UpdateToolInput,
    DeleteToolInput,
    SetRoleSkillInput,
    RemoveRoleSkillInput,
    SetRoleLanguageInput,
    RemoveRoleLanguageInput,
    SetRoleFrameworkInput,
    RemoveRoleFrameworkInput,
    SetRoleToolInput,
    RemoveRoleToolInput,
    AddSkillPrerequisiteInput,
    RemoveSkillPrerequisiteInput,
    SetSkillLanguageInput,
    RemoveSkillLanguageInput,
    SetSkillToolInput,
    RemoveSkillToolInput,
    SetSkillRelationInput,
    RemoveSkillRelationInput,
    SetRoleSkillsInput,
    SetRoleLanguagesInput,
    SetRoleFrameworksInput,
    SetRoleToolsInput,
    MoveSkillInput,
    DeprecateNodeInput,
    RestoreNodeInput,
    SetLabelInput,
    RemoveLabelInput,
);

/// Many writes to apply as one.
#[derive(InputObject)]
pub struct BatchInput {
    /// The operations, applied in this order, each seeing what the ones before it wrote (1
    /// to 100). The first refused stops the batch, and nothing is written.
    pub operations: Vec<BatchOperation>,
    /// Run the batch, answer what it would change in the payload's `preview`, and roll it
    /// back: nothing changes. (An operation's own `dryRun` is refused: the batch is the unit.)
    pub dry_run: Option<bool>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
}

/// What one operation of a batch wrote.
#[derive(SimpleObject)]
pub struct BatchResult {
    /// The mutation the operation ran, e.g. `setRoleSkill`.
    pub operation: String,
    /// The node it wrote (for an edge or a list: the node they belong to), as it is after
    /// the whole batch, null if the batch deleted it; in a dry run, as it is and stays (null
    /// if the batch would create it): `preview` says what would change.
    pub node: Option<Ordered<Node>>,
    /// The operation's own `clientMutationId`, unchanged.
    pub client_mutation_id: Option<String>,
}

/// What a batch did.
#[derive(SimpleObject)]
pub struct BatchPayload {
    /// One result per operation, in the order given.
    pub results: PlainList<BatchResult>,
    /// The catalog's revision after the batch, which made it in one step (in a dry run: the
    /// revision it ran against).
    pub revision: i32,
    /// With `dryRun: true`: what the batch would change (it changed nothing). Null otherwise.
    pub preview: Option<Ordered<Preview>>,
    /// The input's `clientMutationId`, unchanged.
    pub client_mutation_id: Option<String>,
}

impl PlainFields for BatchResult {}
impl PlainFields for BatchPayload {}

/// The batch mutation.
#[derive(Default)]
pub struct BatchMutations;

#[Object]
impl BatchMutations {
    /// Applies many writes as one: in one transaction, in order, all or nothing, as one
    /// revision and one change-log entry (operation `batch`, its `after` listing each
    /// operation's change). A refused operation fails the batch with its own error and
    /// code, `extensions.operation` saying its index; nothing is written. Needs a `write`
    /// key.
    #[graphql(
        complexity = "crate::graphql::limits::list_cost(input.operations.len(), child_complexity)"
    )]
    async fn batch(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The operations, in order.")] input: BatchInput,
    ) -> async_graphql::Result<Option<Ordered<BatchPayload>>> {
        let who = require(ctx, Scope::Write)?;
        let steps = steps(&input.operations)?;
        let written = run(ctx, who, &steps, true, input.dry_run.unwrap_or(false)).await?;
        // The nodes are read together, so that the request's loaders read each kind in one
        // statement however many operations there are.
        let nodes = try_join_all(steps.iter().map(|step| {
            let (kind, slug) = step.operation.node();
            node_by_id(ctx, kind, slug.to_owned())
        }))
        .await?;
        let results = input
            .operations
            .iter()
            .zip(nodes)
            .map(|(operation, node)| {
                let (name, input) = operation.input();
                BatchResult {
                    operation: name.to_owned(),
                    node: node.map(Ordered),
                    client_mutation_id: input.client_mutation_id(),
                }
            })
            .collect();
        Ok(Some(Ordered(BatchPayload {
            results: PlainList(results),
            revision: written.revision,
            preview: written.preview,
            client_mutation_id: input.client_mutation_id,
        })))
    }
}

/// The batch's operations as the curator's steps; refused before anything is written when
/// there are none, more than [`MOST_ITEMS`], or one asks for a dry run of its own.
fn steps(operations: &[BatchOperation]) -> Result<Vec<Step>> {
    if operations.is_empty() || operations.len() > MOST_ITEMS {
        return Err(Error::invalid(
            "operations",
            format!(
                "a batch takes 1 to {MOST_ITEMS} operations, got {}",
                operations.len()
            ),
        ));
    }
    operations
        .iter()
        .enumerate()
        .map(|(index, operation)| {
            let (name, input) = operation.input();
            if input.dry_run() == Some(true) {
                return Err(Error::invalid(
                    "dryRun",
                    "an operation of a batch cannot be a dry run of its own; \
                     set dryRun on the batch",
                )
                .in_operation(index, name));
            }
            let operation: Operation = input
                .operation()
                .map_err(|err| err.in_operation(index, name))?;
            Ok(Step {
                name: name.to_owned(),
                operation,
            })
        })
        .collect()
}

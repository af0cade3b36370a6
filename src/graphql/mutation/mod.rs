//! The root `Mutation` type: create, update and delete every kind of node, set and remove
//! every kind of edge, set a role's whole lists, move skills, deprecate and restore nodes,
//! set and remove their labels in other locales.
//! Relay's conventions: one `input` argument, a payload with the changed nodes, the input's
//! `clientMutationId` and the catalog's new revision. Every
//! field is one transaction of [`crate::curation`], which checks the graph's rules.
//!
//! Every field needs a key with the `write` scope (`Authorization: Bearer <key>`).

use async_graphql::{Context, ID, MergedObject};
use sea_orm::EntityTrait;

use super::engine::fast_lists::Ordered;
use super::heavy::HeavyWork;
use super::ids::decode_id;
use super::require;
use super::types::{NodeObject, by_slug};
use crate::curation::{Curator, Operation, Step};
use crate::data::model::NodeModel;
use crate::graph::Kind;
use crate::graph::slug::is_slug;
use crate::keys::{Principal, Scope};
use crate::review;
use crate::{Error, Result};

pub use preview::Preview;

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

/// The input of a mutation that writes the graph: what it asks for, as an operation of the
/// curator, so that the field, a batch and a dry run all take it the same way.
pub(super) trait WriteInput {
    /// The operation asked for; a mistake in the input is the client's (`BAD_USER_INPUT`).
    fn operation(&self) -> Result<Operation>;
    /// Whether the input asks for a dry run.
    fn dry_run(&self) -> Option<bool>;
}

/// What a mutation's write made.
pub(super) struct Written {
    /// The catalog's revision after the write; in a dry run, the one it ran against (nothing
    /// changed).
    pub revision: i32,
    /// In a dry run, what the write would have changed.
    pub preview: Option<Ordered<Preview>>,
}

/// Runs the write `input` asks for as the field being resolved, for a `write` key.
pub(super) async fn write(
    ctx: &Context<'_>,
    input: &impl WriteInput,
) -> async_graphql::Result<Written> {
    let who = require(ctx, Scope::Write)?;
    let step = Step {
        name: operation(ctx).to_owned(),
        operation: input.operation()?,
    };
    run(ctx, who, &[step], false, input.dry_run().unwrap_or(false)).await
}

/// Runs `steps` (a `batch` as one) for real or, with `dry_run`, to see what they change.
pub(super) async fn run(
    ctx: &Context<'_>,
    who: &Principal,
    steps: &[Step],
    batch: bool,
    dry_run: bool,
) -> async_graphql::Result<Written> {
    let curator = curator(ctx)?;
    if !dry_run {
        let committed = curator.run(who, steps, batch).await?;
        return Ok(Written {
            revision: committed.revision,
            preview: None,
        });
    }
    // A dry run reads the whole graph twice: heavy work, which takes a place, unless the
    // request holds one already (a large read earlier in the document), which would
    // otherwise wait for itself.
    let heavy: &HeavyWork = super::schema_data(ctx)?;
    let _place = if super::loaders::loader(ctx)?.holds_place() {
        None
    } else {
        Some(heavy.place().await?)
    };
    let preview = review::dry_run(curator, who, steps, batch).await?;
    Ok(Written {
        revision: preview.revision,
        preview: Some(Ordered(Preview::of(preview))),
    })
}

mod batch;
mod edges;
mod inputs;
mod labels;
mod lifecycle;
mod lists;
mod nodes;
mod preview;
mod tree;

use batch::BatchMutations;
use edges::{
    RoleFrameworkMutations, RoleLanguageMutations, RoleSkillMutations, RoleToolMutations,
    SkillLanguageMutations, SkillPrerequisiteMutations, SkillRelationMutations, SkillToolMutations,
};
use labels::LabelMutations;
use lifecycle::LifecycleMutations;
use lists::{
    RoleFrameworksMutations, RoleLanguagesMutations, RoleSkillsMutations, RoleToolsMutations,
};
use nodes::{FrameworkMutations, LanguageMutations, RoleMutations, SkillMutations, ToolMutations};
use tree::TreeMutations;

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
    RoleSkillsMutations,
    RoleLanguagesMutations,
    RoleFrameworksMutations,
    RoleToolsMutations,
    TreeMutations,
    SkillPrerequisiteMutations,
    SkillLanguageMutations,
    SkillToolMutations,
    SkillRelationMutations,
    LifecycleMutations,
    LabelMutations,
    BatchMutations,
    super::releases::ReleaseMutations,
);

//! The root `Mutation` type: create, update and delete every kind of node, set and remove
//! every kind of edge, set a role's whole lists, move skills, deprecate and restore nodes.
//! Relay's conventions: one `input` argument, a payload with the changed nodes, the input's
//! `clientMutationId` and the catalog's new revision. Every
//! field is one transaction of [`crate::curation`], which checks the graph's rules.
//!
//! Every field needs a key with the `write` scope (`Authorization: Bearer <key>`).

use async_graphql::{Context, ID, MergedObject};
use sea_orm::EntityTrait;

use super::engine::fast_lists::Ordered;
use super::ids::decode_id;
use super::types::{NodeObject, by_slug};
use crate::curation::Curator;
use crate::data::model::NodeModel;
use crate::graph::Kind;
use crate::graph::slug::is_slug;
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

mod edges;
mod inputs;
mod lifecycle;
mod lists;
mod nodes;
mod tree;

use edges::{
    RoleFrameworkMutations, RoleLanguageMutations, RoleSkillMutations, RoleToolMutations,
    SkillLanguageMutations, SkillPrerequisiteMutations, SkillToolMutations,
};
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
    LifecycleMutations,
    super::releases::ReleaseMutations,
);

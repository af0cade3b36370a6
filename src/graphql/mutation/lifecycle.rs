//! `deprecateNode` and `restoreNode`: the lifecycle of every kind of node, named by global ID.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{Preview, WriteInput, slug_of, write};
use crate::curation::Operation;
use crate::curation::lifecycle::Deprecation;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::ids::decode_id;
use crate::graphql::types::{Node, node_by_id};
use crate::{Error, Result};

/// A node to deprecate, and what replaces it.
#[derive(InputObject)]
pub struct DeprecateNodeInput {
    /// The node's global ID.
    pub node: ID,
    /// The active nodes of the same kind that replace it, in order (global IDs or slugs);
    /// several for a split, none when nothing does.
    pub replaced_by: Option<Vec<ID>>,
    /// Why, for the people who still use it (up to 10,000 characters).
    pub note: Option<String>,
    /// Fail with `CONFLICT` unless the node is still at this version.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
    /// Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes.
    pub dry_run: Option<bool>,
}

/// A deprecated node to make active again.
#[derive(InputObject)]
pub struct RestoreNodeInput {
    /// The node's global ID.
    pub node: ID,
    /// Fail with `CONFLICT` unless the node is still at this version.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
    /// Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes.
    pub dry_run: Option<bool>,
}

/// The node after its status changed.
#[derive(SimpleObject)]
pub struct NodeStatusPayload {
    /// The node, with its new status.
    pub node: Option<Ordered<Node>>,
    /// The input's `clientMutationId`.
    pub client_mutation_id: Option<String>,
    /// The catalog's revision after the change (in a dry run, the one it ran against: nothing changed).
    pub revision: i32,
    /// With `dryRun: true`: what the write would change (it changed nothing). Null otherwise.
    pub preview: Option<Ordered<Preview>>,
}

impl WriteInput for DeprecateNodeInput {
    fn operation(&self) -> Result<Operation> {
        let (kind, slug) = decode_id(&self.node).map_err(|_| node_error(&self.node))?;
        let replaced_by = self
            .replaced_by
            .iter()
            .flatten()
            .map(|id| slug_of(kind, "replacedBy", id))
            .collect::<Result<Vec<_>>>()?;
        Ok(Operation::Deprecate {
            kind,
            slug,
            deprecation: Deprecation {
                replaced_by,
                note: self.note.clone(),
            },
            expected: self.expected_version,
        })
    }
    fn dry_run(&self) -> Option<bool> {
        self.dry_run
    }
}

impl WriteInput for RestoreNodeInput {
    fn operation(&self) -> Result<Operation> {
        let (kind, slug) = decode_id(&self.node).map_err(|_| node_error(&self.node))?;
        Ok(Operation::Restore {
            kind,
            slug,
            expected: self.expected_version,
        })
    }
    fn dry_run(&self) -> Option<bool> {
        self.dry_run
    }
}

impl PlainFields for NodeStatusPayload {}

/// The mutations of the lifecycle.
#[derive(Default)]
pub struct LifecycleMutations;

#[Object]
impl LifecycleMutations {
    /// Deprecates a node of any kind: it keeps its slug and ID and is still found by both,
    /// with `status: DEPRECATED`, but lists, search and answers leave it out unless asked
    /// (`includeDeprecated`). Deprecating a deprecated node again changes its replacements
    /// and note. Needs a `write` key.
    async fn deprecate_node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node, its replacements and why.")] input: DeprecateNodeInput,
    ) -> async_graphql::Result<Option<Ordered<NodeStatusPayload>>> {
        let written = write(ctx, &input).await?;
        let (kind, slug) = decode_id(&input.node).map_err(|_| node_error(&input.node))?;
        Ok(Some(Ordered(NodeStatusPayload {
            node: node_by_id(ctx, kind, slug).await?.map(Ordered),
            client_mutation_id: input.client_mutation_id,
            revision: written.revision,
            preview: written.preview,
        })))
    }

    /// Makes a deprecated node active again, without replacements. Needs a `write` key.
    async fn restore_node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node.")] input: RestoreNodeInput,
    ) -> async_graphql::Result<Option<Ordered<NodeStatusPayload>>> {
        let written = write(ctx, &input).await?;
        let (kind, slug) = decode_id(&input.node).map_err(|_| node_error(&input.node))?;
        Ok(Some(Ordered(NodeStatusPayload {
            node: node_by_id(ctx, kind, slug).await?.map(Ordered),
            client_mutation_id: input.client_mutation_id,
            revision: written.revision,
            preview: written.preview,
        })))
    }
}

fn node_error(id: &ID) -> Error {
    Error::invalid(
        "node",
        format!("node must be a global ID, got {:?}", id.as_str()),
    )
}

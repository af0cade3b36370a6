//! `setLabel` and `removeLabel`: a node's text in one locale, for every kind of node, named by
//! global ID.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{Preview, WriteInput, write};
use crate::curation::Operation;
use crate::graph::locales::Label;
use crate::graphql::engine::fast_lists::{Ordered, PlainFields};
use crate::graphql::ids::decode_id;
use crate::graphql::types::{Node, node_by_id};
use crate::{Error, Result};

/// A node's text in one locale.
#[derive(InputObject)]
pub struct SetLabelInput {
    /// The node's global ID.
    pub node: ID,
    /// A BCP 47 language tag, e.g. `de`, `pt-BR`, `uk`.
    pub locale: String,
    /// The name in this locale; required, except in the catalog's own locale (`en`), whose
    /// name is the node's (`update…`): there a label holds hidden aliases only.
    pub name: Option<String>,
    /// Other names in this locale, shown (up to 100).
    pub aliases: Option<Vec<String>>,
    /// Names found by search and extraction but never shown: misspellings, old terms (up to
    /// 100).
    pub hidden_aliases: Option<Vec<String>>,
    /// The description in this locale; absent: the next locale's is read.
    pub description: Option<String>,
    /// Fail with `CONFLICT` unless the node is still at this version.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
    /// Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes.
    pub dry_run: Option<bool>,
}

/// A node's label to remove.
#[derive(InputObject)]
pub struct RemoveLabelInput {
    /// The node's global ID.
    pub node: ID,
    /// The label's locale.
    pub locale: String,
    /// Fail with `CONFLICT` unless the node is still at this version.
    pub expected_version: Option<i32>,
    /// Any text; the payload returns it unchanged.
    pub client_mutation_id: Option<String>,
    /// Run the write, answer what it would change in the payload's `preview`, and roll it back: nothing changes.
    pub dry_run: Option<bool>,
}

/// The node after one of its labels changed.
#[derive(SimpleObject)]
pub struct LabelPayload {
    /// The node, with its labels as they are now.
    pub node: Option<Ordered<Node>>,
    /// The input's `clientMutationId`.
    pub client_mutation_id: Option<String>,
    /// The catalog's revision after the change (in a dry run, the one it ran against: nothing changed).
    pub revision: i32,
    /// With `dryRun: true`: what the write would change (it changed nothing). Null otherwise.
    pub preview: Option<Ordered<Preview>>,
}

impl PlainFields for LabelPayload {}

fn node_error(id: &ID) -> Error {
    Error::invalid(
        "node",
        format!("node must be a global ID, got {:?}", id.as_str()),
    )
}

impl WriteInput for SetLabelInput {
    fn operation(&self) -> Result<Operation> {
        let (kind, slug) = decode_id(&self.node).map_err(|_| node_error(&self.node))?;
        Ok(Operation::SetLabel {
            kind,
            slug,
            label: Label {
                locale: self.locale.clone(),
                name: self.name.clone(),
                aliases: self.aliases.clone().unwrap_or_default(),
                hidden: self.hidden_aliases.clone().unwrap_or_default(),
                description: self.description.clone(),
            },
            expected: self.expected_version,
        })
    }
    fn dry_run(&self) -> Option<bool> {
        self.dry_run
    }
}

impl WriteInput for RemoveLabelInput {
    fn operation(&self) -> Result<Operation> {
        let (kind, slug) = decode_id(&self.node).map_err(|_| node_error(&self.node))?;
        Ok(Operation::RemoveLabel {
            kind,
            slug,
            locale: self.locale.clone(),
            expected: self.expected_version,
        })
    }
    fn dry_run(&self) -> Option<bool> {
        self.dry_run
    }
}

/// The mutations of labels.
#[derive(Default)]
pub struct LabelMutations;

#[Object]
impl LabelMutations {
    /// Sets a node's label in one locale (any kind of node), replacing the one it had there:
    /// its name, aliases and description in that locale, and its hidden aliases. The node's
    /// slug never changes. Needs a `write` key.
    async fn set_label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node, the locale and the text.")] input: SetLabelInput,
    ) -> async_graphql::Result<Option<Ordered<LabelPayload>>> {
        let written = write(ctx, &input).await?;
        let (kind, slug) = decode_id(&input.node).map_err(|_| node_error(&input.node))?;
        Ok(Some(Ordered(LabelPayload {
            node: node_by_id(ctx, kind, slug).await?.map(Ordered),
            client_mutation_id: input.client_mutation_id,
            revision: written.revision,
            preview: written.preview,
        })))
    }

    /// Removes a node's label in one locale: its text there falls back to the next locale's
    /// again. Needs a `write` key.
    async fn remove_label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node and the locale.")] input: RemoveLabelInput,
    ) -> async_graphql::Result<Option<Ordered<LabelPayload>>> {
        let written = write(ctx, &input).await?;
        let (kind, slug) = decode_id(&input.node).map_err(|_| node_error(&input.node))?;
        Ok(Some(Ordered(LabelPayload {
            node: node_by_id(ctx, kind, slug).await?.map(Ordered),
            client_mutation_id: input.client_mutation_id,
            revision: written.revision,
            preview: written.preview,
        })))
    }
}

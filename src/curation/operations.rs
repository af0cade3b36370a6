//! The writes a curator makes, as values: each mutation makes one, a batch lists many, and
//! [`super::Curator::run`] applies them in one transaction. One enum, so that a batch and a
//! dry run take every write the API has without an edit of their own.

use super::edges::EdgeValues;
use super::fields::Draft;
use super::lifecycle::Deprecation;
use super::log::Change;
use super::nodes::Placement;
use super::{Write, edges, labels, lifecycle, lists, nodes};
use crate::Result;
use crate::graph::locales::Label;
use crate::graph::{EdgeKind, Kind};

/// One write to the graph. Slugs name the nodes; `expected` is the version the client read,
/// where the write takes one.
#[derive(Clone, Debug)]
pub enum Operation {
    CreateNode {
        kind: Kind,
        draft: Draft,
        placement: Option<Placement>,
    },
    UpdateNode {
        kind: Kind,
        slug: String,
        expected: Option<i32>,
        draft: Draft,
    },
    DeleteNode {
        kind: Kind,
        slug: String,
        expected: Option<i32>,
        cascade: bool,
    },
    SetEdge {
        edge: EdgeKind,
        owner: String,
        target: String,
        values: EdgeValues,
    },
    RemoveEdge {
        edge: EdgeKind,
        owner: String,
        target: String,
    },
    SetEdges {
        edge: EdgeKind,
        owner: String,
        items: Vec<(String, EdgeValues)>,
        expected: Option<i32>,
    },
    MoveSkill {
        skill: String,
        parent: Option<String>,
        position: Option<i32>,
        expected: Option<i32>,
    },
    Deprecate {
        kind: Kind,
        slug: String,
        deprecation: Deprecation,
        expected: Option<i32>,
    },
    Restore {
        kind: Kind,
        slug: String,
        expected: Option<i32>,
    },
    SetLabel {
        kind: Kind,
        slug: String,
        label: Label,
        expected: Option<i32>,
    },
    RemoveLabel {
        kind: Kind,
        slug: String,
        locale: String,
        expected: Option<i32>,
    },
}

/// One operation of a write with the name the change log gives it (the mutation's, e.g.
/// `setRoleSkill`).
#[derive(Clone, Debug)]
pub struct Step {
    pub name: String,
    pub operation: Operation,
}

impl Operation {
    /// The node the operation writes (for an edge, the node it belongs to): its kind and slug.
    pub fn node(&self) -> (Kind, &str) {
        match self {
            Operation::CreateNode { kind, draft, .. } => (*kind, draft.slug().unwrap_or("")),
            Operation::UpdateNode { kind, slug, .. }
            | Operation::DeleteNode { kind, slug, .. }
            | Operation::Deprecate { kind, slug, .. }
            | Operation::Restore { kind, slug, .. }
            | Operation::SetLabel { kind, slug, .. }
            | Operation::RemoveLabel { kind, slug, .. } => (*kind, slug),
            Operation::SetEdge { edge, owner, .. }
            | Operation::RemoveEdge { edge, owner, .. }
            | Operation::SetEdges { edge, owner, .. } => (edge.spec().owner.kind, owner),
            Operation::MoveSkill { skill, .. } => (Kind::Skill, skill),
        }
    }

    /// Applies the operation inside `write`: checks it against the graph as the write has
    /// made it so far, changes the rows, and says what changed for the change log.
    pub async fn apply(&self, write: &Write<'_>) -> Result<Change> {
        match self {
            Operation::CreateNode {
                kind,
                draft,
                placement,
            } => nodes::create_node(write, *kind, draft.clone(), placement.clone()).await,
            Operation::UpdateNode {
                kind,
                slug,
                expected,
                draft,
            } => nodes::update_node(write, *kind, slug, *expected, draft).await,
            Operation::DeleteNode {
                kind,
                slug,
                expected,
                cascade,
            } => nodes::delete_node(write, *kind, slug, *expected, *cascade).await,
            Operation::SetEdge {
                edge,
                owner,
                target,
                values,
            } => edges::set_edge(write, *edge, owner, target, *values).await,
            Operation::RemoveEdge {
                edge,
                owner,
                target,
            } => edges::remove_edge(write, *edge, owner, target).await,
            Operation::SetEdges {
                edge,
                owner,
                items,
                expected,
            } => lists::set_edges(write, *edge, owner, items, *expected).await,
            Operation::MoveSkill {
                skill,
                parent,
                position,
                expected,
            } => edges::move_skill(write, skill, parent.as_deref(), *position, *expected).await,
            Operation::Deprecate {
                kind,
                slug,
                deprecation,
                expected,
            } => lifecycle::deprecate(write, *kind, slug, deprecation, *expected).await,
            Operation::Restore {
                kind,
                slug,
                expected,
            } => lifecycle::restore(write, *kind, slug, *expected).await,
            Operation::SetLabel {
                kind,
                slug,
                label,
                expected,
            } => labels::set_label(write, *kind, slug, label, *expected).await,
            Operation::RemoveLabel {
                kind,
                slug,
                locale,
                expected,
            } => labels::remove_label(write, *kind, slug, locale, *expected).await,
        }
    }
}

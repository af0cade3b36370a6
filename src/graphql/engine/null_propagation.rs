//! Null propagation, as the GraphQL specification asks ("Handling Field Errors"): a field that
//! fails answers null; if its type does not allow null, its parent answers null instead, and
//! so on up to the nearest parent that may be null (or the whole `data`).
//!
//! async-graphql 7.2 does something else: the object holding a failed field leaves the field's
//! key out of its answer. Clients that normalise answers by the query's shape (Apollo Client,
//! Relay) then report a missing field and refetch. So every executed answer with field errors
//! passes through [`propagate`], which puts each failed field's null where the specification
//! puts it, using the query's selections (to map response keys to fields) and the schema's
//! types (to know what may be null). Answers without errors are not touched.

use std::sync::LazyLock;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Name, OutputType, PathSegment, Positioned, Response, Value};

use crate::graphql::mutation::Mutation;
use crate::graphql::query::Query;

/// The schema's output types, as the specification's type rules need them.
static TYPES: LazyLock<Registry> = LazyLock::new(|| {
    let mut registry = Registry::default();
    Query::create_type_info(&mut registry);
    Mutation::create_type_info(&mut registry);
    registry
});

/// Sets the failed fields of `response` (errors with a path) to null, propagating each null up
/// to the nearest nullable parent. `document` is the request's document, `operation_name`
/// the operation the request selected (if it named one).
pub fn propagate(
    response: &mut Response,
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) {
    let Some((root_type, selection_set)) = operation_selections(document, operation_name) else {
        return;
    };
    let paths: Vec<Vec<PathSegment>> = response
        .errors
        .iter()
        .filter(|error| !error.path.is_empty())
        .map(|error| error.path.clone())
        .collect();
    let mut targets = Vec::with_capacity(paths.len());
    for path in &paths {
        let nullable = nullability(&TYPES, document, root_type, selection_set, path);
        // The deepest position on the path that may be null takes the null; none: `data`.
        match nullable.iter().rposition(|nullable| *nullable) {
            Some(at) => targets.push(&path[..=at]),
            None => {
                response.data = Value::Null;
                return;
            }
        }
    }
    // Every root field failed: async-graphql answers `null` for the whole `data`, where
    // the specification answers an object of nulls.
    if response.data == Value::Null {
        response.data = Value::Object(Default::default());
    }
    for target in targets {
        set_null(&mut response.data, target);
    }
}

/// The selections of the operation a request runs.
fn operation_selections<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<(&'static str, &'d Positioned<SelectionSet>)> {
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name)?,
        (DocumentOperations::Multiple(operations), None) => operations.values().next()?,
    };
    let root = match operation.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    Some((root, &operation.node.selection_set))
}

/// For each position of `path` (a field, or an item of a list), whether its type allows
/// null. A position whose type cannot be found counts as nullable, so that an error about it
/// never erases more than the specification would.
fn nullability(
    registry: &Registry,
    document: &ExecutableDocument,
    root_type: &str,
    root: &Positioned<SelectionSet>,
    path: &[PathSegment],
) -> Vec<bool> {
    let mut nullable = Vec::with_capacity(path.len());
    let mut sets: Vec<&SelectionSet> = vec![&root.node];
    let mut parent_type = root_type.to_owned();
    // The type of the current position, as written in the schema (`[Role!]!`).
    let mut current = String::new();
    for segment in path {
        match segment {
            PathSegment::Field(key) => {
                let fields = fields_named(document, &sets, key);
                let Some(name) = fields.first().map(|field| field.0.clone()) else {
                    nullable.resize(path.len(), true);
                    return nullable;
                };
                let Some(ty) = field_type(registry, &parent_type, &name) else {
                    nullable.resize(path.len(), true);
                    return nullable;
                };
                sets = fields.iter().map(|field| field.1).collect();
                current = ty;
            }
            PathSegment::Index(_) => {
                current = match MetaTypeName::create(&current).unwrap_non_null() {
                    MetaTypeName::List(item) => item.to_owned(),
                    _ => {
                        nullable.resize(path.len(), true);
                        return nullable;
                    }
                };
            }
        }
        nullable.push(!MetaTypeName::create(&current).is_non_null());
        parent_type = MetaTypeName::concrete_typename(&current).to_owned();
    }
    nullable
}

/// The type of field `name` of `parent`; for an interface, of the first type implementing it
/// that has the field (a fragment on a concrete type can select fields the interface lacks).
fn field_type(registry: &Registry, parent: &str, name: &str) -> Option<String> {
    let ty = registry.types.get(parent)?;
    if let Some(field) = ty.field_by_name(name) {
        return Some(field.ty.clone());
    }
    match ty {
        MetaType::Interface { possible_types, .. } | MetaType::Union { possible_types, .. } => {
            possible_types.iter().find_map(|possible| {
                let field = registry.types.get(possible)?.field_by_name(name)?;
                Some(field.ty.clone())
            })
        }
        _ => None,
    }
}

/// The fields answered under response key `key` in `sets` (looking into fragments), each as
/// its field name and its own selections.
fn fields_named<'d>(
    document: &'d ExecutableDocument,
    sets: &[&'d SelectionSet],
    key: &str,
) -> Vec<(Name, &'d SelectionSet)> {
    let mut found = Vec::new();
    let mut pending: Vec<&SelectionSet> = sets.to_vec();
    // Fragment spreads are followed once each, so a (rejected) cycle cannot loop here.
    let mut spread: Vec<&Name> = Vec::new();
    while let Some(set) = pending.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) if field.node.response_key().node == key => {
                    found.push((field.node.name.node.clone(), &field.node.selection_set.node));
                }
                Selection::Field(_) => {}
                Selection::InlineFragment(fragment) => {
                    pending.push(&fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(spread_of) => {
                    let name = &spread_of.node.fragment_name.node;
                    if spread.contains(&name) {
                        continue;
                    }
                    spread.push(name);
                    if let Some(fragment) = document.fragments.get(name) {
                        pending.push(fragment_selections(fragment));
                    }
                }
            }
        }
    }
    found
}

fn fragment_selections(fragment: &Positioned<FragmentDefinition>) -> &SelectionSet {
    &fragment.node.selection_set.node
}

/// Sets the value at `path` to null, where the answer has come that far (a position already
/// nulled by another error is left as it is).
fn set_null(data: &mut Value, path: &[PathSegment]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = data;
    for segment in parents {
        let next = match (segment, at) {
            (PathSegment::Field(key), Value::Object(object)) => object.get_mut(key.as_str()),
            (PathSegment::Index(index), Value::List(items)) => items.get_mut(*index),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return,
        }
    }
    match (last, at) {
        (PathSegment::Field(key), Value::Object(object)) => {
            object.insert(Name::new(key), Value::Null);
        }
        (PathSegment::Index(index), Value::List(items)) => {
            if let Some(item) = items.get_mut(*index) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

//! Which operation a request runs, read from its parsed document.
//!
//! The document is parsed once, by [`async_graphql::Request::parsed_query`], which keeps the
//! parse in the request for execution to use. Everything the HTTP layer needs to know before
//! or after running it — whether a GET asks for a mutation, the operation's name for metrics,
//! whether an error is a syntax error — comes from that one parse.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType, Selection,
};
use async_graphql::{Name, Positioned, Value as ConstValue, Variables};

/// What is known of a request's operation before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Whether the document is valid GraphQL syntax.
    pub parses: bool,
    /// The selected operation's name: the request's `operationName`, or the name the
    /// document gives its only operation.
    pub name: Option<String>,
    /// The selected operation's type; `None` when the document does not parse or names no
    /// single operation to run (execution then reports why).
    pub kind: Option<OperationType>,
    /// How many writes the selected operation's root fields make, fragments at the root
    /// followed (each fragment once), a `batch` counting its operations: a mutation's count
    /// of writes, for the rate limit. At least 1.
    pub root_fields: usize,
}

/// How many writes a root field makes: a `batch` one per operation it lists (read from the
/// literal or the variables; 1 when the list cannot be read, the resolver then bounds it),
/// any other field one.
fn writes_of(field: &Field, variables: &Variables) -> usize {
    if field.name.node != "batch" {
        return 1;
    }
    // The argument with its variables put in (missing ones as null); a copy, but of what the
    // request sent, which the body limit bounds.
    let input = field.get_argument("input").and_then(|input| {
        input
            .node
            .clone()
            .into_const_with(|name| {
                Ok::<_, std::convert::Infallible>(
                    variables.get(&name).cloned().unwrap_or(ConstValue::Null),
                )
            })
            .ok()
    });
    match input {
        Some(ConstValue::Object(fields)) => match fields.get("operations") {
            Some(ConstValue::List(items)) => items.len().max(1),
            _ => 1,
        },
        _ => 1,
    }
}

/// The writes the root fields of `operation` make ([`writes_of`]), fragments at the root
/// level followed once each.
fn count_root_fields(
    document: &ExecutableDocument,
    operation: &OperationDefinition,
    variables: &Variables,
) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut sets = vec![&operation.selection_set.node];
    let mut count = 0_usize;
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    count = count.saturating_add(writes_of(&field.node, variables))
                }
                Selection::InlineFragment(inline) => sets.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if seen.insert(name.as_str())
                        && let Some(fragment) = document.fragments.get(name)
                    {
                        sets.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    count.max(1)
}

/// The operation a request runs, as async-graphql selects it, with its name.
fn selected<'d>(
    document: &'d ExecutableDocument,
    wanted: Option<&str>,
) -> Option<(Option<String>, &'d Positioned<OperationDefinition>)> {
    match (&document.operations, wanted) {
        (DocumentOperations::Single(operation), None) => Some((None, operation)),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(operations), Some(wanted)) => operations
            .get(wanted)
            .map(|operation| (Some(wanted.to_owned()), operation)),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .iter()
            .next()
            .map(|(name, operation)| (Some(name.to_string()), operation)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The response keys of the selected operation's root fields, in the query's order; `None`
/// when the root selection uses fragments or the document does not parse. Reads the parse the
/// request keeps, so it parses nothing again.
pub fn root_keys(request: &mut async_graphql::Request) -> Option<Vec<Name>> {
    let wanted = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let (_, operation) = selected(document, wanted.as_deref())?;
    let items = &operation.node.selection_set.node.items;
    // One root field is always in order.
    if items.len() < 2 {
        return None;
    }
    items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field) => Some(field.node.response_key().node.clone()),
            _ => None,
        })
        .collect()
}

/// Puts the root fields of `data` in the order of `keys` (async-graphql puts them in the
/// order they finish).
pub fn order_root(data: &mut async_graphql::Value, keys: &[Name]) {
    let async_graphql::Value::Object(fields) = data else {
        return;
    };
    if fields.keys().eq(keys.iter()) {
        return;
    }
    let mut ordered = async_graphql::indexmap::IndexMap::with_capacity(fields.len());
    for key in keys {
        if let Some(value) = fields.shift_remove(key) {
            ordered.insert(key.clone(), value);
        }
    }
    ordered.extend(std::mem::take(fields));
    *fields = ordered;
}

impl Operation {
    /// Parses the request's document (once: the parse stays in the request) and finds the
    /// operation it will run, the way async-graphql selects it.
    pub fn of(request: &mut async_graphql::Request) -> Operation {
        let wanted = request.operation_name.clone();
        // Moved out while the parse is borrowed, and back: no copy of what a client sent.
        let variables = std::mem::take(&mut request.variables);
        let operation = Self::of_parsed(request, wanted, &variables);
        request.variables = variables;
        operation
    }

    fn of_parsed(
        request: &mut async_graphql::Request,
        wanted: Option<String>,
        variables: &Variables,
    ) -> Operation {
        let Ok(document) = request.parsed_query() else {
            return Operation {
                parses: false,
                name: wanted,
                kind: None,
                root_fields: 1,
            };
        };
        let selected = selected(document, wanted.as_deref());
        match selected {
            Some((name, operation)) => Operation {
                parses: true,
                name,
                kind: Some(operation.node.ty),
                root_fields: count_root_fields(document, &operation.node, variables),
            },
            None => Operation {
                parses: true,
                name: wanted,
                kind: None,
                root_fields: 1,
            },
        }
    }

    /// Whether the operation writes: a mutation (what needs a key and counts for the write
    /// limit).
    pub fn is_mutation(&self) -> bool {
        self.kind == Some(OperationType::Mutation)
    }

    /// Whether the operation only reads (what GET may run).
    pub fn is_query(&self) -> bool {
        self.kind.is_none_or(|kind| kind == OperationType::Query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str, name: Option<&str>) -> Operation {
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = name {
            request = request.operation_name(name);
        }
        Operation::of(&mut request)
    }

    #[test]
    fn the_selected_operation_decides() {
        let two = "query A { roles { totalCount } } mutation B { x }";
        assert!(of(two, Some("A")).is_query());
        assert!(!of(two, Some("B")).is_query());
        assert_eq!(of(two, Some("B")).name.as_deref(), Some("B"));
        assert!(!of("# a comment\nmutation { x }", None).is_query());
        let with_bom = of("\u{feff}mutation M { x }", None);
        assert!(!with_bom.parses || !with_bom.is_query());
        assert!(!of("subscription { x }", None).is_query());
        assert!(of("{ mutation }", None).is_query());
        assert!(of("query mutation { x }", None).is_query());
        assert_eq!(
            of("query RoleTree { roles { totalCount } }", None)
                .name
                .as_deref(),
            Some("RoleTree")
        );
        assert!(!of("{ x", None).parses);
    }

    #[test]
    fn root_fields_count_every_write() {
        assert_eq!(of("mutation { a b c }", None).root_fields, 3);
        let spread = "mutation { ...W ...W ... on Mutation { d } } fragment W on Mutation { a b }";
        assert_eq!(
            of(spread, None).root_fields,
            3,
            "a fragment's fields run once"
        );
        let cyclic =
            "mutation { ...A } fragment A on Mutation { a ...B } fragment B on Mutation { b ...A }";
        assert_eq!(of(cyclic, None).root_fields, 2);
        assert_eq!(of("{ x", None).root_fields, 1);
        let inline =
            "mutation { batch(input: {operations: [{a: 1}, {b: 2}, {c: 3}]}) { revision } x }";
        assert_eq!(
            of(inline, None).root_fields,
            4,
            "a batch is as many writes as it lists"
        );
        let mut request = async_graphql::Request::new(
            "mutation($ops: [BatchOperation!]!) { batch(input: {operations: $ops}) { revision } }",
        )
        .variables(async_graphql::Variables::from_json(
            serde_json::json!({"ops": [{"a": 1}, {"b": 2}]}),
        ));
        assert_eq!(
            Operation::of(&mut request).root_fields,
            2,
            "from the variables too"
        );
    }
}

//! Gives every error async-graphql raises on its own an `extensions.code`, so that clients can
//! branch on the code of any error, not only on the ones our resolvers raise.
//!
//! This runs on the finished response rather than as a schema extension: any registered
//! extension wraps the resolution of every single field, which costs a few percent of the
//! server's time on large answers, while errors are rare.

use async_graphql::{Response, ServerError};

use super::operation::Operation;

/// The document is not valid GraphQL syntax.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// The document does not fit the schema (unknown field, wrong argument type, ...).
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
/// The document nests deeper than the depth limit.
pub const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
/// The document's cost exceeds the complexity limit.
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
/// The document is longer, or expands to more selections, aliases or directives, than the
/// limits allow (see `graphql/budget.rs`).
pub const QUERY_TOO_LARGE: &str = "QUERY_TOO_LARGE";
/// The server runs only its trusted documents, and this is not one of them (see
/// `graphql/trusted.rs`).
pub const UNTRUSTED_DOCUMENT: &str = "UNTRUSTED_DOCUMENT";
/// A value the client supplied cannot be used.
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

/// What async-graphql (the pinned version) says when a document exceeds the limits; errors
/// without a path are recognised by these exact texts. A test of each limit fails if an
/// upgrade changes them.
pub(super) const TOO_DEEP_MESSAGE: &str = "Query is nested too deep.";
pub(super) const TOO_COMPLEX_MESSAGE: &str = "Query is too complex.";

/// Sets `extensions.code` on every error of `response` that has none. `operation` tells
/// whether the request's document parsed at all.
pub fn add_codes(response: &mut Response, operation: &Operation) {
    for error in &mut response.errors {
        if has_code(error) {
            continue;
        }
        let code = if !error.path.is_empty() {
            // An error at a field that no resolver of ours raised: async-graphql could not
            // use a value the client gave for an argument.
            BAD_USER_INPUT
        } else if !operation.parses {
            PARSE_FAILED
        } else if error.message == TOO_DEEP_MESSAGE {
            QUERY_TOO_DEEP
        } else if error.message == TOO_COMPLEX_MESSAGE {
            QUERY_TOO_COMPLEX
        } else {
            VALIDATION_FAILED
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

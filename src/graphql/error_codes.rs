//! Gives every error async-graphql raises on its own an `extensions.code`, so that clients can
//! branch on the code of any error, not only the ones our resolvers raise.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

/// The document is not valid GraphQL syntax.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// The document does not fit the schema (unknown field, wrong argument type, ...).
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
/// The document nests deeper than the depth limit.
pub const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
/// The document's cost exceeds the complexity limit.
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
/// A value the client supplied cannot be used.
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

fn with_code(mut error: ServerError, code: &str) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
    error
}

fn validation_code(error: &ServerError) -> &'static str {
    if error.message.contains("nested too deep") {
        QUERY_TOO_DEEP
    } else if error.message.contains("too complex") {
        QUERY_TOO_COMPLEX
    } else {
        VALIDATION_FAILED
    }
}

/// The extension to register on the schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        // Whatever is still without a code came from coercing the client's values.
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(|error| with_code(error, BAD_USER_INPUT))
            .collect();
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables)
            .await
            .map_err(|error| with_code(error, PARSE_FAILED))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| {
                    let code = validation_code(&error);
                    with_code(error, code)
                })
                .collect()
        })
    }
}

//! Telling a client by how much its query is over the limits. async-graphql refuses a query
//! that is too deep or too costly with a fixed text; the depth and cost it computed are only
//! handed to schema extensions. Registering one on the serving schema would wrap every field
//! of every request, so a second schema with the same types and a single extension, which
//! only validates, measures a refused query again; refusals are rare, and cheap to validate.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{Response, ServerError, ValidationResult, Variables};

use super::error_codes::{
    QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, TOO_COMPLEX_MESSAGE, TOO_DEEP_MESSAGE,
};
use crate::graphql::limits::{self, Limits, ListSizes};
use crate::graphql::{AppSchema, schema_builder};

/// Where the measuring extension leaves what it measured: `(cost, depth)`.
#[derive(Clone, Default)]
struct Measured(Arc<Mutex<Option<(usize, usize)>>>);

/// Validates, keeps the cost and depth, and stops: the measuring schema runs nothing.
struct MeasureExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for MeasureExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(Measured(slot)) = ctx.data_opt::<Measured>()
            && let Ok(mut slot) = slot.lock()
        {
            *slot = Some((result.complexity, result.depth));
        }
        Err(vec![ServerError::new("measured", None)])
    }
}

impl ExtensionFactory for MeasureExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MeasureExtension)
    }
}

/// The schema that measures: the serving schema's types, no limits, the measuring extension.
pub fn measuring_schema() -> AppSchema {
    schema_builder().extension(MeasureExtension).finish()
}

/// Whether `response` is a refusal for depth or cost.
pub fn is_refused_for_limits(response: &Response) -> bool {
    response.errors.iter().any(|error| {
        error.path.is_empty()
            && (error.message == TOO_COMPLEX_MESSAGE || error.message == TOO_DEEP_MESSAGE)
    })
}

/// Validates `query` on the measuring schema: its cost and depth, or none if it does not
/// validate (execution says why).
pub async fn measure(
    measuring: &AppSchema,
    (limits, sizes): (Limits, ListSizes),
    query: &str,
    operation_name: Option<&str>,
    variables: Variables,
) -> Option<(usize, usize)> {
    let measured = Measured::default();
    let mut request = async_graphql::Request::new(query)
        .variables(variables)
        .data(measured.clone());
    if let Some(name) = operation_name {
        request = request.operation_name(name);
    }
    limits::with_pricing(limits, sizes, measuring.execute(request)).await;
    measured.0.lock().ok().and_then(|slot| *slot)
}

/// The refusal of one operation of a batch whose operations together cost more than the
/// complexity limit: the batch shares one allowance, as one request.
pub fn refuse_in_batch(cost: usize, spent: usize, limit: usize) -> Response {
    let message = format!(
        "the operations of a batch share one allowance of {limit}: this one costs {cost}, \
         and the operations before it {spent}; send it in a request of its own or ask for \
         smaller pages"
    );
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", QUERY_TOO_COMPLEX);
    extensions.set("cost", cost as u64);
    extensions.set("batchCost", spent as u64);
    extensions.set("limit", limit as u64);
    let mut error = ServerError::new(message, None);
    error.extensions = Some(extensions);
    Response::from_errors(vec![error])
}

/// Measures the query of a refused request and says, in its errors, how deep or costly it is
/// and what the limits are.
pub async fn explain(
    measuring: &AppSchema,
    (limits, sizes): (Limits, ListSizes),
    response: &mut Response,
    query: &str,
    operation_name: Option<&str>,
    variables: Variables,
) {
    let Some((cost, depth)) =
        measure(measuring, (limits, sizes), query, operation_name, variables).await
    else {
        return;
    };
    for error in &mut response.errors {
        let (message, code, value, limit) = if error.message == TOO_COMPLEX_MESSAGE {
            (
                format!(
                    "the query's cost is {cost}, above the limit of {}: a connection counts its \
                     selection once for each item it may return (its `first`, or the default \
                     page size), so ask for smaller pages or fewer nested lists",
                    limits.max_complexity
                ),
                QUERY_TOO_COMPLEX,
                cost,
                limits.max_complexity,
            )
        } else if error.message == TOO_DEEP_MESSAGE {
            (
                format!(
                    "the query nests {depth} levels deep, deeper than the limit of {}",
                    limits.max_query_depth
                ),
                QUERY_TOO_DEEP,
                depth,
                limits.max_query_depth,
            )
        } else {
            continue;
        };
        error.message = message;
        let extensions = error.extensions.get_or_insert_with(Default::default);
        extensions.set("code", code);
        let field = if code == QUERY_TOO_COMPLEX {
            "cost"
        } else {
            "depth"
        };
        extensions.set(field, value as u64);
        extensions.set("limit", limit as u64);
    }
}

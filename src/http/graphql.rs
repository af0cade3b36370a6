//! The GraphQL endpoint: POST and GET requests, batches, and the answers GraphQL over HTTP
//! gives them.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::persisted::PersistedError;
use super::protocol::{self, BadRequest, MediaType, Operations};
use super::{AppState, caching, ides};
use crate::graphql::{Operation, add_codes, request_loader};

/// The answer when the database is not ready yet, recorded for every operation refused.
fn unavailable<'a>(
    state: &AppState,
    requests: impl IntoIterator<Item = &'a async_graphql::Request>,
    media: MediaType,
) -> Response {
    for request in requests {
        let operation = request.operation_name.as_deref();
        let codes = std::iter::once("SERVICE_UNAVAILABLE");
        state
            .metrics
            .record_request(operation, "unavailable", codes, Duration::ZERO);
    }
    let message = "the service is starting or its database is unreachable, please retry";
    protocol::error(
        StatusCode::SERVICE_UNAVAILABLE,
        message,
        "SERVICE_UNAVAILABLE",
        media,
    )
}

/// Runs one GraphQL operation with a DataLoader of its own and gives every error a code.
async fn execute(state: &AppState, mut request: async_graphql::Request) -> async_graphql::Response {
    if let Err(error) = state.persisted.resolve(&mut request) {
        return persisted_error(&error);
    }
    let operation = Operation::of(&mut request);
    execute_parsed(state, request, operation).await
}

/// Like [`execute`], for a request whose operation has been read already.
async fn execute_parsed(
    state: &AppState,
    request: async_graphql::Request,
    operation: Operation,
) -> async_graphql::Response {
    let started = std::time::Instant::now();
    let request = request.data(request_loader(state.db.clone()));
    let mut response = state.api.execute(request).await;
    if response.is_err() {
        add_codes(&mut response, &operation);
    }
    let codes = response.errors.iter().filter_map(|error| {
        let extensions = error.extensions.as_ref()?;
        match extensions.get("code")? {
            async_graphql::Value::String(code) => Some(code.as_str()),
            _ => None,
        }
    });
    let outcome = if response.is_ok() { "ok" } else { "error" };
    state
        .metrics
        .record_request(operation.name.as_deref(), outcome, codes, started.elapsed());
    response
}

/// Runs one operation and answers it as `media`.
async fn answer_one(
    state: &AppState,
    request: async_graphql::Request,
    media: MediaType,
) -> Response {
    if !state.is_prepared() {
        return unavailable(state, [&request], media);
    }
    protocol::answer(&execute(state, request).await, media)
}

/// Runs a batch's operations side by side and answers them in their order.
async fn answer_batch(
    state: &AppState,
    requests: Vec<async_graphql::Request>,
    media: MediaType,
) -> Response {
    if !state.is_prepared() {
        return unavailable(state, &requests, media);
    }
    let runs = requests.into_iter().map(|request| execute(state, request));
    let responses = async_graphql::futures_util::future::join_all(runs).await;
    protocol::answer_batch(&responses, media)
}

/// The answer to a request whose `Accept` allows no JSON type.
fn not_acceptable() -> Response {
    let message = "accept application/graphql-response+json or application/json";
    protocol::error(
        StatusCode::NOT_ACCEPTABLE,
        message,
        "BAD_REQUEST",
        MediaType::Json,
    )
}

/// The answer to a request that is not a GraphQL request.
fn bad_request(BadRequest(message): BadRequest, media: MediaType) -> Response {
    protocol::error(StatusCode::BAD_REQUEST, &message, "BAD_REQUEST", media)
}

pub(super) async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = protocol::negotiate(&headers) else {
        return not_acceptable();
    };
    if !protocol::is_json_body(&headers) {
        let message = "send the request as Content-Type: application/json";
        return protocol::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message,
            "BAD_REQUEST",
            media,
        );
    }
    let answer = match protocol::from_json_body(&body, usize::from(state.http.max_batch_size)) {
        Ok(Operations::Single(request)) => answer_one(&state, *request, media).await,
        Ok(Operations::Batch(requests)) => answer_batch(&state, requests, media).await,
        Err(bad) => bad_request(bad, media),
    };
    caching::no_store(answer)
}

/// GET runs a query given in the URL; a browser that opens `/graphql` without one gets GraphiQL.
pub(super) async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && uri.query().is_none_or(str::is_empty) {
        return ides::graphiql().await.into_response();
    }
    let Some(media) = protocol::negotiate(&headers) else {
        return not_acceptable();
    };
    let mut request = match protocol::from_query_string(uri.query().unwrap_or_default()) {
        Ok(request) => request,
        Err(bad) => return bad_request(bad, media),
    };
    if let Err(error) = state.persisted.resolve(&mut request) {
        return protocol::answer(&persisted_error(&error), media);
    }
    let operation = Operation::of(&mut request);
    if !operation.is_query() {
        let message = "only queries may be sent over GET; send mutations with POST";
        let mut response = protocol::error(
            StatusCode::METHOD_NOT_ALLOWED,
            message,
            "BAD_REQUEST",
            media,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if !state.is_prepared() {
        return unavailable(&state, [&request], media);
    }
    let response = execute_parsed(&state, request, operation).await;
    let answer = protocol::answer(&response, media);
    if response.is_ok() {
        caching::cacheable(answer, &headers, state.http.cache_max_age).await
    } else {
        caching::no_store(answer)
    }
}

/// The answer to a request whose persisted query cannot be used: nothing ran.
fn persisted_error(error: &PersistedError) -> async_graphql::Response {
    let (message, code) = error.message_and_code();
    let mut error = async_graphql::ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    async_graphql::Response::from_errors(vec![error])
}

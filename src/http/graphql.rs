//! The GraphQL endpoint: POST and GET requests, batches, and the answers GraphQL over HTTP
//! gives them. WebSocket upgrades of `GET /graphql` go to [`websocket`], which
//! async-graphql-axum serves.
//!
//! POST and GET are our own rather than async-graphql-axum's `GraphQLRequest` /
//! `GraphQLResponse`: those answer every request `200 application/json` (the GraphQL-over-HTTP
//! audit wants `400` for a document that does not parse or validate under
//! `application/graphql-response+json`, `406` for an unacceptable `Accept`, `415` for a body
//! that is not JSON, and it warns on the rest), accept mutations over GET, and leave no place
//! for what runs before execution here: the API key and the write rate limit (401 and 429
//! before anything runs), persisted queries, and the operation read from the one parse.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::persisted::Registration;
use super::protocol::{self, BadRequest, MediaType, Operations};
use super::{AppState, access, caching, ides, websocket};
use crate::auth::Caller;
use crate::graphql::locales::Speech;
use crate::graphql::{Operation, add_codes};

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

/// The answer to a write (or a subscription) sent to a release's endpoint.
fn read_only() -> async_graphql::Response {
    let error = async_graphql::ServerError::new(
        "a release is read-only: send writes to /graphql, and subscribe there",
        None,
    );
    let mut response = async_graphql::Response::from_errors(vec![error]);
    if let Some(error) = response.errors.first_mut() {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "FORBIDDEN");
    }
    response
}

/// A request made ready to run: its persisted document resolved and its operation read.
struct Ready {
    request: async_graphql::Request,
    operation: Operation,
    /// A persisted query's document to remember once it has run past validation.
    registration: Option<(Registration, String)>,
}

/// Resolves the document a request names (a persisted query's hash, a `documentId`) and
/// reads its operation; a name that names no usable document is answered at once.
fn ready(
    state: &AppState,
    mut request: async_graphql::Request,
) -> Result<Ready, Box<async_graphql::Response>> {
    let registration = match state.persisted.resolve(state.api.trusted(), &mut request) {
        Ok(registration) => registration.map(|registration| (registration, request.query.clone())),
        Err(error) => return Err(Box::new(error.to_response())),
    };
    let operation = Operation::of(&mut request);
    Ok(Ready {
        request,
        operation,
        registration,
    })
}

impl Ready {
    /// Says who sends the request, for the resolvers and the checks before them (the trusted
    /// documents' admin exception, a batch's shared allowance).
    fn sent_by(&mut self, caller: &Caller) {
        self.request.data.insert(caller.clone());
    }
}

/// Runs one operation (its caller in its data, see [`Ready::sent_by`]) and gives every error
/// a code.
async fn execute_parsed(
    state: &AppState,
    ready: Ready,
    speech: Arc<Speech>,
) -> async_graphql::Response {
    let Ready {
        request,
        operation,
        registration,
    } = ready;
    let started = std::time::Instant::now();
    let mut response = state.api.execute_speaking(request, speech).await;
    if let Some((registration, document)) = registration
        && !protocol::is_request_error(&response)
    {
        state.persisted.register(registration, &document);
    }
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

/// Runs a POST's operations (side by side for a batch) and answers them in their order, once
/// [`access::admit`] lets them run.
async fn answer_posted(
    state: &AppState,
    requests: Vec<async_graphql::Request>,
    batch: bool,
    caller: Caller,
    address: IpAddr,
    (media, speech): (MediaType, Arc<Speech>),
) -> Response {
    if !state.is_prepared() {
        return unavailable(state, &requests, media);
    }
    let mut runs: Vec<(usize, Ready)> = Vec::with_capacity(requests.len());
    let mut answered = Vec::new();
    for (at, request) in requests.into_iter().enumerate() {
        match ready(state, request) {
            Ok(ready) if state.read_only && !ready.operation.is_query() => {
                answered.push((at, read_only()));
            }
            Ok(ready) => runs.push((at, ready)),
            Err(response) => answered.push((at, *response)),
        }
    }
    let operations: Vec<&Operation> = runs.iter().map(|(_, ready)| &ready.operation).collect();
    if let Err(refused) = access::admit(state, &caller, &operations, address, media) {
        return *refused;
    }
    for (_, ready) in &mut runs {
        ready.sent_by(&caller);
    }
    if runs.len() > 1 {
        let requests = runs
            .iter_mut()
            .map(|(_, ready)| &mut ready.request)
            .collect();
        // Boxed: a batch's measuring is a large future, and kept inline it would make every
        // request's handler future as large, which is copied as a whole when it is boxed.
        let refusals = Box::pin(state.api.share_allowance(requests)).await;
        let mut admitted = Vec::with_capacity(runs.len());
        for ((at, ready), refusal) in runs.into_iter().zip(refusals) {
            match refusal {
                Some(refused) => answered.push((at, refused)),
                None => admitted.push((at, ready)),
            }
        }
        runs = admitted;
    }
    let futures = runs.into_iter().map(|(at, ready)| {
        let speech = speech.clone();
        async move { (at, execute_parsed(state, ready, speech).await) }
    });
    let mut responses = async_graphql::futures_util::future::join_all(futures).await;
    responses.extend(answered);
    responses.sort_by_key(|(at, _)| *at);
    let responses: Vec<async_graphql::Response> = responses
        .into_iter()
        .map(|(_, response)| response)
        .collect();
    let answer = match (batch, responses.first()) {
        (false, Some(response)) => protocol::answer(response, media, state.http.max_answer_bytes),
        _ => protocol::answer_batch(&responses, media, state.http.max_answer_bytes),
    };
    spoken(answer, &speech)
}

/// The locales a request asks for, from its `Accept-Language`.
fn speech_of(state: &AppState, headers: &HeaderMap) -> Arc<Speech> {
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    state.api.speech(accept_language)
}

/// Says in `Content-Language` what locales the answer's texts came in (the catalog's, `en`,
/// for a request that read no other).
fn spoken(mut answer: Response, speech: &Speech) -> Response {
    if let Ok(value) = HeaderValue::from_str(&speech.content_language()) {
        answer.headers_mut().insert(header::CONTENT_LANGUAGE, value);
    }
    answer
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
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
    let operations = match protocol::from_json_body(&body, usize::from(state.http.max_batch_size)) {
        Ok(operations) => operations,
        Err(bad) => return caching::no_store(bad_request(bad, media)),
    };
    let caller = match access::caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(refused) => return caching::no_store(refused.response(media)),
    };
    let speaking = (media, speech_of(&state, &headers));
    let answer = match operations {
        Operations::Single(request) => {
            answer_posted(&state, vec![*request], false, caller, peer.ip(), speaking).await
        }
        Operations::Batch(requests) => {
            answer_posted(&state, requests, true, caller, peer.ip(), speaking).await
        }
    };
    caching::no_store(answer)
}

/// GET runs a query given in the URL; a browser that opens `/graphql` without one gets GraphiQL.
/// A WebSocket upgrade is the subscription endpoint (see [`websocket`]).
pub(super) async fn graphql_get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    if parts.headers.contains_key(header::UPGRADE) {
        if state.read_only {
            let message = "a release is read-only: subscribe at /graphql";
            return caching::no_store((StatusCode::BAD_REQUEST, message).into_response());
        }
        return websocket::upgrade(state, &mut parts, peer.ip()).await;
    }
    let (headers, uri) = (parts.headers, parts.uri);
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && uri.query().is_none_or(str::is_empty) {
        return ides::graphiql().await.into_response();
    }
    let Some(media) = protocol::negotiate(&headers) else {
        return caching::no_store(not_acceptable());
    };
    let request = match protocol::from_query_string(uri.query().unwrap_or_default()) {
        Ok(request) => request,
        Err(bad) => return caching::no_store(bad_request(bad, media)),
    };
    // A miss must not be kept: the client sends the document next, and the same URL then
    // has an answer.
    let mut ready = match ready(&state, request) {
        Ok(ready) => ready,
        Err(response) => {
            let answer = protocol::answer(&response, media, state.http.max_answer_bytes);
            return caching::no_store(answer);
        }
    };
    if !ready.operation.is_query() {
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
        return caching::no_store(response);
    }
    if !state.is_prepared() {
        return caching::no_store(unavailable(&state, [&ready.request], media));
    }
    let caller = match access::caller(&state, &headers).await {
        Ok(caller) => caller,
        Err(refused) => return caching::no_store(refused.response(media)),
    };
    if let Err(refused) = access::admit(&state, &caller, &[&ready.operation], peer.ip(), media) {
        return caching::no_store(*refused);
    }
    let speech = speech_of(&state, &headers);
    ready.sent_by(&caller);
    let response = execute_parsed(&state, ready, speech.clone()).await;
    let answer = protocol::answer(&response, media, state.http.max_answer_bytes);
    let answer = spoken(answer, &speech);
    if response.is_ok() {
        // An answer to a keyed request (the admin's change log, or any read of a server that
        // needs keys) is for that client alone: no shared cache may keep it.
        let audience = if caller.0.is_some() || state.http.require_key_for_reads {
            caching::Audience::Private
        } else {
            caching::Audience::Public
        };
        caching::cacheable(answer, &headers, state.http.cache_max_age, audience).await
    } else {
        caching::no_store(answer)
    }
}

//! HTTP: mounts the schema and the IDEs, plus health and readiness probes, behind the
//! protections every public endpoint needs (body-size limit, request timeout, CORS) and a
//! request ID that ties a client's report to the server's log lines.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::http::{GraphQLPlaygroundConfig, GraphiQLSource, playground_source};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::db::{self, Db};
use crate::graphql::{Api, Operation, add_codes, request_loader};
use crate::metrics;
use crate::protocol::{self, BadRequest, MediaType, Operations};

/// The header that carries a request's ID, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Protections of the HTTP layer.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The largest request body accepted; larger ones get `413 Payload Too Large`.
    pub max_body_bytes: usize,
    /// How long a request may take; slower ones are abandoned with `503 Service Unavailable`.
    pub request_timeout: Duration,
    /// The most operations a batch (a JSON array of requests) may hold.
    pub max_batch_size: u16,
    /// Origins allowed to call the API from a browser (`*` for any); none by default.
    pub cors_origins: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_batch_size: 10,
            cors_origins: Vec::new(),
        }
    }
}

impl HttpConfig {
    /// The CORS policy, or `None` when no origin is allowed (no CORS headers at all).
    fn cors(&self) -> Option<CorsLayer> {
        if self.cors_origins.is_empty() {
            return None;
        }
        let origins = if self.cors_origins.iter().any(|origin| origin == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                self.cors_origins
                    .iter()
                    .filter_map(|origin| HeaderValue::from_str(origin).ok()),
            )
        };
        Some(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::ACCEPT, REQUEST_ID])
                .expose_headers([REQUEST_ID])
                .max_age(Duration::from_secs(600)),
        )
    }
}

/// What every handler shares: the schema and the database pool.
#[derive(Clone)]
pub struct AppState {
    pub api: Api,
    pub db: Db,
    pub http: HttpConfig,
    /// Whether the database has been migrated and seeded; until then GraphQL answers
    /// `SERVICE_UNAVAILABLE` and `/ready` says no.
    pub prepared: Arc<AtomicBool>,
    /// Counts requests by operation, with a bounded set of operation names.
    pub metrics: metrics::RequestMetrics,
}

impl AppState {
    fn is_prepared(&self) -> bool {
        self.prepared.load(Ordering::Acquire)
    }
}

/// All routes of the service, behind the HTTP protections of `state.http`.
pub fn router(state: AppState) -> Router {
    let http = state.http.clone();
    let routes = Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/playground", get(playground))
        .route("/schema.graphql", get(schema_sdl))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics_text))
        .with_state(state);
    let routes = match http.cors() {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    // Layers run outside in: the request gets its ID first, so that every log line of it,
    // including the timeout's and the size limit's, carries the ID.
    routes
        .layer(DefaultBodyLimit::max(http.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(http.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            http.request_timeout,
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|id| id.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

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

async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
    match protocol::from_json_body(&body, usize::from(state.http.max_batch_size)) {
        Ok(Operations::Single(request)) => answer_one(&state, *request, media).await,
        Ok(Operations::Batch(requests)) => answer_batch(&state, requests, media).await,
        Err(bad) => bad_request(bad, media),
    }
}

/// GET runs a query given in the URL; a browser that opens `/graphql` without one gets GraphiQL.
async fn graphql_get(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && uri.query().is_none_or(str::is_empty) {
        return graphiql().await.into_response();
    }
    let Some(media) = protocol::negotiate(&headers) else {
        return not_acceptable();
    };
    let mut request = match protocol::from_query_string(uri.query().unwrap_or_default()) {
        Ok(request) => request,
        Err(bad) => return bad_request(bad, media),
    };
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
    protocol::answer(&execute_parsed(&state, request, operation).await, media)
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("skillgraph")
            .finish(),
    )
}

async fn playground() -> Html<String> {
    Html(playground_source(
        GraphQLPlaygroundConfig::new("/graphql").title("skillgraph"),
    ))
}

async fn schema_sdl() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::graphql::sdl(),
    )
}

/// Prometheus metrics.
async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&state.db),
    )
}

/// Liveness: the process answers.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too.
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if state.is_prepared() && db::ping(&state.db).await {
        (StatusCode::OK, Json(json!({ "status": "ready" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": "database unreachable" })),
        )
    }
}

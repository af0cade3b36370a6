//! HTTP: mounts the schema and the IDEs, plus health and readiness probes, behind the
//! protections every public endpoint needs (body-size limit, request timeout, CORS) and a
//! request ID that ties a client's report to the server's log lines.

mod access;
mod assets;
mod caching;
mod config;
mod explore;
mod graphql;
mod ides;
mod persisted;
mod pinned;
mod probes;
mod protocol;
mod releases;
mod websocket;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::routing::get;
use tower_http::CompressionLevel;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use access::RateLimiter;
pub use config::HttpConfig;
pub use persisted::PersistedQueries;
pub use websocket::SocketAddresses;

use crate::curation::Curator;
use crate::db::Db;
use crate::graphql::Api;
use crate::metrics;

/// The header that carries a request's ID, both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What every handler shares: the schema and the database pool.
#[derive(Clone)]
pub struct AppState {
    pub api: Api,
    /// Runs the writes; its events feed the subscriptions.
    pub curator: Curator,
    pub db: Db,
    pub http: HttpConfig,
    /// Whether the database has been migrated and seeded; until then GraphQL answers
    /// `SERVICE_UNAVAILABLE` and `/ready` says no.
    pub prepared: Arc<AtomicBool>,
    /// Counts requests by operation, with a bounded set of operation names.
    pub metrics: metrics::RequestMetrics,
    /// The documents of automatic persisted queries seen so far.
    pub persisted: persisted::PersistedQueries,
    /// Writes per key and per address.
    pub write_limiter: access::RateLimiter,
    /// Reads per key and per address (off unless configured).
    pub read_limiter: access::RateLimiter,
    /// The WebSocket connections this replica may still take.
    pub websockets: Arc<tokio::sync::Semaphore>,
    /// The WebSocket connections each client address holds.
    pub socket_addresses: websocket::SocketAddresses,
    /// The releases open for `/releases/{name}/graphql`.
    pub releases: pinned::Pinned,
    /// Whether this state serves a release: writes and subscriptions are refused.
    pub read_only: bool,
}

impl AppState {
    pub(super) fn is_prepared(&self) -> bool {
        self.prepared.load(Ordering::Acquire)
    }
}

/// Logs a failed response. `503 Service Unavailable` is what the service is meant to say
/// while its database is being prepared or is out of reach (`/ready` says it to every probe
/// until then), and the cause is logged where it is known; so it is not logged as an error.
fn log_failure(failure: ServerErrorsFailureClass, latency: Duration, _span: &tracing::Span) {
    match failure {
        ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
            tracing::debug!(?latency, "service unavailable");
        }
        failure => tracing::error!(%failure, ?latency, "response failed"),
    }
}

/// All routes of the service, behind the HTTP protections of `state.http`.
pub fn router(state: AppState) -> Router {
    let http = state.http.clone();
    let routes = Router::new()
        .route("/", get(ides::graphiql))
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/playground", get(ides::playground))
        .route("/assets/{*path}", get(assets::asset))
        .route("/explore", get(explore::page))
        .route("/roles/{slug}/roadmap.svg", get(explore::roadmap_svg))
        .route("/releases/{file}", get(releases::release_json))
        .route(
            "/releases/{name}/graphql",
            get(pinned::pinned_get).post(pinned::pinned_post),
        )
        .route("/schema.graphql", get(ides::schema_sdl))
        .route("/health", get(probes::health))
        .route("/ready", get(probes::ready))
        .route("/metrics", get(probes::metrics_text))
        .with_state(state);
    let routes = match http.cors() {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    // Layers run outside in: the request gets its ID first, so that every log line of it,
    // including the timeout's and the size limit's, carries the ID.
    // gzip only: at the fastest level it took 16 % more instructions for the benchmark's N
    // (67 KB to 9.1 KB) where brotli took 27 % and gave 9.9 KB.
    let compression = CompressionLayer::new()
        .no_br()
        .quality(CompressionLevel::Fastest)
        .compress_when(DefaultPredicate::new().and(SizeAbove::new(http.compress_above)));
    routes
        .layer(compression)
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
        })
        .on_failure(log_failure))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

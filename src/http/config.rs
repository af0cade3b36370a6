//! What the HTTP layer is configured with: body and batch limits, the request timeout, and
//! the origins a browser may call from.

use std::time::Duration;

use axum::http::{HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::REQUEST_ID;

/// Protections of the HTTP layer.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The largest request body accepted; larger ones get `413 Payload Too Large`.
    pub max_body_bytes: usize,
    /// The largest answer sent; a larger one is replaced by an `ANSWER_TOO_LARGE` error.
    pub max_answer_bytes: usize,
    /// How long a request may take; slower ones are abandoned with `503 Service Unavailable`.
    pub request_timeout: Duration,
    /// The most operations a batch (a JSON array of requests) may hold.
    pub max_batch_size: u16,
    /// Origins allowed to call the API from a browser (`*` for any); none by default.
    pub cors_origins: Vec<String>,
    /// How long browsers and CDNs may keep a GET answer (`Cache-Control: max-age`).
    pub cache_max_age: Duration,
    /// Answers (and assets) larger than this many bytes are compressed for clients that
    /// accept it; smaller ones gain too little to pay for it.
    pub compress_above: u16,
    /// Whether reading needs an API key too (writing always does).
    pub require_key_for_reads: bool,
    /// Writes per second each key and each address may make on average (0: no limit)...
    pub write_rate: u32,
    /// ...and at once.
    pub write_burst: u32,
    /// Read operations per second each key and each address may make on average (0, the
    /// default: no limit)...
    pub read_rate: u32,
    /// ...and at once.
    pub read_burst: u32,
    /// The most WebSocket connections this replica holds open.
    pub max_websockets: usize,
    /// The most subscriptions one WebSocket connection runs at once.
    pub max_subscriptions: usize,
    /// The most operations of any kind (queries included) one connection runs at once.
    pub max_socket_operations: usize,
    /// The most WebSocket connections one client address may hold on this replica.
    pub max_websockets_per_address: usize,
    /// How long a new connection has to send `connection_init`.
    pub websocket_init_timeout: Duration,
    /// How often the server pings each connection.
    pub websocket_keepalive: Duration,
    /// How long a connection may stay silent (no message, no pong) before it is closed.
    pub websocket_idle_timeout: Duration,
    /// The most bytes of persisted-query documents this replica remembers.
    pub persisted_query_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 1024 * 1024,
            max_answer_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_batch_size: 10,
            cors_origins: Vec::new(),
            cache_max_age: Duration::from_secs(60),
            compress_above: 1024,
            require_key_for_reads: false,
            write_rate: 20,
            write_burst: 40,
            read_rate: 0,
            read_burst: 100,
            max_websockets: 10_000,
            max_subscriptions: 100,
            max_socket_operations: 100,
            max_websockets_per_address: 100,
            websocket_init_timeout: Duration::from_secs(10),
            websocket_keepalive: Duration::from_secs(15),
            websocket_idle_timeout: Duration::from_secs(60),
            persisted_query_bytes: super::persisted::DEFAULT_CAPACITY_BYTES,
        }
    }
}

impl HttpConfig {
    /// The CORS policy, or `None` when no origin is allowed (no CORS headers at all).
    pub(super) fn cors(&self) -> Option<CorsLayer> {
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
                .allow_headers([
                    header::CONTENT_TYPE,
                    header::ACCEPT,
                    header::AUTHORIZATION,
                    REQUEST_ID,
                ])
                .expose_headers([REQUEST_ID])
                .max_age(Duration::from_secs(600)),
        )
    }
}

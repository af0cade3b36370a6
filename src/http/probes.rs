//! What operators and their tools ask: liveness, readiness, and Prometheus metrics.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use serde_json::json;

use super::{AppState, access, caching};
use crate::db;
use crate::keys::Scope;
use crate::metrics;

/// Prometheus metrics. On a server that needs keys for reads they need an `admin` key
/// (Prometheus sends one with `authorization: { credentials: ... }` in its scrape config):
/// operation names and error counts are the operator's business.
pub(super) async fn metrics_text(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = access::gate(&state, &headers, Some(Scope::Admin)).await {
        return caching::no_store(*refused);
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&state.db),
    )
        .into_response()
}

/// Liveness: the process answers.
pub(super) async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too.
pub(super) async fn ready(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if state.is_prepared() && db::ping(&state.db).await {
        (StatusCode::OK, Json(json!({ "status": "ready" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": "database unreachable" })),
        )
    }
}

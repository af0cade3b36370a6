//! What operators and their tools ask: liveness, readiness, and Prometheus metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json};
use serde_json::json;

use super::AppState;
use crate::db;
use crate::metrics;

/// Prometheus metrics.
pub(super) async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&state.db),
    )
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

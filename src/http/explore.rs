//! The roadmap explorer (`/explore`) and the roadmap diagrams it draws, which are also served
//! on their own for embedding (`/roles/{slug}/roadmap.svg`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::{AppState, access, caching};
use crate::graph::slug::is_slug;
use crate::roadmap;

/// `GET /explore`: the explorer page; it reads the catalog through the GraphQL API.
pub(super) async fn page() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-cache")],
        Html(include_str!("pages/explore.html")),
    )
}

/// `GET /roles/{slug}/roadmap.svg`: a role's roadmap as an SVG diagram.
pub(super) async fn roadmap_svg(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = access::gate(&state, &headers, None).await {
        return caching::no_store(*refused);
    }
    if !is_slug(&slug) {
        return (StatusCode::NOT_FOUND, "no such role").into_response();
    }
    match roadmap::role_svg(&state.db, &slug).await {
        Ok(Some(svg)) => {
            let scope = if state.http.require_key_for_reads {
                "private"
            } else {
                "public"
            };
            let cache = format!("{scope}, max-age={}", state.http.cache_max_age.as_secs());
            let mut response = ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response();
            if let Ok(value) = HeaderValue::from_str(&cache) {
                response.headers_mut().insert(header::CACHE_CONTROL, value);
            }
            response
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no such role").into_response(),
        Err(err) => {
            let status = if err.code() == "SERVICE_UNAVAILABLE" {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                tracing::error!(detail = %err.detail(), "drawing a roadmap failed");
                StatusCode::INTERNAL_SERVER_ERROR
            };
            (status, "the roadmap cannot be drawn right now").into_response()
        }
    }
}

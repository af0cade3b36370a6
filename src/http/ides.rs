//! The pages a person opens in a browser: GraphiQL, GraphQL Playground, and the SDL.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};

use super::{AppState, access, caching};

/// GraphiQL, from files served by this server (see `assets.rs`).
pub(super) async fn graphiql() -> impl IntoResponse {
    page(include_str!("pages/graphiql.html"))
}

/// GraphQL Playground, likewise.
pub(super) async fn playground() -> impl IntoResponse {
    page(include_str!("pages/playground.html"))
}

/// An HTML page; browsers check back for a newer one each time (its assets are cached).
fn page(html: &'static str) -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-cache")], Html(html))
}

/// The SDL says what introspection says, so it is as open as introspection is: on a server
/// that needs keys for reads, it needs one too. The IDE pages above hold no data and read
/// nothing without the key a person types into them, so they stay open.
pub(super) async fn schema_sdl(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = access::gate(&state, &headers, None).await {
        return caching::no_store(*refused);
    }
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::graphql::sdl(),
    )
        .into_response()
}

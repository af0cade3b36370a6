//! The pages a person opens in a browser: GraphiQL, GraphQL Playground, and the SDL.

use axum::http::header;
use axum::response::{Html, IntoResponse};

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

pub(super) async fn schema_sdl() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::graphql::sdl(),
    )
}

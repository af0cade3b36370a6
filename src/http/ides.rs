//! The pages a person opens in a browser: GraphiQL, GraphQL Playground, and the SDL.

use async_graphql::http::{GraphQLPlaygroundConfig, GraphiQLSource, playground_source};
use axum::http::header;
use axum::response::{Html, IntoResponse};

pub(super) async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("skillgraph")
            .finish(),
    )
}

pub(super) async fn playground() -> Html<String> {
    Html(playground_source(
        GraphQLPlaygroundConfig::new("/graphql").title("skillgraph"),
    ))
}

pub(super) async fn schema_sdl() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::graphql::sdl(),
    )
}

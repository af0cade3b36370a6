//! HTTP: mounts the schema and the IDEs, plus health and readiness probes.

use async_graphql::http::{GraphQLPlaygroundConfig, GraphiQLSource, playground_source};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse, rejection::GraphQLRejection};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

use crate::db::{self, Db};
use crate::graphql::{AppSchema, Limits, add_codes, build_schema, request_loader};

/// What every handler shares: the schema and the database pool.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: Db,
}

impl AppState {
    pub fn new(db: Db, limits: Limits) -> Self {
        AppState {
            schema: build_schema(db.clone(), limits),
            db,
        }
    }
}

/// All routes of the service.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/playground", get(playground))
        .route("/schema.graphql", get(schema_sdl))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .with_state(state)
}

/// Runs one GraphQL request with a DataLoader of its own, and gives every error a code.
async fn execute(state: &AppState, request: async_graphql::Request) -> GraphQLResponse {
    let query = request.query.clone();
    let request = request.data(request_loader(state.db.clone()));
    let mut response = state.schema.execute(request).await;
    if response.is_err() {
        add_codes(&mut response, &query);
    }
    response.into()
}

async fn graphql_post(State(state): State<AppState>, request: GraphQLRequest) -> GraphQLResponse {
    execute(&state, request.into_inner()).await
}

/// GET runs a query given in the URL; a browser that opens `/graphql` without one gets GraphiQL.
async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && uri.query().is_none_or(str::is_empty) {
        return graphiql().await.into_response();
    }
    match request {
        Ok(request) => execute(&state, request.into_inner()).await.into_response(),
        Err(rejection) => rejection.into_response(),
    }
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

async fn schema_sdl(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.schema.sdl(),
    )
}

/// Liveness: the process answers.
async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers too.
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if db::ping(&state.db).await {
        (StatusCode::OK, Json(json!({ "status": "ready" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": "database unreachable" })),
        )
    }
}

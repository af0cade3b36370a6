//! The GraphQL schema: object types, loaders and resolvers. HTTP only mounts it (`http.rs`).

mod connections;
mod enums;
mod error_codes;
mod ids;
mod loaders;
mod pagination;
mod query;
mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use error_codes::add_codes;
pub use loaders::{RequestLoader, request_loader};
pub use pagination::Limits;
pub use query::Query;

use crate::db::Db;

/// The schema type served by skillgraph.
pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema over a database. The pool and the limits live in the schema data; the
/// DataLoader does not: each request brings its own (see [`request_loader`]).
pub fn build_schema(db: Db, limits: Limits) -> AppSchema {
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(db)
        .data(limits)
        .limit_depth(limits.max_query_depth)
        .limit_complexity(limits.max_complexity);
    if limits.introspection {
        schema.finish()
    } else {
        schema.disable_introspection().finish()
    }
}

/// The schema in SDL, as `schema.graphql` holds it and `skillgraph schema` prints it.
pub fn sdl() -> String {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}

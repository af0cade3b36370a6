//! The GraphQL schema: object types, loaders and resolvers. HTTP only mounts it (`http.rs`).

mod connections;
mod enums;
mod error_codes;
mod ids;
mod limits;
mod loaders;
mod operation;
mod pagination;
mod plain;
mod query;
mod types;

use std::sync::LazyLock;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};

pub use error_codes::add_codes;
pub use limits::Limits;
pub use loaders::{RequestLoader, request_loader};
pub use operation::Operation;
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

/// The schema together with the limits it was built with: every request runs with those
/// limits in force, including the cost functions that async-graphql calls while validating.
#[derive(Clone)]
pub struct Api {
    schema: AppSchema,
    limits: Limits,
}

impl Api {
    pub fn new(db: Db, limits: Limits) -> Self {
        Api {
            schema: build_schema(db, limits),
            limits,
        }
    }

    /// Validates and runs one request.
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        limits::with_limits(self.limits, self.schema.execute(request)).await
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }
}

/// The description introspection gives the schema (`__schema { description }`). async-graphql
/// answers this fixed text for every schema; the SDL states it too, so that a schema built from
/// introspection (graphql-js `buildClientSchema`, codegen, schema-diff tools) equals the SDL.
pub const SCHEMA_DESCRIPTION: &str = "A GraphQL Schema defines the capabilities of a GraphQL \
    server. It exposes all available types and directives on the server, as well as the entry \
    points for query, mutation, and subscription operations.";

/// The schema in SDL, as `schema.graphql` holds it, `skillgraph schema` prints it and
/// `/schema.graphql` serves it. Built once: it cannot change while the process runs.
pub fn sdl() -> &'static str {
    static SDL: LazyLock<String> = LazyLock::new(|| {
        let mut sdl = Schema::build(Query, EmptyMutation, EmptySubscription)
            .finish()
            .sdl();
        let description = format!("\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"\n");
        match sdl.rfind("\nschema {") {
            Some(at) => sdl.insert_str(at + 1, &description),
            None => sdl.push_str(&format!("{description}schema {{\n\tquery: Query\n}}\n")),
        }
        sdl
    });
    &SDL
}

//! skillgraph: a GraphQL service over a graph of job roles, skills, programming languages,
//! frameworks and tools.
//!
//! The crate is a library with a thin binary on top: [`graphql::build_schema`] builds the
//! schema over a database, [`http::router`] mounts it on HTTP, and [`cli`] wires both to the
//! command line.

pub mod catalog;
pub mod cli;
pub mod db;
mod error;
pub mod generator;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod protocol;
pub mod service;
pub mod startup;
pub mod store;

pub use error::{Error, Result};

//! skillgraph: a GraphQL service over a graph of job roles, skills, programming languages,
//! frameworks and tools.
//!
//! The crate is a library with a thin binary on top: [`graphql::Api`] is the schema over a
//! database, [`http::router`] mounts it on HTTP, [`startup::Application`] builds the whole
//! service, and [`cli`] wires it to the command line.

pub mod analysis;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod curation;
pub mod data;
pub mod db;
mod error;
pub mod esco;
pub mod generator;
pub mod graph;
pub mod graphql;
pub mod http;
pub mod keys;
pub mod metrics;
pub mod releases;
pub mod review;
pub mod roadmap;
pub mod startup;

pub use error::{Error, Rejection, Result};

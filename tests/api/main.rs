//! The integration suite: one binary, a real server per test, each over a fresh database.
//! Tests declared with `backend_tests!` run on SQLite and, when
//! `SKILLGRAPH_TEST_POSTGRES_URL` is set, on PostgreSQL too.

mod helpers;
mod scratch;

mod access;
mod answer_limits;
mod answers;
mod batch_allowance;
mod batches;
mod caching;
mod catalog_queries;
mod change_feed;
mod database_faults;
mod document_limits;
mod errors;
mod esco;
mod esco_languages;
mod export;
mod fuzz;
mod generated_graph;
mod graphql_over_http;
mod groups;
mod hostile_input;
mod http_endpoints;
mod key_commands;
mod layers;
mod lifecycle;
mod list_items;
mod list_mutations;
mod locales;
mod measures;
mod migrations;
mod mutations;
mod next_steps;
mod ordering;
mod pagination;
mod private_access;
mod races;
mod releases;
mod roadmaps;
mod rows;
mod schema_file;
mod seeding;
mod shutdown;
mod statement_counts;
mod subscriptions;
mod trusted_documents;
mod websocket_limits;
mod writers;

//! Data access, between the GraphQL resolvers and the database: every SQL statement the API
//! runs is built here, and each one serves a whole batch of parents at once; `bulk` holds the
//! whole-database writes of the catalog loader and the generator.

pub mod bulk;
pub mod lists;
pub mod model;
pub mod nodes;
pub mod rows;
pub mod sources;
pub mod sql;
pub mod tree;

pub use lists::{EdgeData, Filter, Item, List, Page, PageArgs, SortKey};
pub use rows::NodeColumns;

//! The thin layer between GraphQL resolvers and SeaORM: every SQL statement the API runs is
//! built here, and each one serves a whole batch of parents at once.

pub mod lists;
pub mod nodes;
pub mod rows;
pub mod sql;
pub mod tree;

pub use lists::{EdgeData, Filter, Item, List, Page, PageArgs, SortKey};
pub use rows::NodeColumns;

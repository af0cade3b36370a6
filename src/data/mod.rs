//! Data access, between the GraphQL resolvers and the database: every statement the API's
//! reads run is built here, and each one serves a whole batch of parents at once; `bulk` holds
//! the whole-database writes of the catalog loader and the generator, `cycles` the reads
//! that look for a cycle and `lifecycle` those that check replacements. The writes of one node or edge are `curation`'s (with the graph's
//! rules they check), written with the statement writer of [`sql`].

pub mod bulk;
pub mod cycles;
pub mod labels;
pub mod lifecycle;
pub mod lists;
pub mod model;
pub mod nodes;
pub mod rows;
pub mod sources;
pub mod sql;
pub mod tree;

pub use lists::{EdgeData, Filter, Item, List, Page, PageArgs, SortKey};
pub use rows::{Columns, NodeColumns};

//! The catalog format (TOML or JSON), in which the built-in catalog is written and the whole
//! graph is exported and imported: parsed and checked, loaded into an empty database, read
//! back out.

mod checks;
mod edges;
mod export;
mod load;
pub mod model;
pub mod releases;
mod values;

pub use edges::{CatalogEdge, EdgeEntry};
pub use export::{export, export_all};
pub use load::{SeedOutcome, import, import_with, replace, seed};
pub use model::{Catalog, NodeEntry};

/// The catalog text shipped in the binary.
pub const BUILT_IN: &str = include_str!("catalog.toml");

/// Parses and checks the built-in catalog.
pub fn built_in() -> crate::Result<Catalog> {
    Catalog::parse(BUILT_IN)
}

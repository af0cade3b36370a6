//! The built-in catalog: a TOML file compiled into the binary, checked, and loaded into an
//! empty database.

mod load;
mod model;

pub use load::{SeedOutcome, seed};
pub use model::Catalog;

/// The catalog text shipped in the binary.
pub const BUILT_IN: &str = include_str!("catalog.toml");

/// Parses and checks the built-in catalog.
pub fn built_in() -> crate::Result<Catalog> {
    Catalog::parse(BUILT_IN)
}

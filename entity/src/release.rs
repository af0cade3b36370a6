//! A named release: the graph as it was at one revision, kept for good.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "release")]
pub struct Model {
    /// Unique and never reused, e.g. `2026.12` or `v1.2.0`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// The catalog's revision the release names.
    pub revision: i32,
    /// When it was made, in milliseconds since the Unix epoch.
    pub at: i64,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// How many nodes of each kind it holds, as a JSON object.
    #[sea_orm(column_type = "Text")]
    pub counts: String,
    /// The SHA-256 of the snapshot's JSON, in hex: its strong ETag.
    pub digest: String,
    /// The graph in the catalog export's JSON, gzip-compressed.
    #[sea_orm(column_type = "Blob")]
    pub snapshot: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

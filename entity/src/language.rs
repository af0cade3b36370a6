//! A programming language.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "language")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lowercase kebab-case, unique within the table, stable forever.
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Other names people use, as a JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub aliases: String,
    /// Grows by one with every change to the node or its edges (optimistic concurrency).
    pub version: i32,
    /// When the node was deprecated, in milliseconds since the Unix epoch; `None` while it is
    /// active. A deprecated node keeps its slug and ID and is found by both.
    pub deprecated_at: Option<i64>,
    /// Why it was deprecated, for the people who still use it.
    #[sea_orm(column_type = "Text", nullable)]
    pub deprecation_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

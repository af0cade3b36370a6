//! One entry of the change log: one write, and the revision it made.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalog_change")]
pub struct Model {
    /// The catalog's revision after this change; counts up by one per change.
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// The name of the API key that made the change.
    pub key_name: String,
    /// What was done: the mutation's name, e.g. `updateSkill`.
    pub operation: String,
    /// The kind of the node changed (for an edge: the node it belongs to), e.g. `Skill`.
    pub kind: String,
    pub slug: String,
    /// The changed fields before the change, as a JSON object; `None` for a creation.
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    /// The changed fields after the change, as a JSON object; `None` for a deletion.
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

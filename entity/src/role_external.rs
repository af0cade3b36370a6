//! Where a role came from, when an import made it: the source concept's URI and ISCO group.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_external")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub role_id: i32,
    /// The concept's URI in its source, unique: an import finds its roles again by it.
    #[sea_orm(unique)]
    pub uri: String,
    /// The ISCO-08 unit group the occupation belongs to, e.g. `2512`.
    pub isco_group: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

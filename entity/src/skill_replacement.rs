//! A deprecated skill is replaced by another skill (several, in order, for a split).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_replacement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub replacement_id: i32,
    /// Order of the replacement among those of the same `skill_id`.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A skill is practised in a language.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_language")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub language_id: i32,
    /// Order of the edge among the edges of the same `skill_id` (unique per `skill_id`).
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

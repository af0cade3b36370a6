//! A role needs a skill, with an importance and a level (`None`: the source gives none).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_skill")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub role_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    /// Order of the edge among the edges of the same `role_id` (unique per `role_id`).
    pub position: i32,
    pub importance: crate::Importance,
    pub level: Option<crate::Proficiency>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

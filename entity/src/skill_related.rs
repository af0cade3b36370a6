//! A skill related to another (ESCO's skill-to-skill relations): essential or optional to it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_related")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub related_id: i32,
    /// Order of the relation among those of the same `skill_id`.
    pub position: i32,
    pub importance: crate::Importance,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Where a skill came from, when an import made it: the source concept's URI, its type and
//! reuse level, and the broader concepts that did not become its parent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_external")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: i32,
    /// The concept's URI in its source, unique: an import finds its skills again by it.
    #[sea_orm(unique)]
    pub uri: String,
    pub skill_type: Option<crate::SkillType>,
    pub reuse_level: Option<crate::ReuseLevel>,
    /// The URIs of the broader concepts other than the parent, as a JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub other_broader: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A key that lets a client write (or administer). Only a hash of the key is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Who or what holds the key; it names the key in the change log.
    #[sea_orm(unique)]
    pub name: String,
    /// `write` or `admin`.
    pub scope: String,
    /// The key's public beginning, by which a presented key is found.
    #[sea_orm(unique)]
    pub prefix: String,
    /// SHA-256 of the whole key, as lowercase hex.
    pub hash: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// When the key was revoked, in milliseconds since the Unix epoch.
    pub revoked_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Database migrations of skillgraph. They run on `skillgraph serve` and `skillgraph migrate`;
//! `cargo run -p migration -- <command>` is SeaORM's usual migration CLI over the same list.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_create_catalog;
mod m20261123_000001_curation;
mod m20261124_000001_esco;
mod m20261202_000001_lifecycle;
mod m20261203_000001_batches;
mod m20261204_000001_labels;
mod m20261205_000001_skill_relations;
mod m20261206_000001_name_order;
mod m20261207_000001_measures;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_catalog::Migration),
            Box::new(m20261123_000001_curation::Migration),
            Box::new(m20261124_000001_esco::Migration),
            Box::new(m20261202_000001_lifecycle::Migration),
            Box::new(m20261203_000001_batches::Migration),
            Box::new(m20261204_000001_labels::Migration),
            Box::new(m20261205_000001_skill_relations::Migration),
            Box::new(m20261206_000001_name_order::Migration),
            Box::new(m20261207_000001_measures::Migration),
        ]
    }
}

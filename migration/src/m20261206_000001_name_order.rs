//! Lists sorted by name (`orderBy: [{field: NAME, ...}]`): an index on `(name, slug)` of each
//! node table, the order such a list reads in (the slug breaks ties), so that a page of it
//! is an index walk that stops after the page rather than a sort of the whole table. The
//! graph's measures (how many roles need a skill) are counted through the edge tables'
//! existing indexes on either end and need none.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The node tables.
const TABLES: [&str; 5] = ["role", "skill", "language", "framework", "tool"];

fn index_name(table: &str) -> String {
    format!("idx_{table}_name_slug")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .create_index(
                    Index::create()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .col(Alias::new("name"))
                        .col(Alias::new("slug"))
                        .if_not_exists()
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name(table))
                        .table(Alias::new(table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

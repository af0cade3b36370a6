//! Batches: one change-log entry for many writes. `catalog_change_node` lists, for every
//! entry that changed several nodes at once (a batch), each node it changed, so that a node's
//! history finds the batches that changed it through an index rather than by reading every
//! entry's text. An entry about one node keeps saying so in its own `kind` and `slug`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn name(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(name("catalog_change_node"))
                    .if_not_exists()
                    .col(string_len(name("kind"), 16))
                    .col(string_len(name("slug"), 128))
                    .col(integer(name("revision")))
                    .primary_key(
                        Index::create()
                            .col(name("kind"))
                            .col(name("slug"))
                            .col(name("revision")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_catalog_change_node_revision")
                            .from(name("catalog_change_node"), name("revision"))
                            .to(name("catalog_change"), name("revision"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(name("catalog_change_node"))
                    .if_exists()
                    .take(),
            )
            .await
    }
}

//! Labels in every locale: `role_label`, `skill_label`, `language_label`, `framework_label`
//! and `tool_label` hold, for each node and locale, its name, aliases and description in that
//! locale, and the hidden labels (ESCO's `hiddenLabels`: misspellings and old terms, for
//! search and extraction only, never shown). The text already in the node rows stays there
//! and becomes the catalog locale's (`en`): a label of that locale holds hidden labels only,
//! so its `name` is null. One table per kind, like the replacement tables, so that a foreign
//! key removes a node's labels with it (a skill's subtree's too).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn name(s: &str) -> Alias {
    Alias::new(s)
}

/// The node tables that get a label table.
const KINDS: [&str; 5] = ["role", "skill", "language", "framework", "tool"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for kind in KINDS {
            let table = format!("{kind}_label");
            manager
                .create_table(
                    Table::create()
                        .table(name(&table))
                        .if_not_exists()
                        .col(integer(name("node_id")))
                        .col(string_len(name("locale"), 35))
                        .col(text_null(name("name")))
                        .col(text(name("aliases")).default("[]"))
                        .col(text(name("hidden")).default("[]"))
                        .col(text_null(name("description")))
                        .primary_key(Index::create().col(name("node_id")).col(name("locale")))
                        .foreign_key(
                            ForeignKey::create()
                                .name(format!("fk_{table}_node"))
                                .from(name(&table), name("node_id"))
                                .to(name(kind), name("id"))
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .take(),
                )
                .await?;
            // Counting a locale's labels (`catalog { locales }`) and reading one locale's.
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_locale"))
                        .table(name(&table))
                        .col(name("locale"))
                        .if_not_exists()
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for kind in KINDS {
            manager
                .drop_table(
                    Table::drop()
                        .table(name(&format!("{kind}_label")))
                        .if_exists()
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

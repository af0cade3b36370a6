//! A node's lifecycle: a node is deprecated rather than deleted, keeps its slug and ID, and
//! may name the nodes of its kind that replace it.
//!
//! - Every node table gains `deprecated_at` (milliseconds since the Unix epoch; null while
//!   the node is active) and `deprecation_note`. A node's status is whether `deprecated_at`
//!   is set, so it cannot disagree with the time. Existing rows stay active.
//! - `role_replacement`, `skill_replacement`, … hold each deprecated node's replacements in
//!   order, an edge table like the others (its primary key starts with the deprecated node, an
//!   index covers the replacement), so that the catalog, the checks and the lists treat it as
//!   they treat every edge kind.
//! - `release` keeps each named release: the revision it names, when, its notes and counts,
//!   and the graph as it was then (the catalog export's JSON, gzip-compressed, with the
//!   SHA-256 of the JSON for its strong ETag). `released_node` lists every node some
//!   release holds, by kind and slug, so that a deletion can be refused in one lookup.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const NODE_TABLES: [&str; 5] = ["role", "skill", "language", "framework", "tool"];

fn name(s: &str) -> Alias {
    Alias::new(s)
}

fn replacement_table(node: &str) -> String {
    format!("{node}_replacement")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for node in NODE_TABLES {
            // One column per statement: SQLite's ALTER TABLE adds one at a time.
            for column in [
                big_integer_null(name("deprecated_at")),
                text_null(name("deprecation_note")),
            ] {
                manager
                    .alter_table(Table::alter().table(name(node)).add_column(column).take())
                    .await?;
            }
            let table = replacement_table(node);
            let owner = format!("{node}_id");
            let key = |column: &str| {
                ForeignKey::create()
                    .name(format!("fk_{table}_{column}"))
                    .from(name(&table), name(column))
                    .to(name(node), name("id"))
                    .on_delete(ForeignKeyAction::Cascade)
                    .take()
            };
            manager
                .create_table(
                    Table::create()
                        .table(name(&table))
                        .if_not_exists()
                        .col(integer(name(&owner)))
                        .col(integer(name("replacement_id")))
                        .col(integer(name("position")))
                        .primary_key(
                            Index::create()
                                .col(name(&owner))
                                .col(name("replacement_id")),
                        )
                        .foreign_key(&mut key(&owner))
                        .foreign_key(&mut key("replacement_id"))
                        .take(),
                )
                .await?;
            for (columns, unique) in [
                (vec![owner.as_str(), "position"], true),
                (vec!["replacement_id"], false),
            ] {
                let mut index = Index::create();
                index
                    .name(format!("idx_{table}_{}", columns.join("_")))
                    .table(name(&table))
                    .if_not_exists();
                for column in columns {
                    index.col(name(column));
                }
                if unique {
                    index.unique();
                }
                manager.create_index(index.take()).await?;
            }
        }
        manager
            .create_table(
                Table::create()
                    .table(name("release"))
                    .if_not_exists()
                    .col(string_len(name("name"), 64).primary_key())
                    .col(integer(name("revision")))
                    .col(big_integer(name("at")))
                    .col(text(name("notes")))
                    .col(text(name("counts")))
                    .col(string_len(name("digest"), 64))
                    .col(blob(name("snapshot")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(name("released_node"))
                    .if_not_exists()
                    .col(string_len(name("kind"), 16))
                    .col(string_len(name("slug"), 128))
                    .primary_key(Index::create().col(name("kind")).col(name("slug")))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["released_node", "release"] {
            manager
                .drop_table(Table::drop().table(name(table)).if_exists().take())
                .await?;
        }
        for node in NODE_TABLES {
            manager
                .drop_table(
                    Table::drop()
                        .table(name(&replacement_table(node)))
                        .if_exists()
                        .take(),
                )
                .await?;
            for column in ["deprecated_at", "deprecation_note"] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(name(node))
                            .drop_column(name(column))
                            .take(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}

//! Curation through the API: a `version` on every node for optimistic concurrency, API keys
//! (only their hashes), the change log, and the catalog's revision.
//!
//! The revision lives in a one-row table that every write updates last in its transaction:
//! that row's lock orders the writers, so revisions count up in commit order and a reader that
//! has seen revision `n` has seen every change up to `n` (a sequence would not promise this:
//! two transactions may commit in the other order than they drew their numbers).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const NODE_TABLES: [&str; 5] = ["role", "skill", "language", "framework", "tool"];

fn name(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in NODE_TABLES {
            // Existing rows start at version 1, as new ones do.
            manager
                .alter_table(
                    Table::alter()
                        .table(name(table))
                        .add_column(integer(name("version")).default(1))
                        .take(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(name("api_key"))
                    .if_not_exists()
                    .col(pk_auto(name("id")))
                    .col(string_len_uniq(name("name"), 128))
                    .col(string_len(name("scope"), 16))
                    // The key's public prefix, by which it is looked up; the rest is secret.
                    .col(string_len_uniq(name("prefix"), 32))
                    // SHA-256 of the whole key, hex.
                    .col(string_len(name("hash"), 64))
                    .col(big_integer(name("created_at")))
                    .col(big_integer_null(name("revoked_at")))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(name("catalog_change"))
                    .if_not_exists()
                    .col(integer(name("revision")).primary_key())
                    .col(big_integer(name("at")))
                    .col(string_len(name("key_name"), 128))
                    .col(string_len(name("operation"), 64))
                    .col(string_len(name("kind"), 16))
                    .col(string_len(name("slug"), 128))
                    .col(text_null(name("before")))
                    .col(text_null(name("after")))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_catalog_change_kind_slug")
                    .table(name("catalog_change"))
                    .col(name("kind"))
                    .col(name("slug"))
                    .col(name("revision"))
                    .if_not_exists()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_catalog_change_at")
                    .table(name("catalog_change"))
                    .col(name("at"))
                    .if_not_exists()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(name("catalog_state"))
                    .if_not_exists()
                    .col(integer(name("id")).primary_key())
                    .col(integer(name("revision")))
                    .col(big_integer_null(name("updated_at")))
                    .take(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(name("catalog_state"))
                    .columns([name("id"), name("revision")])
                    .values_panic([1.into(), 0.into()])
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["catalog_state", "catalog_change", "api_key"] {
            manager
                .drop_table(Table::drop().table(name(table)).if_exists().take())
                .await?;
        }
        for table in NODE_TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(name(table))
                        .drop_column(name("version"))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

//! Skills related to skills, as ESCO relates them (`skillSkillRelations`): `skill_related`
//! holds each skill's related skills in order, with how much each matters to it (`ESSENTIAL`
//! or `OPTIONAL`). An edge table like the others: its primary key starts with the skill, an
//! index covers the related skill, and a foreign key at each end removes a skill's relations
//! with it. Unlike prerequisites the relation may go round (two skills each related to the
//! other), so it is a table of its own. Existing databases gain the empty table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn name(s: &str) -> Alias {
    Alias::new(s)
}

const TABLE: &str = "skill_related";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let key = |column: &str| {
            ForeignKey::create()
                .name(format!("fk_{TABLE}_{column}"))
                .from(name(TABLE), name(column))
                .to(name("skill"), name("id"))
                .on_delete(ForeignKeyAction::Cascade)
                .take()
        };
        manager
            .create_table(
                Table::create()
                    .table(name(TABLE))
                    .if_not_exists()
                    .col(integer(name("skill_id")))
                    .col(integer(name("related_id")))
                    .col(integer(name("position")))
                    .col(string_len(name("importance"), 16))
                    .primary_key(
                        Index::create()
                            .col(name("skill_id"))
                            .col(name("related_id")),
                    )
                    .foreign_key(&mut key("skill_id"))
                    .foreign_key(&mut key("related_id"))
                    .take(),
            )
            .await?;
        for (columns, unique) in [
            (&["skill_id", "position"][..], true),
            (&["related_id"][..], false),
        ] {
            let mut index = Index::create();
            index
                .name(format!("idx_{TABLE}_{}", columns.join("_")))
                .table(name(TABLE))
                .if_not_exists();
            for column in columns {
                index.col(name(column));
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(name(TABLE)).if_exists().take())
            .await
    }
}

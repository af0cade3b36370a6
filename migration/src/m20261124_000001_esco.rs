//! Concepts from an external taxonomy (ESCO): where a role or skill came from, and a level
//! that may be unknown.
//!
//! - `role_external` and `skill_external` hold, for the nodes an import made, the concept's
//!   URI (unique: an import finds its nodes again by it) and what the source says of it (a
//!   role's ISCO group; a skill's type and reuse level, and the broader concepts beyond the
//!   one that became its parent). Nodes curated by hand have no row. The rows live beside the
//!   node tables, not in them, so that reading a node costs what it did.
//! - `role_skill.level` becomes nullable: ESCO says whether an occupation needs a skill, never
//!   at what level. PostgreSQL drops the constraint in place; SQLite cannot, so the table is
//!   rebuilt (a copy with the new definition, the rows, its indexes), as SQLite documents for
//!   changes `ALTER TABLE` does not make.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn name(s: &str) -> Alias {
    Alias::new(s)
}

fn external_table(table: &str, node: &str, node_table: &str) -> TableCreateStatement {
    let mut stmt = Table::create();
    stmt.table(name(table))
        .if_not_exists()
        .col(integer(name(node)).primary_key())
        .col(string_len_uniq(name("uri"), 512))
        .foreign_key(
            ForeignKey::create()
                .name(format!("fk_{table}_{node}"))
                .from(name(table), name(node))
                .to(name(node_table), name("id"))
                .on_delete(ForeignKeyAction::Cascade),
        );
    stmt.take()
}

/// The SQL of the schema objects of `table` (itself first, then its indexes).
async fn sqlite_schema(
    db: &SchemaManagerConnection<'_>,
    table: &str,
) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND sql IS NOT NULL \
             ORDER BY type = 'table' DESC, name",
            [table.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut role = external_table("role_external", "role_id", "role");
        role.col(string_len_null(name("isco_group"), 16));
        manager.create_table(role).await?;
        let mut skill = external_table("skill_external", "skill_id", "skill");
        skill
            .col(string_len_null(name("skill_type"), 32))
            .col(string_len_null(name("reuse_level"), 32))
            // The URIs of the broader concepts other than the parent, as a JSON array.
            .col(text(name("other_broader")).default("[]"));
        manager.create_table(skill).await?;

        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                let schema = sqlite_schema(db, "role_skill").await?;
                let Some((table, indexes)) = schema.split_first() else {
                    return Err(DbErr::Migration("role_skill has no schema".into()));
                };
                let nullable =
                    table.replace("\"level\" varchar(16) NOT NULL", "\"level\" varchar(16)");
                if nullable == *table {
                    return Err(DbErr::Migration(format!(
                        "role_skill's level column is not as expected: {table}"
                    )));
                }
                let copy = nullable.replacen("\"role_skill\"", "\"role_skill_new\"", 1);
                db.execute_unprepared(&copy).await?;
                db.execute_unprepared("INSERT INTO role_skill_new SELECT * FROM role_skill")
                    .await?;
                db.execute_unprepared("DROP TABLE role_skill").await?;
                db.execute_unprepared("ALTER TABLE role_skill_new RENAME TO role_skill")
                    .await?;
                for index in indexes {
                    db.execute_unprepared(index).await?;
                }
            }
            _ => {
                db.execute_unprepared("ALTER TABLE role_skill ALTER COLUMN level DROP NOT NULL")
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["skill_external", "role_external"] {
            manager
                .drop_table(Table::drop().table(name(table)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}

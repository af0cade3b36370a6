//! The catalog schema: five node tables and the edge tables between them.
//!
//! Every loader of the API filters on a column that has an index here: a node table's `slug`
//! (unique), `skill.parent_id`, `framework.language_id`, and both ends of every edge table (the
//! primary key starts with the parent end, a separate index covers the child end).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The node tables, in an order that respects their foreign keys.
const NODE_TABLES: [&str; 5] = ["role", "skill", "language", "framework", "tool"];

/// `(table, parent column, parent table, child column, child table, has importance, has level)`
/// for every edge table.
const EDGE_TABLES: [(&str, &str, &str, &str, &str, bool, bool); 7] = [
    (
        "role_skill",
        "role_id",
        "role",
        "skill_id",
        "skill",
        true,
        true,
    ),
    (
        "role_language",
        "role_id",
        "role",
        "language_id",
        "language",
        true,
        false,
    ),
    (
        "role_framework",
        "role_id",
        "role",
        "framework_id",
        "framework",
        true,
        false,
    ),
    (
        "role_tool",
        "role_id",
        "role",
        "tool_id",
        "tool",
        true,
        false,
    ),
    (
        "skill_language",
        "skill_id",
        "skill",
        "language_id",
        "language",
        false,
        false,
    ),
    (
        "skill_tool",
        "skill_id",
        "skill",
        "tool_id",
        "tool",
        false,
        false,
    ),
    (
        "skill_prerequisite",
        "skill_id",
        "skill",
        "prerequisite_id",
        "skill",
        false,
        false,
    ),
];

fn name(s: &str) -> Alias {
    Alias::new(s)
}

fn foreign_key(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(name(table), name(column))
        .to(name(target), name("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn node_table(table: &str) -> TableCreateStatement {
    let mut stmt = Table::create();
    stmt.table(name(table))
        .if_not_exists()
        .col(pk_auto(name("id")))
        .col(string_len_uniq(name("slug"), 128))
        .col(string_len(name("name"), 256))
        .col(text(name("description")))
        .col(text(name("aliases")));
    match table {
        "role" => {
            stmt.col(text(name("responsibilities")))
                .col(text(name("domains")));
        }
        "skill" => {
            stmt.col(integer_null(name("parent_id")))
                .col(integer(name("position")))
                .foreign_key(&mut foreign_key("skill", "parent_id", "skill"));
        }
        "framework" => {
            stmt.col(integer(name("language_id")))
                .foreign_key(&mut foreign_key("framework", "language_id", "language"));
        }
        "tool" => {
            stmt.col(string_len(name("category"), 32));
        }
        _ => {}
    }
    stmt.take()
}

fn index(table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", columns.join("_")))
        .table(name(table))
        .if_not_exists();
    for column in columns {
        stmt.col(name(column));
    }
    if unique {
        stmt.unique();
    }
    stmt.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in NODE_TABLES {
            manager.create_table(node_table(table)).await?;
        }
        manager
            .create_index(index("skill", &["parent_id", "position"], true))
            .await?;
        manager
            .create_index(index("framework", &["language_id"], false))
            .await?;

        for (table, parent, parent_table, child, child_table, importance, level) in EDGE_TABLES {
            let mut stmt = Table::create();
            stmt.table(name(table))
                .if_not_exists()
                .col(integer(name(parent)))
                .col(integer(name(child)))
                .col(integer(name("position")))
                .primary_key(Index::create().col(name(parent)).col(name(child)))
                .foreign_key(&mut foreign_key(table, parent, parent_table))
                .foreign_key(&mut foreign_key(table, child, child_table));
            if importance {
                stmt.col(string_len(name("importance"), 16));
            }
            if level {
                stmt.col(string_len(name("level"), 16));
            }
            manager.create_table(stmt.take()).await?;
            manager
                .create_index(index(table, &[parent, "position"], true))
                .await?;
            manager.create_index(index(table, &[child], false)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let edges = EDGE_TABLES.iter().map(|edge| edge.0);
        let nodes = NODE_TABLES.iter().rev().copied();
        for table in edges.chain(nodes) {
            manager
                .drop_table(Table::drop().table(name(table)).if_exists().take())
                .await?;
        }
        Ok(())
    }
}

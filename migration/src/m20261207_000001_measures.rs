//! The graph's measures as columns: how many active roles need each skill, language,
//! framework and tool (`role_count`), and how many active skills each role needs
//! (`skill_count`), the measures the lists sort by, each with an index on `(count DESC,
//! slug)`, so that a list sorted by demand (`orderBy: [{field: ROLE_COUNT, direction:
//! DESC}]`) is an index walk that stops after its page. Counted on every read instead, the first page of skills by demand at
//! ESCO's size counted 129,114 edges for 14,639 skills, a quarter of a second of CPU.
//!
//! The database keeps the columns right itself, with triggers: every path that writes edges
//! or changes a node's status (mutations, batches, the catalog loader, the importers, the
//! generator, a cascade that deletes a subtree) goes through them, so no path of the server
//! has a count to keep in step, and none can forget to. The rules:
//!
//! - An edge added (removed) adds (takes) one at each end whose other end is active.
//! - A node deprecated (made active again) takes (adds) its edges from the other ends.
//! - A node deleted while active takes its edges from the other ends *before* it goes; its
//!   edges then go by the foreign keys' cascade, and find it gone, so nothing is counted
//!   twice. (Updating the other ends before the delete, rather than deleting the edges from
//!   the trigger, keeps PostgreSQL from refusing a row changed by its own delete's trigger.)
//!
//! The server's writers take turns (each write holds one lock of the whole database), so a
//! trigger's reads of the other end see every write committed before it. A statement run by
//! hand fires the triggers too, but on PostgreSQL it must take the same lock (or run alone)
//! to count right beside a server's writes, and a `TRUNCATE` passes them by.
//!
//! The existing rows are counted once, when the columns are added.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One end of a counted edge kind: the node table, the edge table's column pointing at it,
/// and the column of that node holding how many edges join it to active nodes at the other
/// end, if a list sorts by that.
struct End {
    table: &'static str,
    column: &'static str,
    count: Option<&'static str>,
}

/// A counted edge kind: its table and its two ends.
struct Counted {
    table: &'static str,
    owner: End,
    target: End,
}

const fn role(count: Option<&'static str>) -> End {
    End {
        table: "role",
        column: "role_id",
        count,
    }
}

const fn needed(table: &'static str, column: &'static str) -> End {
    End {
        table,
        column,
        count: Some("role_count"),
    }
}

/// The edge kinds whose ends are counted: what a role needs. A role's languages, frameworks
/// and tools are not counted: no list sorts roles by them. Listed here rather than read from
/// the server's table of edge kinds: a migration is the schema of its day (and this crate
/// sits below the server's), so a later edge kind gets a migration of its own.
const COUNTED: [Counted; 4] = [
    Counted {
        table: "role_skill",
        owner: role(Some("skill_count")),
        target: needed("skill", "skill_id"),
    },
    Counted {
        table: "role_language",
        owner: role(None),
        target: needed("language", "language_id"),
    },
    Counted {
        table: "role_framework",
        owner: role(None),
        target: needed("framework", "framework_id"),
    },
    Counted {
        table: "role_tool",
        owner: role(None),
        target: needed("tool", "tool_id"),
    },
];

impl Counted {
    /// The counted ends, each as (the end, its count, the other end).
    fn ends(&self) -> Vec<(&End, &'static str, &End)> {
        [(&self.owner, &self.target), (&self.target, &self.owner)]
            .into_iter()
            .filter_map(|(this, other)| this.count.map(|count| (this, count, other)))
            .collect()
    }
}

/// `UPDATE` statements that count the edge `row` (`NEW` or `OLD`) at each end whose other
/// end is active, adding `sign` (`+` or `-`), for SQLite's row triggers.
fn count_edge(edge: &Counted, row: &str, sign: &str) -> String {
    edge.ends()
        .iter()
        .map(|(this, count, other)| {
            format!(
                "UPDATE {this_table} SET {count} = {count} {sign} 1 WHERE id = {row}.{this_column} \
                 AND EXISTS (SELECT 1 FROM {other_table} WHERE id = {row}.{other_column} \
                 AND deprecated_at IS NULL);",
                this_table = this.table,
                this_column = this.column,
                other_table = other.table,
                other_column = other.column,
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An `UPDATE` that adds `factor` times the node `row`'s edges to the other ends' `count`.
fn count_node(
    edge: &Counted,
    this: &End,
    other: &End,
    count: &str,
    row: &str,
    factor: &str,
) -> String {
    format!(
        "UPDATE {other_table} SET {count} = {count} + ({factor}) * (SELECT COUNT(*) FROM {edges} m \
         WHERE m.{this_column} = {row}.id AND m.{other_column} = {other_table}.id) \
         WHERE id IN (SELECT {other_column} FROM {edges} WHERE {this_column} = {row}.id);",
        other_table = other.table,
        edges = edge.table,
        this_column = this.column,
        other_column = other.column,
    )
}

/// An `UPDATE` that adds, at each end, the edges of the transition tables `old` (taken) and
/// `new` (added) whose other end is active, netted per node, for PostgreSQL's statement
/// triggers: one statement per end however many edges the statement wrote.
fn count_edges(edge: &Counted, old: Option<&str>, new: Option<&str>) -> String {
    edge.ends()
        .iter()
        .map(|(this, count, other)| {
            let rows = |table: &str, sign: &str| {
                format!(
                    "SELECT m.{this_column} AS id, {sign}1 AS n FROM {table} m \
                     JOIN {other_table} o ON o.id = m.{other_column} WHERE o.deprecated_at IS NULL",
                    this_column = this.column,
                    other_table = other.table,
                    other_column = other.column,
                )
            };
            let parts: Vec<String> = [old.map(|t| rows(t, "-")), new.map(|t| rows(t, ""))]
                .into_iter()
                .flatten()
                .collect();
            format!(
                "UPDATE {this_table} t SET {count} = t.{count} + d.n FROM (SELECT id, SUM(n) AS n \
                 FROM ({parts}) c GROUP BY id HAVING SUM(n) <> 0) d WHERE t.id = d.id;",
                this_table = this.table,
                parts = parts.join(" UNION ALL "),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A trigger: its name, when it fires (`AFTER INSERT`), on which table, for each row or (with
/// its transition tables named) for each statement, its condition (as SQL, or empty) and its
/// body.
struct Trigger {
    name: String,
    timing: String,
    table: &'static str,
    /// `REFERENCING ...` of a statement trigger; `None` for a row trigger.
    statement: Option<String>,
    condition: String,
    body: String,
}

/// The change of status that a deprecation trigger fires on.
const STATUS_CHANGED: &str = "(OLD.deprecated_at IS NULL) <> (NEW.deprecated_at IS NULL)";

/// The triggers on an edge table. SQLite has row triggers only, which cost it little (a
/// bulk write of the generator's 310,016 edges takes some 0.7 s more). On PostgreSQL a row
/// trigger runs its function once per edge, five times slower for a bulk write; a statement
/// trigger sees the statement's edges as a table and counts them in one `UPDATE` per end.
/// (PostgreSQL refuses transition tables on a trigger with a column list, so its update
/// trigger fires on every update of the table, and nets to no write where no end moved.)
fn edge_triggers(edge: &Counted, backend: DbBackend) -> Vec<Trigger> {
    let name = |event: &str| format!("sg_count_{}_{event}", edge.table);
    let trigger = |event: &str, timing: String, statement: Option<&str>, body: String| Trigger {
        name: name(event),
        timing,
        table: edge.table,
        statement: statement.map(str::to_owned),
        condition: String::new(),
        body,
    };
    if backend == DbBackend::Postgres {
        return vec![
            trigger(
                "insert",
                "AFTER INSERT".to_owned(),
                Some("REFERENCING NEW TABLE AS sg_new"),
                count_edges(edge, None, Some("sg_new")),
            ),
            trigger(
                "delete",
                "AFTER DELETE".to_owned(),
                Some("REFERENCING OLD TABLE AS sg_old"),
                count_edges(edge, Some("sg_old"), None),
            ),
            trigger(
                "update",
                "AFTER UPDATE".to_owned(),
                Some("REFERENCING OLD TABLE AS sg_old NEW TABLE AS sg_new"),
                count_edges(edge, Some("sg_old"), Some("sg_new")),
            ),
        ];
    }
    vec![
        trigger(
            "insert",
            "AFTER INSERT".to_owned(),
            None,
            count_edge(edge, "NEW", "+"),
        ),
        trigger(
            "delete",
            "AFTER DELETE".to_owned(),
            None,
            count_edge(edge, "OLD", "-"),
        ),
        trigger(
            "update",
            format!(
                "AFTER UPDATE OF {}, {}",
                edge.owner.column, edge.target.column
            ),
            None,
            format!(
                "{} {}",
                count_edge(edge, "OLD", "-"),
                count_edge(edge, "NEW", "+")
            ),
        ),
    ]
}

/// Every trigger that keeps the counts on `backend`.
fn triggers(backend: DbBackend) -> Vec<Trigger> {
    let mut triggers = Vec::new();
    for edge in &COUNTED {
        triggers.extend(edge_triggers(edge, backend));
        // A node's status moves the counts at the other end of its edges.
        for (counted, count, node) in edge.ends() {
            triggers.push(Trigger {
                name: format!("sg_count_{}_{}_status", edge.table, node.table),
                timing: "AFTER UPDATE OF deprecated_at".to_owned(),
                table: node.table,
                statement: None,
                condition: STATUS_CHANGED.to_owned(),
                body: count_node(
                    edge,
                    node,
                    counted,
                    count,
                    "NEW",
                    "CASE WHEN NEW.deprecated_at IS NULL THEN 1 ELSE -1 END",
                ),
            });
            triggers.push(Trigger {
                name: format!("sg_count_{}_{}_delete", edge.table, node.table),
                timing: "BEFORE DELETE".to_owned(),
                table: node.table,
                statement: None,
                condition: "OLD.deprecated_at IS NULL".to_owned(),
                body: count_node(edge, node, counted, count, "OLD", "-1"),
            });
        }
    }
    triggers
}

/// The statements creating `trigger` on `backend`.
fn create_statements(trigger: &Trigger, backend: DbBackend) -> Vec<String> {
    let when = if trigger.condition.is_empty() {
        String::new()
    } else {
        format!(" WHEN ({})", trigger.condition)
    };
    let each = match &trigger.statement {
        Some(referencing) => format!("{referencing} FOR EACH STATEMENT"),
        None => "FOR EACH ROW".to_owned(),
    };
    if backend == DbBackend::Postgres {
        // A BEFORE row trigger's row goes on only if the function returns it.
        let returns = if trigger.timing.starts_with("BEFORE") {
            "OLD"
        } else {
            "NULL"
        };
        vec![
            format!(
                "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN {body} RETURN {returns}; END $$",
                name = trigger.name,
                body = trigger.body,
            ),
            format!(
                "CREATE TRIGGER {name} {timing} ON {table} {each}{when} \
                 EXECUTE FUNCTION {name}()",
                name = trigger.name,
                timing = trigger.timing,
                table = trigger.table,
            ),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER {name} {timing} ON {table} {each}{when} BEGIN {body} END",
            name = trigger.name,
            timing = trigger.timing,
            table = trigger.table,
            body = trigger.body,
        )]
    }
}

/// The statements dropping `trigger` on `backend`.
fn drop_statements(trigger: &Trigger, backend: DbBackend) -> Vec<String> {
    if backend == DbBackend::Postgres {
        vec![
            format!(
                "DROP TRIGGER IF EXISTS {} ON {}",
                trigger.name, trigger.table
            ),
            format!("DROP FUNCTION IF EXISTS {}()", trigger.name),
        ]
    } else {
        vec![format!("DROP TRIGGER IF EXISTS {}", trigger.name)]
    }
}

/// Every count column, as (its end, the column, the other end, the edge kind it counts).
fn columns() -> Vec<(&'static End, &'static str, &'static End, &'static Counted)> {
    COUNTED
        .iter()
        .flat_map(|edge| {
            edge.ends()
                .into_iter()
                .map(move |(this, count, other)| (this, count, other, edge))
        })
        .collect()
}

fn index_name(end: &End, count: &str) -> String {
    format!("idx_{}_{count}_slug", end.table)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for (this, count, other, edge) in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(this.table))
                        .add_column(
                            ColumnDef::new(Alias::new(count))
                                .integer()
                                .not_null()
                                .default(0),
                        )
                        .take(),
                )
                .await?;
            db.execute_unprepared(&format!(
                "UPDATE {this_table} SET {count} = (SELECT COUNT(*) FROM {edges} m \
                 JOIN {other_table} o ON o.id = m.{other_column} \
                 WHERE m.{this_column} = {this_table}.id AND o.deprecated_at IS NULL)",
                this_table = this.table,
                edges = edge.table,
                other_table = other.table,
                other_column = other.column,
                this_column = this.column,
            ))
            .await?;
            manager
                .create_index(
                    Index::create()
                        .name(index_name(this, count))
                        .table(Alias::new(this.table))
                        .col((Alias::new(count), IndexOrder::Desc))
                        .col(Alias::new("slug"))
                        .if_not_exists()
                        .take(),
                )
                .await?;
        }
        for trigger in triggers(backend) {
            for statement in create_statements(&trigger, backend) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for trigger in triggers(backend) {
            for statement in drop_statements(&trigger, backend) {
                db.execute_unprepared(&statement).await?;
            }
        }
        for (this, count, _, _) in columns() {
            manager
                .drop_index(
                    Index::drop()
                        .name(index_name(this, count))
                        .table(Alias::new(this.table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(this.table))
                        .drop_column(Alias::new(count))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}

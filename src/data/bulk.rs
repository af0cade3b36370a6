//! Whole-database chores shared by the catalog loader and the graph generator.

use entity::{
    Importance, Proficiency, framework, language, role, role_external, skill, skill_external, tool,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Iterable,
    PaginatorTrait, QueryFilter, Statement,
};

use super::sql::Sql;
use crate::graph::{Datum, EdgeData, EdgeKind, EdgeRow};
use crate::{Error, Result};

/// How many nodes of each kind the database holds, or `None` when it holds none.
pub async fn existing_data(db: &impl ConnectionTrait) -> Result<Option<String>> {
    let counts = [
        role::Entity::find().count(db).await?,
        skill::Entity::find().count(db).await?,
        language::Entity::find().count(db).await?,
        framework::Entity::find().count(db).await?,
        tool::Entity::find().count(db).await?,
    ];
    if counts.iter().all(|count| *count == 0) {
        return Ok(None);
    }
    let [roles, skills, languages, frameworks, tools] = counts;
    Ok(Some(format!(
        "{roles} roles, {skills} skills, {languages} languages, {frameworks} frameworks, {tools} tools"
    )))
}

/// Deletes every row of every table (meant to run inside a transaction).
pub async fn clear(db: &impl ConnectionTrait) -> Result<()> {
    super::labels::clear(db).await?;
    role_external::Entity::delete_many().exec(db).await?;
    skill_external::Entity::delete_many().exec(db).await?;
    for edge in EdgeKind::ALL {
        db.execute_unprepared(&format!("DELETE FROM {}", edge.spec().table))
            .await?;
    }
    role::Entity::delete_many().exec(db).await?;
    // The tree is taken apart first: deleting a parent deletes its children, and on SQLite each
    // level of that is one level of trigger recursion, refused past 1,000 levels. Without
    // parents, one statement removes every skill, whatever the depth of the tree.
    skill::Entity::update_many()
        .col_expr(skill::Column::ParentId, Expr::value(Option::<i32>::None))
        .filter(skill::Column::ParentId.is_not_null())
        .exec(db)
        .await?;
    skill::Entity::delete_many().exec(db).await?;
    framework::Entity::delete_many().exec(db).await?;
    language::Entity::delete_many().exec(db).await?;
    tool::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// The most values one INSERT binds: below SQLite's limit (32,766) and PostgreSQL's (65,535).
const VALUES_PER_STATEMENT: usize = 30_000;

/// Inserts rows with multi-row INSERTs as large as the backends allow.
pub async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per_statement = (VALUES_PER_STATEMENT / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A datum of an edge as its column stores it.
fn stored(data: &EdgeData, datum: Datum) -> Option<String> {
    match datum {
        Datum::Importance => data.importance.map(|value| value.to_value()),
        Datum::Level => data.level.map(|value| value.to_value()),
    }
}

/// Inserts edges of one kind with multi-row INSERTs as large as the backends allow, into the
/// columns the edge kinds' table gives. Edges go through statements built from that table
/// rather than through their SeaORM entities, so that one function serves every kind; the
/// node tables, whose columns differ, are written through theirs ([`insert_all`]).
pub async fn insert_edges(
    db: &impl ConnectionTrait,
    edge: EdgeKind,
    rows: &[EdgeRow],
) -> Result<()> {
    let spec = edge.spec();
    let per_statement = VALUES_PER_STATEMENT / (3 + spec.data.len());
    for chunk in rows.chunks(per_statement) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("INSERT INTO ")
            .push(spec.table)
            .push(" (")
            .push(spec.owner.column)
            .push(", ")
            .push(spec.target.column)
            .push(", position");
        for datum in spec.data {
            sql.push(", ").push(datum.column());
        }
        sql.push(") VALUES ");
        for (at, row) in chunk.iter().enumerate() {
            if at > 0 {
                sql.push(", ");
            }
            sql.push("(")
                .bind(row.owner)
                .push(", ")
                .bind(row.target)
                .push(", ")
                .bind(row.position);
            for &datum in spec.data {
                sql.push(", ").bind(stored(&row.data, datum));
            }
            sql.push(")");
        }
        db.execute_raw(sql.into_statement()).await?;
    }
    Ok(())
}

/// Every edge of one kind, by owner and in each owner's order.
pub async fn read_edges(db: &impl ConnectionTrait, edge: EdgeKind) -> Result<Vec<EdgeRow>> {
    let spec = edge.spec();
    let mut text = format!(
        "SELECT {}, {}, position",
        spec.owner.column, spec.target.column
    );
    for datum in spec.data {
        text.push_str(", ");
        text.push_str(datum.column());
    }
    text.push_str(&format!(
        " FROM {} ORDER BY {}, position",
        spec.table, spec.owner.column
    ));
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), text))
        .await?;
    let mut edges = Vec::with_capacity(rows.len());
    for row in rows {
        let mut data = EdgeData::default();
        for (offset, datum) in spec.data.iter().enumerate() {
            let value: Option<String> = row.try_get_by_index(3 + offset)?;
            let bad = |value: &str| {
                Error::Internal(format!("{}: bad {}: {value}", spec.table, datum.column()))
            };
            match (datum, value) {
                (_, None) => {}
                (Datum::Importance, Some(value)) => {
                    data.importance =
                        Some(Importance::try_from_value(&value).map_err(|_| bad(&value))?);
                }
                (Datum::Level, Some(value)) => {
                    data.level =
                        Some(Proficiency::try_from_value(&value).map_err(|_| bad(&value))?);
                }
            }
        }
        edges.push(EdgeRow {
            owner: row.try_get_by_index(0)?,
            target: row.try_get_by_index(1)?,
            position: row.try_get_by_index(2)?,
            data,
        });
    }
    Ok(edges)
}

/// Sets the parent of each skill of `parents`, `(skill id, parent id)`: a few statements of
/// thousands of rows each (a join with the given pairs), whatever the shape of the tree.
pub async fn set_parents(db: &impl ConnectionTrait, parents: &[(i32, i32)]) -> Result<()> {
    for chunk in parents.chunks(VALUES_PER_STATEMENT / 2) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("WITH given (id, parent_id) AS (VALUES ");
        for (at, &(skill, parent)) in chunk.iter().enumerate() {
            if at > 0 {
                sql.push(", ");
            }
            sql.push("(").bind(skill).push(", ").bind(parent).push(")");
        }
        sql.push(
            ") UPDATE skill SET parent_id = given.parent_id FROM given WHERE skill.id = given.id",
        );
        db.execute_raw(sql.into_statement()).await?;
    }
    Ok(())
}

/// After rows were inserted with explicit ids, moves PostgreSQL's id sequences past them so
/// that later inserts without an id do not collide. (SQLite needs nothing.)
pub async fn reset_id_sequences(db: &impl ConnectionTrait) -> Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in ["role", "skill", "language", "framework", "tool"] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load, so that the first queries already get
/// good plans (an index lookup per row rather than a scan of a table it believes small).
///
/// On SQLite the per-value samples (`sqlite_stat4`) are dropped again, keeping the per-index
/// averages (`sqlite_stat1`): with samples present, SQLite recompiles a prepared statement each
/// time it runs with new values for parameters compared to an indexed column, which is every
/// list statement, every time. That recompiling cost more than running the statement.
pub async fn analyze(db: &impl ConnectionTrait) -> Result<()> {
    db.execute_unprepared("ANALYZE").await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        let samples = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat4'",
            ))
            .await?;
        let has_samples = match samples {
            Some(row) => row.try_get::<i64>("", "n")? > 0,
            None => false,
        };
        if has_samples {
            db.execute_unprepared("DELETE FROM sqlite_stat4").await?;
        }
    }
    Ok(())
}

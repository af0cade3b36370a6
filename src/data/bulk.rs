//! Whole-database chores shared by the catalog loader and the graph generator.

use entity::{
    framework, language, role, role_external, role_framework, role_language, role_skill, role_tool,
    skill, skill_external, skill_language, skill_prerequisite, skill_tool, tool,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Iterable,
    PaginatorTrait, QueryFilter, Statement,
};

use super::sql::Sql;
use crate::Result;

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
    role_external::Entity::delete_many().exec(db).await?;
    skill_external::Entity::delete_many().exec(db).await?;
    role_skill::Entity::delete_many().exec(db).await?;
    role_language::Entity::delete_many().exec(db).await?;
    role_framework::Entity::delete_many().exec(db).await?;
    role_tool::Entity::delete_many().exec(db).await?;
    skill_language::Entity::delete_many().exec(db).await?;
    skill_tool::Entity::delete_many().exec(db).await?;
    skill_prerequisite::Entity::delete_many().exec(db).await?;
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

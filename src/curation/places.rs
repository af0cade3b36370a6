//! Order within a list: an edge's or a skill's `position` among its siblings. Positions are
//! unique per parent (an index holds them), so a move renumbers the siblings in two steps
//! that never collide: first every position to its negative, then each to its new place.

use sea_orm::ConnectionTrait;

use crate::data::sql::Sql;
use crate::{Error, Result};

/// How many rows one renumbering statement writes.
const ROWS_PER_STATEMENT: usize = 200;

/// The rows of `table` under one parent, ordered by `position`.
pub struct Siblings {
    pub table: &'static str,
    pub parent_column: &'static str,
    /// `None`: the roots of the skill tree.
    pub parent: Option<i32>,
    /// The column that tells the rows apart under the parent.
    pub child_column: &'static str,
}

impl Siblings {
    fn where_parent(&self, sql: &mut Sql) {
        sql.push(" WHERE ").push(self.parent_column);
        match self.parent {
            Some(parent) => {
                sql.push(" = ").bind(parent);
            }
            None => {
                sql.push(" IS NULL");
            }
        }
    }

    /// The position after the last sibling.
    pub async fn end(&self, db: &impl ConnectionTrait) -> Result<i32> {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT COALESCE(MAX(position) + 1, 0) FROM ")
            .push(self.table);
        self.where_parent(&mut sql);
        let row = db.query_one_raw(sql.into_statement()).await?;
        Ok(match row {
            Some(row) => row.try_get_by_index::<i32>(0)?,
            None => 0,
        })
    }

    /// Moves `child` (already one of the siblings) to `index` in the order (the end if
    /// `index` is past it) and numbers the siblings 0, 1, 2, ...; returns its position.
    pub async fn put(&self, db: &impl ConnectionTrait, child: i32, index: i32) -> Result<i32> {
        let index = usize::try_from(index)
            .map_err(|_| Error::invalid("position", "position must be 0 or more"))?;
        let backend = db.get_database_backend();
        let mut sql = Sql::new(backend);
        sql.push("SELECT ")
            .push(self.child_column)
            .push(" FROM ")
            .push(self.table);
        self.where_parent(&mut sql);
        sql.push(" ORDER BY position");
        let rows = db.query_all_raw(sql.into_statement()).await?;
        let mut order: Vec<i32> = rows
            .iter()
            .map(|row| row.try_get_by_index(0))
            .collect::<std::result::Result<_, _>>()?;
        order.retain(|&id| id != child);
        let index = index.min(order.len());
        order.insert(index, child);

        let mut sql = Sql::new(backend);
        sql.push("UPDATE ")
            .push(self.table)
            .push(" SET position = -1 - position");
        self.where_parent(&mut sql);
        db.execute_raw(sql.into_statement()).await?;
        for (chunk_at, chunk) in order.chunks(ROWS_PER_STATEMENT).enumerate() {
            let mut sql = Sql::new(backend);
            sql.push("UPDATE ")
                .push(self.table)
                .push(" SET position = CASE ")
                .push(self.child_column);
            for (offset, id) in chunk.iter().enumerate() {
                let position = chunk_at * ROWS_PER_STATEMENT + offset;
                sql.push(" WHEN ")
                    .bind(*id)
                    .push(" THEN ")
                    .bind(i32::try_from(position).unwrap_or(i32::MAX));
            }
            sql.push(" END");
            self.where_parent(&mut sql);
            sql.push(" AND ")
                .push(self.child_column)
                .push(" IN (")
                .bind_all(chunk.iter().copied())
                .push(")");
            db.execute_raw(sql.into_statement()).await?;
        }
        Ok(i32::try_from(index).unwrap_or(i32::MAX))
    }
}

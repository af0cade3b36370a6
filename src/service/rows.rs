//! Reading the rows of the list statements by column position.
//!
//! SeaORM reads a model by column name, and sqlx then checks each value's SQL type against
//! the Rust type: together about 700 instructions per column, a third of the server's work
//! for a page of 50 roles × 10 skills. The list statements are written here, so the position
//! and type of every column are known: [`NodeColumns::COLUMNS`] is both what a statement
//! selects and what [`NodeColumns::read`] reads back, in the same order, and a unit test holds
//! `COLUMNS` to the entity's columns. Values are decoded without sqlx's per-value type check:
//! the integration tests read every list on both backends.

use entity::{ToolCategory, framework, language, role, skill, tool};
use sea_orm::sqlx::{self, Postgres, Row as _, Sqlite};
use sea_orm::{ActiveEnum, QueryResult};

use crate::{Error, Result};

/// One row of a result, read by position.
pub enum Row<'r> {
    Postgres(&'r sqlx::postgres::PgRow),
    Sqlite(&'r sqlx::sqlite::SqliteRow),
}

/// A value that can be read from either backend.
pub trait Column<'r>: sqlx::Decode<'r, Postgres> + sqlx::Decode<'r, Sqlite> + Sized {}

impl<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Decode<'r, Sqlite>> Column<'r> for T {}

impl<'r> Row<'r> {
    pub fn of(result: &'r QueryResult) -> Result<Self> {
        if let Some(row) = result.try_as_pg_row() {
            Ok(Row::Postgres(row))
        } else if let Some(row) = result.try_as_sqlite_row() {
            Ok(Row::Sqlite(row))
        } else {
            Err(Error::Internal("a row of an unknown backend".into()))
        }
    }

    /// The value of the column at `index`.
    pub fn get<T: Column<'r>>(&self, index: usize) -> Result<T> {
        let value = match self {
            Row::Postgres(row) => row.try_get_unchecked(index),
            Row::Sqlite(row) => row.try_get_unchecked(index),
        };
        value.map_err(|err| Error::Internal(format!("column {index}: {err}")))
    }

    /// The value of a column holding an enum's string value.
    pub fn get_enum<E: ActiveEnum<Value = String>>(&self, index: usize) -> Result<E> {
        let text: &str = self.get(index)?;
        E::try_from_value(&text.to_owned())
            .map_err(|err| Error::Internal(format!("column {index}: {err}")))
    }
}

/// A model read from consecutive columns of a list statement.
pub trait NodeColumns: Sized {
    /// The table's columns, in the order [`NodeColumns::read`] reads them.
    const COLUMNS: &'static [&'static str];

    /// Reads the model from the columns starting at `at`, in the order of `COLUMNS`.
    fn read(row: &Row<'_>, at: usize) -> Result<Self>;
}

impl NodeColumns for role::Model {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "slug",
        "name",
        "description",
        "aliases",
        "responsibilities",
        "domains",
    ];

    fn read(row: &Row<'_>, at: usize) -> Result<Self> {
        Ok(role::Model {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            name: row.get(at + 2)?,
            description: row.get(at + 3)?,
            aliases: row.get(at + 4)?,
            responsibilities: row.get(at + 5)?,
            domains: row.get(at + 6)?,
        })
    }
}

impl NodeColumns for skill::Model {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "slug",
        "name",
        "description",
        "aliases",
        "parent_id",
        "position",
    ];

    fn read(row: &Row<'_>, at: usize) -> Result<Self> {
        Ok(skill::Model {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            name: row.get(at + 2)?,
            description: row.get(at + 3)?,
            aliases: row.get(at + 4)?,
            parent_id: row.get(at + 5)?,
            position: row.get(at + 6)?,
        })
    }
}

impl NodeColumns for language::Model {
    const COLUMNS: &'static [&'static str] = &["id", "slug", "name", "description", "aliases"];

    fn read(row: &Row<'_>, at: usize) -> Result<Self> {
        Ok(language::Model {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            name: row.get(at + 2)?,
            description: row.get(at + 3)?,
            aliases: row.get(at + 4)?,
        })
    }
}

impl NodeColumns for framework::Model {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "slug",
        "name",
        "description",
        "aliases",
        "language_id",
    ];

    fn read(row: &Row<'_>, at: usize) -> Result<Self> {
        Ok(framework::Model {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            name: row.get(at + 2)?,
            description: row.get(at + 3)?,
            aliases: row.get(at + 4)?,
            language_id: row.get(at + 5)?,
        })
    }
}

impl NodeColumns for tool::Model {
    const COLUMNS: &'static [&'static str] =
        &["id", "slug", "name", "description", "aliases", "category"];

    fn read(row: &Row<'_>, at: usize) -> Result<Self> {
        Ok(tool::Model {
            id: row.get(at)?,
            slug: row.get(at + 1)?,
            name: row.get(at + 2)?,
            description: row.get(at + 3)?,
            aliases: row.get(at + 4)?,
            category: row.get_enum::<ToolCategory>(at + 5)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::*;

    /// Every column of each table is read, and under its own name: a column added to an
    /// entity must be added here too.
    fn reads_every_column<E: EntityTrait>()
    where
        E::Model: NodeColumns,
    {
        let table: Vec<&str> = E::Column::iter().map(|column| column.as_str()).collect();
        assert_eq!(table, <E::Model as NodeColumns>::COLUMNS);
    }

    #[test]
    fn every_node_table_is_read_whole_and_in_order() {
        reads_every_column::<role::Entity>();
        reads_every_column::<skill::Entity>();
        reads_every_column::<language::Entity>();
        reads_every_column::<framework::Entity>();
        reads_every_column::<tool::Entity>();
    }
}

//! Reading the rows of the list statements by column position.
//!
//! SeaORM reads a model by column name, and sqlx then checks each value's SQL type against
//! the Rust type: together about 700 instructions per column, a third of the server's work
//! for a page of 50 roles × 10 skills. The list statements are written here, so the position
//! and type of every column are known: [`NodeColumns::COLUMNS`] is both what a statement
//! selects and what [`NodeColumns::read`] reads back, in the same order, and a unit test holds
//! `COLUMNS` to the entity's columns. Values are decoded without sqlx's per-value type check:
//! the integration tests read every list on both backends.

use entity::{framework, language, role, skill, tool};
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

impl<'r> Row<'r> {
    /// The value of a nullable column holding an enum's string value.
    pub fn get_enum_or_null<E: ActiveEnum<Value = String>>(
        &self,
        index: usize,
    ) -> Result<Option<E>> {
        let text: Option<&str> = self.get(index)?;
        text.map(|text| {
            E::try_from_value(&text.to_owned())
                .map_err(|err| Error::Internal(format!("column {index}: {err}")))
        })
        .transpose()
    }
}

/// A model read from consecutive columns of a list statement.
pub trait NodeColumns: Sized {
    /// The table's columns, in the order [`NodeColumns::read`] reads them.
    const COLUMNS: &'static [&'static str];

    /// Reads the model from the columns starting at `at`, in the order of `COLUMNS`.
    fn read(row: &Row<'_>, at: usize) -> Result<Self>;
}

/// Reads consecutive columns of a row, from a starting position.
struct Cursor<'a, 'r> {
    row: &'a Row<'r>,
    at: usize,
}

impl<'r> Cursor<'_, 'r> {
    fn value<T: Column<'r>>(&mut self) -> Result<T> {
        self.at += 1;
        self.row.get(self.at - 1)
    }

    fn enumeration<E: ActiveEnum<Value = String>>(&mut self) -> Result<E> {
        self.at += 1;
        self.row.get_enum(self.at - 1)
    }
}

/// Implements [`NodeColumns`] for a model from its fields, listed in column order with how
/// each is read: `COLUMNS` and `read` come from the one list, so they cannot disagree.
macro_rules! node_columns {
    ($model:path { $($field:ident: $read:ident),* $(,)? }) => {
        impl NodeColumns for $model {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn read(row: &Row<'_>, at: usize) -> Result<Self> {
                let mut cursor = Cursor { row, at };
                Ok(Self { $($field: cursor.$read()?,)* })
            }
        }
    };
}

node_columns!(role::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    responsibilities: value,
    domains: value,
    version: value,
    deprecated_at: value,
    deprecation_note: value,
});

node_columns!(skill::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    parent_id: value,
    position: value,
    version: value,
    deprecated_at: value,
    deprecation_note: value,
});

node_columns!(language::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    version: value,
    deprecated_at: value,
    deprecation_note: value,
});

node_columns!(framework::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    language_id: value,
    version: value,
    deprecated_at: value,
    deprecation_note: value,
});

node_columns!(tool::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    category: enumeration,
    version: value,
    deprecated_at: value,
    deprecation_note: value,
});

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

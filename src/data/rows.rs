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
///
/// The last [`NodeColumns::LIFECYCLE`] columns are the node's lifecycle (`deprecated_at`,
/// `deprecation_note`). A statement whose answer selects none of the lifecycle's fields
/// leaves them out ([`Columns::Lean`]): on SQLite every column of every row is a copied
/// value, and these two made a page of 50 roles × 10 skills 6 % dearer. A model read so says
/// the node is active whatever it is, and must only serve fields that do not ask.
pub trait NodeColumns: Sized {
    /// The table's columns, in the order [`NodeColumns::read`] reads them.
    const COLUMNS: &'static [&'static str];
    /// How many of the last `COLUMNS` are the lifecycle's.
    const LIFECYCLE: usize;

    /// Reads the model from the columns starting at `at`, in the order of `COLUMNS`: all of
    /// them, or all but the lifecycle's.
    fn read(row: &Row<'_>, at: usize, columns: Columns) -> Result<Self>;

    /// The columns a statement selects for `columns`.
    fn selected(columns: Columns) -> &'static [&'static str] {
        match columns {
            Columns::All => Self::COLUMNS,
            Columns::Lean => &Self::COLUMNS[..Self::COLUMNS.len() - Self::LIFECYCLE],
        }
    }
}

/// Which of a node's columns a statement reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Columns {
    /// Every column.
    #[default]
    All,
    /// All but the lifecycle's: the model reads as active.
    Lean,
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
/// each is read, the lifecycle's last: `COLUMNS` and `read` come from the one list, so they
/// cannot disagree.
macro_rules! node_columns {
    (
        $model:path { $($field:ident: $read:ident),* $(,)? }
        lifecycle { $($late:ident),* $(,)? }
    ) => {
        impl NodeColumns for $model {
            const COLUMNS: &'static [&'static str] =
                &[$(stringify!($field),)* $(stringify!($late)),*];
            const LIFECYCLE: usize = [$(stringify!($late)),*].len();

            fn read(row: &Row<'_>, at: usize, columns: Columns) -> Result<Self> {
                let mut cursor = Cursor { row, at };
                $(let $field = cursor.$read()?;)*
                Ok(match columns {
                    Columns::All => Self { $($field,)* $($late: cursor.value()?,)* },
                    Columns::Lean => Self { $($field,)* $($late: None,)* },
                })
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
} lifecycle {
    deprecated_at,
    deprecation_note,
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
} lifecycle {
    deprecated_at,
    deprecation_note,
});

node_columns!(language::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    version: value,
} lifecycle {
    deprecated_at,
    deprecation_note,
});

node_columns!(framework::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    language_id: value,
    version: value,
} lifecycle {
    deprecated_at,
    deprecation_note,
});

node_columns!(tool::Model {
    id: value,
    slug: value,
    name: value,
    description: value,
    aliases: value,
    category: enumeration,
    version: value,
} lifecycle {
    deprecated_at,
    deprecation_note,
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
        let lean = <E::Model as NodeColumns>::selected(Columns::Lean);
        assert_eq!(
            &table[lean.len()..],
            ["deprecated_at", "deprecation_note"],
            "a lean read leaves out exactly the lifecycle's columns"
        );
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

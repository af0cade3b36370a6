//! Writing the hand-written SQL of the list queries.
//!
//! The statements use SQL that SQLite and PostgreSQL both understand (window functions,
//! `WITH RECURSIVE`, `LOWER`, `LIKE ... ESCAPE`); only the placeholder syntax differs. [`Sql`]
//! writes each placeholder in the backend's own syntax at the moment its value is bound, so
//! finished text is never rewritten (a `?` inside a literal stays a `?`).

use sea_orm::{DbBackend, EntityTrait, Statement, Value};

use super::rows::{Columns, NodeColumns};

/// A statement being written: its text, and the values bound to its placeholders in order.
#[derive(Debug)]
pub struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(backend: DbBackend) -> Self {
        Sql {
            backend,
            text: String::with_capacity(256),
            values: Vec::new(),
        }
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Appends SQL text of our own (never a client's: values are bound with [`Sql::bind`]).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`: `?` on SQLite, `$n` on PostgreSQL.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.values.len().to_string());
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `p, p, p`: a placeholder for each value.
    pub fn bind_all<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        for (at, value) in values.into_iter().enumerate() {
            if at > 0 {
                self.text.push_str(", ");
            }
            self.bind(value);
        }
        self
    }

    /// The text written so far (for logs).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

/// `n.id, n.slug, ...`: the columns of the model `M` (all, or all but the lifecycle's), in
/// the order [`NodeColumns::read`] reads them back.
pub fn node_columns<M: NodeColumns>(columns: Columns) -> String {
    M::selected(columns)
        .iter()
        .map(|column| format!("n.{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The table name of the entity `N`.
pub fn table<N: EntityTrait + Default>() -> &'static str {
    N::default().table_name()
}

/// Escapes `%`, `_` and `\` so that user text is matched literally by `LIKE ... ESCAPE '\'`.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_written_per_backend_as_values_are_bound() {
        let mut pg = Sql::new(DbBackend::Postgres);
        pg.push("SELECT '?' WHERE a = ").bind(1).push(" AND b IN (");
        pg.bind_all([2, 3]).push(")");
        let pg = pg.into_statement();
        assert_eq!(pg.sql, "SELECT '?' WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(pg.values.map(|values| values.0.len()), Some(3));
        let mut lite = Sql::new(DbBackend::Sqlite);
        lite.push("SELECT '$1' WHERE a = ").bind("x");
        assert_eq!(lite.into_statement().sql, "SELECT '$1' WHERE a = ?");
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_pattern("C#"), "%c#%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}

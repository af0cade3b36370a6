//! Small helpers for the hand-written SQL of the list queries.
//!
//! The statements are written once with `?` placeholders in SQL that SQLite and PostgreSQL both
//! understand (window functions, `WITH RECURSIVE`, `LOWER`, `LIKE ... ESCAPE`); only the
//! placeholder syntax differs, and [`statement`] adapts it.

use sea_orm::{DbBackend, EntityTrait, Statement, Value};

use super::rows::NodeColumns;

/// Builds a statement from SQL written with `?` placeholders.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push('$');
                    numbered.push_str(&n.to_string());
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for `n` values.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `n.id, n.slug, ...`: the columns of the model `M`, in the order [`NodeColumns::read`]
/// reads them back.
pub fn node_columns<M: NodeColumns>() -> String {
    M::COLUMNS
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
    fn postgres_placeholders_are_numbered() {
        let stmt = statement(DbBackend::Postgres, "a = ? AND b IN (?, ?)", vec![]);
        assert_eq!(stmt.sql, "a = $1 AND b IN ($2, $3)");
        let stmt = statement(DbBackend::Sqlite, "a = ?", vec![]);
        assert_eq!(stmt.sql, "a = ?");
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_pattern("C#"), "%c#%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}

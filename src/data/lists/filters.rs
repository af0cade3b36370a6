//! The `WHERE` conditions of list statements' filters.

use sea_orm::{ActiveEnum, DbBackend};

use super::Filter;
use crate::data::sql::{Sql, like_pattern};

/// `EXISTS (...)`: whether one of the node's aliases, each taken on its own from the JSON
/// array that stores them, matches the `LIKE` pattern bound next. The array is read with the
/// backend's JSON functions, never matched as text: a search for `"` or `,` finds no alias.
fn alias_matches(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "EXISTS (SELECT 1 FROM json_array_elements_text(n.aliases::json) AS a (alias) \
             WHERE LOWER(a.alias) LIKE "
        }
        _ => "EXISTS (SELECT 1 FROM json_each(n.aliases) a WHERE LOWER(a.value) LIKE ",
    }
}

/// Appends an `AND ...` condition for each filter.
pub(super) fn push_filters(sql: &mut Sql, filters: &[Filter]) {
    for filter in filters {
        match filter {
            Filter::Search(text) => {
                let pattern = like_pattern(text);
                sql.push(" AND (LOWER(n.name) LIKE ")
                    .bind(pattern.clone())
                    .push(" ESCAPE '\\' OR LOWER(n.slug) LIKE ")
                    .bind(pattern.clone())
                    .push(" ESCAPE '\\' OR ");
                let aliases = alias_matches(sql.backend());
                sql.push(aliases).bind(pattern).push(" ESCAPE '\\'))");
            }
            Filter::Importance(importance) => {
                sql.push(" AND e.importance = ").bind(importance.to_value());
            }
            Filter::Category(category) => {
                sql.push(" AND n.category = ").bind(category.to_value());
            }
            Filter::RootsOnly => {
                sql.push(" AND n.parent_id IS NULL");
            }
            Filter::Active => {
                sql.push(" AND n.deprecated_at IS NULL");
            }
            Filter::Source {
                table,
                node_column,
                column,
                value,
            } => {
                sql.push(" AND n.id IN (SELECT ")
                    .push(node_column)
                    .push(" FROM ")
                    .push(table)
                    .push(" WHERE ")
                    .push(column)
                    .push(" = ")
                    .bind(value.clone())
                    .push(")");
            }
            Filter::LanguageSlug(slug) => {
                sql.push(" AND n.language_id IN (SELECT id FROM language WHERE slug = ")
                    .bind(slug.clone())
                    .push(")");
            }
        }
    }
}

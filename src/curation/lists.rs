//! Replacing an owner's whole list of one edge kind in one write: the list given becomes the
//! list, in its order, with its data. One generic function serves every kind through the edge
//! table ([`crate::graph::edges`]), and its statements do not grow with the list: the owner,
//! the old list, every target (one `IN`), one delete, one multi-row insert, the version and
//! the log entry, whatever the number of items.
//!
//! Deprecated nodes get no new edges: a target that is deprecated is refused with `CONFLICT`
//! unless the owner's list already holds it, so that a client can write back a list it read
//! (forward lists show deprecated targets) with its data or order changed. For the same
//! reason a deprecated owner's list may be reordered, shortened or given new data, but not
//! grown with targets it did not hold.

use std::collections::{HashMap, HashSet};

use entity::{Importance, Proficiency};
use sea_orm::{ActiveEnum, ConnectionTrait};
use serde_json::{Map, Value};

use super::Write;
use super::edges::EdgeValues;
use super::log::Change;
use super::nodes::{bump, check_version, find};
use crate::data::bulk::insert_edges;
use crate::data::cycles::edge_cycle;
use crate::data::lifecycle::check_replacements;
use crate::data::sql::Sql;
use crate::graph::rules::MOST_ITEMS;
use crate::graph::slug::is_slug;
use crate::graph::{Datum, EdgeData, EdgeKind, EdgeRow, EdgeSpec};
use crate::{Error, Result};

/// The most items one list write sets: the most a client can read back in one page
/// (`maxPageSize`'s default), and the bound of the nodes' own lists.
pub const MOST_LISTED: usize = MOST_ITEMS;

/// How many unknown targets an error names; the rest are counted.
const NAMED_IN_ERROR: usize = 5;

/// One edge of a list as stored: the target's id and slug, and its data.
struct Listed {
    target: i32,
    slug: String,
    data: EdgeData,
}

/// The list as the change log writes it: `[{slug, importance, level}]` in order, a datum the
/// kind does not carry (or an unknown level) left out.
fn describe(spec: &EdgeSpec, list: &[Listed]) -> Map<String, Value> {
    let items = list
        .iter()
        .map(|edge| {
            let mut item = Map::new();
            item.insert("slug".into(), edge.slug.as_str().into());
            for &datum in spec.data {
                if let Some(value) = stored(&edge.data, datum) {
                    item.insert(datum.column().into(), value.into());
                }
            }
            Value::Object(item)
        })
        .collect();
    Map::from_iter([(spec.list.to_owned(), Value::Array(items))])
}

fn stored(data: &EdgeData, datum: Datum) -> Option<String> {
    match datum {
        Datum::Importance => data.importance.map(|value| value.to_value()),
        Datum::Level => data.level.map(|value| value.to_value()),
    }
}

/// The owner's list as it is, in order. One statement.
async fn current(db: &impl ConnectionTrait, spec: &EdgeSpec, owner: i32) -> Result<Vec<Listed>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT e.")
        .push(spec.target.column)
        .push(", t.slug");
    for datum in spec.data {
        sql.push(", e.").push(datum.column());
    }
    sql.push(&format!(
        " FROM {} e JOIN {} t ON t.id = e.{} WHERE e.{} = ",
        spec.table,
        spec.target.kind.table(),
        spec.target.column,
        spec.owner.column
    ))
    .bind(owner)
    .push(" ORDER BY e.position");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        let mut data = EdgeData::default();
        for (offset, datum) in spec.data.iter().enumerate() {
            let value: Option<String> = row.try_get_by_index(2 + offset)?;
            let Some(value) = value else { continue };
            let bad =
                || Error::Internal(format!("{}: bad {}: {value}", spec.table, datum.column()));
            match datum {
                Datum::Importance => {
                    data.importance = Some(Importance::try_from_value(&value).map_err(|_| bad())?);
                }
                Datum::Level => {
                    data.level = Some(Proficiency::try_from_value(&value).map_err(|_| bad())?);
                }
            }
        }
        list.push(Listed {
            target: row.try_get_by_index(0)?,
            slug: row.try_get_by_index(1)?,
            data,
        });
    }
    Ok(list)
}

/// The targets named `slugs`, by slug: id and whether deprecated. One statement.
async fn targets(
    db: &impl ConnectionTrait,
    spec: &EdgeSpec,
    slugs: &[&str],
) -> Result<HashMap<String, (i32, bool)>> {
    if slugs.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id, slug, deprecated_at IS NOT NULL FROM ")
        .push(spec.target.kind.table())
        .push(" WHERE slug IN (")
        .bind_all(slugs.iter().map(|slug| (*slug).to_owned()))
        .push(")");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| {
            let slug: String = row.try_get_by_index(1)?;
            Ok((slug, (row.try_get_by_index(0)?, row.try_get_by_index(2)?)))
        })
        .collect()
}

/// Whether the owner is deprecated.
async fn is_deprecated(db: &impl ConnectionTrait, spec: &EdgeSpec, owner: i32) -> Result<bool> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT deprecated_at IS NOT NULL FROM ")
        .push(spec.owner.kind.table())
        .push(" WHERE id = ")
        .bind(owner);
    let row = db
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(|| Error::Internal(format!("{:?} {owner} vanished", spec.owner.kind)))?;
    Ok(row.try_get_by_index(0)?)
}

/// `"a", "b", "c" and 4 more`: slugs named in an error, a bounded few of them.
fn some_of(slugs: &[&str]) -> String {
    let named: Vec<String> = slugs
        .iter()
        .take(NAMED_IN_ERROR)
        .map(|slug| format!("{slug:?}"))
        .collect();
    let named = named.join(", ");
    match slugs.len().saturating_sub(NAMED_IN_ERROR) {
        0 => named,
        more => format!("{named} and {more} more"),
    }
}

/// Checks what needs no database: the list's length, each target named once, each datum the
/// kind carries given. Refusing these first keeps a hostile list (thousands of items, one
/// target over and over) from costing a transaction.
fn check_items(spec: &EdgeSpec, items: &[(String, EdgeValues)]) -> Result<Vec<EdgeData>> {
    let field = spec.list;
    if items.len() > MOST_LISTED {
        return Err(Error::invalid(
            field,
            format!(
                "{field} holds at most {MOST_LISTED} items, got {}",
                items.len()
            ),
        ));
    }
    let mut seen = HashSet::with_capacity(items.len());
    let mut data = Vec::with_capacity(items.len());
    for (slug, values) in items {
        if !seen.insert(slug.as_str()) {
            return Err(Error::invalid(
                field,
                format!("{slug:?} is named twice in {field}"),
            ));
        }
        let mut edge = EdgeData::default();
        for &datum in spec.data {
            match datum {
                Datum::Importance => edge.importance = values.importance,
                Datum::Level => edge.level = values.level,
            }
            if stored(&edge, datum).is_none() {
                return Err(Error::invalid(
                    field,
                    format!("{slug:?} needs its {}", datum.column()),
                ));
            }
        }
        data.push(edge);
    }
    Ok(data)
}

/// Makes `items` (target slug and data, in order) the whole list of `edge` of the node
/// `owner_slug`: positions 0..n-1 in the given order, edges not named removed, data as
/// given (each datum the kind carries is needed; `position` is ignored, the order says
/// it). One transaction, one revision, one change-log entry with the old and new lists,
/// one version more for the owner. Refused, with nothing written: more than
/// [`MOST_LISTED`] items or a target named twice (`BAD_USER_INPUT`), an unknown owner or
/// target (`NOT_FOUND`), a new edge to a deprecated node, an `expected_version` that is
/// not the owner's or, for an acyclic kind, a cycle (`CONFLICT`).
#[allow(clippy::too_many_arguments)]
pub(super) async fn set_edges(
    write: &Write<'_>,
    edge: EdgeKind,
    owner_slug: &str,
    items: &[(String, EdgeValues)],
    expected_version: Option<i32>,
) -> Result<Change> {
    let data = check_items(edge.spec(), items)?;
    let spec = edge.spec();
    let field = spec.list;
    let unknown = |slugs: &[&str]| {
        Error::not_found(
            field,
            format!(
                "there is no {} with slug {}",
                spec.target.kind.name().to_lowercase(),
                some_of(slugs)
            ),
        )
    };
    // A slug that cannot be one is unknown without asking the database.
    let malformed: Vec<&str> = items
        .iter()
        .map(|(slug, _)| slug.as_str())
        .filter(|slug| !is_slug(slug))
        .collect();
    if !malformed.is_empty() {
        return Err(unknown(&malformed));
    }
    let txn = &write.txn;
    let owner = find(txn, spec.owner.kind, spec.owner.field, owner_slug, true).await?;
    check_version(spec.owner.kind, owner, expected_version)?;
    let before = current(txn, spec, owner.id).await?;
    let slugs: Vec<&str> = items.iter().map(|(slug, _)| slug.as_str()).collect();
    let found = targets(txn, spec, &slugs).await?;
    let missing: Vec<&str> = slugs
        .iter()
        .copied()
        .filter(|slug| !found.contains_key(*slug))
        .collect();
    if !missing.is_empty() {
        return Err(unknown(&missing));
    }
    let held: HashSet<i32> = before.iter().map(|edge| edge.target).collect();
    let mut after = Vec::with_capacity(items.len());
    for ((slug, _), data) in items.iter().zip(&data) {
        crate::graph::rules::check_ends(edge, owner_slug, slug)?;
        let Some(&(target, deprecated)) = found.get(slug) else {
            return Err(unknown(&[slug.as_str()]));
        };
        let new = !held.contains(&target);
        if new && deprecated {
            return Err(Error::conflict(
                field,
                format!("{slug:?} is deprecated: it gets no new edges; name its replacement"),
            ));
        }
        if new
            && spec.acyclic
            && let Some(cycle) = edge_cycle(txn, edge, owner.id, target).await?
        {
            return Err(
                Error::conflict(field, format!("the {field} would form a cycle")).with_cycle(cycle),
            );
        }
        after.push(Listed {
            target,
            slug: slug.clone(),
            data: *data,
        });
    }
    if after.iter().any(|edge| !held.contains(&edge.target))
        && is_deprecated(txn, spec, owner.id).await?
    {
        return Err(Error::conflict(
            spec.owner.field,
            format!("{owner_slug:?} is deprecated: its {field} get no new edges"),
        ));
    }
    let mut sql = Sql::new(write.backend());
    sql.push("DELETE FROM ")
        .push(spec.table)
        .push(" WHERE ")
        .push(spec.owner.column)
        .push(" = ")
        .bind(owner.id);
    txn.execute_raw(sql.into_statement()).await?;
    let rows: Vec<EdgeRow> = after
        .iter()
        .enumerate()
        .map(|(position, edge)| EdgeRow {
            owner: owner.id,
            target: edge.target,
            position: i32::try_from(position).unwrap_or(i32::MAX),
            data: edge.data,
        })
        .collect();
    insert_edges(txn, edge, &rows).await?;
    if spec.replaces {
        check_replacements(txn, spec.owner.kind).await?;
    }
    bump(txn, spec.owner.kind, owner.id).await?;
    let change = Change {
        kind: Some(spec.owner.kind),
        slug: owner_slug.to_owned(),
        before: Some(describe(spec, &before)),
        after: Some(describe(spec, &after)),
    };
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(slug: &str) -> (String, EdgeValues) {
        (
            slug.to_owned(),
            EdgeValues {
                importance: Some(Importance::Essential),
                level: Some(Proficiency::Advanced),
                position: None,
            },
        )
    }

    #[test]
    fn lists_are_refused_before_the_database_when_too_long_or_repeating() {
        let spec = EdgeKind::RoleSkill.spec();
        let most: Vec<_> = (0..MOST_LISTED).map(|at| item(&format!("s{at}"))).collect();
        assert_eq!(
            check_items(spec, &most).map(|data| data.len()).ok(),
            Some(MOST_LISTED)
        );
        let mut longer = most.clone();
        longer.push(item("one-more"));
        assert!(
            matches!(check_items(spec, &longer), Err(Error::Rejected(r)) if r.field.as_deref() == Some("skills"))
        );
        let twice = vec![item("a"), item("b"), item("a")];
        assert!(
            matches!(check_items(spec, &twice), Err(Error::Rejected(r)) if r.code == "BAD_USER_INPUT")
        );
        let mut no_level = item("a");
        no_level.1.level = None;
        assert!(check_items(spec, &[no_level.clone()]).is_err());
        // A kind without levels does not need one.
        assert!(check_items(EdgeKind::RoleTool.spec(), &[no_level]).is_ok());
    }

    #[test]
    fn errors_name_a_bounded_few_slugs() {
        let slugs: Vec<String> = (0..100).map(|at| format!("s{at}")).collect();
        let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
        let text = some_of(&slugs);
        assert!(text.ends_with("and 95 more"), "{text}");
        assert_eq!(some_of(&["a"]), "\"a\"");
    }
}

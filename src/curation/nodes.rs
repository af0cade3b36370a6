//! Creating, updating and deleting nodes, for every kind through the field table of
//! [`super::fields`].

use entity::ToolCategory;
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, Value};
use serde_json::Map;

use super::Write;
use super::fields::check_value;
use super::fields::{self, Draft, FieldSpec, Given, Shape};
use super::log::Change;
use super::places::Siblings;
use crate::data::sql::Sql;
use crate::error::is_unique_violation;
use crate::graph::slug::is_slug;
use crate::graph::{EdgeKind, Kind};
use crate::{Error, Result};

/// A node found for a write: its id and version.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub id: i32,
    pub version: i32,
}

fn kind_word(kind: Kind) -> String {
    kind.name().to_lowercase()
}

/// The node `slug` of `kind`, named by the input field `field`; `NOT_FOUND` if there is none.
/// With `lock`, PostgreSQL locks the row until the write ends, so that what the write reads
/// of the node stays true until it commits (SQLite has one writer at a time anyway).
pub async fn find(
    db: &impl ConnectionTrait,
    kind: Kind,
    field: &str,
    slug: &str,
    lock: bool,
) -> Result<Found> {
    Ok(read(db, kind, field, slug, lock, &[]).await?.0)
}

/// Like [`find`], and the current values of the fields `specs`, as the change log writes
/// them: one statement.
async fn read(
    db: &impl ConnectionTrait,
    kind: Kind,
    field: &str,
    slug: &str,
    lock: bool,
    specs: &[&FieldSpec],
) -> Result<(Found, Map<String, serde_json::Value>)> {
    let missing = || {
        Error::not_found(
            field,
            format!("there is no {} with slug {slug:?}", kind_word(kind)),
        )
    };
    if !is_slug(slug) {
        return Err(missing());
    }
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("SELECT t.id, t.version");
    for spec in specs {
        sql.push(", ").push(&read_expression(spec));
    }
    sql.push(" FROM ")
        .push(kind.table())
        .push(" t WHERE t.slug = ")
        .bind(slug);
    if lock && backend == DbBackend::Postgres {
        sql.push(" FOR UPDATE");
    }
    let row = db
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(missing)?;
    let found = Found {
        id: row.try_get_by_index(0)?,
        version: row.try_get_by_index(1)?,
    };
    let mut values = Map::new();
    for (at, spec) in specs.iter().enumerate() {
        let text: String = row.try_get_by_index(at + 2)?;
        let value = match spec.shape {
            Shape::List => serde_json::from_str(&text)
                .map_err(|err| Error::Internal(format!("{}: {err}", spec.column)))?,
            _ => serde_json::Value::from(text),
        };
        values.insert(spec.name.to_owned(), value);
    }
    Ok((found, values))
}

/// Fails with `CONFLICT` when the client read another version than the one there now.
pub fn check_version(kind: Kind, found: Found, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(expected) if expected != found.version => Err(Error::conflict(
            "expectedVersion",
            format!(
                "the {} is at version {}, not {expected}: it changed since it was read; \
                 read it again and retry",
                kind_word(kind),
                found.version
            ),
        )),
        _ => Ok(()),
    }
}

/// Adds one to a node's version (its edges changed).
pub async fn bump(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("UPDATE ")
        .push(kind.table())
        .push(" SET version = version + 1 WHERE id = ")
        .bind(id);
    db.execute_raw(sql.into_statement()).await?;
    Ok(())
}

/// The SQL that reads a field for the change log.
fn read_expression(spec: &FieldSpec) -> String {
    match spec.shape {
        Shape::Language => "(SELECT l.slug FROM language l WHERE l.id = t.language_id)".into(),
        _ => format!("t.{}", spec.column),
    }
}

/// The database value of a field's given value.
async fn column_value(db: &impl ConnectionTrait, spec: &FieldSpec, given: &Given) -> Result<Value> {
    Ok(match (spec.shape, given) {
        (Shape::List, Given::List(items)) => Value::from(
            serde_json::to_string(items).map_err(|err| Error::Internal(err.to_string()))?,
        ),
        (Shape::Language, Given::Text(slug)) => {
            Value::from(find(db, Kind::Language, spec.name, slug, false).await?.id)
        }
        (Shape::Category, Given::Text(name)) => {
            ToolCategory::try_from_value(name).map_err(|_| {
                Error::invalid(spec.name, format!("{name:?} is not a tool category"))
            })?;
            Value::from(name.as_str())
        }
        (_, Given::Text(text)) => Value::from(text.as_str()),
        (_, Given::List(_)) => {
            return Err(Error::invalid(
                spec.name,
                format!("{} is not a list", spec.name),
            ));
        }
    })
}

/// The specs of the draft's fields, each value checked.
fn checked(kind: Kind, draft: &Draft) -> Result<Vec<(&'static FieldSpec, &Given)>> {
    draft
        .0
        .iter()
        .map(|(name, given)| {
            let spec = fields::spec(kind, name)
                .ok_or_else(|| Error::invalid(name, format!("{name} cannot be written here")))?;
            check_value(spec, given)?;
            Ok((spec, given))
        })
        .collect()
}

fn after_of(draft: &Draft) -> Map<String, serde_json::Value> {
    draft
        .0
        .iter()
        .map(|(name, given)| ((*name).to_owned(), given.to_json()))
        .collect()
}

/// Where a new skill goes in the tree.
#[derive(Clone, Debug, Default)]
pub struct Placement {
    /// The parent's slug; `None` for a root.
    pub parent: Option<String>,
    /// The index among its siblings; `None` for the end.
    pub position: Option<i32>,
}

fn slug_conflict(kind: Kind, slug: &str) -> Error {
    Error::conflict(
        "slug",
        format!("a {} with slug {slug:?} exists already", kind_word(kind)),
    )
}

/// Creates a node of `kind` from `draft` (a skill at `placement`).
pub(super) async fn create_node(
    write: &Write<'_>,
    kind: Kind,
    mut draft: Draft,
    placement: Option<Placement>,
) -> Result<Change> {
    for spec in fields::specs(kind) {
        if draft.get(spec.name).is_none() {
            if spec.required {
                let message = format!("{} is required", spec.name);
                return Err(Error::invalid(spec.name, message));
            }
            let empty = match spec.shape {
                Shape::List => Given::List(Vec::new()),
                _ => Given::Text(String::new()),
            };
            draft.0.push((spec.name, empty));
        }
    }
    let given = checked(kind, &draft)?;
    let slug = match draft.get("slug") {
        Some(Given::Text(slug)) => slug.clone(),
        _ => return Err(Error::invalid("slug", "slug is required")),
    };
    let txn = &write.txn;
    if find(txn, kind, "slug", &slug, false).await.is_ok() {
        return Err(slug_conflict(kind, &slug));
    }
    let mut columns = Vec::new();
    let mut values = Vec::new();
    for (spec, given) in &given {
        columns.push(spec.column);
        values.push(column_value(txn, spec, given).await?);
    }
    let mut after = after_of(&draft);
    let mut siblings = None;
    if let Some(placement) = &placement {
        let parent = match &placement.parent {
            Some(parent) => Some(find(txn, Kind::Skill, "parent", parent, false).await?.id),
            None => None,
        };
        let place = Siblings {
            table: "skill",
            parent_column: "parent_id",
            parent,
            child_column: "id",
        };
        columns.extend(["parent_id", "position"]);
        values.extend([Value::from(parent), Value::from(place.end(txn).await?)]);
        after.insert("parent".into(), placement.parent.clone().into());
        siblings = Some(place);
    }
    let mut sql = Sql::new(write.backend());
    sql.push("INSERT INTO ")
        .push(kind.table())
        .push(" (")
        .push(&columns.join(", "))
        .push(") VALUES (")
        .bind_all(values)
        .push(") RETURNING id");
    let row = match txn.query_one_raw(sql.into_statement()).await {
        Ok(row) => row,
        Err(err) if is_unique_violation(&err) => return Err(slug_conflict(kind, &slug)),
        Err(err) => return Err(err.into()),
    };
    let id: i32 = row
        .ok_or_else(|| Error::Internal("INSERT returned no id".into()))?
        .try_get_by_index(0)?;
    if let (Some(place), Some(index)) = (&siblings, placement.and_then(|p| p.position)) {
        let position = place.put(txn, id, index).await?;
        after.insert("position".into(), position.into());
    }
    Ok(Change {
        kind: Some(kind),
        slug,
        before: None,
        after: Some(after),
    })
}

/// Changes the fields `draft` gives of the node `slug`.
pub(super) async fn update_node(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    expected_version: Option<i32>,
    draft: &Draft,
) -> Result<Change> {
    let given = checked(kind, draft)?;
    if draft.get("slug").is_some() {
        return Err(Error::invalid("slug", "slugs are stable forever"));
    }
    let txn = &write.txn;
    let specs: Vec<&FieldSpec> = given.iter().map(|(spec, _)| *spec).collect();
    let (found, before) = read(txn, kind, field_of(kind), slug, true, &specs).await?;
    check_version(kind, found, expected_version)?;
    let mut sql = Sql::new(write.backend());
    sql.push("UPDATE ").push(kind.table()).push(" SET ");
    for (spec, value) in &given {
        let value = column_value(txn, spec, value).await?;
        sql.push(spec.column).push(" = ").bind(value).push(", ");
    }
    sql.push("version = version + 1 WHERE id = ").bind(found.id);
    txn.execute_raw(sql.into_statement()).await?;
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(before),
        after: Some(after_of(draft)),
    })
}

/// Deletes the node `slug`. What depends on it (a skill's children, the roles that need
/// it, ...) is refused with `CONFLICT` unless `cascade`, which deletes that too.
pub(super) async fn delete_node(
    write: &Write<'_>,
    kind: Kind,
    slug: &str,
    expected_version: Option<i32>,
    cascade: bool,
) -> Result<Change> {
    let txn = &write.txn;
    let specs: Vec<&FieldSpec> = fields::specs(kind).iter().collect();
    let (found, mut before) = read(txn, kind, field_of(kind), slug, true, &specs).await?;
    check_version(kind, found, expected_version)?;
    if crate::data::lifecycle::is_released(txn, kind, slug).await? {
        return Err(Error::conflict(
            field_of(kind),
            format!(
                "a release holds this {}, and clients may have stored its slug; \
                     deprecate it instead (deprecateNode)",
                kind_word(kind)
            ),
        ));
    }
    let dependents = dependents(txn, kind, found.id).await?;
    if !dependents.is_empty() && !cascade {
        let message = format!(
            "{} other nodes depend on this {}; remove them first, or pass cascade: true \
                 to delete them with it",
            dependents.len(),
            kind_word(kind)
        );
        return Err(Error::conflict("cascade", message).with_dependents(dependents));
    }
    if !dependents.is_empty() {
        before.insert("cascade".into(), dependents.into());
    }
    // The foreign keys remove the node's edges, and with `cascade` its dependents (a
    // skill's subtree, a language's frameworks) and theirs.
    let mut sql = Sql::new(write.backend());
    sql.push("DELETE FROM ")
        .push(kind.table())
        .push(" WHERE id = ")
        .bind(found.id);
    txn.execute_raw(sql.into_statement()).await?;
    Ok(Change {
        kind: Some(kind),
        slug: slug.to_owned(),
        before: Some(before),
        after: None,
    })
}

/// The input field that names a node of `kind` in update and delete mutations.
pub fn field_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Role => "role",
        Kind::Skill => "skill",
        Kind::Language => "language",
        Kind::Framework => "framework",
        Kind::Tool => "tool",
    }
}

/// The most dependents a refusal lists per relation.
const LISTED: u64 = 20;

/// What depends on a node: `Kind:slug` of each, up to [`LISTED`] per relation. The relations
/// are the edges that point at the node (from [`EdgeKind::ALL`]) and the two that are columns:
/// a skill's children and a language's frameworks.
async fn dependents(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<Vec<String>> {
    let mut relations: Vec<(Kind, String)> = Vec::new();
    match kind {
        Kind::Skill => relations.push((
            Kind::Skill,
            "SELECT slug FROM skill WHERE parent_id = ".into(),
        )),
        Kind::Language => relations.push((
            Kind::Framework,
            "SELECT slug FROM framework WHERE language_id = ".into(),
        )),
        _ => {}
    }
    for edge in EdgeKind::ALL {
        let spec = edge.spec();
        if spec.target.kind == kind {
            relations.push((
                spec.owner.kind,
                format!(
                    "SELECT o.slug FROM {} e JOIN {} o ON o.id = e.{} WHERE e.{} = ",
                    spec.table,
                    spec.owner.kind.table(),
                    spec.owner.column,
                    spec.target.column
                ),
            ));
        }
    }
    let mut found = Vec::new();
    for (owner, query) in relations {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push(&query)
            .bind(id)
            .push(&format!(" ORDER BY 1 LIMIT {LISTED}"));
        for row in db.query_all_raw(sql.into_statement()).await? {
            let slug: String = row.try_get_by_index(0)?;
            found.push(format!("{}:{slug}", owner.name()));
        }
    }
    Ok(found)
}

//! Setting and removing edges, and moving skills in the tree.

use entity::{Importance, Proficiency};
use sea_orm::{ActiveEnum, ConnectionTrait, Value};
use serde_json::{Map, json};

use super::Write;
use super::log::Change;
use super::nodes::{Found, bump, check_version, find};
use super::places::Siblings;
use crate::data::cycles::{edge_cycle, tree_cycle};
use crate::data::sql::Sql;
use crate::graph::{Datum, EdgeKind, EdgeSpec, Kind};
use crate::{Error, Result};

/// The data a set edge mutation gives; what the edge kind does not carry is ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct EdgeValues {
    pub importance: Option<Importance>,
    pub level: Option<Proficiency>,
    /// The index in the owner's list; `None` keeps an existing edge's place and puts a new
    /// one at the end.
    pub position: Option<i32>,
}

impl EdgeValues {
    /// The value given for `datum`, as stored.
    fn get(&self, datum: Datum) -> Option<String> {
        match datum {
            Datum::Importance => self.importance.map(|value| value.to_value()),
            Datum::Level => self.level.map(|value| value.to_value()),
        }
    }
}

/// An existing edge: its position, and its data as stored, in the order of the kind's
/// [`EdgeSpec::data`] (a null level is `None`).
struct Existing {
    position: i32,
    data: Vec<Option<String>>,
}

impl Existing {
    /// The edge's data as the change log writes it.
    fn to_json(&self, spec: &EdgeSpec, target: &str) -> Map<String, serde_json::Value> {
        let mut map = Map::new();
        map.insert("slug".into(), target.into());
        for (datum, value) in spec.data.iter().zip(&self.data) {
            if let Some(value) = value {
                map.insert(datum.column().into(), value.as_str().into());
            }
        }
        map.insert("position".into(), self.position.into());
        map
    }
}

/// "an importance", "a level": the datum a new edge lacks, in an error.
fn a_datum(datum: Datum) -> String {
    let column = datum.column();
    let article = if column.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {column}")
}

fn list_change(
    list: &str,
    value: Option<Map<String, serde_json::Value>>,
) -> Map<String, serde_json::Value> {
    let mut map = Map::new();
    map.insert(
        list.to_owned(),
        value.map_or(serde_json::Value::Null, serde_json::Value::Object),
    );
    map
}

/// The edge `owner → target`, if there is one.
async fn existing(
    db: &impl ConnectionTrait,
    spec: &EdgeSpec,
    owner: i32,
    target: i32,
) -> Result<Option<Existing>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT position");
    for datum in spec.data {
        sql.push(", ").push(datum.column());
    }
    sql.push(" FROM ")
        .push(spec.table)
        .push(" WHERE ")
        .push(spec.owner.column)
        .push(" = ")
        .bind(owner)
        .push(" AND ")
        .push(spec.target.column)
        .push(" = ")
        .bind(target);
    let Some(row) = db.query_one_raw(sql.into_statement()).await? else {
        return Ok(None);
    };
    let data = (1..=spec.data.len())
        .map(|at| row.try_get_by_index(at))
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(Existing {
        position: row.try_get_by_index(0)?,
        data,
    }))
}

fn siblings(spec: &EdgeSpec, owner: i32) -> Siblings {
    Siblings {
        table: spec.table,
        parent_column: spec.owner.column,
        parent: Some(owner),
        child_column: spec.target.column,
    }
}

/// Adds the edge `owner → target` of `edge`, or changes its data and place.
#[allow(clippy::too_many_arguments)]
pub(super) async fn set_edge(
    write: &Write<'_>,
    edge: EdgeKind,
    owner_slug: &str,
    target_slug: &str,
    values: EdgeValues,
) -> Result<Change> {
    let spec = edge.spec();
    let txn = &write.txn;
    let owner = find(txn, spec.owner.kind, spec.owner.field, owner_slug, true).await?;
    crate::graph::rules::check_ends(edge, owner_slug, target_slug)?;
    let target = find(txn, spec.target.kind, spec.target.field, target_slug, false).await?;
    if spec.acyclic
        && let Some(cycle) = edge_cycle(txn, edge, owner.id, target.id).await?
    {
        return Err(Error::conflict(
            spec.target.field,
            format!("the {} would form a cycle", spec.list),
        )
        .with_cycle(cycle));
    }
    let before = existing(txn, spec, owner.id, target.id).await?;
    match &before {
        Some(_) => {
            let mut sql = Sql::new(write.backend());
            sql.push("UPDATE ")
                .push(spec.table)
                .push(" SET position = position");
            for &datum in spec.data {
                if let Some(value) = values.get(datum) {
                    sql.push(", ").push(datum.column()).push(" = ").bind(value);
                }
            }
            sql.push(" WHERE ")
                .push(spec.owner.column)
                .push(" = ")
                .bind(owner.id)
                .push(" AND ")
                .push(spec.target.column)
                .push(" = ")
                .bind(target.id);
            txn.execute_raw(sql.into_statement()).await?;
        }
        None => {
            let mut columns = vec![spec.owner.column, spec.target.column, "position"];
            let end = siblings(spec, owner.id).end(txn).await?;
            let mut row: Vec<Value> = vec![owner.id.into(), target.id.into(), end.into()];
            for &datum in spec.data {
                let column = datum.column();
                let value = values.get(datum).ok_or_else(|| {
                    Error::invalid(column, format!("a new edge needs {}", a_datum(datum)))
                })?;
                columns.push(column);
                row.push(value.into());
            }
            let mut sql = Sql::new(write.backend());
            sql.push("INSERT INTO ")
                .push(spec.table)
                .push(" (")
                .push(&columns.join(", "))
                .push(") VALUES (")
                .bind_all(row)
                .push(")");
            txn.execute_raw(sql.into_statement()).await?;
        }
    }
    if let Some(index) = values.position {
        siblings(spec, owner.id).put(txn, target.id, index).await?;
    }
    bump(txn, spec.owner.kind, owner.id).await?;
    let after = existing(txn, spec, owner.id, target.id).await?;
    let describe = |edge: Option<Existing>| edge.map(|edge| edge.to_json(spec, target_slug));
    let change = Change {
        kind: Some(spec.owner.kind),
        slug: owner_slug.to_owned(),
        before: Some(list_change(spec.list, describe(before))),
        after: Some(list_change(spec.list, describe(after))),
    };
    Ok(change)
}

/// Removes the edge `owner → target` of `edge`; `NOT_FOUND` if there is none.
#[allow(clippy::too_many_arguments)]
pub(super) async fn remove_edge(
    write: &Write<'_>,
    edge: EdgeKind,
    owner_slug: &str,
    target_slug: &str,
) -> Result<Change> {
    let spec = edge.spec();
    let txn = &write.txn;
    let owner = find(txn, spec.owner.kind, spec.owner.field, owner_slug, true).await?;
    let target = find(txn, spec.target.kind, spec.target.field, target_slug, false).await?;
    let Some(before) = existing(txn, spec, owner.id, target.id).await? else {
        return Err(Error::not_found(
            spec.target.field,
            format!(
                "{owner_slug:?} has no {} {target_slug:?} in its {}",
                spec.target.field, spec.list
            ),
        ));
    };
    let mut sql = Sql::new(write.backend());
    sql.push("DELETE FROM ")
        .push(spec.table)
        .push(" WHERE ")
        .push(spec.owner.column)
        .push(" = ")
        .bind(owner.id)
        .push(" AND ")
        .push(spec.target.column)
        .push(" = ")
        .bind(target.id);
    txn.execute_raw(sql.into_statement()).await?;
    bump(txn, spec.owner.kind, owner.id).await?;
    let change = Change {
        kind: Some(spec.owner.kind),
        slug: owner_slug.to_owned(),
        before: Some(list_change(
            spec.list,
            Some(before.to_json(spec, target_slug)),
        )),
        after: Some(list_change(spec.list, None)),
    };
    Ok(change)
}

/// Puts `skill` under `parent` (`None`: makes it a root) at `position` among its new
/// siblings (`None`: at the end, or where it is if the parent stays). Refused with
/// `CONFLICT` and the cycle if `parent` is the skill or one of its descendants.
#[allow(clippy::too_many_arguments)]
pub(super) async fn move_skill(
    write: &Write<'_>,
    skill_slug: &str,
    parent_slug: Option<&str>,
    position: Option<i32>,
    expected_version: Option<i32>,
) -> Result<Change> {
    let txn = &write.txn;
    let skill = find(txn, Kind::Skill, "skill", skill_slug, true).await?;
    check_version(Kind::Skill, skill, expected_version)?;
    let parent: Option<Found> = match parent_slug {
        Some(slug) => Some(find(txn, Kind::Skill, "parent", slug, false).await?),
        None => None,
    };
    if let Some(parent) = parent
        && let Some(cycle) = tree_cycle(txn, skill.id, parent.id).await?
    {
        return Err(Error::conflict(
            "parent",
            "a skill cannot move under itself or one of its descendants",
        )
        .with_cycle(cycle));
    }
    let mut sql = Sql::new(write.backend());
    sql.push(
            "SELECT p.slug, s.parent_id, s.position FROM skill s LEFT JOIN skill p ON p.id = s.parent_id WHERE s.id = ",
        )
        .bind(skill.id);
    let row = txn
        .query_one_raw(sql.into_statement())
        .await?
        .ok_or_else(|| Error::Internal("the skill vanished".into()))?;
    let old_parent_slug: Option<String> = row.try_get_by_index(0)?;
    let old_parent: Option<i32> = row.try_get_by_index(1)?;
    let old_position: i32 = row.try_get_by_index(2)?;
    let new_parent = parent.map(|parent| parent.id);
    let place = Siblings {
        table: "skill",
        parent_column: "parent_id",
        parent: new_parent,
        child_column: "id",
    };
    let mut final_position = old_position;
    if new_parent != old_parent {
        final_position = place.end(txn).await?;
        let mut sql = Sql::new(write.backend());
        sql.push("UPDATE skill SET parent_id = ")
            .bind(new_parent)
            .push(", position = ")
            .bind(final_position)
            .push(" WHERE id = ")
            .bind(skill.id);
        txn.execute_raw(sql.into_statement()).await?;
    }
    if let Some(index) = position {
        final_position = place.put(txn, skill.id, index).await?;
    }
    bump(txn, Kind::Skill, skill.id).await?;
    let change = Change {
        kind: Some(Kind::Skill),
        slug: skill_slug.to_owned(),
        before: Some(Map::from_iter([
            ("parent".to_owned(), json!(old_parent_slug)),
            ("position".to_owned(), json!(old_position)),
        ])),
        after: Some(Map::from_iter([
            ("parent".to_owned(), json!(parent_slug)),
            ("position".to_owned(), json!(final_position)),
        ])),
    };
    Ok(change)
}

//! Reading the graph's relations to find the cycle a write would close (the skill tree, and
//! every edge kind the table marks acyclic), and checking a whole graph after a bulk write.
//! The search itself is [`crate::graph::rules`]'; what is read here is the database.

use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;

use super::sql::Sql;
use crate::graph::rules::{any_cycle, find_path};
use crate::graph::{EdgeKind, Kind};
use crate::{Error, Result};

/// The slugs of a kind's nodes by id.
async fn slugs(db: &impl ConnectionTrait, kind: Kind, ids: &[i32]) -> Result<HashMap<i32, String>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id, slug FROM ")
        .push(kind.table())
        .push(" WHERE id IN (")
        .bind_all(ids.iter().copied())
        .push(")");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

/// A path of ids of one kind's nodes, as their slugs.
async fn as_slugs(db: &impl ConnectionTrait, kind: Kind, path: &[i32]) -> Result<Vec<String>> {
    let slugs = slugs(db, kind, path).await?;
    Ok(path
        .iter()
        .map(|id| slugs.get(id).cloned().unwrap_or_default())
        .collect())
}

/// The most levels [`tree_cycle`] walks up from a new parent. Real trees are far shallower; a
/// walk that gets this far went round a cycle written behind the API's back, and stops here
/// rather than run until the statement timeout (or, on SQLite, for ever).
pub const MAX_TREE_WALK: i32 = 10_000;

/// The cycle that putting `skill` under `parent` would make, as slugs from `skill` back to
/// itself; `None` when the tree stays a tree. One statement: the parent's ancestors, at most
/// [`MAX_TREE_WALK`] levels of them. A tree above `parent` that already goes round (it can
/// only have been written behind the API's back) or is deeper than that is refused with
/// `CONFLICT`, naming the cycle: moving one of its skills to be a root repairs it.
pub async fn tree_cycle(
    db: &impl ConnectionTrait,
    skill: i32,
    parent: i32,
) -> Result<Option<Vec<String>>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM skill WHERE id = ",
    )
    .bind(parent)
    .push(
        " UNION ALL SELECT s.id, s.parent_id, up.depth + 1 FROM skill s JOIN up ON s.id = up.parent_id \
         WHERE up.depth < ",
    )
    .bind(MAX_TREE_WALK)
    .push(") SELECT id FROM up ORDER BY depth");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    let ancestors: Vec<i32> = rows
        .iter()
        .map(|row| row.try_get_by_index(0))
        .collect::<std::result::Result<_, _>>()?;
    let Some(at) = ancestors.iter().position(|&id| id == skill) else {
        return corrupted_above(db, &ancestors).await.map(|()| None);
    };
    // skill → parent → ... → skill: the parent's chain up to the skill, read downwards.
    let mut path: Vec<i32> = ancestors[..=at].iter().rev().copied().collect();
    path.push(skill);
    Ok(Some(as_slugs(db, Kind::Skill, &path).await?))
}

/// Refuses a move under a chain of `ancestors` (from the new parent up) that repeats a skill
/// or was cut short at [`MAX_TREE_WALK`].
async fn corrupted_above(db: &impl ConnectionTrait, ancestors: &[i32]) -> Result<()> {
    let mut seen: HashMap<i32, usize> = HashMap::new();
    for (depth, &id) in ancestors.iter().enumerate() {
        if let Some(&first) = seen.get(&id) {
            // Read downwards, like the cycle a move would close.
            let cycle: Vec<i32> = ancestors[first..=depth].iter().rev().copied().collect();
            return Err(Error::conflict(
                "parent",
                "the skill tree above the new parent already goes round in a cycle, which \
                 no write through the API makes; move one of its skills to be a root to \
                 repair it",
            )
            .with_cycle(as_slugs(db, Kind::Skill, &cycle).await?));
        }
        seen.insert(id, depth);
    }
    if ancestors.len() > usize::try_from(MAX_TREE_WALK).unwrap_or(usize::MAX) {
        return Err(Error::conflict(
            "parent",
            format!("the skill tree above the new parent is deeper than {MAX_TREE_WALK} levels"),
        ));
    }
    Ok(())
}

/// The cycle that the edge `owner → target` of an acyclic kind (prerequisites) would close,
/// as slugs from `owner` back to itself; `None` when the kind stays acyclic. Walks the edges
/// from `target` one level per statement.
pub async fn edge_cycle(
    db: &impl ConnectionTrait,
    edge: EdgeKind,
    owner: i32,
    target: i32,
) -> Result<Option<Vec<String>>> {
    let spec = edge.spec();
    let kind = spec.owner.kind;
    if owner == target {
        return Ok(Some(as_slugs(db, kind, &[owner, owner]).await?));
    }
    let mut next: HashMap<i32, Vec<i32>> = HashMap::new();
    let mut seen = HashSet::from([target]);
    let mut frontier = vec![target];
    while !frontier.is_empty() && !seen.contains(&owner) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT ")
            .push(spec.owner.column)
            .push(", ")
            .push(spec.target.column)
            .push(" FROM ")
            .push(spec.table)
            .push(" WHERE ")
            .push(spec.owner.column)
            .push(" IN (")
            .bind_all(frontier.iter().copied())
            .push(")");
        let rows = db.query_all_raw(sql.into_statement()).await?;
        frontier = Vec::new();
        for row in rows {
            let (from, to): (i32, i32) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            next.entry(from).or_default().push(to);
            if seen.insert(to) {
                frontier.push(to);
            }
        }
    }
    let Some(path) = find_path(target, owner, &next) else {
        return Ok(None);
    };
    let mut cycle = vec![owner];
    cycle.extend(path);
    Ok(Some(as_slugs(db, kind, &cycle).await?))
}

/// Checks a whole graph after a bulk write (catalog load, import, generator): the skill tree
/// and every acyclic edge kind (prerequisites, replacements) are acyclic, and replacements
/// follow the lifecycle's rules ([`super::lifecycle`]). Reads each relation whole: a bulk
/// write touches everything.
pub async fn check_graph(db: &impl ConnectionTrait) -> Result<()> {
    let backend = db.get_database_backend();
    let relations = std::iter::once((
        Kind::Skill,
        "parent",
        "SELECT id, parent_id FROM skill WHERE parent_id IS NOT NULL".to_owned(),
    ))
    .chain(
        EdgeKind::ALL
            .iter()
            .map(|edge| edge.spec())
            .filter(|spec| spec.acyclic)
            .map(|spec| {
                (
                    spec.owner.kind,
                    spec.list,
                    format!(
                        "SELECT {}, {} FROM {}",
                        spec.owner.column, spec.target.column, spec.table
                    ),
                )
            }),
    );
    for (kind, field, query) in relations {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(backend, query))
            .await?;
        let mut next: HashMap<i32, Vec<i32>> = HashMap::new();
        for row in rows {
            let (from, to): (i32, i32) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            next.entry(from).or_default().push(to);
        }
        if let Some(cycle) = any_cycle(&next) {
            let slugs = as_slugs(db, kind, &cycle).await?;
            return Err(Error::conflict(
                field,
                format!("{}s form a cycle in {field}", kind.table()),
            )
            .with_cycle(slugs));
        }
    }
    super::lifecycle::check_all(db).await
}

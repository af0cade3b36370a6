//! The rules every write keeps, whoever writes: the mutations, the catalog loader and the
//! importers all check values and acyclicity here. Unique slugs are the database's unique
//! indexes (a race loses with `CONFLICT`), and edges cannot dangle: every edge column is a
//! foreign key that removes the edge with its node.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;

use sea_orm::ConnectionTrait;

use super::fields::{FieldSpec, Given, Shape};
use crate::data::sql::Sql;
use crate::slug::{MAX_SLUG_LEN, is_slug};
use crate::{Error, Result};

/// The longest display name, in characters.
pub const LONGEST_NAME: usize = 256;
/// The longest description, in characters.
pub const LONGEST_TEXT: usize = 10_000;
/// The most items a list field (aliases, responsibilities, domains) holds.
pub const MOST_ITEMS: usize = 100;
/// The longest item of a list field, in characters.
pub const LONGEST_ITEM: usize = 256;

/// Checks a slug.
pub fn check_slug(field: &str, slug: &str) -> Result<()> {
    if is_slug(slug) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!(
                "{field} must be lowercase words of a-z and 0-9 joined by single hyphens, \
                 at most {MAX_SLUG_LEN} characters"
            ),
        ))
    }
}

/// Checks a text's length, and that it holds no NUL (which PostgreSQL cannot store); a
/// one-line text (`empty_ok == false`: names, list items) holds no control character at all.
fn check_length(field: &str, text: &str, longest: usize, empty_ok: bool) -> Result<()> {
    let forbidden = |c: char| c == '\0' || (!empty_ok && c.is_control());
    if text.chars().any(forbidden) {
        return Err(Error::invalid(
            field,
            format!("{field} may not hold control characters"),
        ));
    }
    let length = text.chars().count();
    if (!empty_ok && text.trim().is_empty()) || length > longest {
        let least = if empty_ok { 0 } else { 1 };
        return Err(Error::invalid(
            field,
            format!("{field} must be {least} to {longest} characters long, got {length}"),
        ));
    }
    Ok(())
}

/// Checks a name.
pub fn check_name(field: &str, name: &str) -> Result<()> {
    check_length(field, name, LONGEST_NAME, false)
}

/// Checks a description.
pub fn check_text(field: &str, text: &str) -> Result<()> {
    check_length(field, text, LONGEST_TEXT, true)
}

/// Checks a list of short texts.
pub fn check_list(field: &str, items: &[String]) -> Result<()> {
    if items.len() > MOST_ITEMS {
        return Err(Error::invalid(
            field,
            format!(
                "{field} holds at most {MOST_ITEMS} items, got {}",
                items.len()
            ),
        ));
    }
    for item in items {
        check_length(field, item, LONGEST_ITEM, false)?;
    }
    Ok(())
}

/// Checks one value against its field's shape (the existence of a language and the validity
/// of a category are checked where they are looked up).
pub fn check_value(spec: &FieldSpec, value: &Given) -> Result<()> {
    let field = spec.name;
    match (spec.shape, value) {
        (Shape::Slug, Given::Text(slug)) => check_slug(field, slug),
        (Shape::Name, Given::Text(name)) => check_name(field, name),
        (Shape::Text, Given::Text(text)) => check_text(field, text),
        (Shape::List, Given::List(items)) => check_list(field, items),
        (Shape::Language | Shape::Category, Given::Text(_)) => Ok(()),
        _ => Err(Error::invalid(field, format!("{field} has the wrong type"))),
    }
}

/// A path from `from` to `to` following `next`, both ends included; `None` if there is none.
/// Used to name the cycle a new edge would close: the edge `to → from` closes a cycle exactly
/// when `from` already reaches `to`.
pub fn find_path<K: Copy + Eq + Hash>(from: K, to: K, next: &HashMap<K, Vec<K>>) -> Option<Vec<K>> {
    let mut came_from: HashMap<K, K> = HashMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = HashSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut at = to;
            while let Some(&previous) = came_from.get(&at) {
                path.push(previous);
                at = previous;
            }
            path.reverse();
            return Some(path);
        }
        for &n in next.get(&node).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(n) {
                came_from.insert(n, node);
                queue.push_back(n);
            }
        }
    }
    None
}

/// The slugs of skills by id.
async fn skill_slugs(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, String>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT id, slug FROM skill WHERE id IN (")
        .bind_all(ids.iter().copied())
        .push(")");
    let rows = db.query_all_raw(sql.into_statement()).await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

async fn as_slugs(db: &impl ConnectionTrait, path: &[i32]) -> Result<Vec<String>> {
    let slugs = skill_slugs(db, path).await?;
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
    Ok(Some(as_slugs(db, &path).await?))
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
            .with_cycle(as_slugs(db, &cycle).await?));
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

/// The cycle that making `prerequisite` a prerequisite of `skill` would close, as slugs from
/// `skill` back to itself; `None` when the prerequisites stay acyclic. Walks the
/// prerequisites of `prerequisite` one level per statement.
pub async fn prerequisite_cycle(
    db: &impl ConnectionTrait,
    skill: i32,
    prerequisite: i32,
) -> Result<Option<Vec<String>>> {
    if skill == prerequisite {
        return Ok(Some(as_slugs(db, &[skill, skill]).await?));
    }
    let mut next: HashMap<i32, Vec<i32>> = HashMap::new();
    let mut seen = HashSet::from([prerequisite]);
    let mut frontier = vec![prerequisite];
    while !frontier.is_empty() && !seen.contains(&skill) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("SELECT skill_id, prerequisite_id FROM skill_prerequisite WHERE skill_id IN (")
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
    let Some(path) = find_path(prerequisite, skill, &next) else {
        return Ok(None);
    };
    let mut cycle = vec![skill];
    cycle.extend(path);
    Ok(Some(as_slugs(db, &cycle).await?))
}

/// Checks a whole graph after a bulk write (catalog load, import): the skill tree and the
/// prerequisites are acyclic. Reads both relations whole: a bulk write touches everything.
pub async fn check_graph(db: &impl ConnectionTrait) -> Result<()> {
    let backend = db.get_database_backend();
    for (field, query) in [
        (
            "parent",
            "SELECT id, parent_id FROM skill WHERE parent_id IS NOT NULL",
        ),
        (
            "prerequisites",
            "SELECT skill_id, prerequisite_id FROM skill_prerequisite",
        ),
    ] {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(backend, query))
            .await?;
        let mut next: HashMap<i32, Vec<i32>> = HashMap::new();
        for row in rows {
            let (from, to): (i32, i32) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
            next.entry(from).or_default().push(to);
        }
        if let Some(cycle) = any_cycle(&next) {
            let slugs = as_slugs(db, &cycle).await?;
            return Err(
                Error::conflict(field, format!("skills form a cycle in {field}")).with_cycle(slugs),
            );
        }
    }
    Ok(())
}

/// Some cycle of `next`, closed (first and last equal), if there is one.
pub fn any_cycle<K: Copy + Eq + Hash + Ord>(next: &HashMap<K, Vec<K>>) -> Option<Vec<K>> {
    let mut starts: Vec<K> = next.keys().copied().collect();
    starts.sort();
    let mut finished: HashSet<K> = HashSet::new();
    for start in starts {
        if finished.contains(&start) {
            continue;
        }
        // Depth-first, keeping the path: an edge back into the path is a cycle.
        let mut path: Vec<K> = vec![start];
        let mut on_path: HashSet<K> = HashSet::from([start]);
        let mut stack: Vec<std::slice::Iter<'_, K>> = vec![
            next.get(&start)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter(),
        ];
        while let Some(children) = stack.last_mut() {
            match children.next() {
                Some(&child) if on_path.contains(&child) => {
                    let at = path.iter().position(|&k| k == child).unwrap_or(0);
                    let mut cycle = path[at..].to_vec();
                    cycle.push(child);
                    return Some(cycle);
                }
                Some(&child) if !finished.contains(&child) => {
                    path.push(child);
                    on_path.insert(child);
                    stack.push(
                        next.get(&child)
                            .map(Vec::as_slice)
                            .unwrap_or_default()
                            .iter(),
                    );
                }
                Some(_) => {}
                None => {
                    stack.pop();
                    if let Some(done) = path.pop() {
                        on_path.remove(&done);
                        finished.insert(done);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_cycles() {
        let next = HashMap::from([(1, vec![2]), (2, vec![3, 4]), (4, vec![5])]);
        assert_eq!(find_path(1, 5, &next), Some(vec![1, 2, 4, 5]));
        assert_eq!(find_path(5, 1, &next), None);
        assert_eq!(any_cycle(&next), None);
        let cyclic = HashMap::from([(1, vec![2]), (2, vec![3]), (3, vec![1])]);
        assert_eq!(any_cycle(&cyclic), Some(vec![1, 2, 3, 1]));
        assert_eq!(any_cycle(&HashMap::from([(7, vec![7])])), Some(vec![7, 7]));
    }

    #[test]
    fn values_are_bounded() {
        assert!(check_name("name", "Backend Developer").is_ok());
        assert!(check_name("name", " ").is_err());
        assert!(check_name("name", &"x".repeat(LONGEST_NAME + 1)).is_err());
        assert!(check_list("aliases", &vec!["a".to_owned(); MOST_ITEMS + 1]).is_err());
        assert!(check_list("aliases", &["".to_owned()]).is_err());
        assert!(check_slug("slug", "Not A Slug").is_err());
    }
}

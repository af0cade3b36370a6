//! Whole skill subtrees in one recursive query.

use std::collections::HashMap;
use std::sync::Arc;

use entity::skill;
use sea_orm::ConnectionTrait;

use super::rows::{Columns, NodeColumns, Row};
use super::sql::{Sql, node_columns};
use crate::Result;
use crate::db::Db;

/// One skill of a subtree, with its depth below the subtree's root (children have depth 1).
#[derive(Clone, Debug)]
pub struct TreeEntry {
    pub depth: i32,
    pub skill: Arc<skill::Model>,
}

/// The descendants of every skill in `roots`, down to `max_depth` levels, each list in
/// pre-order (a skill, then its subtree, siblings in catalog order); without
/// `include_deprecated`, a deprecated skill is left out with what is under it, as lists and
/// answers leave deprecated nodes out.
///
/// One statement for the whole batch: a `WITH RECURSIVE` walk that remembers which root each
/// row descends from. The pre-order is put together here, which keeps the SQL portable.
///
/// The walk is bounded twice over: by `max_depth`, and by never stepping onto its own root.
/// The API keeps the tree acyclic, but a cycle written behind its back would otherwise list
/// its skills again on every lap: as each skill has one parent, a walk down from a root can
/// only come back to a skill it has seen by coming back to the root, so stopping there lists
/// every skill below it once.
pub async fn descendants(
    db: &Db,
    roots: &[i32],
    max_depth: u32,
    include_deprecated: bool,
) -> Result<HashMap<i32, Vec<TreeEntry>>> {
    let active = if include_deprecated {
        ""
    } else {
        " AND s.deprecated_at IS NULL"
    };
    let mut trees: HashMap<i32, Vec<TreeEntry>> =
        roots.iter().map(|root| (*root, Vec::new())).collect();
    if roots.is_empty() || max_depth == 0 {
        return Ok(trees);
    }
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push(
        "WITH RECURSIVE tree (sg_root, id, sg_depth) AS ( \
           SELECT s.parent_id, s.id, 1 FROM skill s WHERE s.id <> s.parent_id AND s.parent_id IN (",
    );
    sql.bind_all(roots.iter().copied());
    sql.push(&format!(
        "){active} UNION ALL \
           SELECT tree.sg_root, s.id, tree.sg_depth + 1 FROM skill s \
           JOIN tree ON s.parent_id = tree.id WHERE s.id <> tree.sg_root{active} \
           AND tree.sg_depth < "
    ));
    sql.bind(i64::from(max_depth));
    sql.push(&format!(
        ") SELECT tree.sg_root AS sg_root, tree.sg_depth AS sg_depth, {} \
         FROM tree JOIN skill n ON n.id = tree.id",
        node_columns::<skill::Model>(Columns::All)
    ));
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;

    // Per root: the children of every skill in its subtree, in catalog order.
    let mut children: HashMap<i32, HashMap<i32, Vec<TreeEntry>>> = HashMap::new();
    for row in &rows {
        let row = Row::of(row)?;
        let root: i32 = row.get(0)?;
        let depth: i32 = row.get(1)?;
        let skill = skill::Model::read(&row, 2, Columns::All)?;
        let Some(parent) = skill.parent_id else {
            continue;
        };
        children
            .entry(root)
            .or_default()
            .entry(parent)
            .or_default()
            .push(TreeEntry {
                depth,
                skill: Arc::new(skill),
            });
    }
    for (root, mut by_parent) in children {
        for siblings in by_parent.values_mut() {
            siblings.sort_by_key(|entry| entry.skill.position);
        }
        let mut ordered = Vec::new();
        // Depth-first walk with an explicit stack; children are pushed in reverse so that the
        // first child is visited first.
        let mut stack: Vec<TreeEntry> = by_parent.remove(&root).unwrap_or_default();
        stack.reverse();
        while let Some(entry) = stack.pop() {
            if let Some(mut kids) = by_parent.remove(&entry.skill.id) {
                kids.reverse();
                stack.extend(kids);
            }
            ordered.push(entry);
        }
        trees.insert(root, ordered);
    }
    Ok(trees)
}

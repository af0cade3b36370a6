//! Grouped counts of a list's items (`groups(by:)`): how many of the items passing the
//! filters share each value of a column, for a whole batch of parents in one statement.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use super::filters::push_filters;
use super::{Filter, Link, List, source};
use crate::data::sql::Sql;
use crate::db::Db;
use crate::graph::{Datum, Kind};
use crate::{Error, Result};

/// What a list's items can be grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// The edge's importance.
    Importance,
    /// The edge's level (null where the source gives none).
    Level,
    /// A tool's category.
    Category,
    /// An imported skill's ESCO type (null for a skill curated by hand).
    SkillType,
    /// An imported role's ISCO group (null for a role curated by hand).
    IscoGroup,
}

/// One group: the value its items share (`None`: they have none) and how many there are.
pub type Group = (Option<String>, i64);

impl GroupKey {
    /// The SQL expression of the value over the list's edge `e` and item `n`, or `None` when
    /// the list's items do not have it.
    fn expression(self, list: List) -> Option<&'static str> {
        let spec = list.spec();
        let on_edge = |datum: Datum| {
            matches!(spec.link, Link::Table(..)) && spec.edge_columns.contains(&datum)
        };
        let table = list.node_table();
        match self {
            GroupKey::Importance => on_edge(Datum::Importance).then_some("e.importance"),
            GroupKey::Level => on_edge(Datum::Level).then_some("e.level"),
            GroupKey::Category => (table == Kind::Tool.table()).then_some("n.category"),
            GroupKey::SkillType => (table == Kind::Skill.table())
                .then_some("(SELECT x.skill_type FROM skill_external x WHERE x.skill_id = n.id)"),
            GroupKey::IscoGroup => (table == Kind::Role.table())
                .then_some("(SELECT x.isco_group FROM role_external x WHERE x.role_id = n.id)"),
        }
    }
}

/// Groups in a fixed order on both backends (which sort nulls differently): by value, the
/// items without one last.
fn sorted(mut groups: Vec<Group>) -> Vec<Group> {
    groups.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (a, b) => a.is_none().cmp(&b.is_none()),
    });
    groups
}

/// The expression `by` groups `list` by, or the error for a list without it.
fn expression(list: List, by: GroupKey) -> Result<&'static str> {
    by.expression(list)
        .ok_or_else(|| Error::Internal(format!("{list:?} cannot be grouped by {by:?}")))
}

/// A root list's groups.
pub async fn root_groups(
    db: &Db,
    list: List,
    filters: &[Filter],
    by: GroupKey,
) -> Result<Vec<Group>> {
    let key = expression(list, by)?;
    let (from, _, _) = source(list, &list.spec());
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push(&format!(
        "SELECT {key} AS sg_key, COUNT(*) AS sg_count FROM {from} WHERE 1 = 1"
    ));
    push_filters(&mut sql, filters);
    sql.push(" GROUP BY ").push(key);
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;
    let mut groups = Vec::with_capacity(rows.len());
    for row in &rows {
        groups.push((row.try_get("", "sg_key")?, row.try_get("", "sg_count")?));
    }
    Ok(sorted(groups))
}

/// A nested list's groups for every parent in `parents`, in one statement.
pub async fn nested_groups(
    db: &Db,
    list: List,
    parents: &[i32],
    filters: &[Filter],
    by: GroupKey,
) -> Result<HashMap<i32, Vec<Group>>> {
    let key = expression(list, by)?;
    let (from, Some(parent), _) = source(list, &list.spec()) else {
        return Err(Error::Internal(format!("{list:?} is not a nested list")));
    };
    let mut sql = Sql::new(db.conn.get_database_backend());
    sql.push(&format!(
        "SELECT {parent} AS sg_parent, {key} AS sg_key, COUNT(*) AS sg_count FROM {from} \
         WHERE {parent} IN ("
    ));
    sql.bind_all(parents.iter().copied()).push(")");
    push_filters(&mut sql, filters);
    sql.push(&format!(" GROUP BY {parent}, {key}"));
    let rows = db.conn.query_all_raw(sql.into_statement()).await?;
    let mut groups: HashMap<i32, Vec<Group>> =
        parents.iter().map(|parent| (*parent, Vec::new())).collect();
    for row in &rows {
        let parent: i32 = row.try_get("", "sg_parent")?;
        groups
            .entry(parent)
            .or_default()
            .push((row.try_get("", "sg_key")?, row.try_get("", "sg_count")?));
    }
    Ok(groups
        .into_iter()
        .map(|(parent, groups)| (parent, sorted(groups)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_by_value_with_the_valueless_last() {
        let groups = sorted(vec![
            (None, 1),
            (Some("b".into()), 2),
            (Some("a".into()), 3),
        ]);
        assert_eq!(
            groups,
            vec![(Some("a".into()), 3), (Some("b".into()), 2), (None, 1)]
        );
    }

    #[test]
    fn only_lists_whose_items_have_the_value_group_by_it() {
        assert!(GroupKey::Level.expression(List::RoleSkills).is_some());
        assert!(GroupKey::Level.expression(List::RoleTools).is_none());
        assert!(GroupKey::Importance.expression(List::Skills).is_none());
        assert!(GroupKey::Category.expression(List::RoleTools).is_some());
        assert!(GroupKey::IscoGroup.expression(List::SkillRoles).is_some());
        assert!(GroupKey::SkillType.expression(List::Roles).is_none());
    }
}

//! Setting and removing edges, and moving skills in the tree.

use entity::{Importance, Proficiency};
use sea_orm::{ActiveEnum, ConnectionTrait, Value};
use serde_json::{Map, json};

use super::invariants::{prerequisite_cycle, tree_cycle};
use super::log::Change;
use super::nodes::{Found, bump, check_version, find};
use super::places::Siblings;
use super::{Committed, Curator, serial};
use crate::data::model::Kind;
use crate::data::sql::Sql;
use crate::keys::Principal;
use crate::{Error, Result};

/// The kinds of edge a client can set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    RoleSkill,
    RoleLanguage,
    RoleFramework,
    RoleTool,
    SkillLanguage,
    SkillTool,
    SkillPrerequisite,
}

/// Where an edge kind is stored and what it carries.
#[derive(Debug)]
pub struct EdgeSpec {
    pub table: &'static str,
    pub owner: Kind,
    pub owner_column: &'static str,
    /// The input field naming the owner.
    pub owner_field: &'static str,
    pub target: Kind,
    pub target_column: &'static str,
    /// The input field naming the target.
    pub target_field: &'static str,
    /// The owner's list this edge is in (its GraphQL field), as the change log names it.
    pub list: &'static str,
    pub importance: bool,
    pub level: bool,
}

const fn edge(
    table: &'static str,
    (owner, owner_column, owner_field): (Kind, &'static str, &'static str),
    (target, target_column, target_field): (Kind, &'static str, &'static str),
    list: &'static str,
    (importance, level): (bool, bool),
) -> EdgeSpec {
    EdgeSpec {
        table,
        owner,
        owner_column,
        owner_field,
        target,
        target_column,
        target_field,
        list,
        importance,
        level,
    }
}

const ROLE: (Kind, &str, &str) = (Kind::Role, "role_id", "role");
const SKILL: (Kind, &str, &str) = (Kind::Skill, "skill_id", "skill");

impl EdgeKind {
    /// Every kind of edge.
    pub const ALL: [EdgeKind; 7] = [
        EdgeKind::RoleSkill,
        EdgeKind::RoleLanguage,
        EdgeKind::RoleFramework,
        EdgeKind::RoleTool,
        EdgeKind::SkillLanguage,
        EdgeKind::SkillTool,
        EdgeKind::SkillPrerequisite,
    ];

    pub fn spec(self) -> EdgeSpec {
        use Kind::*;
        match self {
            EdgeKind::RoleSkill => edge(
                "role_skill",
                ROLE,
                (Skill, "skill_id", "skill"),
                "skills",
                (true, true),
            ),
            EdgeKind::RoleLanguage => edge(
                "role_language",
                ROLE,
                (Language, "language_id", "language"),
                "languages",
                (true, false),
            ),
            EdgeKind::RoleFramework => edge(
                "role_framework",
                ROLE,
                (Framework, "framework_id", "framework"),
                "frameworks",
                (true, false),
            ),
            EdgeKind::RoleTool => edge(
                "role_tool",
                ROLE,
                (Tool, "tool_id", "tool"),
                "tools",
                (true, false),
            ),
            EdgeKind::SkillLanguage => edge(
                "skill_language",
                SKILL,
                (Language, "language_id", "language"),
                "languages",
                (false, false),
            ),
            EdgeKind::SkillTool => edge(
                "skill_tool",
                SKILL,
                (Tool, "tool_id", "tool"),
                "tools",
                (false, false),
            ),
            EdgeKind::SkillPrerequisite => edge(
                "skill_prerequisite",
                SKILL,
                (Skill, "prerequisite_id", "prerequisite"),
                "prerequisites",
                (false, false),
            ),
        }
    }
}

/// The data a set edge mutation gives; what the edge kind does not carry is ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct EdgeValues {
    pub importance: Option<Importance>,
    pub level: Option<Proficiency>,
    /// The index in the owner's list; `None` keeps an existing edge's place and puts a new
    /// one at the end.
    pub position: Option<i32>,
}

/// The edge's data as the change log writes it.
fn edge_json(
    target: &str,
    importance: Option<&str>,
    level: Option<&str>,
    position: i32,
) -> Map<String, serde_json::Value> {
    let mut map = Map::new();
    map.insert("slug".into(), target.into());
    if let Some(importance) = importance {
        map.insert("importance".into(), importance.into());
    }
    if let Some(level) = level {
        map.insert("level".into(), level.into());
    }
    map.insert("position".into(), position.into());
    map
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

/// An existing edge's data: position, importance, level.
async fn existing(
    db: &impl ConnectionTrait,
    spec: &EdgeSpec,
    owner: i32,
    target: i32,
) -> Result<Option<(i32, Option<String>, Option<String>)>> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT position, ")
        .push(if spec.importance {
            "importance"
        } else {
            "NULL"
        })
        .push(", ")
        .push(if spec.level { "level" } else { "NULL" })
        .push(" FROM ")
        .push(spec.table)
        .push(" WHERE ")
        .push(spec.owner_column)
        .push(" = ")
        .bind(owner)
        .push(" AND ")
        .push(spec.target_column)
        .push(" = ")
        .bind(target);
    let Some(row) = db.query_one_raw(sql.into_statement()).await? else {
        return Ok(None);
    };
    Ok(Some((
        row.try_get_by_index(0)?,
        row.try_get_by_index(1)?,
        row.try_get_by_index(2)?,
    )))
}

fn siblings(spec: &EdgeSpec, owner: i32) -> Siblings {
    Siblings {
        table: spec.table,
        parent_column: spec.owner_column,
        parent: Some(owner),
        child_column: spec.target_column,
    }
}

impl Curator {
    /// Adds the edge `owner → target` of `edge`, or changes its data and place.
    pub async fn set_edge(
        &self,
        who: &Principal,
        operation: &str,
        edge: EdgeKind,
        owner_slug: &str,
        target_slug: &str,
        values: EdgeValues,
    ) -> Result<Committed> {
        serial::retrying(operation, || {
            self.set_edge_once(who, operation, edge, owner_slug, target_slug, values)
        })
        .await
    }

    async fn set_edge_once(
        &self,
        who: &Principal,
        operation: &str,
        edge: EdgeKind,
        owner_slug: &str,
        target_slug: &str,
        values: EdgeValues,
    ) -> Result<Committed> {
        let spec = edge.spec();
        let write = self.begin(who, operation).await?;
        let txn = &write.txn;
        let owner = find(txn, spec.owner, spec.owner_field, owner_slug, true).await?;
        let target = find(txn, spec.target, spec.target_field, target_slug, false).await?;
        if edge == EdgeKind::SkillPrerequisite
            && let Some(cycle) = prerequisite_cycle(txn, owner.id, target.id).await?
        {
            return Err(
                Error::conflict("prerequisite", "the prerequisites would form a cycle")
                    .with_cycle(cycle),
            );
        }
        let importance = values.importance.map(|value| value.to_value());
        let level = values.level.map(|value| value.to_value());
        let before = existing(txn, &spec, owner.id, target.id).await?;
        match &before {
            Some(_) => {
                let mut sql = Sql::new(write.backend());
                sql.push("UPDATE ")
                    .push(spec.table)
                    .push(" SET position = position");
                if let (true, Some(importance)) = (spec.importance, &importance) {
                    sql.push(", importance = ").bind(importance.as_str());
                }
                if let (true, Some(level)) = (spec.level, &level) {
                    sql.push(", level = ").bind(level.as_str());
                }
                sql.push(" WHERE ")
                    .push(spec.owner_column)
                    .push(" = ")
                    .bind(owner.id)
                    .push(" AND ")
                    .push(spec.target_column)
                    .push(" = ")
                    .bind(target.id);
                txn.execute_raw(sql.into_statement()).await?;
            }
            None => {
                let mut columns = vec![spec.owner_column, spec.target_column, "position"];
                let end = siblings(&spec, owner.id).end(txn).await?;
                let mut row: Vec<Value> = vec![owner.id.into(), target.id.into(), end.into()];
                if spec.importance {
                    let importance = importance.clone().ok_or_else(|| {
                        Error::invalid("importance", "a new edge needs an importance")
                    })?;
                    columns.push("importance");
                    row.push(importance.into());
                }
                if spec.level {
                    let level = level
                        .clone()
                        .ok_or_else(|| Error::invalid("level", "a new edge needs a level"))?;
                    columns.push("level");
                    row.push(level.into());
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
            siblings(&spec, owner.id).put(txn, target.id, index).await?;
        }
        bump(txn, spec.owner, owner.id).await?;
        let after = existing(txn, &spec, owner.id, target.id).await?;
        let describe = |data: Option<(i32, Option<String>, Option<String>)>| {
            data.map(|(position, importance, level)| {
                edge_json(
                    target_slug,
                    importance.as_deref(),
                    level.as_deref(),
                    position,
                )
            })
        };
        let change = Change {
            kind: Some(spec.owner),
            slug: owner_slug.to_owned(),
            before: Some(list_change(spec.list, describe(before))),
            after: Some(list_change(spec.list, describe(after))),
        };
        write.commit(change).await
    }

    /// Removes the edge `owner → target` of `edge`; `NOT_FOUND` if there is none.
    pub async fn remove_edge(
        &self,
        who: &Principal,
        operation: &str,
        edge: EdgeKind,
        owner_slug: &str,
        target_slug: &str,
    ) -> Result<Committed> {
        serial::retrying(operation, || {
            self.remove_edge_once(who, operation, edge, owner_slug, target_slug)
        })
        .await
    }

    async fn remove_edge_once(
        &self,
        who: &Principal,
        operation: &str,
        edge: EdgeKind,
        owner_slug: &str,
        target_slug: &str,
    ) -> Result<Committed> {
        let spec = edge.spec();
        let write = self.begin(who, operation).await?;
        let txn = &write.txn;
        let owner = find(txn, spec.owner, spec.owner_field, owner_slug, true).await?;
        let target = find(txn, spec.target, spec.target_field, target_slug, false).await?;
        let Some((position, importance, level)) = existing(txn, &spec, owner.id, target.id).await?
        else {
            return Err(Error::not_found(
                spec.target_field,
                format!(
                    "{owner_slug:?} has no {} {target_slug:?} in its {}",
                    spec.target_field, spec.list
                ),
            ));
        };
        let mut sql = Sql::new(write.backend());
        sql.push("DELETE FROM ")
            .push(spec.table)
            .push(" WHERE ")
            .push(spec.owner_column)
            .push(" = ")
            .bind(owner.id)
            .push(" AND ")
            .push(spec.target_column)
            .push(" = ")
            .bind(target.id);
        txn.execute_raw(sql.into_statement()).await?;
        bump(txn, spec.owner, owner.id).await?;
        let before = edge_json(
            target_slug,
            importance.as_deref(),
            level.as_deref(),
            position,
        );
        let change = Change {
            kind: Some(spec.owner),
            slug: owner_slug.to_owned(),
            before: Some(list_change(spec.list, Some(before))),
            after: Some(list_change(spec.list, None)),
        };
        write.commit(change).await
    }

    /// Puts `skill` under `parent` (`None`: makes it a root) at `position` among its new
    /// siblings (`None`: at the end, or where it is if the parent stays). Refused with
    /// `CONFLICT` and the cycle if `parent` is the skill or one of its descendants.
    pub async fn move_skill(
        &self,
        who: &Principal,
        operation: &str,
        skill_slug: &str,
        parent_slug: Option<&str>,
        position: Option<i32>,
        expected_version: Option<i32>,
    ) -> Result<Committed> {
        serial::retrying(operation, || {
            self.move_skill_once(
                who,
                operation,
                skill_slug,
                parent_slug,
                position,
                expected_version,
            )
        })
        .await
    }

    async fn move_skill_once(
        &self,
        who: &Principal,
        operation: &str,
        skill_slug: &str,
        parent_slug: Option<&str>,
        position: Option<i32>,
        expected_version: Option<i32>,
    ) -> Result<Committed> {
        let write = self.begin(who, operation).await?;
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
        write.commit(change).await
    }
}

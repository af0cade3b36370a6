//! Reading the whole graph back out as a [`Catalog`], the format the built-in catalog is
//! written in, so that a curated graph can be saved, versioned and loaded elsewhere.
//!
//! The order of every list is the database's: nodes by slug, a role's and a skill's edges by
//! position, and skills in pre-order of the tree with siblings by position (the loader gives
//! each skill its rank among its siblings in the file). So export → import into an empty
//! database → export gives the same bytes.

use std::collections::HashMap;

use entity::{
    framework, language, role, role_external, role_framework, role_language, role_skill, role_tool,
    skill, skill_external, skill_language, skill_prerequisite, skill_tool, tool,
};
use sea_orm::{ActiveEnum, ConnectionTrait, EntityTrait, QueryOrder};

use super::model::{self, Catalog};
use crate::Result;
use crate::data::model::NodeModel;

/// `id -> slug` of a node table's rows.
fn slugs<M: NodeModel>(models: &[M]) -> HashMap<i32, String> {
    models
        .iter()
        .map(|m| (m.id(), m.slug().to_owned()))
        .collect()
}

fn list(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|err| crate::Error::Internal(format!("bad list: {err}")))
}

fn slug(map: &HashMap<i32, String>, id: i32) -> String {
    map.get(&id).cloned().unwrap_or_default()
}

/// Rows of an edge table grouped by their owner, each group in position order.
fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> (i32, i32)) -> HashMap<i32, Vec<T>> {
    let mut rows = rows;
    rows.sort_by_key(|row| key(row));
    let mut groups: HashMap<i32, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row).0).or_default().push(row);
    }
    groups
}

/// The whole graph as a catalog.
pub async fn export(db: &impl ConnectionTrait) -> Result<Catalog> {
    let languages = language::Entity::find()
        .order_by_asc(language::Column::Slug)
        .all(db)
        .await?;
    let frameworks = framework::Entity::find()
        .order_by_asc(framework::Column::Slug)
        .all(db)
        .await?;
    let tools = tool::Entity::find()
        .order_by_asc(tool::Column::Slug)
        .all(db)
        .await?;
    let skills = skill::Entity::find().all(db).await?;
    let roles = role::Entity::find()
        .order_by_asc(role::Column::Slug)
        .all(db)
        .await?;
    let (language_slugs, framework_slugs) = (slugs(&languages), slugs(&frameworks));
    let (tool_slugs, skill_slugs) = (slugs(&tools), slugs(&skills));

    let mut catalog = Catalog {
        languages: Vec::with_capacity(languages.len()),
        frameworks: Vec::with_capacity(frameworks.len()),
        tools: Vec::with_capacity(tools.len()),
        skills: Vec::with_capacity(skills.len()),
        roles: Vec::with_capacity(roles.len()),
    };
    for l in languages {
        catalog.languages.push(model::Language {
            aliases: list(&l.aliases)?,
            slug: l.slug,
            name: l.name,
            description: l.description,
        });
    }
    for f in frameworks {
        catalog.frameworks.push(model::Framework {
            aliases: list(&f.aliases)?,
            language: slug(&language_slugs, f.language_id),
            slug: f.slug,
            name: f.name,
            description: f.description,
        });
    }
    for t in tools {
        catalog.tools.push(model::Tool {
            aliases: list(&t.aliases)?,
            category: t.category.to_value(),
            slug: t.slug,
            name: t.name,
            description: t.description,
        });
    }

    let prerequisites = grouped(skill_prerequisite::Entity::find().all(db).await?, |e| {
        (e.skill_id, e.position)
    });
    let skill_languages = grouped(skill_language::Entity::find().all(db).await?, |e| {
        (e.skill_id, e.position)
    });
    let skill_tools = grouped(skill_tool::Entity::find().all(db).await?, |e| {
        (e.skill_id, e.position)
    });
    // Pre-order of the tree, siblings by position (roots too), so that each skill's rank among
    // its siblings in the list is its position.
    let mut skill_sources: HashMap<i32, skill_external::Model> = skill_external::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.skill_id, row))
        .collect();
    let mut children: HashMap<Option<i32>, Vec<&skill::Model>> = HashMap::new();
    for s in &skills {
        children.entry(s.parent_id).or_default().push(s);
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| (a.position, &a.slug).cmp(&(b.position, &b.slug)));
    }
    let mut stack: Vec<&skill::Model> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(s) = stack.pop() {
        if let Some(below) = children.get(&Some(s.id)) {
            stack.extend(below.iter().rev());
        }
        catalog.skills.push(model::Skill {
            slug: s.slug.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            aliases: list(&s.aliases)?,
            parent: s.parent_id.map(|id| slug(&skill_slugs, id)),
            prerequisites: prerequisites.get(&s.id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| slug(&skill_slugs, e.prerequisite_id))
                    .collect()
            }),
            languages: skill_languages.get(&s.id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| slug(&language_slugs, e.language_id))
                    .collect()
            }),
            tools: skill_tools.get(&s.id).map_or_else(Vec::new, |edges| {
                edges.iter().map(|e| slug(&tool_slugs, e.tool_id)).collect()
            }),
            external: match skill_sources.remove(&s.id) {
                Some(row) => Some(model::SkillSource {
                    other_broader: list(&row.other_broader)?,
                    uri: row.uri,
                    skill_type: row.skill_type.map(|value| value.to_value()),
                    reuse_level: row.reuse_level.map(|value| value.to_value()),
                }),
                None => None,
            },
        });
    }

    let role_skills = grouped(role_skill::Entity::find().all(db).await?, |e| {
        (e.role_id, e.position)
    });
    let role_languages = grouped(role_language::Entity::find().all(db).await?, |e| {
        (e.role_id, e.position)
    });
    let role_frameworks = grouped(role_framework::Entity::find().all(db).await?, |e| {
        (e.role_id, e.position)
    });
    let role_tools = grouped(role_tool::Entity::find().all(db).await?, |e| {
        (e.role_id, e.position)
    });
    let mut role_sources: HashMap<i32, role_external::Model> = role_external::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.role_id, row))
        .collect();
    for r in roles {
        let id = r.id;
        catalog.roles.push(model::Role {
            aliases: list(&r.aliases)?,
            responsibilities: list(&r.responsibilities)?,
            domains: list(&r.domains)?,
            slug: r.slug,
            name: r.name,
            description: r.description,
            skills: role_skills.get(&id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| model::RoleSkill {
                        skill: slug(&skill_slugs, e.skill_id),
                        importance: e.importance.to_value(),
                        level: e.level.map(|level| level.to_value()),
                    })
                    .collect()
            }),
            languages: role_languages.get(&id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| model::RoleLanguage {
                        language: slug(&language_slugs, e.language_id),
                        importance: e.importance.to_value(),
                    })
                    .collect()
            }),
            frameworks: role_frameworks.get(&id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| model::RoleFramework {
                        framework: slug(&framework_slugs, e.framework_id),
                        importance: e.importance.to_value(),
                    })
                    .collect()
            }),
            tools: role_tools.get(&id).map_or_else(Vec::new, |edges| {
                edges
                    .iter()
                    .map(|e| model::RoleTool {
                        tool: slug(&tool_slugs, e.tool_id),
                        importance: e.importance.to_value(),
                    })
                    .collect()
            }),
            external: role_sources.remove(&id).map(|row| model::RoleSource {
                uri: row.uri,
                isco_group: row.isco_group,
            }),
        });
    }
    Ok(catalog)
}

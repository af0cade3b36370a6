//! Reading the whole graph back out as a [`Catalog`], the format the built-in catalog is
//! written in, so that a curated graph can be saved, versioned and loaded elsewhere.
//!
//! The order of every list is the database's: nodes by slug, a role's and a skill's edges by
//! position, and skills in pre-order of the tree with siblings by position (the loader gives
//! each skill its rank among its siblings in the file). So export → import into an empty
//! database → export gives the same bytes. Labels come by kind (in the order of
//! [`Kind::ALL`]), then slug, then locale.

use std::collections::HashMap;

use entity::{framework, language, role, role_external, skill, skill_external, tool};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use super::model::{self, Catalog};
use crate::Result;
use crate::data::bulk;
use crate::data::model::NodeModel;
use crate::graph::{EdgeData, EdgeKind, Kind};

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

/// The whole graph as a catalog, with every release made of it: what `export` writes, and
/// what an import of it restores.
pub async fn export_all(db: &impl ConnectionTrait) -> Result<Catalog> {
    let mut catalog = export(db).await?;
    catalog.releases = super::releases::all(db).await?;
    Ok(catalog)
}

/// The whole graph as a catalog (without its releases: what a release stores).
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
    let by_id: HashMap<Kind, HashMap<i32, String>> = HashMap::from([
        (Kind::Language, slugs(&languages)),
        (Kind::Framework, slugs(&frameworks)),
        (Kind::Tool, slugs(&tools)),
        (Kind::Skill, slugs(&skills)),
        (Kind::Role, slugs(&roles)),
    ]);
    let slugs_of = |kind: Kind| by_id.get(&kind).cloned().unwrap_or_default();
    let (language_slugs, skill_slugs) = (slugs_of(Kind::Language), slugs_of(Kind::Skill));

    let mut catalog = Catalog {
        languages: Vec::with_capacity(languages.len()),
        frameworks: Vec::with_capacity(frameworks.len()),
        tools: Vec::with_capacity(tools.len()),
        skills: Vec::with_capacity(skills.len()),
        roles: Vec::with_capacity(roles.len()),
        releases: Vec::new(),
        labels: Vec::new(),
    };
    for l in languages {
        catalog.languages.push(model::Language {
            aliases: list(&l.aliases)?,
            slug: l.slug,
            name: l.name,
            description: l.description,
            deprecated: model::Deprecation::of(l.deprecated_at, l.deprecation_note),
            replaced_by: Vec::new(),
        });
    }
    for f in frameworks {
        catalog.frameworks.push(model::Framework {
            aliases: list(&f.aliases)?,
            language: slug(&language_slugs, f.language_id),
            slug: f.slug,
            name: f.name,
            description: f.description,
            deprecated: model::Deprecation::of(f.deprecated_at, f.deprecation_note),
            replaced_by: Vec::new(),
        });
    }
    for t in tools {
        catalog.tools.push(model::Tool {
            aliases: list(&t.aliases)?,
            category: t.category,
            slug: t.slug,
            name: t.name,
            description: t.description,
            deprecated: model::Deprecation::of(t.deprecated_at, t.deprecation_note),
            replaced_by: Vec::new(),
        });
    }

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
            prerequisites: Vec::new(),
            languages: Vec::new(),
            tools: Vec::new(),
            relations: Vec::new(),
            external: match skill_sources.remove(&s.id) {
                Some(row) => Some(model::SkillSource {
                    other_broader: list(&row.other_broader)?,
                    uri: row.uri,
                    skill_type: row.skill_type,
                    reuse_level: row.reuse_level,
                }),
                None => None,
            },
            deprecated: model::Deprecation::of(s.deprecated_at, s.deprecation_note.clone()),
            replaced_by: Vec::new(),
        });
    }

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
            skills: Vec::new(),
            languages: Vec::new(),
            frameworks: Vec::new(),
            tools: Vec::new(),
            external: role_sources.remove(&id).map(|row| model::RoleSource {
                uri: row.uri,
                isco_group: row.isco_group,
            }),
            deprecated: model::Deprecation::of(r.deprecated_at, r.deprecation_note),
            replaced_by: Vec::new(),
        });
    }
    for edge in EdgeKind::ALL {
        let spec = edge.spec();
        let (owners, targets) = (slugs_of(spec.owner.kind), slugs_of(spec.target.kind));
        let mut by_owner: HashMap<String, Vec<(String, EdgeData)>> = HashMap::new();
        for row in bulk::read_edges(db, *edge).await? {
            by_owner
                .entry(slug(&owners, row.owner))
                .or_default()
                .push((slug(&targets, row.target), row.data));
        }
        catalog.set_edges(*edge, |owner| by_owner.remove(owner).unwrap_or_default())?;
    }
    for kind in Kind::ALL {
        let slugs = slugs_of(*kind);
        let mut labels = Vec::new();
        for row in crate::data::labels::all(db, *kind).await? {
            labels.push(model::Label {
                kind: kind.name().to_owned(),
                slug: slug(&slugs, row.node_id),
                aliases: row.aliases()?,
                hidden: row.hidden()?,
                locale: row.locale,
                name: row.name,
                description: row.description,
            });
        }
        catalog.labels.extend(labels);
    }
    catalog.sort_labels();
    Ok(catalog)
}

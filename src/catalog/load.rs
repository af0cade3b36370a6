//! Loading a catalog into the database: all of it in one transaction, and only into an empty
//! database unless the caller asks to replace what is there.

use std::collections::HashMap;

use entity::{
    Importance, Proficiency, ToolCategory, framework, language, role, role_framework,
    role_language, role_skill, role_tool, skill, skill_language, skill_prerequisite, skill_tool,
    tool,
};
use sea_orm::{ActiveEnum, DatabaseTransaction, EntityTrait, Set, TransactionTrait};

use super::Catalog;
use crate::curation::invariants;
use crate::data::bulk;
use crate::data::model::NodeModel;
use crate::{Error, Result, db::Db};

/// What a call to [`seed`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The catalog was loaded; the text says how much of each kind.
    Loaded(String),
    /// Nothing was written: the database already holds this many roles, skills, languages,
    /// frameworks and tools.
    AlreadyHasData(String),
}

/// Loads `catalog` into the database.
///
/// Into an empty database it loads everything in one transaction. When the database already
/// has data it writes nothing and says so, unless `replace` is set, in which case the old data
/// is deleted and the catalog loaded in the same transaction (all or nothing).
pub async fn seed(db: &Db, catalog: &Catalog, replace: bool) -> Result<SeedOutcome> {
    let txn = db.conn.begin().await?;
    if let Some(existing) = bulk::existing_data(&txn).await? {
        if !replace {
            return Ok(SeedOutcome::AlreadyHasData(existing));
        }
        bulk::clear(&txn).await?;
    }
    insert(&txn, catalog).await?;
    invariants::check_graph(&txn).await?;
    txn.commit().await?;
    bulk::analyze(&db.conn).await?;
    Ok(SeedOutcome::Loaded(catalog.summary()))
}

/// `slug -> id` for every row of a node table.
async fn ids_of<E>(txn: &DatabaseTransaction) -> Result<HashMap<String, i32>>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    Ok(E::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.slug().to_owned(), m.id()))
        .collect())
}

fn json(list: &[String]) -> Result<String> {
    serde_json::to_string(list).map_err(|err| Error::Internal(err.to_string()))
}

fn id(map: &HashMap<String, i32>, slug: &str) -> Result<i32> {
    map.get(slug)
        .copied()
        .ok_or_else(|| Error::Internal(format!("catalog: unknown slug {slug:?}")))
}

fn importance(value: &str) -> Result<Importance> {
    Importance::try_from_value(&value.to_owned()).map_err(|err| Error::Internal(err.to_string()))
}

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

async fn insert(txn: &DatabaseTransaction, catalog: &Catalog) -> Result<()> {
    let mut rows = Vec::new();
    for l in &catalog.languages {
        rows.push(language::ActiveModel {
            slug: Set(l.slug.clone()),
            name: Set(l.name.clone()),
            description: Set(l.description.clone()),
            aliases: Set(json(&l.aliases)?),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let languages = ids_of::<language::Entity>(txn).await?;

    let mut rows = Vec::new();
    for f in &catalog.frameworks {
        rows.push(framework::ActiveModel {
            slug: Set(f.slug.clone()),
            name: Set(f.name.clone()),
            description: Set(f.description.clone()),
            aliases: Set(json(&f.aliases)?),
            language_id: Set(id(&languages, &f.language)?),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let frameworks = ids_of::<framework::Entity>(txn).await?;

    let mut rows = Vec::new();
    for t in &catalog.tools {
        let category = ToolCategory::try_from_value(&t.category)
            .map_err(|err| Error::Internal(err.to_string()))?;
        rows.push(tool::ActiveModel {
            slug: Set(t.slug.clone()),
            name: Set(t.name.clone()),
            description: Set(t.description.clone()),
            aliases: Set(json(&t.aliases)?),
            category: Set(category),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let tools = ids_of::<tool::Entity>(txn).await?;

    let skills = insert_skills(txn, catalog).await?;

    let mut rows = Vec::new();
    for r in &catalog.roles {
        rows.push(role::ActiveModel {
            slug: Set(r.slug.clone()),
            name: Set(r.name.clone()),
            description: Set(r.description.clone()),
            aliases: Set(json(&r.aliases)?),
            responsibilities: Set(json(&r.responsibilities)?),
            domains: Set(json(&r.domains)?),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let roles = ids_of::<role::Entity>(txn).await?;

    let (mut rs, mut rl, mut rf, mut rt) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in &catalog.roles {
        let role_id = id(&roles, &r.slug)?;
        for (i, e) in r.skills.iter().enumerate() {
            let level = Proficiency::try_from_value(&e.level)
                .map_err(|err| Error::Internal(err.to_string()))?;
            rs.push(role_skill::ActiveModel {
                role_id: Set(role_id),
                skill_id: Set(id(&skills, &e.skill)?),
                position: Set(position(i)),
                importance: Set(importance(&e.importance)?),
                level: Set(level),
            });
        }
        for (i, e) in r.languages.iter().enumerate() {
            rl.push(role_language::ActiveModel {
                role_id: Set(role_id),
                language_id: Set(id(&languages, &e.language)?),
                position: Set(position(i)),
                importance: Set(importance(&e.importance)?),
            });
        }
        for (i, e) in r.frameworks.iter().enumerate() {
            rf.push(role_framework::ActiveModel {
                role_id: Set(role_id),
                framework_id: Set(id(&frameworks, &e.framework)?),
                position: Set(position(i)),
                importance: Set(importance(&e.importance)?),
            });
        }
        for (i, e) in r.tools.iter().enumerate() {
            rt.push(role_tool::ActiveModel {
                role_id: Set(role_id),
                tool_id: Set(id(&tools, &e.tool)?),
                position: Set(position(i)),
                importance: Set(importance(&e.importance)?),
            });
        }
    }
    bulk::insert_all(txn, rs).await?;
    bulk::insert_all(txn, rl).await?;
    bulk::insert_all(txn, rf).await?;
    bulk::insert_all(txn, rt).await?;

    let (mut sp, mut sl, mut st) = (Vec::new(), Vec::new(), Vec::new());
    for s in &catalog.skills {
        let skill_id = id(&skills, &s.slug)?;
        for (i, slug) in s.prerequisites.iter().enumerate() {
            sp.push(skill_prerequisite::ActiveModel {
                skill_id: Set(skill_id),
                prerequisite_id: Set(id(&skills, slug)?),
                position: Set(position(i)),
            });
        }
        for (i, slug) in s.languages.iter().enumerate() {
            sl.push(skill_language::ActiveModel {
                skill_id: Set(skill_id),
                language_id: Set(id(&languages, slug)?),
                position: Set(position(i)),
            });
        }
        for (i, slug) in s.tools.iter().enumerate() {
            st.push(skill_tool::ActiveModel {
                skill_id: Set(skill_id),
                tool_id: Set(id(&tools, slug)?),
                position: Set(position(i)),
            });
        }
    }
    bulk::insert_all(txn, sp).await?;
    bulk::insert_all(txn, sl).await?;
    bulk::insert_all(txn, st).await?;
    Ok(())
}

/// Inserts the skill tree one level at a time, so that every parent has its id before its
/// children are written. A skill's position is its rank among its siblings in the file.
async fn insert_skills(
    txn: &DatabaseTransaction,
    catalog: &Catalog,
) -> Result<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = HashMap::new();
    let mut sibling_count: HashMap<Option<&str>, usize> = HashMap::new();
    let mut positions: HashMap<&str, i32> = HashMap::new();
    for s in &catalog.skills {
        let count = sibling_count.entry(s.parent.as_deref()).or_default();
        positions.insert(&s.slug, position(*count));
        *count += 1;
    }
    let mut remaining: Vec<&super::model::Skill> = catalog.skills.iter().collect();
    while !remaining.is_empty() {
        let (ready, waiting): (Vec<_>, Vec<_>) = remaining
            .into_iter()
            .partition(|s| s.parent.as_ref().is_none_or(|p| ids.contains_key(p)));
        if ready.is_empty() {
            return Err(Error::Internal(
                "catalog: skill parents form a cycle".into(),
            ));
        }
        let mut rows = Vec::new();
        for s in &ready {
            rows.push(skill::ActiveModel {
                slug: Set(s.slug.clone()),
                name: Set(s.name.clone()),
                description: Set(s.description.clone()),
                aliases: Set(json(&s.aliases)?),
                parent_id: Set(s.parent.as_ref().map(|p| id(&ids, p)).transpose()?),
                position: Set(positions.get(s.slug.as_str()).copied().unwrap_or_default()),
                ..Default::default()
            });
        }
        bulk::insert_all(txn, rows).await?;
        ids = ids_of::<skill::Entity>(txn).await?;
        remaining = waiting;
    }
    Ok(ids)
}

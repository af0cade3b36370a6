//! Loading a catalog into the database: all of it in one transaction, and only into an empty
//! database unless the caller asks to replace what is there.

use std::collections::HashMap;

use entity::{framework, language, role, role_external, skill, skill_external, tool};
use sea_orm::{DatabaseTransaction, EntityTrait, Set};

use super::Catalog;
use crate::curation::serial;
use crate::data::bulk;
use crate::data::cycles;
use crate::data::model::NodeModel;
use crate::graph::{EdgeKind, EdgeRow, Kind};
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
/// is deleted and the catalog loaded in the same transaction (all or nothing). The transaction
/// holds the write lock of every writer ([`serial::begin_write`]), so that replicas starting
/// together over an empty database load it once.
pub async fn seed(db: &Db, catalog: &Catalog, replace: bool) -> Result<SeedOutcome> {
    let txn = serial::begin_write(&db.conn).await?;
    if let Some(existing) = bulk::existing_data(&txn).await? {
        if !replace {
            return Ok(SeedOutcome::AlreadyHasData(existing));
        }
        bulk::clear(&txn).await?;
    }
    insert(&txn, catalog, &HashMap::new()).await?;
    cycles::check_graph(&txn).await?;
    load_releases(&txn, catalog).await?;
    txn.commit().await?;
    bulk::analyze(&db.conn).await?;
    Ok(SeedOutcome::Loaded(catalog.summary()))
}

/// Imports `catalog` as `who`: into an empty database, or, with `replace`, over whatever it
/// holds (nodes keep their versions where unchanged). One transaction, the graph's rules
/// checked, one entry in the change log (which moves the revision). Holds the write lock of
/// every writer ([`serial::begin_write`]) from what it reads to its commit.
pub async fn import(db: &Db, catalog: &Catalog, replace: bool, who: &str) -> Result<SeedOutcome> {
    Ok(import_with(db, catalog, replace, who, false).await?.0)
}

/// [`import`], and the graph as it was before; with `dry_run`, everything is written and
/// checked and then rolled back, so that the outcome says whether the real import would
/// succeed and the graph before is what it would change.
pub async fn import_with(
    db: &Db,
    catalog: &Catalog,
    replace: bool,
    who: &str,
    dry_run: bool,
) -> Result<(SeedOutcome, Catalog)> {
    let txn = serial::begin_write(&db.conn).await?;
    if let Some(existing) = bulk::existing_data(&txn).await?
        && !replace
    {
        let current = super::export(&txn).await?;
        return Ok((SeedOutcome::AlreadyHasData(existing), current));
    }
    let current = super::export(&txn).await?;
    self::replace(&txn, &current, catalog).await?;
    load_releases(&txn, catalog).await?;
    let mut summary = serde_json::Map::new();
    summary.insert("loaded".into(), catalog.summary().into());
    crate::curation::log::append_import(&txn, who, "importCatalog", summary).await?;
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        bulk::analyze(&db.conn).await?;
    }
    Ok((SeedOutcome::Loaded(catalog.summary()), current))
}

/// Stores the releases `catalog` carries (those the database has already, by name and
/// digest, are left as they are), and moves the catalog's revision up to the latest of
/// theirs, so that the revisions made from now on come after every release's.
async fn load_releases(txn: &DatabaseTransaction, catalog: &Catalog) -> Result<()> {
    for release in &catalog.releases {
        super::releases::store(txn, release, true).await?;
    }
    if let Some(latest) = catalog
        .releases
        .iter()
        .map(|release| release.revision)
        .max()
    {
        crate::curation::log::raise_revision(txn, latest).await?;
    }
    Ok(())
}

/// Each node's `version`, by kind and slug.
pub type Versions = HashMap<(Kind, String), i32>;

/// The versions of every node in the database.
async fn current_versions(txn: &DatabaseTransaction) -> Result<Versions> {
    let mut versions = Versions::new();
    macro_rules! read {
        ($($kind:ident: $module:ident),*) => {$(
            for row in $module::Entity::find().all(txn).await? {
                versions.insert((Kind::$kind, row.slug), row.version);
            }
        )*};
    }
    read!(Role: role, Skill: skill, Language: language, Framework: framework, Tool: tool);
    Ok(versions)
}

/// The versions the nodes of `new` get when it replaces `old`: a node whose entry (its
/// fields and its edges) is unchanged keeps its version, a changed one goes up by one, a new
/// one starts at 1.
fn next_versions(old: &Catalog, new: &Catalog, current: &Versions) -> Versions {
    fn entries<'a, T: serde::Serialize + 'a>(
        kind: Kind,
        nodes: &'a [T],
        slug: impl Fn(&T) -> &str + 'a,
    ) -> impl Iterator<Item = ((Kind, String), String)> + 'a {
        nodes.iter().map(move |node| {
            let text = serde_json::to_string(node).unwrap_or_default();
            ((kind, slug(node).to_owned()), text)
        })
    }
    fn all(catalog: &Catalog) -> HashMap<(Kind, String), String> {
        let mut all: HashMap<(Kind, String), String> =
            entries(Kind::Role, &catalog.roles, |n| &n.slug)
                .chain(entries(Kind::Skill, &catalog.skills, |n| &n.slug))
                .chain(entries(Kind::Language, &catalog.languages, |n| &n.slug))
                .chain(entries(Kind::Framework, &catalog.frameworks, |n| &n.slug))
                .chain(entries(Kind::Tool, &catalog.tools, |n| &n.slug))
                .collect();
        // A node's labels are part of its entry: a changed translation changes its version.
        for label in &catalog.labels {
            if let Some(kind) = Kind::from_name(&label.kind)
                && let Some(entry) = all.get_mut(&(kind, label.slug.clone()))
            {
                entry.push_str(&serde_json::to_string(label).unwrap_or_default());
            }
        }
        all
    }
    let before = all(old);
    all(new)
        .into_iter()
        .map(|(key, text)| {
            let version = match (current.get(&key), before.get(&key)) {
                (Some(version), Some(old)) if *old == text => *version,
                (Some(version), _) => version.saturating_add(1),
                (None, _) => 1,
            };
            (key, version)
        })
        .collect()
}

/// Replaces the whole graph with `catalog` inside `txn`, checking the graph's rules; nodes
/// keep their versions where unchanged (see [`next_versions`]). The caller commits.
pub async fn replace(txn: &DatabaseTransaction, old: &Catalog, catalog: &Catalog) -> Result<()> {
    let versions = next_versions(old, catalog, &current_versions(txn).await?);
    bulk::clear(txn).await?;
    insert(txn, catalog, &versions).await?;
    cycles::check_graph(txn).await
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

fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

async fn insert(txn: &DatabaseTransaction, catalog: &Catalog, versions: &Versions) -> Result<()> {
    let version =
        |kind: Kind, slug: &str| versions.get(&(kind, slug.to_owned())).copied().unwrap_or(1);
    let mut rows = Vec::new();
    for l in &catalog.languages {
        rows.push(language::ActiveModel {
            slug: Set(l.slug.clone()),
            name: Set(l.name.clone()),
            description: Set(l.description.clone()),
            aliases: Set(json(&l.aliases)?),
            version: Set(version(Kind::Language, &l.slug)),
            deprecated_at: Set(l.deprecated.as_ref().map(|d| d.at)),
            deprecation_note: Set(l.deprecated.as_ref().and_then(|d| d.note.clone())),
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
            version: Set(version(Kind::Framework, &f.slug)),
            deprecated_at: Set(f.deprecated.as_ref().map(|d| d.at)),
            deprecation_note: Set(f.deprecated.as_ref().and_then(|d| d.note.clone())),
            language_id: Set(id(&languages, &f.language)?),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let frameworks = ids_of::<framework::Entity>(txn).await?;

    let mut rows = Vec::new();
    for t in &catalog.tools {
        rows.push(tool::ActiveModel {
            slug: Set(t.slug.clone()),
            name: Set(t.name.clone()),
            description: Set(t.description.clone()),
            aliases: Set(json(&t.aliases)?),
            version: Set(version(Kind::Tool, &t.slug)),
            deprecated_at: Set(t.deprecated.as_ref().map(|d| d.at)),
            deprecation_note: Set(t.deprecated.as_ref().and_then(|d| d.note.clone())),
            category: Set(t.category),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let tools = ids_of::<tool::Entity>(txn).await?;

    let skills = insert_skills(txn, catalog, versions).await?;
    let mut rows = Vec::new();
    for s in &catalog.skills {
        if let Some(source) = &s.external {
            rows.push(skill_external::ActiveModel {
                skill_id: Set(id(&skills, &s.slug)?),
                uri: Set(source.uri.clone()),
                skill_type: Set(source.skill_type),
                reuse_level: Set(source.reuse_level),
                other_broader: Set(json(&source.other_broader)?),
            });
        }
    }
    bulk::insert_all(txn, rows).await?;

    let mut rows = Vec::new();
    for r in &catalog.roles {
        rows.push(role::ActiveModel {
            slug: Set(r.slug.clone()),
            name: Set(r.name.clone()),
            description: Set(r.description.clone()),
            aliases: Set(json(&r.aliases)?),
            version: Set(version(Kind::Role, &r.slug)),
            deprecated_at: Set(r.deprecated.as_ref().map(|d| d.at)),
            deprecation_note: Set(r.deprecated.as_ref().and_then(|d| d.note.clone())),
            responsibilities: Set(json(&r.responsibilities)?),
            domains: Set(json(&r.domains)?),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let roles = ids_of::<role::Entity>(txn).await?;
    let mut rows = Vec::new();
    for r in &catalog.roles {
        if let Some(source) = &r.external {
            rows.push(role_external::ActiveModel {
                role_id: Set(id(&roles, &r.slug)?),
                uri: Set(source.uri.clone()),
                isco_group: Set(source.isco_group.clone()),
            });
        }
    }
    bulk::insert_all(txn, rows).await?;

    let ids: HashMap<Kind, HashMap<String, i32>> = HashMap::from([
        (Kind::Role, roles),
        (Kind::Skill, skills),
        (Kind::Language, languages),
        (Kind::Framework, frameworks),
        (Kind::Tool, tools),
    ]);
    let no_ids = HashMap::new();
    let ids_of_kind = |kind: Kind| ids.get(&kind).unwrap_or(&no_ids);
    for edge in EdgeKind::ALL {
        let spec = edge.spec();
        let (owners, targets) = (ids_of_kind(spec.owner.kind), ids_of_kind(spec.target.kind));
        let rows = catalog
            .edges(*edge)
            .into_iter()
            .map(|e| {
                Ok(EdgeRow {
                    owner: id(owners, e.owner)?,
                    target: id(targets, e.target)?,
                    position: position(e.position),
                    data: e.data,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        bulk::insert_edges(txn, *edge, &rows).await?;
    }
    for kind in Kind::ALL {
        let of_kind = catalog
            .labels
            .iter()
            .filter(|label| label.kind == kind.name())
            .map(|label| Ok((id(ids_of_kind(*kind), &label.slug)?, label.text())))
            .collect::<Result<Vec<_>>>()?;
        let rows: Vec<(i32, &_)> = of_kind.iter().map(|(id, label)| (*id, label)).collect();
        crate::data::labels::insert(txn, *kind, &rows).await?;
    }
    Ok(())
}

/// Inserts the skills, then gives them their parents. The rows are written parents first, by
/// depth and in the catalog's order within a depth ([`Catalog::skills_by_depth`]), which is
/// the order their ids follow; each row is written without its parent, the ids are read once,
/// and the parents are set in bulk, so that a tree costs the same few statements however deep
/// it is. A skill's position is its rank among its siblings in the file.
async fn insert_skills(
    txn: &DatabaseTransaction,
    catalog: &Catalog,
    versions: &Versions,
) -> Result<HashMap<String, i32>> {
    let mut sibling_count: HashMap<Option<&str>, usize> = HashMap::new();
    let mut positions: HashMap<&str, i32> = HashMap::new();
    for s in &catalog.skills {
        let count = sibling_count.entry(s.parent.as_deref()).or_default();
        positions.insert(&s.slug, position(*count));
        *count += 1;
    }
    let ordered = catalog
        .skills_by_depth()
        .ok_or_else(|| Error::Internal("catalog: skill parents form a cycle".into()))?;
    let mut rows = Vec::with_capacity(ordered.len());
    for s in &ordered {
        rows.push(skill::ActiveModel {
            slug: Set(s.slug.clone()),
            name: Set(s.name.clone()),
            description: Set(s.description.clone()),
            aliases: Set(json(&s.aliases)?),
            parent_id: Set(None),
            position: Set(positions.get(s.slug.as_str()).copied().unwrap_or_default()),
            version: Set(versions
                .get(&(Kind::Skill, s.slug.clone()))
                .copied()
                .unwrap_or(1)),
            deprecated_at: Set(s.deprecated.as_ref().map(|d| d.at)),
            deprecation_note: Set(s.deprecated.as_ref().and_then(|d| d.note.clone())),
            ..Default::default()
        });
    }
    bulk::insert_all(txn, rows).await?;
    let ids = ids_of::<skill::Entity>(txn).await?;
    let mut parents = Vec::new();
    for s in &ordered {
        if let Some(parent) = &s.parent {
            parents.push((id(&ids, &s.slug)?, id(&ids, parent)?));
        }
    }
    bulk::set_parents(txn, &parents).await?;
    Ok(ids)
}

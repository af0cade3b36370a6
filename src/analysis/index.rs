//! The catalog in memory, in the shape the answers need: each role's needs in order, each
//! skill's prerequisites, names, and the catalog's order of the skills.

use std::collections::HashMap;

use super::co_occurrence::CoOccurrence;
use super::inverted::RolesByNeed;
use super::mentions::Vocabulary;
use super::needs::{Need, RoleNeeds};
use super::per_role::PerRole;
use super::related_answers::RelatedAnswers;
use super::route_tables::RouteTables;
use super::search::SearchIndex;
use super::spoken::{LabelEntry, LocaleTable};
use entity::Importance;

use crate::Result;
use crate::catalog::Catalog;
use crate::graph::{Datum, EdgeKind, Kind};

/// The catalog at one revision.
#[derive(Debug, Default)]
pub struct GraphIndex {
    pub revision: i32,
    pub roles: HashMap<String, RoleNeeds>,
    /// Each active skill's prerequisites, in their order (every active skill has an entry).
    pub prerequisites: HashMap<String, Vec<String>>,
    /// Each skill's related skills (the catalog's skill relations), in their order, and how
    /// much each matters to it.
    pub relations: HashMap<String, Vec<(String, Importance)>>,
    /// The same relations read backwards: for each skill, the skills that name it.
    pub related_by: HashMap<String, Vec<(String, Importance)>>,
    /// Each skill's rank in the catalog's order (the tree in pre-order, siblings in order).
    pub skill_rank: HashMap<String, usize>,
    /// Display names by kind and slug.
    pub names: HashMap<(Kind, String), String>,
    /// Every name and alias, for finding nodes in text; `None` in an empty index.
    pub vocabulary: Option<Vocabulary>,
    /// Every name and alias, for ranked search (of deprecated nodes too, found when asked).
    pub search: SearchIndex,
    /// The roles' needs, inverted: which roles need each node.
    pub postings: RolesByNeed,
    /// The roles' skills by number, for the skills that the same roles need.
    pub co_occurrence: CoOccurrence,
    /// Each role's nearest roles, for career routes, found as routes pass them.
    pub route_neighbours: PerRole<Vec<u32>>,
    /// A career route's needs and prerequisites by number, made by the first route.
    pub route_tables: std::sync::OnceLock<RouteTables>,
    /// `Skill.related`'s answers at this revision, kept as they are asked for.
    pub related_answers: RelatedAnswers,
    /// The deprecated nodes, by kind and slug, with their replacements' slugs in order. The
    /// rest of the index holds active nodes only: a deprecated node is in no answer, and a
    /// need of a deprecated node is a need of its replacements.
    pub deprecated: HashMap<(Kind, String), Vec<String>>,
}

/// A node by kind and slug.
type NodeAt<'a> = (Kind, &'a str);

/// How many edges each node has, by kind and slug: every edge of the table's kinds, a skill's
/// parent and a framework's language, each counted at both ends.
fn degrees(catalog: &Catalog) -> HashMap<(Kind, &str), usize> {
    let mut edges: Vec<(NodeAt, NodeAt)> = Vec::new();
    for edge in EdgeKind::ALL.iter().filter(|edge| !edge.spec().replaces) {
        let spec = edge.spec();
        edges.extend(
            catalog
                .edges(*edge)
                .into_iter()
                .map(|e| ((spec.owner.kind, e.owner), (spec.target.kind, e.target))),
        );
    }
    for skill in &catalog.skills {
        let me = (Kind::Skill, skill.slug.as_str());
        edges.extend(skill.parent.iter().map(|p| (me, (Kind::Skill, p.as_str()))));
    }
    for framework in &catalog.frameworks {
        edges.push((
            (Kind::Framework, framework.slug.as_str()),
            (Kind::Language, framework.language.as_str()),
        ));
    }
    let mut degrees = HashMap::new();
    for (a, b) in edges {
        *degrees.entry(a).or_default() += 1;
        *degrees.entry(b).or_default() += 1;
    }
    degrees
}

/// The locales of the catalog's labels, the catalog's own first.
fn locale_table(catalog: &Catalog) -> LocaleTable {
    let mut table = LocaleTable::default();
    for label in &catalog.labels {
        table.intern(&label.locale);
    }
    table
}

/// Every label of every node, in every locale: each node's name and aliases, then the names,
/// aliases and hidden labels of its labels.
fn labels<'a>(
    catalog: &'a Catalog,
    locales: &'a LocaleTable,
) -> impl Iterator<Item = LabelEntry<'a>> + 'a {
    let mut names: HashMap<(Kind, &str), (&str, bool)> = HashMap::new();
    let mut own = Vec::new();
    for node in catalog.nodes() {
        names.insert((node.kind, node.slug), (node.name, node.deprecated));
        let entry = |text: &'a str, is_name| LabelEntry {
            kind: node.kind,
            slug: node.slug,
            text,
            name: node.name,
            is_name,
            hidden: false,
            locale: 0,
            deprecated: node.deprecated,
        };
        own.push(entry(node.name, true));
        own.extend(node.aliases.iter().map(|alias| entry(alias, false)));
    }
    let translated = catalog.labels.iter().flat_map(move |label| {
        let kind = Kind::from_name(&label.kind);
        let node = kind.and_then(|kind| Some((kind, *names.get(&(kind, label.slug.as_str()))?)));
        let locale = locales.find(&label.locale).unwrap_or(0);
        node.into_iter()
            .flat_map(move |(kind, (own_name, deprecated))| {
                let name = label.name.as_deref().unwrap_or(own_name);
                let entry = move |text: &'a str, is_name, hidden| LabelEntry {
                    kind,
                    slug: &label.slug,
                    text,
                    name,
                    is_name,
                    hidden,
                    locale,
                    deprecated,
                };
                let shown = label.name.iter().map(move |name| entry(name, true, false));
                let aliases = label.aliases.iter().map(move |a| entry(a, false, false));
                let hidden = label.hidden.iter().map(move |h| entry(h, false, true));
                shown.chain(aliases).chain(hidden)
            })
    });
    own.into_iter().chain(translated)
}

impl GraphIndex {
    pub fn new(revision: i32, catalog: &Catalog) -> Result<Self> {
        let mut index = GraphIndex {
            revision,
            ..Default::default()
        };
        for node in catalog.nodes() {
            index
                .names
                .insert((node.kind, node.slug.to_owned()), node.name.to_owned());
            if node.deprecated {
                index
                    .deprecated
                    .insert((node.kind, node.slug.to_owned()), node.replaced_by.to_vec());
            }
        }
        for (rank, skill) in catalog.skills.iter().enumerate() {
            index.skill_rank.insert(skill.slug.clone(), rank);
            if skill.deprecated.is_none() {
                let prerequisites = skill
                    .prerequisites
                    .iter()
                    .flat_map(|slug| index.active(Kind::Skill, slug))
                    .filter(|slug| *slug != skill.slug)
                    .collect::<Vec<_>>();
                index
                    .prerequisites
                    .insert(skill.slug.clone(), distinct(prerequisites));
            }
        }
        for role in catalog
            .roles
            .iter()
            .filter(|role| role.deprecated.is_none())
        {
            index.roles.insert(
                role.slug.clone(),
                RoleNeeds {
                    name: role.name.clone(),
                    needs: Vec::new(),
                },
            );
        }
        // A role's needs are its edges that carry an importance, kind by kind in the table's
        // order (skills, languages, frameworks, tools), each kind's in the role's order.
        for edge in EdgeKind::ALL {
            let spec = edge.spec();
            if spec.owner.kind != Kind::Role || !spec.carries(Datum::Importance) {
                continue;
            }
            for e in catalog.edges(*edge) {
                let targets = index.active(spec.target.kind, e.target);
                let (Some(role), Some(importance)) =
                    (index.roles.get_mut(e.owner), e.data.importance)
                else {
                    continue;
                };
                for slug in targets {
                    let kind = spec.target.kind;
                    if !role.needs.iter().any(|n| n.kind == kind && n.slug == slug) {
                        role.needs.push(Need {
                            kind,
                            slug,
                            importance,
                            level: e.data.level,
                        });
                    }
                }
            }
        }
        // A skill's relations, between active skills (a deprecated end followed to its
        // replacements), never from a skill to itself.
        let mut seen: std::collections::HashSet<(&str, String)> = Default::default();
        for e in catalog.edges(EdgeKind::SkillRelation) {
            let (Some(importance), false) = (e.data.importance, index.is_deprecated(e.owner))
            else {
                continue;
            };
            for slug in index.active(Kind::Skill, e.target) {
                if slug != e.owner && seen.insert((e.owner, slug.clone())) {
                    let list = index.relations.entry(e.owner.to_owned()).or_default();
                    list.push((slug.clone(), importance));
                    let back = index.related_by.entry(slug).or_default();
                    back.push((e.owner.to_owned(), importance));
                }
            }
        }
        index.postings = RolesByNeed::new(&index.roles);
        index.co_occurrence = CoOccurrence::new(&index.roles);
        index.route_neighbours = PerRole::new(index.postings.roles.len());
        let locales = locale_table(catalog);
        index.vocabulary = Some(Vocabulary::new(
            locales.clone(),
            labels(catalog, &locales).filter(|entry| !entry.deprecated),
        )?);
        let degrees = degrees(catalog);
        index.search = SearchIndex::new(
            locales.clone(),
            labels(catalog, &locales).map(|entry| {
                let degree = degrees
                    .get(&(entry.kind, entry.slug))
                    .copied()
                    .unwrap_or_default();
                (entry, degree)
            }),
        );
        Ok(index)
    }

    /// What stands for the node `slug` of `kind` in answers: itself while it is active, its
    /// replacements once it is deprecated (none when nothing replaces it). Replacements are
    /// active, so one step is enough.
    pub fn active(&self, kind: Kind, slug: &str) -> Vec<String> {
        match self.deprecated.get(&(kind, slug.to_owned())) {
            Some(replacements) => replacements.clone(),
            None => vec![slug.to_owned()],
        }
    }

    /// Whether the skill `slug` is deprecated.
    fn is_deprecated(&self, slug: &str) -> bool {
        self.deprecated
            .contains_key(&(Kind::Skill, slug.to_owned()))
    }

    /// The display name of a node (its slug if unknown).
    pub fn name(&self, kind: Kind, slug: &str) -> String {
        self.names
            .get(&(kind, slug.to_owned()))
            .cloned()
            .unwrap_or_else(|| slug.to_owned())
    }

    /// The deprecated node of any kind with this slug, and its replacements.
    pub fn deprecated_by_slug(&self, slug: &str) -> Option<&[String]> {
        Kind::ALL.iter().find_map(|kind| {
            self.deprecated
                .get(&(*kind, slug.to_owned()))
                .map(Vec::as_slice)
        })
    }

    /// Whether any node of any kind has this slug.
    pub fn knows(&self, slug: &str) -> bool {
        Kind::ALL
            .iter()
            .any(|kind| self.names.contains_key(&(*kind, slug.to_owned())))
    }
}

/// `slugs` without repeats, in their order.
fn distinct(slugs: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    slugs
        .into_iter()
        .filter(|slug| seen.insert(slug.clone()))
        .collect()
}

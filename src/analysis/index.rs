//! The catalog in memory, in the shape the answers need: each role's needs in order, each
//! skill's prerequisites, names, and the catalog's order of the skills.

use std::collections::HashMap;

use super::inverted::RolesByNeed;
use super::mentions::Vocabulary;
use super::needs::{Need, RoleNeeds};
use super::search::SearchIndex;
use crate::Result;
use crate::catalog::Catalog;
use crate::graph::{Datum, EdgeKind, Kind};

/// The catalog at one revision.
#[derive(Debug, Default)]
pub struct GraphIndex {
    pub revision: i32,
    pub roles: HashMap<String, RoleNeeds>,
    /// Each skill's prerequisites, in their order.
    pub prerequisites: HashMap<String, Vec<String>>,
    /// Each skill's rank in the catalog's order (the tree in pre-order, siblings in order).
    pub skill_rank: HashMap<String, usize>,
    /// Display names by kind and slug.
    pub names: HashMap<(Kind, String), String>,
    /// Every name and alias, for finding nodes in text; `None` in an empty index.
    pub vocabulary: Option<Vocabulary>,
    /// Every name and alias, for ranked search.
    pub search: SearchIndex,
    /// The roles' needs, inverted: which roles need each node.
    pub postings: RolesByNeed,
}

/// A node by kind and slug.
type NodeAt<'a> = (Kind, &'a str);

/// How many edges each node has, by kind and slug: every edge of the table's kinds, a skill's
/// parent and a framework's language, each counted at both ends.
fn degrees(catalog: &Catalog) -> HashMap<(Kind, &str), usize> {
    let mut edges: Vec<(NodeAt, NodeAt)> = Vec::new();
    for edge in EdgeKind::ALL {
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

/// Every node's name and aliases: `(kind, slug, label, is the name)`.
fn labels(catalog: &Catalog) -> impl Iterator<Item = (Kind, &str, &str, bool)> {
    catalog.nodes().flat_map(|node| {
        let (kind, slug) = (node.kind, node.slug);
        std::iter::once((kind, slug, node.name, true)).chain(
            node.aliases
                .iter()
                .map(move |alias| (kind, slug, alias.as_str(), false)),
        )
    })
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
        }
        for (rank, skill) in catalog.skills.iter().enumerate() {
            index.skill_rank.insert(skill.slug.clone(), rank);
            index
                .prerequisites
                .insert(skill.slug.clone(), skill.prerequisites.clone());
        }
        for role in &catalog.roles {
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
                let (Some(role), Some(importance)) =
                    (index.roles.get_mut(e.owner), e.data.importance)
                else {
                    continue;
                };
                role.needs.push(Need {
                    kind: spec.target.kind,
                    slug: e.target.to_owned(),
                    importance,
                    level: e.data.level,
                });
            }
        }
        index.postings = RolesByNeed::new(&index.roles);
        index.vocabulary = Some(Vocabulary::new(labels(catalog))?);
        let degrees = degrees(catalog);
        index.search = SearchIndex::new(labels(catalog).map(|(kind, slug, label, is_name)| {
            let degree = degrees.get(&(kind, slug)).copied().unwrap_or_default();
            (kind, slug, label, is_name, degree)
        }));
        Ok(index)
    }

    /// The display name of a node (its slug if unknown).
    pub fn name(&self, kind: Kind, slug: &str) -> String {
        self.names
            .get(&(kind, slug.to_owned()))
            .cloned()
            .unwrap_or_else(|| slug.to_owned())
    }

    /// Whether any node of any kind has this slug.
    pub fn knows(&self, slug: &str) -> bool {
        Kind::ALL
            .iter()
            .any(|kind| self.names.contains_key(&(*kind, slug.to_owned())))
    }
}

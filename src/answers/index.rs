//! The catalog in memory, in the shape the answers need: each role's needs in order, each
//! skill's prerequisites, names, and the catalog's order of the skills.

use std::collections::HashMap;

use entity::{Importance, Proficiency};
use sea_orm::ActiveEnum;

use super::mentions::Vocabulary;
use crate::Result;
use crate::catalog::Catalog;
use crate::data::model::Kind;

/// What a role needs: a node, how much, and for a skill at what level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub kind: Kind,
    pub slug: String,
    pub importance: Importance,
    /// For skills only.
    pub level: Option<Proficiency>,
}

/// A role and its needs: skills, then languages, frameworks and tools, each in its order.
#[derive(Clone, Debug)]
pub struct RoleNeeds {
    pub name: String,
    pub needs: Vec<Need>,
}

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
}

/// Every node's name and aliases: `(kind, slug, label, is the name)`.
fn labels(catalog: &Catalog) -> impl Iterator<Item = (Kind, &str, &str, bool)> {
    fn of<'a>(
        kind: Kind,
        slug: &'a str,
        name: &'a str,
        aliases: &'a [String],
    ) -> impl Iterator<Item = (Kind, &'a str, &'a str, bool)> {
        std::iter::once((kind, slug, name, true)).chain(
            aliases
                .iter()
                .map(move |alias| (kind, slug, alias.as_str(), false)),
        )
    }
    let skills = catalog
        .skills
        .iter()
        .flat_map(|n| of(Kind::Skill, &n.slug, &n.name, &n.aliases));
    let languages = catalog
        .languages
        .iter()
        .flat_map(|n| of(Kind::Language, &n.slug, &n.name, &n.aliases));
    let frameworks = catalog
        .frameworks
        .iter()
        .flat_map(|n| of(Kind::Framework, &n.slug, &n.name, &n.aliases));
    let tools = catalog
        .tools
        .iter()
        .flat_map(|n| of(Kind::Tool, &n.slug, &n.name, &n.aliases));
    let roles = catalog
        .roles
        .iter()
        .flat_map(|n| of(Kind::Role, &n.slug, &n.name, &n.aliases));
    skills
        .chain(languages)
        .chain(frameworks)
        .chain(tools)
        .chain(roles)
}

fn importance(value: &str) -> Importance {
    Importance::try_from_value(&value.to_owned()).unwrap_or(Importance::Optional)
}

impl GraphIndex {
    pub fn new(revision: i32, catalog: &Catalog) -> Result<Self> {
        let mut index = GraphIndex {
            revision,
            ..Default::default()
        };
        let names = catalog
            .languages
            .iter()
            .map(|n| (Kind::Language, &n.slug, &n.name))
            .chain(
                catalog
                    .frameworks
                    .iter()
                    .map(|n| (Kind::Framework, &n.slug, &n.name)),
            )
            .chain(catalog.tools.iter().map(|n| (Kind::Tool, &n.slug, &n.name)))
            .chain(
                catalog
                    .skills
                    .iter()
                    .map(|n| (Kind::Skill, &n.slug, &n.name)),
            )
            .chain(catalog.roles.iter().map(|n| (Kind::Role, &n.slug, &n.name)));
        for (kind, slug, name) in names {
            index.names.insert((kind, slug.clone()), name.clone());
        }
        for (rank, skill) in catalog.skills.iter().enumerate() {
            index.skill_rank.insert(skill.slug.clone(), rank);
            index
                .prerequisites
                .insert(skill.slug.clone(), skill.prerequisites.clone());
        }
        for role in &catalog.roles {
            let mut needs = Vec::new();
            for e in &role.skills {
                needs.push(Need {
                    kind: Kind::Skill,
                    slug: e.skill.clone(),
                    importance: importance(&e.importance),
                    level: Proficiency::try_from_value(&e.level).ok(),
                });
            }
            let others = role
                .languages
                .iter()
                .map(|e| (Kind::Language, &e.language, &e.importance))
                .chain(
                    role.frameworks
                        .iter()
                        .map(|e| (Kind::Framework, &e.framework, &e.importance)),
                )
                .chain(
                    role.tools
                        .iter()
                        .map(|e| (Kind::Tool, &e.tool, &e.importance)),
                );
            for (kind, slug, value) in others {
                needs.push(Need {
                    kind,
                    slug: slug.clone(),
                    importance: importance(value),
                    level: None,
                });
            }
            index.roles.insert(
                role.slug.clone(),
                RoleNeeds {
                    name: role.name.clone(),
                    needs,
                },
            );
        }
        index.vocabulary = Some(Vocabulary::new(labels(catalog))?);
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

//! A catalog's edges by kind, from the table of edge kinds: each kind's entries are its
//! owner's list of the same name ([`Catalog::edges`], [`Catalog::set_edges`]), so that the
//! loader, the export, the checks and the analysis index treat every kind alike.

use entity::Importance;

use super::model::{
    Catalog, Framework, Language, Role, RoleFramework, RoleLanguage, RoleSkill, RoleTool, Skill,
    SkillRelation, Tool,
};
use crate::graph::{EdgeData, EdgeKind, for_each_edge_kind};
use crate::{Error, Result};

/// An edge as a catalog entry writes it: the target's slug, and the data its kind carries
/// (a skill's languages are plain slugs; a role's skills carry importance and level).
pub trait EdgeEntry: Sized {
    fn target(&self) -> &str;
    fn data(&self) -> EdgeData;
    /// The entry of an edge read back from the database.
    fn new(target: String, data: EdgeData) -> Result<Self>;
}

impl EdgeEntry for String {
    fn target(&self) -> &str {
        self
    }
    fn data(&self) -> EdgeData {
        EdgeData::default()
    }
    fn new(target: String, _: EdgeData) -> Result<Self> {
        Ok(target)
    }
}

fn importance_of(data: EdgeData) -> Result<Importance> {
    data.importance
        .ok_or_else(|| Error::Internal("an edge without its importance".into()))
}

/// [`EdgeEntry`] for the entries that name their target by its kind and carry an importance.
macro_rules! needs_entry {
    ($($entry:ident.$target:ident),* $(,)?) => {$(
        impl EdgeEntry for $entry {
            fn target(&self) -> &str {
                &self.$target
            }
            fn data(&self) -> EdgeData {
                EdgeData {
                    importance: Some(self.importance),
                    level: None,
                }
            }
            fn new($target: String, data: EdgeData) -> Result<Self> {
                Ok($entry {
                    $target,
                    importance: importance_of(data)?,
                })
            }
        }
    )*};
}
needs_entry!(
    RoleLanguage.language,
    RoleFramework.framework,
    RoleTool.tool,
    SkillRelation.skill
);

impl EdgeEntry for RoleSkill {
    fn target(&self) -> &str {
        &self.skill
    }
    fn data(&self) -> EdgeData {
        EdgeData {
            importance: Some(self.importance),
            level: self.level,
        }
    }
    fn new(skill: String, data: EdgeData) -> Result<Self> {
        Ok(RoleSkill {
            skill,
            importance: importance_of(data)?,
            level: data.level,
        })
    }
}

/// How a catalog holds the nodes of a kind, for code generic over the kind of an edge's owner.
trait Nodes: Sized {
    fn all(catalog: &Catalog) -> &[Self];
    fn all_mut(catalog: &mut Catalog) -> &mut [Self];
    fn slug(&self) -> &str;
}

macro_rules! nodes {
    ($($kind:ident: $field:ident),* $(,)?) => {$(
        impl Nodes for $kind {
            fn all(catalog: &Catalog) -> &[Self] {
                &catalog.$field
            }
            fn all_mut(catalog: &mut Catalog) -> &mut [Self] {
                &mut catalog.$field
            }
            fn slug(&self) -> &str {
                &self.slug
            }
        }
    )*};
}
nodes!(Role: roles, Skill: skills, Language: languages, Framework: frameworks, Tool: tools);

/// One edge of a catalog: its ends by slug, its index in the owner's list, its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogEdge<'a> {
    pub owner: &'a str,
    pub target: &'a str,
    pub position: usize,
    pub data: EdgeData,
}

/// [`Catalog::edges`] and [`Catalog::set_edges`], one arm per edge kind of the table.
macro_rules! catalog_edges {
    ($(
        $(#[doc = $doc:literal])*
        $edge:ident($table:ident):
            $owner:ident($owner_column:ident, $owner_field:ident, $owner_list:ident: $owner_variant:ident)
            -> $target:ident($target_column:ident, $target_field:ident $(, $target_list:ident: $target_variant:ident)?)
            [$($datum:ident),*] $($acyclic:ident)?,
    )*) => {
        impl Catalog {
            /// Every edge of kind `edge`, each owner's in its order.
            pub fn edges(&self, edge: EdgeKind) -> Vec<CatalogEdge<'_>> {
                match edge {
                    $(EdgeKind::$edge => <$owner as Nodes>::all(self)
                        .iter()
                        .flat_map(|owner| {
                            owner.$owner_list.iter().enumerate().map(move |(position, entry)| {
                                CatalogEdge {
                                    owner: owner.slug(),
                                    target: entry.target(),
                                    position,
                                    data: entry.data(),
                                }
                            })
                        })
                        .collect(),)*
                }
            }

            /// Gives every owner of kind `edge` its edges: `targets(owner's slug)` lists them,
            /// in order.
            pub fn set_edges(
                &mut self,
                edge: EdgeKind,
                mut targets: impl FnMut(&str) -> Vec<(String, EdgeData)>,
            ) -> Result<()> {
                match edge {
                    $(EdgeKind::$edge => {
                        for owner in <$owner as Nodes>::all_mut(self) {
                            owner.$owner_list = targets(&owner.slug)
                                .into_iter()
                                .map(|(target, data)| EdgeEntry::new(target, data))
                                .collect::<Result<_>>()?;
                        }
                    })*
                }
                Ok(())
            }
        }
    };
}
for_each_edge_kind!(catalog_edges);

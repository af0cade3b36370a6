//! The kinds of edge: the one table of them ([`for_each_edge_kind!`]), and [`EdgeKind`] with
//! its [`EdgeSpec`], declared from it.
//!
//! An edge joins an owner (the node whose list it is in, in the curated order of its
//! `position`) to a target. Everything that treats edges alike reads the table: the edge
//! mutations' writes and the change log, the lists served on both ends, the catalog's load and
//! export, the generator's and importers' bulk writes, the graph's acyclicity checks and the
//! analysis index. What is truly specific to a kind (its migration and entity, the GraphQL
//! fields of its two lists, its mutations' names and docs) is written where it belongs.

use super::Kind;

/// Calls the macro `$then!` with every kind of edge, one entry each:
///
/// ```text
/// Name(table): Owner(owner_column, owner_field, list: ListVariant)
///     -> Target(target_column, target_field[, list: ListVariant]) [data] [acyclic],
/// ```
///
/// `Owner` and `Target` are node kinds; the columns are the edge table's; a field is how
/// inputs, errors and catalog entries name that end; a list is the GraphQL field of the node
/// at that end that holds the edges (the owner's in position order, the target's, where it
/// has one, by the owner's slug) and the [`crate::data::lists::List`] variant serving it;
/// `data` are the [`Datum`]s the edge carries; a kind between nodes of one kind is marked:
/// `acyclic` for one that may not go round, `replacement` for one that names a deprecated
/// node's replacements (which may not go round either), `cyclic` for one that may.
macro_rules! for_each_edge_kind {
    ($then:ident) => {
        $then! {
            /// A skill a role needs: how much, and at what level.
            RoleSkill(role_skill): Role(role_id, role, skills: RoleSkills)
                -> Skill(skill_id, skill, roles: SkillRoles) [Importance, Level],
            /// A language a role needs, and how much.
            RoleLanguage(role_language): Role(role_id, role, languages: RoleLanguages)
                -> Language(language_id, language, roles: LanguageRoles) [Importance],
            /// A framework a role needs, and how much.
            RoleFramework(role_framework): Role(role_id, role, frameworks: RoleFrameworks)
                -> Framework(framework_id, framework, roles: FrameworkRoles) [Importance],
            /// A tool a role needs, and how much.
            RoleTool(role_tool): Role(role_id, role, tools: RoleTools)
                -> Tool(tool_id, tool, roles: ToolRoles) [Importance],
            /// A language a skill is practised in.
            SkillLanguage(skill_language): Skill(skill_id, skill, languages: SkillLanguages)
                -> Language(language_id, language, skills: LanguageSkills) [],
            /// A tool a skill is practised with.
            SkillTool(skill_tool): Skill(skill_id, skill, tools: SkillTools)
                -> Tool(tool_id, tool) [],
            /// A skill best learnt before another.
            SkillPrerequisite(skill_prerequisite):
                Skill(skill_id, skill, prerequisites: SkillPrerequisites)
                -> Skill(prerequisite_id, prerequisite) [] acyclic,
            /// A skill related to another, as ESCO relates them (`skillSkillRelations`):
            /// essential or optional to it, not to be learnt first. `cyclic` marks a kind
            /// within one kind that may go round (two skills each related to the other), but
            /// never from a node to itself.
            SkillRelation(skill_related):
                Skill(skill_id, skill, relations: SkillRelations)
                -> Skill(related_id, related) [Importance] cyclic,
            /// A node that replaces a deprecated one of its kind (several, in order, for a
            /// split). `replacement` marks the kinds of the lifecycle: acyclic like `acyclic`,
            /// they are not relations of the graph, so answers and degrees leave them out.
            RoleReplacement(role_replacement): Role(role_id, role, replaced_by: RoleReplacedBy)
                -> Role(replacement_id, replacement) [] replacement,
            SkillReplacement(skill_replacement):
                Skill(skill_id, skill, replaced_by: SkillReplacedBy)
                -> Skill(replacement_id, replacement) [] replacement,
            LanguageReplacement(language_replacement):
                Language(language_id, language, replaced_by: LanguageReplacedBy)
                -> Language(replacement_id, replacement) [] replacement,
            FrameworkReplacement(framework_replacement):
                Framework(framework_id, framework, replaced_by: FrameworkReplacedBy)
                -> Framework(replacement_id, replacement) [] replacement,
            ToolReplacement(tool_replacement): Tool(tool_id, tool, replaced_by: ToolReplacedBy)
                -> Tool(replacement_id, replacement) [] replacement,
        }
    };
}
pub(crate) use for_each_edge_kind;

/// A datum an edge may carry besides its place in the owner's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Datum {
    /// How much the owner needs the target ([`entity::Importance`]); never null.
    Importance,
    /// At what level ([`entity::Proficiency`]); null when unknown.
    Level,
}

impl Datum {
    /// The column, input field and catalog field holding the datum.
    pub fn column(self) -> &'static str {
        match self {
            Datum::Importance => "importance",
            Datum::Level => "level",
        }
    }
}

/// One end of an edge kind.
#[derive(Debug)]
pub struct End {
    pub kind: Kind,
    /// The edge table's column pointing at this end's node.
    pub column: &'static str,
    /// How inputs, errors and catalog entries name this end (`role`, `prerequisite`).
    pub field: &'static str,
}

/// Where an edge kind is stored and what it carries.
#[derive(Debug)]
pub struct EdgeSpec {
    pub table: &'static str,
    pub owner: End,
    pub target: End,
    /// The owner's list holding the edge, as GraphQL, the catalog and the change log name it.
    pub list: &'static str,
    /// The target's list holding the edge, where it has one.
    pub reverse_list: Option<&'static str>,
    /// What the edge carries besides its position, in the order lists read it.
    pub data: &'static [Datum],
    /// Whether edges of this kind may not go round (the owner and target are one kind).
    pub acyclic: bool,

    /// Whether this kind names a deprecated node's replacements: part of the nodes'
    /// lifecycle, not a relation the answers read.
    pub replaces: bool,
}

impl EdgeSpec {
    /// Whether the edge carries `datum`.
    pub fn carries(&self, datum: Datum) -> bool {
        self.data.contains(&datum)
    }

    /// Whether the owner and target are nodes of one kind: then an edge from a node to itself
    /// is refused, whether or not the kind may go round.
    pub fn within_kind(&self) -> bool {
        self.owner.kind == self.target.kind
    }
}

/// `Some` name, or `None` for an absent one.
macro_rules! optional_name {
    () => {
        None
    };
    ($name:ident) => {
        Some(stringify!($name))
    };
}

/// Whether an optional marker says the kind may not go round.
macro_rules! acyclic {
    () => {
        false
    };
    (cyclic) => {
        false
    };
    ($marker:ident) => {
        true
    };
}

/// Whether an optional marker is `replacement`.
macro_rules! replaces {
    () => {
        false
    };
    (replacement) => {
        true
    };
    ($other:ident) => {
        false
    };
}

/// Declares [`EdgeKind`] and its specs from the table.
macro_rules! edge_kinds {
    ($(
        $(#[doc = $doc:literal])*
        $edge:ident($table:ident):
            $owner:ident($owner_column:ident, $owner_field:ident, $owner_list:ident: $owner_variant:ident)
            -> $target:ident($target_column:ident, $target_field:ident $(, $target_list:ident: $target_variant:ident)?)
            [$($datum:ident),*] $($acyclic:ident)?,
    )*) => {
        /// The kinds of edge.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EdgeKind {
            $($(#[doc = $doc])* $edge,)*
        }

        impl EdgeKind {
            /// Every kind, in the table's order (which is the order bulk writes insert them).
            pub const ALL: &'static [EdgeKind] = &[$(EdgeKind::$edge,)*];

            /// Where the kind is stored and what it carries.
            pub fn spec(self) -> &'static EdgeSpec {
                match self {
                    $(EdgeKind::$edge => {
                        const SPEC: EdgeSpec = EdgeSpec {
                            table: stringify!($table),
                            owner: End {
                                kind: Kind::$owner,
                                column: stringify!($owner_column),
                                field: stringify!($owner_field),
                            },
                            target: End {
                                kind: Kind::$target,
                                column: stringify!($target_column),
                                field: stringify!($target_field),
                            },
                            list: stringify!($owner_list),
                            reverse_list: optional_name!($($target_list)?),
                            data: &[$(Datum::$datum),*],
                            acyclic: acyclic!($($acyclic)?),
                            replaces: replaces!($($acyclic)?),
                        };
                        &SPEC
                    })*
                }
            }

            /// The kind that names the replacements of a deprecated node of `kind`.
            pub fn replacement_of(kind: Kind) -> EdgeKind {
                match kind {
                    $(Kind::$owner if replaces!($($acyclic)?) => EdgeKind::$edge,)*
                    // Every node kind has one; the test below holds the table to it.
                    _ => EdgeKind::ALL[0],
                }
            }
        }
    };
}
for_each_edge_kind!(edge_kinds);

/// What an edge carries besides its position, read or to be written; a datum the edge kind
/// does not carry is `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EdgeData {
    pub importance: Option<entity::Importance>,
    /// `None` also when the edge's level is unknown.
    pub level: Option<entity::Proficiency>,
}

/// One edge of a whole-graph write or read: its ends by id, its place in the owner's list,
/// its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeRow {
    pub owner: i32,
    pub target: i32,
    pub position: i32,
    pub data: EdgeData,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_stored_apart_and_listed_on_its_owner() {
        let mut tables: Vec<&str> = EdgeKind::ALL.iter().map(|e| e.spec().table).collect();
        tables.sort_unstable();
        tables.dedup();
        assert_eq!(tables.len(), EdgeKind::ALL.len());
        for edge in EdgeKind::ALL {
            let spec = edge.spec();
            assert_eq!(
                spec.table,
                format!("{}_{}", spec.owner.kind.table(), spec.target.field),
                "{edge:?}: the table is named after its ends"
            );
            assert_ne!(spec.owner.column, spec.target.column);
            assert!(
                !spec.replaces || spec.acyclic,
                "{edge:?}: replacements may not go round"
            );
            assert!(
                !spec.acyclic || spec.within_kind(),
                "{edge:?}: only an edge within one kind can go round"
            );
        }
    }

    #[test]
    fn every_node_kind_has_one_kind_of_replacement() {
        for kind in Kind::ALL {
            let of_kind: Vec<&EdgeKind> = EdgeKind::ALL
                .iter()
                .filter(|edge| edge.spec().replaces && edge.spec().owner.kind == *kind)
                .collect();
            assert_eq!(of_kind.len(), 1, "{kind:?}");
            assert_eq!(EdgeKind::replacement_of(*kind), *of_kind[0]);
            assert_eq!(of_kind[0].spec().target.kind, *kind);
        }
    }
}

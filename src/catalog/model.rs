//! The catalog file's shape, and the checks that make it loadable.

use std::collections::HashMap;

use entity::{Importance, Proficiency, ReuseLevel, SkillType, ToolCategory};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::values;
use crate::graph::Kind;
use crate::{Error, Result};

/// A skillgraph catalog: the whole graph of job roles, skills, languages, frameworks and tools.
/// Every list is in the order it is served; slugs are lowercase kebab-case, unique per kind.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Programming languages.
    pub languages: Vec<Language>,
    /// Frameworks and libraries, each of one language.
    pub frameworks: Vec<Framework>,
    /// Other technologies.
    pub tools: Vec<Tool>,
    /// Skills, each after its parent; siblings in their order.
    pub skills: Vec<Skill>,
    /// Job roles, with their edges in order.
    pub roles: Vec<Role>,
    /// The releases made of the graph, oldest first, each with the graph as it was then:
    /// what `export` writes so that they survive an export and an import. A release's own
    /// graph has no releases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<Release>,
    /// The nodes' text in other locales than the catalog's (`en`, the text above), and the
    /// hidden labels in every locale; by kind, slug and locale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
}

/// A node's text in one locale: a translation (with a name), or, in the catalog's own
/// locale (`en`), only the hidden labels, since its shown text is the node's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The node's kind: `Role`, `Skill`, `Language`, `Framework` or `Tool`.
    pub kind: String,
    pub slug: String,
    /// A BCP 47 language tag, e.g. `de`, `pt-BR`.
    pub locale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Labels for search and extraction only, never shown (misspellings, old terms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Label {
    /// The label as the graph's rules and the label tables take it.
    pub fn text(&self) -> crate::graph::locales::Label {
        crate::graph::locales::Label {
            locale: self.locale.clone(),
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            hidden: self.hidden.clone(),
            description: self.description.clone(),
        }
    }
}

/// A release, as a catalog file carries it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub name: String,
    /// The catalog's revision it named where it was made.
    pub revision: i32,
    /// When it was made (RFC 3339).
    #[serde(with = "values::instant")]
    #[schemars(with = "String")]
    pub at: i64,
    #[serde(default)]
    pub notes: String,
    /// The SHA-256, in hex, of `catalog` as JSON (`export --format json` of it): checked on
    /// import, and the release's ETag.
    pub digest: String,
    /// The graph as it was.
    pub catalog: Box<Catalog>,
}

/// A programming language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Set when the node is deprecated: when, and why. A deprecated node keeps its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Slugs of the nodes of this kind that replace it, in order (only a deprecated node has
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
}

/// A framework or library of one language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The slug of the framework's language.
    pub language: String,
    /// Set when the node is deprecated: when, and why. A deprecated node keeps its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Slugs of the nodes of this kind that replace it, in order (only a deprecated node has
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
}

/// Any other technology, with a category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A `ToolCategory` value, e.g. `DATABASE`.
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub category: ToolCategory,
    /// Set when the node is deprecated: when, and why. A deprecated node keeps its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Slugs of the nodes of this kind that replace it, in order (only a deprecated node has
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
}

/// An ability or area of knowledge, in a tree, with prerequisites.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The slug of the parent skill; absent for the root of a tree.
    pub parent: Option<String>,
    /// Slugs of the skills best learnt first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    /// The skills related to this one (ESCO's skill-to-skill relations), in order: not to be
    /// learnt first, but essential or optional to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<SkillRelation>,
    /// Where the skill came from, when an import made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<SkillSource>,
    /// Set when the node is deprecated: when, and why. A deprecated node keeps its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Slugs of the nodes of this kind that replace it, in order (only a deprecated node has
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
}

/// When and why a node was deprecated.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// When, as an RFC 3339 time (stored to the millisecond).
    #[serde(with = "values::instant")]
    #[schemars(with = "String")]
    pub at: i64,
    /// Why, for the people who still use the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Deprecation {
    /// The deprecation a node row records, if any.
    pub fn of(at: Option<i64>, note: Option<String>) -> Option<Self> {
        at.map(|at| Deprecation { at, note })
    }
}

/// The concept of an external taxonomy (ESCO) a skill was imported from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillSource {
    /// The concept's URI, unique among skills.
    pub uri: String,
    /// A `SkillType` value: `KNOWLEDGE`, `SKILL_COMPETENCE` or `SKILL_GROUP`.
    #[serde(
        default,
        with = "values::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub skill_type: Option<SkillType>,
    /// A `ReuseLevel` value, e.g. `CROSS_SECTOR`.
    #[serde(
        default,
        with = "values::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub reuse_level: Option<ReuseLevel>,
    /// The URIs of the broader concepts other than the parent's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_broader: Vec<String>,
}

/// The concept of an external taxonomy (ESCO) a role was imported from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSource {
    /// The concept's URI, unique among roles.
    pub uri: String,
    /// The ISCO-08 unit group of the occupation, e.g. `2512`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isco_group: Option<String>,
}

/// A job role and what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub slug: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub responsibilities: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub skills: Vec<RoleSkill>,
    #[serde(default)]
    pub languages: Vec<RoleLanguage>,
    #[serde(default)]
    pub frameworks: Vec<RoleFramework>,
    #[serde(default)]
    pub tools: Vec<RoleTool>,
    /// Where the role came from, when an import made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<RoleSource>,
    /// Set when the node is deprecated: when, and why. A deprecated node keeps its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// Slugs of the nodes of this kind that replace it, in order (only a deprecated node has
    /// them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced_by: Vec<String>,
}

/// A skill a role needs: how much (`ESSENTIAL`, `OPTIONAL`) and at what level (absent when
/// unknown, as for every skill an ESCO occupation needs).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSkill {
    pub skill: String,
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub importance: Importance,
    #[serde(
        default,
        with = "values::optional",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<String>")]
    pub level: Option<Proficiency>,
}

/// A language a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleLanguage {
    pub language: String,
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub importance: Importance,
}

/// A framework a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleFramework {
    pub framework: String,
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub importance: Importance,
}

/// A tool a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleTool {
    pub tool: String,
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub importance: Importance,
}

/// A skill related to another, and how much it matters to it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillRelation {
    pub skill: String,
    #[serde(with = "values::required")]
    #[schemars(with = "String")]
    pub importance: Importance,
}

/// What every node of a catalog has, whatever its kind.
#[derive(Clone, Copy, Debug)]
pub struct NodeEntry<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub aliases: &'a [String],
    pub deprecated: bool,
    /// The slugs of its replacements (only a deprecated node has them).
    pub replaced_by: &'a [String],
}

impl Catalog {
    /// Puts the labels in the order the export writes them: by kind (as [`Kind::ALL`] lists
    /// them), then slug, then locale. A node's labels are part of its entry when versions are
    /// compared, so two catalogs with the same labels must list them alike.
    ///
    /// [`Kind::ALL`]: crate::graph::Kind::ALL
    pub fn sort_labels(&mut self) {
        let rank = |kind: &str| {
            crate::graph::Kind::ALL
                .iter()
                .position(|k| k.name() == kind)
                .unwrap_or(usize::MAX)
        };
        self.labels.sort_by(|a, b| {
            (rank(&a.kind), &a.slug, &a.locale).cmp(&(rank(&b.kind), &b.slug, &b.locale))
        });
    }

    /// Parses a catalog and checks it: kebab-case unique slugs, every reference known, enum
    /// values valid, skill parents and prerequisites free of cycles.
    pub fn parse(text: &str) -> Result<Self> {
        let catalog: Catalog =
            toml::from_str(text).map_err(|err| Error::bad_input(format!("catalog: {err}")))?;
        catalog.check()?;
        Ok(catalog)
    }

    /// Parses and checks a catalog written as JSON (the same shape as the TOML).
    pub fn parse_json(text: &str) -> Result<Self> {
        let catalog: Catalog = serde_json::from_str(text)
            .map_err(|err| Error::bad_input(format!("catalog: {err}")))?;
        catalog.check()?;
        Ok(catalog)
    }

    /// The catalog as TOML, in the layout of the built-in catalog's file.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|err| Error::Internal(format!("catalog as TOML: {err}")))
    }

    /// The JSON Schema of the format (JSON Schema 2020-12), indented, ending with a newline.
    pub fn json_schema() -> Result<String> {
        let schema = schemars::schema_for!(Catalog);
        let mut text = serde_json::to_string_pretty(&schema)
            .map_err(|err| Error::Internal(format!("the catalog's schema: {err}")))?;
        text.push('\n');
        Ok(text)
    }

    /// The catalog as JSON, indented, ending with a newline.
    pub fn to_json(&self) -> Result<String> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|err| Error::Internal(format!("catalog as JSON: {err}")))?;
        text.push('\n');
        Ok(text)
    }

    /// Every node of the catalog, skills first, then languages, frameworks, tools and roles.
    pub fn nodes(&self) -> impl Iterator<Item = NodeEntry<'_>> {
        /// The entry of a node of `kind`; one macro arm per field set would say the same.
        macro_rules! entries {
            ($field:ident, $kind:ident) => {
                self.$field.iter().map(|n| NodeEntry {
                    kind: Kind::$kind,
                    slug: &n.slug,
                    name: &n.name,
                    description: &n.description,
                    aliases: &n.aliases,
                    deprecated: n.deprecated.is_some(),
                    replaced_by: &n.replaced_by,
                })
            };
        }
        entries!(skills, Skill)
            .chain(entries!(languages, Language))
            .chain(entries!(frameworks, Framework))
            .chain(entries!(tools, Tool))
            .chain(entries!(roles, Role))
    }

    /// The skills in the order the loader writes them: by their depth in the tree (the roots,
    /// then their children, then theirs, ...), in the catalog's order within a depth, so that
    /// every parent comes before its children. Each skill's depth is found in one walk up its
    /// unvisited ancestors, so the whole takes time linear in the number of skills, however
    /// deep the tree. `None` when a parent is no skill of the catalog or parents form a cycle.
    pub fn skills_by_depth(&self) -> Option<Vec<&Skill>> {
        const UNKNOWN: usize = usize::MAX;
        let at: HashMap<&str, usize> = self
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.as_str(), i))
            .collect();
        let parent = |i: usize| -> Option<Option<usize>> {
            match &self.skills[i].parent {
                None => Some(None),
                Some(slug) => at.get(slug.as_str()).map(|&p| Some(p)),
            }
        };
        let mut depth = vec![UNKNOWN; self.skills.len()];
        let mut on_walk = vec![false; self.skills.len()];
        let mut walk: Vec<usize> = Vec::new();
        for start in 0..self.skills.len() {
            // Up from `start` to a root or to a skill whose depth is known...
            let mut next = Some(start);
            while let Some(i) = next {
                if depth[i] != UNKNOWN {
                    break;
                }
                if on_walk[i] {
                    return None;
                }
                on_walk[i] = true;
                walk.push(i);
                next = parent(i)?;
            }
            // ...then down again, each depth one more than its parent's.
            while let Some(i) = walk.pop() {
                depth[i] = match parent(i)? {
                    None => 0,
                    Some(p) => depth[p].saturating_add(1),
                };
            }
        }
        let mut order: Vec<usize> = (0..self.skills.len()).collect();
        order.sort_by_key(|&i| depth[i]);
        Some(order.into_iter().map(|i| &self.skills[i]).collect())
    }

    /// The role with this slug.
    pub fn role(&self, slug: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.slug == slug)
    }

    /// The skill with this slug.
    pub fn skill(&self, slug: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.slug == slug)
    }

    /// How many rows of each kind the catalog holds, for logs and reports.
    pub fn summary(&self) -> String {
        let edges: usize = crate::graph::EdgeKind::ALL
            .iter()
            .filter(|edge| !edge.spec().replaces)
            .map(|edge| self.edges(*edge).len())
            .sum();
        format!(
            "{} roles, {} skills, {} languages, {} frameworks, {} tools, {} edges",
            self.roles.len(),
            self.skills.len(),
            self.languages.len(),
            self.frameworks.len(),
            self.tools.len(),
            edges
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalog_is_valid() {
        let catalog = crate::catalog::built_in().expect("built-in catalog");
        assert!(catalog.roles.len() >= 5);
        assert!(catalog.roles.iter().any(|r| r.slug == "backend-developer"));
    }

    fn skill(slug: &str, parent: Option<&str>) -> Skill {
        Skill {
            slug: slug.to_owned(),
            name: slug.to_owned(),
            description: String::new(),
            aliases: Vec::new(),
            parent: parent.map(str::to_owned),
            prerequisites: Vec::new(),
            languages: Vec::new(),
            tools: Vec::new(),
            relations: Vec::new(),
            external: None,
            deprecated: None,
            replaced_by: Vec::new(),
        }
    }

    fn of_skills(skills: Vec<Skill>) -> Catalog {
        Catalog {
            languages: Vec::new(),
            frameworks: Vec::new(),
            tools: Vec::new(),
            skills,
            roles: Vec::new(),
            releases: Vec::new(),
            labels: Vec::new(),
        }
    }

    fn slugs_by_depth(catalog: &Catalog) -> Option<Vec<&str>> {
        let skills = catalog.skills_by_depth()?;
        Some(skills.into_iter().map(|s| s.slug.as_str()).collect())
    }

    #[test]
    fn skills_come_by_depth_in_the_catalogs_order_within_a_depth() {
        let catalog = of_skills(vec![
            skill("c1", Some("b")),
            skill("b", Some("a")),
            skill("x", None),
            skill("a1", Some("a")),
            skill("c2", Some("b")),
            skill("a", None),
            skill("y", Some("x")),
        ]);
        assert_eq!(
            slugs_by_depth(&catalog),
            Some(vec!["x", "a", "b", "a1", "y", "c1", "c2"])
        );
    }

    #[test]
    fn unknown_parents_and_cycles_have_no_order() {
        let unknown = of_skills(vec![skill("a", None), skill("b", Some("nowhere"))]);
        assert_eq!(slugs_by_depth(&unknown), None);
        let cycle = of_skills(vec![
            skill("root", None),
            skill("a", Some("c")),
            skill("b", Some("a")),
            skill("c", Some("b")),
        ]);
        assert_eq!(slugs_by_depth(&cycle), None);
        let own = of_skills(vec![skill("a", Some("a"))]);
        assert_eq!(slugs_by_depth(&own), None);
    }

    #[test]
    fn a_deep_chain_listed_leaf_first_is_ordered_root_first() {
        // 200,000 levels, the deepest skill first: one walk up, then every other skill's
        // depth is found at its parent.
        let n = 200_000;
        let name = |i: usize| format!("s{i}");
        let skills = (0..n)
            .rev()
            .map(|i| {
                let parent = (i > 0).then(|| name(i - 1));
                skill(&name(i), parent.as_deref())
            })
            .collect();
        let catalog = of_skills(skills);
        let ordered = catalog.skills_by_depth().unwrap_or_default();
        assert_eq!(ordered.len(), n);
        assert!(
            ordered.iter().enumerate().all(|(i, s)| s.slug == name(i)),
            "root first, then each level"
        );
        assert_eq!(catalog.check().map_err(|err| err.detail()), Ok(()));
    }

    #[test]
    fn broken_references_and_cycles_are_reported() {
        let text = r#"
            languages = []
            frameworks = [{ slug = "django", name = "Django", description = "", language = "python" }]
            tools = []
            roles = []
            [[skills]]
            slug = "a"
            name = "A"
            description = ""
            prerequisites = ["b"]
            [[skills]]
            slug = "b"
            name = "B"
            description = ""
            prerequisites = ["a"]
            relations = [{ skill = "a", importance = "OPTIONAL" }, { skill = "b", importance = "ESSENTIAL" }]
            [[skills]]
            slug = "Not A Slug"
            name = "C"
            description = ""
            [[skills]]
            slug = "nameless"
            name = ""
            description = ""
        "#;
        let err = Catalog::parse(text).expect_err("invalid catalog").detail();
        assert!(err.contains("unknown language \"python\""), "{err}");
        assert!(
            err.contains("skill prerequisites form a cycle: a → b → a"),
            "{err}"
        );
        // A relation may point back along a prerequisite (b names a), never at its own skill.
        assert!(
            err.contains("skill \"b\": \"b\" cannot be in its own relations"),
            "{err}"
        );
        assert!(!err.contains("relations form a cycle"), "{err}");
        assert!(err.contains("skill \"Not A Slug\": slug must be"), "{err}");
        assert!(
            err.contains("skill \"nameless\": name must be 1 to 256"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_value_is_refused_where_it_is_read() {
        use crate::catalog::CatalogEdge;
        use crate::graph::{EdgeData, EdgeKind};

        let text = r#"
            languages = []
            frameworks = []
            tools = []
            skills = [{ slug = "sql", name = "SQL", description = "" }]
            [[roles]]
            slug = "dba"
            name = "DBA"
            description = ""
            skills = [{ skill = "sql", importance = "VITAL" }]
        "#;
        let err = Catalog::parse(text)
            .expect_err("an unknown importance")
            .detail();
        assert!(
            err.contains("unknown value \"VITAL\", expected one of ESSENTIAL, OPTIONAL"),
            "{err}"
        );
        assert!(err.contains("line 10"), "the position is given: {err}");
        let fixed = text.replace("VITAL", "ESSENTIAL");
        let catalog = Catalog::parse(&fixed).expect("a known importance");
        let edges = catalog.edges(EdgeKind::RoleSkill);
        assert_eq!(
            edges,
            vec![CatalogEdge {
                owner: "dba",
                target: "sql",
                position: 0,
                data: EdgeData {
                    importance: Some(Importance::Essential),
                    level: None,
                },
            }]
        );
    }
}

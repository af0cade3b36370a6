//! The catalog file's shape, and the checks that make it loadable.

use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::curation::invariants::{any_cycle, check_list, check_name, check_slug, check_text};
use crate::data::model::Kind;
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
    pub category: String,
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
    /// Where the skill came from, when an import made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<SkillSource>,
}

/// The concept of an external taxonomy (ESCO) a skill was imported from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillSource {
    /// The concept's URI, unique among skills.
    pub uri: String,
    /// A `SkillType` value: `KNOWLEDGE`, `SKILL_COMPETENCE` or `SKILL_GROUP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_type: Option<String>,
    /// A `ReuseLevel` value, e.g. `CROSS_SECTOR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_level: Option<String>,
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
}

/// A skill a role needs: how much (`ESSENTIAL`, `OPTIONAL`) and at what level (absent when
/// unknown, as for every skill an ESCO occupation needs).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleSkill {
    pub skill: String,
    pub importance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// A language a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleLanguage {
    pub language: String,
    pub importance: String,
}

/// A framework a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleFramework {
    pub framework: String,
    pub importance: String,
}

/// A tool a role uses, and how much it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleTool {
    pub tool: String,
    pub importance: String,
}

/// What every node of a catalog has, whatever its kind.
#[derive(Clone, Copy, Debug)]
pub struct NodeText<'a> {
    pub kind: Kind,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub aliases: &'a [String],
}

/// Collects every problem instead of stopping at the first, so one run shows them all.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.0.push(problem());
        }
    }

    fn slugs<'a>(&mut self, kind: &str, slugs: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for slug in slugs {
            if let Err(err) = check_slug("slug", slug) {
                self.0.push(format!("{kind} {slug:?}: {}", err.detail()));
            }
            self.check(seen.insert(slug), || {
                format!("{kind} slug {slug:?} appears twice")
            });
        }
        seen
    }

    fn refs<'a>(
        &mut self,
        owner: &str,
        kind: &str,
        known: &HashSet<&str>,
        refs: impl Iterator<Item = &'a str>,
    ) {
        let mut seen = HashSet::new();
        for slug in refs {
            self.check(known.contains(slug), || {
                format!("{owner} names unknown {kind} {slug:?}")
            });
            self.check(seen.insert(slug), || {
                format!("{owner} names {kind} {slug:?} twice")
            });
        }
    }
}

impl Catalog {
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

    /// Checks the catalog as a whole (every writer's rules, references, cycles).
    pub fn check(&self) -> Result<()> {
        use entity::{Importance, Proficiency, ToolCategory};
        use sea_orm::ActiveEnum;

        let mut p = Problems::default();
        let languages = p.slugs("language", self.languages.iter().map(|l| l.slug.as_str()));
        let frameworks = p.slugs("framework", self.frameworks.iter().map(|f| f.slug.as_str()));
        let tools = p.slugs("tool", self.tools.iter().map(|t| t.slug.as_str()));
        let skills = p.slugs("skill", self.skills.iter().map(|s| s.slug.as_str()));
        p.slugs("role", self.roles.iter().map(|r| r.slug.as_str()));

        for f in &self.frameworks {
            let owner = format!("framework {:?}", f.slug);
            p.refs(
                &owner,
                "language",
                &languages,
                [f.language.as_str()].into_iter(),
            );
        }
        for t in &self.tools {
            p.check(ToolCategory::try_from_value(&t.category).is_ok(), || {
                format!("tool {:?} has unknown category {:?}", t.slug, t.category)
            });
        }
        let mut parents = HashMap::new();
        let mut prerequisites = HashMap::new();
        for s in &self.skills {
            let owner = format!("skill {:?}", s.slug);
            p.refs(
                &owner,
                "parent",
                &skills,
                s.parent.iter().map(String::as_str),
            );
            p.refs(
                &owner,
                "prerequisite",
                &skills,
                s.prerequisites.iter().map(String::as_str),
            );
            p.refs(
                &owner,
                "language",
                &languages,
                s.languages.iter().map(String::as_str),
            );
            p.refs(&owner, "tool", &tools, s.tools.iter().map(String::as_str));
            parents.insert(
                s.slug.as_str(),
                s.parent.iter().map(String::as_str).collect(),
            );
            prerequisites.insert(
                s.slug.as_str(),
                s.prerequisites.iter().map(String::as_str).collect(),
            );
        }
        if let Some(cycle) = any_cycle(&parents) {
            p.0.push(format!("skill parents form a cycle: {}", cycle.join(" → ")));
        }
        if let Some(cycle) = any_cycle(&prerequisites) {
            p.0.push(format!(
                "skill prerequisites form a cycle: {}",
                cycle.join(" → ")
            ));
        }
        self.check_texts(&mut p);
        let importance_ok = |value: &str| Importance::try_from_value(&value.to_owned()).is_ok();
        for r in &self.roles {
            let owner = format!("role {:?}", r.slug);
            p.refs(
                &owner,
                "skill",
                &skills,
                r.skills.iter().map(|e| e.skill.as_str()),
            );
            p.refs(
                &owner,
                "language",
                &languages,
                r.languages.iter().map(|e| e.language.as_str()),
            );
            p.refs(
                &owner,
                "framework",
                &frameworks,
                r.frameworks.iter().map(|e| e.framework.as_str()),
            );
            p.refs(
                &owner,
                "tool",
                &tools,
                r.tools.iter().map(|e| e.tool.as_str()),
            );
            let importances = r
                .skills
                .iter()
                .map(|e| &e.importance)
                .chain(r.languages.iter().map(|e| &e.importance))
                .chain(r.frameworks.iter().map(|e| &e.importance))
                .chain(r.tools.iter().map(|e| &e.importance));
            for importance in importances {
                p.check(importance_ok(importance), || {
                    format!("{owner} has unknown importance {importance:?}")
                });
            }
            for level in r.skills.iter().filter_map(|e| e.level.as_ref()) {
                p.check(Proficiency::try_from_value(level).is_ok(), || {
                    format!("{owner} has unknown level {level:?}")
                });
            }
        }
        self.check_sources(&mut p);
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(Error::bad_input(format!("catalog: {}", p.0.join("; "))))
        }
    }

    /// The imported nodes' sources: URIs unique per kind and of a sane length, value sets
    /// known.
    fn check_sources(&self, p: &mut Problems) {
        use entity::{ReuseLevel, SkillType};
        use sea_orm::ActiveEnum;

        let uri_ok =
            |uri: &str| !uri.is_empty() && uri.len() <= 512 && !uri.contains(char::is_whitespace);
        let mut uris = HashSet::new();
        for (slug, source) in self
            .skills
            .iter()
            .filter_map(|s| Some((&s.slug, s.external.as_ref()?)))
        {
            let owner = format!("skill {slug:?}");
            p.check(uri_ok(&source.uri), || {
                format!("{owner} has a bad URI {:?}", source.uri)
            });
            p.check(uris.insert(source.uri.as_str()), || {
                format!("{owner} repeats the URI {:?}", source.uri)
            });
            if let Some(value) = &source.skill_type {
                p.check(SkillType::try_from_value(value).is_ok(), || {
                    format!("{owner} has unknown skill type {value:?}")
                });
            }
            if let Some(value) = &source.reuse_level {
                p.check(ReuseLevel::try_from_value(value).is_ok(), || {
                    format!("{owner} has unknown reuse level {value:?}")
                });
            }
            for uri in &source.other_broader {
                p.check(uri_ok(uri), || {
                    format!("{owner} has a bad broader URI {uri:?}")
                });
            }
        }
        let mut uris = HashSet::new();
        for (slug, source) in self
            .roles
            .iter()
            .filter_map(|r| Some((&r.slug, r.external.as_ref()?)))
        {
            let owner = format!("role {slug:?}");
            p.check(uri_ok(&source.uri), || {
                format!("{owner} has a bad URI {:?}", source.uri)
            });
            p.check(uris.insert(source.uri.as_str()), || {
                format!("{owner} repeats the URI {:?}", source.uri)
            });
            if let Some(group) = &source.isco_group {
                p.check(
                    !group.is_empty()
                        && group.len() <= 16
                        && group
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'.'),
                    || format!("{owner} has a bad ISCO group {group:?}"),
                );
            }
        }
    }

    /// Every node of the catalog, skills first, then languages, frameworks, tools and roles.
    pub fn nodes(&self) -> impl Iterator<Item = NodeText<'_>> {
        fn of<'a>(
            kind: Kind,
            slug: &'a str,
            name: &'a str,
            description: &'a str,
            aliases: &'a [String],
        ) -> NodeText<'a> {
            NodeText {
                kind,
                slug,
                name,
                description,
                aliases,
            }
        }
        let skills = self
            .skills
            .iter()
            .map(|n| of(Kind::Skill, &n.slug, &n.name, &n.description, &n.aliases));
        let languages = self
            .languages
            .iter()
            .map(|n| of(Kind::Language, &n.slug, &n.name, &n.description, &n.aliases));
        let frameworks = self.frameworks.iter().map(|n| {
            of(
                Kind::Framework,
                &n.slug,
                &n.name,
                &n.description,
                &n.aliases,
            )
        });
        let tools = self
            .tools
            .iter()
            .map(|n| of(Kind::Tool, &n.slug, &n.name, &n.description, &n.aliases));
        let roles = self
            .roles
            .iter()
            .map(|n| of(Kind::Role, &n.slug, &n.name, &n.description, &n.aliases));
        skills
            .chain(languages)
            .chain(frameworks)
            .chain(tools)
            .chain(roles)
    }

    /// Names, descriptions and lists within the bounds every writer keeps.
    fn check_texts(&self, p: &mut Problems) {
        for node in self.nodes() {
            let checks = [
                check_name("name", node.name),
                check_text("description", node.description),
                check_list("aliases", node.aliases),
            ];
            for err in checks.into_iter().filter_map(|check| check.err()) {
                let kind = node.kind.name().to_lowercase();
                p.0.push(format!("{kind} {:?}: {}", node.slug, err.detail()));
            }
        }
        for r in &self.roles {
            for (field, list) in [
                ("responsibilities", &r.responsibilities),
                ("domains", &r.domains),
            ] {
                if let Err(err) = check_list(field, list) {
                    p.0.push(format!("role {:?}: {}", r.slug, err.detail()));
                }
            }
        }
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
        let edges: usize = self
            .roles
            .iter()
            .map(|r| r.skills.len() + r.languages.len() + r.frameworks.len() + r.tools.len())
            .sum::<usize>()
            + self
                .skills
                .iter()
                .map(|s| s.prerequisites.len() + s.languages.len() + s.tools.len())
                .sum::<usize>();
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
            external: None,
        }
    }

    fn of_skills(skills: Vec<Skill>) -> Catalog {
        Catalog {
            languages: Vec::new(),
            frameworks: Vec::new(),
            tools: Vec::new(),
            skills,
            roles: Vec::new(),
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
        assert!(err.contains("skill \"Not A Slug\": slug must be"), "{err}");
        assert!(
            err.contains("skill \"nameless\": name must be 1 to 256"),
            "{err}"
        );
    }
}

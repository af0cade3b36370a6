//! Merging an ESCO bundle into the catalog: the bundle's concepts become roles and skills,
//! found again by URI on the next import; curated nodes (without a URI) are left as they are.
//!
//! - An occupation is a role; its skills are the bundle's relations, in the file's order,
//!   `essential`/`optional` as the importance and no level (ESCO gives none), followed by any
//!   curated skills a curator added to the role. Languages, frameworks, tools,
//!   responsibilities and domains a curator gave an imported role are kept.
//! - A skill or skill group is a skill. Of its broader concepts, the one with the smallest URI
//!   becomes its parent (a deterministic rule: the same bundle always gives the same tree);
//!   the others are kept as `otherBroaderUris`. Its relations are the bundle's
//!   (`skillSkillRelations`), `essential`/`optional` as the importance, followed by any a
//!   curator gave it to curated skills. Prerequisites, languages and tools a curator gave an
//!   imported skill are kept.
//! - A new concept's slug comes from its preferred label (lowercase ASCII words joined by
//!   hyphens, accents folded); when that slug is taken, by a node already there or by another
//!   concept of the bundle with a smaller URI, the first 8 characters of the URI's last part
//!   are added (`manage-staff-3f2a1c0d`), then more of them. A node keeps its slug forever.
//! - New concepts go after the nodes already there, in the order of their labels, so a first
//!   import orders siblings alphabetically.
//! - Imported nodes follow their concepts' lifecycle, and nothing is removed: a concept ESCO
//!   marks obsolete, and an imported node whose concept is gone from the bundle, become
//!   deprecated (keeping their slugs for the clients that stored them), with a note saying
//!   why; when such a concept is back in a later bundle, its node is restored. A node a
//!   curator deprecated stays as the curator left it. A replacement that an import
//!   deprecates is dropped from the nodes it replaced, so every replacement stays active.
//! - Each other language the import reads gives the imported nodes their labels in its
//!   locale, found by URI ([`merge_labels`]): its preferred label, alternative labels, hidden
//!   labels and description. The labels of the languages not read, and of curated nodes, are
//!   left as they are, so that importing one language again changes that language alone. The
//!   catalog locale's own hidden labels become labels of that locale too.

use std::collections::{BTreeMap, HashMap, HashSet};

use entity::Importance;
use serde_json::{Map, Value};

use super::bundle::{Bundle, Concept};
use crate::Result;
use crate::catalog::Catalog;
use crate::catalog::model::{
    Deprecation, Label, Role, RoleSkill, RoleSource, Skill, SkillRelation, SkillSource,
};
use crate::graph::Kind;
use crate::graph::locales::CATALOG;
use crate::graph::slug::MAX_SLUG_LEN;

/// How an import changed the nodes of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Nodes deprecated: obsolete in the bundle, or gone from it.
    pub deprecated: usize,
    /// Deprecated nodes made active again: their concepts are back.
    pub restored: usize,
}

impl Counts {
    fn json(&self) -> Value {
        serde_json::json!({
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deprecated": self.deprecated,
            "restored": self.restored,
        })
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged, {} deprecated, {} restored",
            self.created, self.updated, self.unchanged, self.deprecated, self.restored
        )
    }
}

/// What an import did (or, refused or unchanged, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub roles: Counts,
    pub skills: Counts,
    /// Alternative labels left out (over 100 per concept, or over 256 characters).
    pub aliases_left_out: usize,
    /// Per locale imported, how many of its concepts' labels the graph holds after it.
    pub labels: BTreeMap<String, usize>,
    /// Labels added, changed or removed.
    pub labels_changed: usize,
    /// Labels of concepts the graph does not hold (a translation's file naming a concept
    /// the catalog locale's files do not): left out.
    pub labels_left_out: usize,
}

impl Report {
    /// Whether the import changes anything.
    pub fn changes(&self) -> bool {
        self.labels_changed > 0
            || [self.roles, self.skills]
                .iter()
                .any(|c| c.created + c.updated + c.deprecated + c.restored > 0)
    }

    /// Whether the import read or changed any labels (an import of the catalog's locale
    /// alone, without hidden labels, has none to report).
    fn has_labels(&self) -> bool {
        self.labels_changed > 0 || self.labels.values().any(|&count| count > 0)
    }

    /// The report as the change log's entry keeps it.
    pub fn summary(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("roles".into(), self.roles.json());
        map.insert("skills".into(), self.skills.json());
        if self.has_labels() {
            map.insert(
                "labels".into(),
                serde_json::json!({"locales": self.labels, "changed": self.labels_changed}),
            );
        }
        map
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "roles: {}; skills: {}", self.roles, self.skills)?;
        if self.has_labels() {
            let locales: Vec<String> = self
                .labels
                .iter()
                .map(|(locale, count)| format!("{locale} {count}"))
                .collect();
            write!(
                f,
                "; labels: {} ({} changed)",
                locales.join(", "),
                self.labels_changed
            )?;
        }
        if self.labels_left_out > 0 {
            write!(
                f,
                "; {} labels of concepts not in the graph left out",
                self.labels_left_out
            )?;
        }
        if self.aliases_left_out > 0 {
            write!(
                f,
                "; {} alternative labels left out (over 100 for one concept, or over 256 characters)",
                self.aliases_left_out
            )?;
        }
        Ok(())
    }
}

/// A letter with its accent taken off (Latin letters; others are left as they are).
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'ī' | 'į' | 'ı' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ď' => 'd',
        'ť' => 't',
        other => other,
    }
}

/// The longest slug made from a label, leaving room for a suffix.
const LONGEST_BASE: usize = 80;

/// A slug from a label: lowercase ASCII letters and digits, words joined by single hyphens.
pub fn slugify(label: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in label.chars().flat_map(char::to_lowercase).map(fold) {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c);
        } else {
            gap = true;
        }
    }
    if slug.len() > LONGEST_BASE {
        let cut = slug[..LONGEST_BASE].rfind('-').unwrap_or(LONGEST_BASE);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("concept");
    }
    slug
}

/// Gives each new concept `(uri, label)` a slug not in `taken`, by the rule in the module's
/// documentation; the concepts in the order of their URIs.
fn new_slugs(concepts: &[(&str, &str)], taken: &mut HashSet<String>) -> HashMap<String, String> {
    let mut concepts = concepts.to_vec();
    concepts.sort();
    let mut slugs = HashMap::new();
    for (uri, label) in concepts {
        let base = slugify(label);
        let tail: String = uri
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(|c| c.to_lowercase())
            .collect();
        let mut candidates = vec![base.clone()];
        for len in [8, 12, 16, tail.len()] {
            if len <= tail.len() && !tail.is_empty() {
                candidates.push(format!("{base}-{}", &tail[..len]));
            }
        }
        let slug = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{base}-{tail}-{n}")))
            .map(|slug| {
                let mut slug = slug;
                slug.truncate(MAX_SLUG_LEN);
                slug.trim_end_matches('-').to_owned()
            })
            .find(|slug| !taken.contains(slug))
            .unwrap_or_default();
        taken.insert(slug.clone());
        slugs.insert(uri.to_owned(), slug);
    }
    slugs
}

fn count<T: PartialEq>(counts: &mut Counts, before: Option<&T>, after: &T) {
    match before {
        None => counts.created += 1,
        Some(before) if before == after => counts.unchanged += 1,
        Some(_) => counts.updated += 1,
    }
}

/// The slugs of one kind's concepts: a node already imported keeps its slug (found by URI),
/// a new concept gets one by [`new_slugs`]; and the imported nodes whose concept is gone.
struct Slugs {
    by_uri: HashMap<String, String>,
    removed: HashSet<String>,
}

impl Slugs {
    /// From the kind's nodes now, `(slug, source URI if imported)`, and the bundle's concepts,
    /// `(URI, preferred label)`.
    fn new<'a>(
        nodes: impl Iterator<Item = (&'a str, Option<&'a str>)>,
        concepts: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut taken = HashSet::new();
        let mut imported: HashMap<&str, &str> = HashMap::new();
        for (slug, uri) in nodes {
            taken.insert(slug.to_owned());
            if let Some(uri) = uri {
                imported.insert(uri, slug);
            }
        }
        let concepts: Vec<(&str, &str)> = concepts.collect();
        let in_bundle: HashSet<&str> = concepts.iter().map(|(uri, _)| *uri).collect();
        let removed = imported
            .iter()
            .filter(|(uri, _)| !in_bundle.contains(*uri))
            .map(|(_, slug)| (*slug).to_owned())
            .collect();
        let fresh: Vec<(&str, &str)> = concepts
            .into_iter()
            .filter(|(uri, _)| !imported.contains_key(uri))
            .collect();
        let mut by_uri = new_slugs(&fresh, &mut taken);
        by_uri.extend(
            imported
                .into_iter()
                .map(|(uri, slug)| (uri.to_owned(), slug.to_owned())),
        );
        Slugs { by_uri, removed }
    }

    fn of(&self, uri: &str) -> String {
        self.by_uri.get(uri).cloned().unwrap_or_default()
    }
}

/// ESCO's `essential`/`optional`.
fn importance(essential: bool) -> Importance {
    if essential {
        Importance::Essential
    } else {
        Importance::Optional
    }
}

/// The catalog with `bundle` merged in, and what changed.
/// `at` is the time of the import (for the deprecations it makes).
pub fn merge(current: &Catalog, bundle: &Bundle, at: i64) -> Result<(Catalog, Report)> {
    let mut report = Report {
        aliases_left_out: bundle.aliases_left_out,
        ..Report::default()
    };
    let mut merged = current.clone();

    // Skills.
    let skill_slugs = Slugs::new(
        current
            .skills
            .iter()
            .map(|s| (s.slug.as_str(), s.external.as_ref().map(|e| e.uri.as_str()))),
        bundle
            .skills
            .iter()
            .map(|s| (s.concept.uri.as_str(), s.concept.name.as_str())),
    );
    let removed_skills = &skill_slugs.removed;
    let slug_of = |uri: &str| skill_slugs.of(uri);
    let old_skills: HashMap<&str, &Skill> = current
        .skills
        .iter()
        .map(|s| (s.slug.as_str(), s))
        .collect();
    let curated: HashSet<&str> = current
        .skills
        .iter()
        .filter(|s| s.external.is_none())
        .map(|s| s.slug.as_str())
        .collect();
    // An imported skill's relations are the bundle's, in its order, then those a curator
    // gave it to curated skills.
    let relations = |bundle: Option<&Vec<(String, bool)>>, old: Option<&[SkillRelation]>| {
        let mut relations: Vec<SkillRelation> = bundle
            .into_iter()
            .flatten()
            .map(|(uri, essential)| SkillRelation {
                skill: slug_of(uri),
                importance: importance(*essential),
            })
            .collect();
        let named: HashSet<String> = relations.iter().map(|r| r.skill.clone()).collect();
        relations.extend(
            old.into_iter()
                .flatten()
                .filter(|r| curated.contains(r.skill.as_str()) && !named.contains(&r.skill))
                .cloned(),
        );
        relations
    };
    let mut imported: BTreeMap<String, Skill> = BTreeMap::new();
    for s in &bundle.skills {
        let slug = slug_of(&s.concept.uri);
        let mut broader: Vec<&String> = bundle
            .broader
            .get(&s.concept.uri)
            .map(|list| list.iter().collect())
            .unwrap_or_default();
        broader.sort();
        let parent = broader.first().map(|uri| slug_of(uri));
        let old = old_skills.get(slug.as_str()).copied();
        let skill = Skill {
            slug: slug.clone(),
            name: s.concept.name.clone(),
            description: s.concept.description.clone(),
            aliases: s.concept.aliases.clone(),
            parent,
            prerequisites: old.map(|o| o.prerequisites.clone()).unwrap_or_default(),
            languages: old.map(|o| o.languages.clone()).unwrap_or_default(),
            tools: old.map(|o| o.tools.clone()).unwrap_or_default(),
            relations: relations(
                bundle.related.get(&s.concept.uri),
                old.map(|o| o.relations.as_slice()),
            ),
            external: Some(SkillSource {
                uri: s.concept.uri.clone(),
                skill_type: s.skill_type,
                reuse_level: s.reuse_level,
                other_broader: broader.iter().skip(1).map(|uri| (*uri).clone()).collect(),
            }),
            deprecated: None,
            replaced_by: Vec::new(),
        };
        let mut skill = skill;
        (skill.deprecated, skill.replaced_by) = lifecycle(
            old.map(|o| (&o.deprecated, &o.replaced_by)),
            s.concept.obsolete.then_some(OBSOLETE),
            at,
            &mut report.skills,
        );
        count(&mut report.skills, old, &skill);
        imported.insert(slug, skill);
    }
    let mut skills = Vec::with_capacity(current.skills.len() + imported.len());
    for s in &current.skills {
        let mut skill = imported.remove(&s.slug).unwrap_or_else(|| s.clone());
        if removed_skills.contains(&s.slug) {
            (skill.deprecated, skill.replaced_by) = lifecycle(
                Some((&s.deprecated, &s.replaced_by)),
                Some(MISSING),
                at,
                &mut report.skills,
            );
            count(&mut report.skills, Some(s), &skill);
        }
        skills.push(skill);
    }
    let mut fresh_skills: Vec<Skill> = imported.into_values().collect();
    fresh_skills.sort_by(|a, b| {
        let uri = |s: &Skill| s.external.as_ref().map(|e| e.uri.clone());
        (a.name.to_lowercase(), uri(a)).cmp(&(b.name.to_lowercase(), uri(b)))
    });
    skills.extend(fresh_skills);
    merged.skills = skills;

    // Roles.
    let role_slugs = Slugs::new(
        current
            .roles
            .iter()
            .map(|r| (r.slug.as_str(), r.external.as_ref().map(|e| e.uri.as_str()))),
        bundle
            .occupations
            .iter()
            .map(|o| (o.concept.uri.as_str(), o.concept.name.as_str())),
    );
    let removed_roles = &role_slugs.removed;
    let curated_skills: HashSet<&str> = merged
        .skills
        .iter()
        .filter(|s| s.external.is_none())
        .map(|s| s.slug.as_str())
        .collect();
    let old_roles: HashMap<&str, &Role> =
        current.roles.iter().map(|r| (r.slug.as_str(), r)).collect();
    let mut imported: BTreeMap<String, Role> = BTreeMap::new();
    for o in &bundle.occupations {
        let uri = o.concept.uri.as_str();
        let slug = role_slugs.of(uri);
        let old = old_roles.get(slug.as_str()).copied();
        let mut needs: Vec<RoleSkill> = bundle
            .needs
            .get(uri)
            .into_iter()
            .flatten()
            .map(|(skill, essential)| RoleSkill {
                skill: slug_of(skill),
                importance: importance(*essential),
                level: None,
            })
            .collect();
        let named: HashSet<String> = needs.iter().map(|n| n.skill.clone()).collect();
        needs.extend(
            old.into_iter()
                .flat_map(|o| &o.skills)
                .filter(|e| curated_skills.contains(e.skill.as_str()) && !named.contains(&e.skill))
                .cloned(),
        );
        let role = Role {
            slug: slug.clone(),
            name: o.concept.name.clone(),
            description: o.concept.description.clone(),
            aliases: o.concept.aliases.clone(),
            responsibilities: old.map(|r| r.responsibilities.clone()).unwrap_or_default(),
            domains: old.map(|r| r.domains.clone()).unwrap_or_default(),
            skills: needs,
            languages: old.map(|r| r.languages.clone()).unwrap_or_default(),
            frameworks: old.map(|r| r.frameworks.clone()).unwrap_or_default(),
            tools: old.map(|r| r.tools.clone()).unwrap_or_default(),
            external: Some(RoleSource {
                uri: uri.to_owned(),
                isco_group: o.isco_group.clone(),
            }),
            deprecated: None,
            replaced_by: Vec::new(),
        };
        let mut role = role;
        (role.deprecated, role.replaced_by) = lifecycle(
            old.map(|r| (&r.deprecated, &r.replaced_by)),
            o.concept.obsolete.then_some(OBSOLETE),
            at,
            &mut report.roles,
        );
        count(&mut report.roles, old, &role);
        imported.insert(slug, role);
    }
    let mut roles = Vec::with_capacity(current.roles.len() + imported.len());
    for r in &current.roles {
        let mut role = imported.remove(&r.slug).unwrap_or_else(|| r.clone());
        if removed_roles.contains(&r.slug) {
            (role.deprecated, role.replaced_by) = lifecycle(
                Some((&r.deprecated, &r.replaced_by)),
                Some(MISSING),
                at,
                &mut report.roles,
            );
            count(&mut report.roles, Some(r), &role);
        }
        roles.push(role);
    }
    roles.extend(imported.into_values());
    merged.roles = roles;

    // A replacement the import deprecated replaces nothing any more.
    let deprecated: HashSet<String> = merged
        .skills
        .iter()
        .filter(|s| s.deprecated.is_some())
        .map(|s| s.slug.clone())
        .collect();
    for s in &mut merged.skills {
        s.replaced_by.retain(|slug| !deprecated.contains(slug));
    }
    let deprecated: HashSet<String> = merged
        .roles
        .iter()
        .filter(|r| r.deprecated.is_some())
        .map(|r| r.slug.clone())
        .collect();
    for r in &mut merged.roles {
        r.replaced_by.retain(|slug| !deprecated.contains(slug));
    }
    Ok((merged, report))
}

/// The imported nodes of a catalog by their concepts' URIs: `uri -> (kind, slug)`.
pub fn imported_nodes(catalog: &Catalog) -> HashMap<String, (Kind, String)> {
    let roles = catalog.roles.iter().filter_map(|r| {
        let uri = &r.external.as_ref()?.uri;
        Some((uri.clone(), (Kind::Role, r.slug.clone())))
    });
    let skills = catalog.skills.iter().filter_map(|s| {
        let uri = &s.external.as_ref()?.uri;
        Some((uri.clone(), (Kind::Skill, s.slug.clone())))
    });
    roles.chain(skills).collect()
}

/// Replaces the labels in `locale` of the imported nodes of `merged` (`nodes`, from
/// [`imported_nodes`]) with those of `concepts`: a translation's text, or, in the catalog's
/// own locale (whose text is the nodes'), the concepts' hidden labels. The labels of curated
/// nodes and of other locales are left as they are; a concept `nodes` lacks is counted as
/// left out. The caller sorts the labels ([`Catalog::sort_labels`]) once all are merged.
pub fn merge_labels(
    merged: &mut Catalog,
    nodes: &HashMap<String, (Kind, String)>,
    locale: &str,
    concepts: &[&Concept],
    report: &mut Report,
) {
    let imported: HashSet<(&str, &str)> = nodes
        .values()
        .map(|(kind, slug)| (kind.name(), slug.as_str()))
        .collect();
    let mut before: HashMap<(String, String), Label> = HashMap::new();
    let mut kept = Vec::with_capacity(merged.labels.len());
    for label in std::mem::take(&mut merged.labels) {
        if label.locale == locale && imported.contains(&(label.kind.as_str(), label.slug.as_str()))
        {
            before.insert((label.kind.clone(), label.slug.clone()), label);
        } else {
            kept.push(label);
        }
    }
    merged.labels = kept;
    let catalog_locale = locale == CATALOG;
    let mut count = 0;
    for concept in concepts {
        let Some((kind, slug)) = nodes.get(&concept.uri) else {
            report.labels_left_out += 1;
            continue;
        };
        if catalog_locale && concept.hidden.is_empty() {
            continue;
        }
        let label = Label {
            kind: kind.name().to_owned(),
            slug: slug.clone(),
            locale: locale.to_owned(),
            name: (!catalog_locale).then(|| concept.name.clone()),
            aliases: if catalog_locale {
                Vec::new()
            } else {
                concept.aliases.clone()
            },
            hidden: concept.hidden.clone(),
            description: (!catalog_locale && !concept.description.is_empty())
                .then(|| concept.description.clone()),
        };
        let old = before.remove(&(label.kind.clone(), label.slug.clone()));
        if old.as_ref() != Some(&label) {
            report.labels_changed += 1;
        }
        merged.labels.push(label);
        count += 1;
    }
    report.labels_changed += before.len();
    report.labels.insert(locale.to_owned(), count);
}

/// The note of a deprecation the import makes for an obsolete concept.
const OBSOLETE: &str = "Obsolete in ESCO.";
/// The note of a deprecation the import makes for a concept gone from the bundle.
const MISSING: &str = "No longer in the ESCO bundle.";

/// An imported node's lifecycle after the import: `old` is its deprecation and replacements
/// before (`None` for a new node), `deprecate` the note when the bundle deprecates it (`None`
/// when the bundle has the concept and does not mark it obsolete). Counts what changed in
/// `counts`. A deprecation keeps its time and note; a node the import deprecated is restored
/// when the bundle has its concept again, one a curator deprecated is left as it is.
fn lifecycle(
    old: Option<(&Option<Deprecation>, &Vec<String>)>,
    deprecate: Option<&str>,
    at: i64,
    counts: &mut Counts,
) -> (Option<Deprecation>, Vec<String>) {
    let (was, replaced_by) = match old {
        Some((was, replaced_by)) => (was.as_ref(), replaced_by.clone()),
        None => (None, Vec::new()),
    };
    match (was, deprecate) {
        (Some(was), Some(_)) => (Some(was.clone()), replaced_by),
        (Some(was), None) => {
            let by_import = matches!(was.note.as_deref(), Some(OBSOLETE | MISSING));
            if by_import {
                counts.restored += 1;
                (None, Vec::new())
            } else {
                (Some(was.clone()), replaced_by)
            }
        }
        (None, Some(note)) => {
            counts.deprecated += 1;
            let deprecation = Deprecation {
                at,
                note: Some(note.to_owned()),
            };
            (Some(deprecation), Vec::new())
        }
        (None, None) => (None, Vec::new()),
    }
}
